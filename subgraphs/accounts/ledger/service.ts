import type { DataSource } from 'typeorm';
import type { ProvinceBackends } from '../../shared/db/backends';
import { provinceOfId } from '../../shared/db/routing';
import { errnoOf, inTransaction, query, type Sql } from '../../shared/db/transaction';
import { fail } from '../../shared/errors';
import { requestHash } from '../../shared/idempotency';
import { newId, provinceOfRegion, regionOfId } from '../../shared/ids';
import { fenFromColumn, formatMoney, MAX_BALANCE_FEN } from '../../shared/money';
import type { Observability } from '../../shared/observability';
import type { Purpose, Relationship } from '../../shared/policy/vocabulary';
import { planDebit, type DebitStep } from './plan';

/**
 * The only place where money moves (DESIGN.md, Money). Every movement is a transfer, idempotent by
 * (scope, key): a retry returns the first result, the same key with other content is
 * IDEMPOTENCY_CONFLICT, and concurrent retries wait on the key's unique index and see one effect.
 * Balances change only through conditional updates on rows locked in a fixed order, and every
 * change appends an entry with the balance after it, so a balance is always the sum of its entries.
 */
export type DebitKind = 'OWN_ACCOUNT_PAYMENT' | 'MUTUAL_AID_PAYMENT' | 'PREMIUM_PAYMENT';
export type ReturnKind = 'REFUND' | 'REVERSAL';
export type EntryKind = 'CREDIT' | DebitKind | ReturnKind;

export interface DebitRequest {
  scope: string;
  idempotencyKey: string;
  /** What caused the debit (a settlement or premium payment id), shown on every entry. */
  reference: string;
  amountFen: number;
  /** UP_TO: take what the steps allow, the rest is the caller's (cash). WHOLE: all of it or INSUFFICIENT_BALANCE. */
  mode: 'UP_TO' | 'WHOLE';
  /** What the money pays for, kept on every entry (reconciliation by purpose). */
  purpose?: Purpose;
  steps: Array<DebitStep & { kind: DebitKind; beneficiaryId?: string; relationship?: Relationship }>;
}

export interface StepOutcome {
  accountId: string;
  paidFen: number;
  entryId: string | null;
}

export interface DebitResult {
  transferId: string;
  paidFen: number;
  steps: StepOutcome[];
}

export interface ReverseRequest {
  scope: string;
  idempotencyKey: string;
  transferId: string;
  kind: ReturnKind;
  reference: string;
}

export interface ReverseResult {
  transferId: string;
  reversedTransferId: string;
  steps: StepOutcome[];
}

/** 冲正 by key: undo whatever a debit or hold under (scope, key) did, and spend the key. */
export interface VoidKeyRequest {
  scope: string;
  idempotencyKey: string;
  /** Any account of the original debit: it routes to the province whose ledger holds the key. */
  accountId: string;
  reference: string;
}

export interface VoidKeyResult {
  /** What went back to the accounts (0 when nothing had moved under the key). */
  returnedFen: number;
}

export interface HoldResult {
  holdId: string;
  paidFen: number;
  steps: StepOutcome[];
}

interface HeldStep {
  accountId: string;
  amountFen: number;
  kind: DebitKind;
  beneficiaryId: string | null;
  purpose: string | null;
  relationship: string | null;
}

type HoldRow = { id: string; status: 'PENDING' | 'POSTED' | 'VOIDED'; reference: string; steps: string; posted_result: string | null };

export interface CreditRequest {
  idempotencyKey: string;
  accountId: string;
  amountFen: number;
  memo?: string;
}

export interface CreditResult {
  transferId: string;
  entryId: string;
}

const DUPLICATE_KEY = 1062;

/**
 * The request hash of a key spent by a void (no request's SHA-256 looks like it): a debit or hold
 * that comes later under that key finds it and moves nothing.
 */
const VOIDED_KEY_HASH = 'voided-key'.padEnd(64, '-');

type ClaimTable = 'ledger_transfers' | 'ledger_holds';

/** The idempotency claim of one money movement: its key, and where the first result is kept. */
interface Claim {
  scope: string;
  key: string;
  kind: string;
  hash: string;
  idRegion: string;
  reverses?: string;
  table?: ClaimTable;
  reference?: string;
  timeoutMs?: number;
}

interface LockedAccount {
  balanceFen: number;
  /** Reserved by pending holds: what a debit may use is balance − held. */
  heldFen: number;
  lastSeq: number;
}

interface NewEntry {
  accountId: string;
  amountFen: number;
  kind: EntryKind;
  reference: string;
  beneficiaryId?: string | null;
  memo?: string | null;
  purpose?: string | null;
  relationship?: string | null;
}

/** What debits and holds may use of each locked account: its balance less what holds reserve. */
function available(locked: ReadonlyMap<string, LockedAccount>): Map<string, number> {
  return new Map([...locked].map(([id, account]) => [id, account.balanceFen - account.heldFen]));
}

export class Ledger {
  constructor(private readonly backends: ProvinceBackends, private readonly observability: Observability, private readonly clock: () => Date = () => new Date()) {}

  /** The province of a set of accounts; a debit spanning provinces needs the two-phase path. */
  private provinceOf(accountIds: readonly string[]): string {
    const provinces = new Set(accountIds.map((id) => {
      const region = regionOfId(id);
      if (!region) fail('NOT_FOUND', `账户不存在：${id}`, `No such account: ${id}`);
      return provinceOfRegion(region);
    }));
    if (provinces.size !== 1) fail('BAD_USER_INPUT', '一次扣款的账户必须属于同一省份', 'The accounts of one debit must lie in one province');
    const [province] = provinces;
    if (!this.backends.has(province)) fail('NOT_FOUND', `账户不存在：${accountIds[0]}`, `No such account: ${accountIds[0]}`);
    return province;
  }

  /**
   * Runs `work` under a new transfer row keyed by (scope, key). A duplicate key means the transfer
   * already happened (or is happening: the insert waited for it): return its result, or refuse a
   * different request under the same key.
   */
  private async once<R>(province: string, claim: Claim, work: (sql: Sql, transferId: string, now: Date) => Promise<R>): Promise<R> {
    const table = claim.table ?? 'ledger_transfers';
    const dataSource = this.backends.get(province);
    try {
      return await inTransaction(dataSource, province, this.observability, async (sql) => {
        const transferId = newId(claim.idRegion);
        const now = this.clock();
        if (table === 'ledger_transfers') {
          await sql.query(
            'INSERT INTO ledger_transfers (id, scope, idempotency_key, request_hash, kind, reverses_transfer_id, result, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            [transferId, claim.scope, claim.key, claim.hash, claim.kind, claim.reverses ?? null, '', now],
          );
        } else {
          await sql.query(
            "INSERT INTO ledger_holds (id, scope, idempotency_key, request_hash, status, reference, steps, result, expires_at, created_at) VALUES (?, ?, ?, ?, 'PENDING', ?, '[]', '', ?, ?)",
            [transferId, claim.scope, claim.key, claim.hash, claim.reference ?? '', new Date(now.getTime() + (claim.timeoutMs ?? 0)), now],
          );
        }
        const result = await work(sql, transferId, now);
        await sql.query(`UPDATE ${table} SET result = ? WHERE id = ?`, [JSON.stringify(result), transferId]);
        return result;
      });
    } catch (error) {
      if (errnoOf(error) !== DUPLICATE_KEY) throw error;
      return this.firstResult<R>(dataSource, province, claim, table);
    }
  }

  private async firstResult<R>(dataSource: DataSource, province: string, claim: { scope: string; key: string; hash: string }, table: ClaimTable): Promise<R> {
    const rows = await query<Array<{ request_hash: string; result: string }>>(dataSource, province,
      `SELECT request_hash, result FROM ${table} WHERE scope = ? AND idempotency_key = ?`, [claim.scope, claim.key]);
    if (rows.length === 0) fail('INVALID_STATE', '该笔交易已经退回，不能再次退回', 'This transfer was already reversed under another key');
    if (rows[0].request_hash === VOIDED_KEY_HASH) fail('INVALID_STATE', '该流水号已冲正，不再扣款', 'This key was voided (冲正); nothing moves under it');
    if (rows[0].request_hash !== claim.hash) {
      fail('IDEMPOTENCY_CONFLICT', '同一幂等键已用于内容不同的请求', 'This idempotency key was already used for a different request');
    }
    return JSON.parse(rows[0].result) as R;
  }

  /** Locks the accounts in id order (a fixed order, so concurrent transfers cannot deadlock on each other). */
  private async lock(sql: Sql, accountIds: readonly string[]): Promise<Map<string, LockedAccount>> {
    const unique = [...new Set(accountIds)].sort();
    const rows = await sql.query(
      `SELECT person_id, balance_fen, held_fen, last_entry_seq FROM personal_accounts WHERE person_id IN (${unique.map(() => '?').join(', ')}) ORDER BY person_id FOR UPDATE`,
      unique,
    ) as Array<{ person_id: string; balance_fen: string; held_fen: string; last_entry_seq: string }>;
    return new Map(rows.map((row) => [row.person_id, { balanceFen: fenFromColumn(row.balance_fen), heldFen: fenFromColumn(row.held_fen), lastSeq: fenFromColumn(row.last_entry_seq) }]));
  }

  /**
   * Applies signed amounts to locked accounts: one conditional update per account (guarded by the
   * sequence number, for debits by the floor and, for credits, by the balance limit) and one
   * multi-row insert of entries.
   *
   * `released` is what posting a hold releases from each account's reservation, as its debit is
   * applied; the guard then keeps what remains available (balance − held) at or above the floor.
   * `ceilingFen` is the balance a credit may not pass. Returns (refunds, reversals) have none: they
   * give back what the account had, and are never refused.
   */
  private async apply(sql: Sql, transferId: string, now: Date, locked: Map<string, LockedAccount>, entries: NewEntry[], floors: ReadonlyMap<string, number>,
    released: ReadonlyMap<string, number> = new Map(), ceilingFen?: number): Promise<Array<string | null>> {
    const rows: unknown[][] = [];
    const entryIds = entries.map((entry) => {
      if (entry.amountFen === 0) return null;
      const account = locked.get(entry.accountId)!;
      const id = newId(regionOfId(entry.accountId)!);
      account.balanceFen += entry.amountFen;
      account.lastSeq += 1;
      rows.push([id, entry.accountId, account.lastSeq, transferId, entry.amountFen, account.balanceFen, entry.kind, entry.reference, entry.beneficiaryId ?? null, entry.memo ?? null, entry.purpose ?? null, entry.relationship ?? null, now]);
      return id;
    });
    const changes = new Map<string, { deltaFen: number; count: number }>();
    for (const entry of entries) {
      if (entry.amountFen === 0) continue;
      const change = changes.get(entry.accountId) ?? { deltaFen: 0, count: 0 };
      changes.set(entry.accountId, { deltaFen: change.deltaFen + entry.amountFen, count: change.count + 1 });
    }
    for (const [accountId, { deltaFen, count }] of changes) {
      const account = locked.get(accountId)!;
      const seqBefore = account.lastSeq - count;
      const releaseFen = released.get(accountId) ?? 0;
      account.heldFen -= releaseFen;
      const result = await sql.query(
        `UPDATE personal_accounts SET balance_fen = balance_fen + ?, held_fen = held_fen - ?, last_entry_seq = last_entry_seq + ?
         WHERE person_id = ? AND last_entry_seq = ? AND held_fen >= ? AND (balance_fen + ?) - (held_fen - ?) >= ?${ceilingFen === undefined ? '' : ' AND balance_fen + ? <= ?'}`,
        [deltaFen, releaseFen, count, accountId, seqBefore, releaseFen, deltaFen, releaseFen, floors.get(accountId) ?? 0, ...(ceilingFen === undefined ? [] : [deltaFen, ceilingFen])],
      ) as { affectedRows: number };
      if (result.affectedRows !== 1) {
        if (ceilingFen !== undefined) await this.refuseAboveCeiling(sql, accountId, seqBefore, deltaFen, ceilingFen);
        // Under a cluster without global row locks a concurrent writer can slip in; the whole
        // transaction then runs again (1213 is retried like a deadlock).
        throw Object.assign(new Error('account changed under a transfer'), { errno: 1213 });
      }
    }
    if (rows.length > 0) {
      await sql.query(
        `INSERT INTO ledger_entries (id, account_id, seq, transfer_id, amount_fen, balance_after_fen, kind, reference, beneficiary_id, memo, purpose, relationship, created_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        rows.flat(),
      );
    }
    return entryIds;
  }

  /**
   * Explains a refused conditional update after the fact: when the row is as it was locked, the
   * balance limit refused it (the update itself is the check; this read only names the reason).
   */
  private async refuseAboveCeiling(sql: Sql, accountId: string, seqBefore: number, deltaFen: number, ceilingFen: number): Promise<void> {
    const [row] = await sql.query('SELECT balance_fen, last_entry_seq FROM personal_accounts WHERE person_id = ?', [accountId]) as Array<{ balance_fen: string; last_entry_seq: string }>;
    if (row && fenFromColumn(row.last_entry_seq) === seqBefore && fenFromColumn(row.balance_fen) + deltaFen > ceilingFen) {
      fail('BAD_USER_INPUT', `划入后余额将超过上限 ${formatMoney(ceilingFen)} 元，未划入`, `The balance would pass its limit of ${formatMoney(ceilingFen)} yuan; nothing was credited`);
    }
  }

  async debit(request: DebitRequest): Promise<DebitResult> {
    if (!Number.isSafeInteger(request.amountFen) || request.amountFen <= 0) fail('BAD_USER_INPUT', '扣款金额必须为正', 'A debit amount must be positive');
    if (request.steps.length === 0) fail('BAD_USER_INPUT', '扣款至少需要一个账户', 'A debit needs at least one step');
    const province = this.provinceOf(request.steps.map((step) => step.accountId));
    const { idempotencyKey, scope, ...content } = request;
    return this.once(province, { scope, key: idempotencyKey, kind: 'DEBIT', hash: requestHash(content), idRegion: regionOfId(request.steps[0].accountId)! },
      async (sql, transferId, now) => {
        const locked = await this.lock(sql, request.steps.map((step) => step.accountId));
        const missing = request.steps.find((step) => !locked.has(step.accountId));
        if (missing) fail('NOT_FOUND', `个人账户不存在：${missing.accountId}`, `No personal account for ${missing.accountId}`);
        const plan = planDebit(available(locked), request.steps, request.amountFen);
        const paidFen = plan.reduce((sum, take) => sum + take.takeFen, 0);
        if (request.mode === 'WHOLE' && paidFen < request.amountFen) {
          fail('INSUFFICIENT_BALANCE', '个人账户可用余额不足，未扣款', 'Not enough usable balance; nothing was debited');
        }
        const floors = new Map<string, number>();
        for (const step of request.steps) floors.set(step.accountId, Math.max(floors.get(step.accountId) ?? 0, step.floorFen));
        const entryIds = await this.apply(sql, transferId, now, locked, plan.map((take, index) => ({
          accountId: take.accountId, amountFen: -take.takeFen, kind: request.steps[index].kind, reference: request.reference, beneficiaryId: request.steps[index].beneficiaryId,
          purpose: request.purpose, relationship: request.steps[index].relationship,
        })), floors);
        return { transferId, paidFen, steps: plan.map((take, index) => ({ accountId: take.accountId, paidFen: take.takeFen, entryId: entryIds[index] })) };
      });
  }

  /** Returns every fen of a debit to the account it came from. A transfer is reversed at most once. */
  async reverse(request: ReverseRequest): Promise<ReverseResult> {
    const region = regionOfId(request.transferId);
    const province = region ? provinceOfRegion(region) : undefined;
    if (!region || !province || !this.backends.has(province)) fail('NOT_FOUND', `交易不存在：${request.transferId}`, `No such transfer: ${request.transferId}`);
    const original = await query<Array<{ kind: string }>>(this.backends.get(province), province, 'SELECT kind FROM ledger_transfers WHERE id = ?', [request.transferId]);
    if (original.length === 0) fail('NOT_FOUND', `交易不存在：${request.transferId}`, `No such transfer: ${request.transferId}`);
    if (original[0].kind !== 'DEBIT') fail('INVALID_STATE', '只有扣款可以退回', 'Only a debit can be reversed');
    const { idempotencyKey, scope, ...content } = request;
    return this.once(province, { scope, key: idempotencyKey, kind: 'REVERSAL', hash: requestHash(content), reverses: request.transferId, idRegion: region },
      async (sql, transferId, now) => {
        const debits = await sql.query(
          'SELECT account_id, amount_fen, beneficiary_id, purpose, relationship FROM ledger_entries WHERE transfer_id = ? ORDER BY account_id, seq', [request.transferId],
        ) as Array<{ account_id: string; amount_fen: string; beneficiary_id: string | null; purpose: string | null; relationship: string | null }>;
        const locked = debits.length > 0 ? await this.lock(sql, debits.map((entry) => entry.account_id)) : new Map<string, LockedAccount>();
        const returns = debits.map((entry) => ({
          accountId: entry.account_id, amountFen: -fenFromColumn(entry.amount_fen), kind: request.kind, reference: request.reference, beneficiaryId: entry.beneficiary_id,
          purpose: entry.purpose, relationship: entry.relationship,
        }));
        const entryIds = await this.apply(sql, transferId, now, locked, returns, new Map());
        return { transferId, reversedTransferId: request.transferId, steps: returns.map((entry, index) => ({ accountId: entry.accountId, paidFen: entry.amountFen, entryId: entryIds[index] })) };
      });
  }

  /**
   * Phase one of a two-phase debit (accounts in several provinces): reserves on each account what
   * the ordered debit would take, without touching balances or the ledger. Idempotent by key; the
   * hold expires after `timeoutMs` and is then voided by the sweeper, so it never blocks an account.
   */
  async hold(request: DebitRequest & { timeoutMs: number }): Promise<HoldResult> {
    if (!Number.isSafeInteger(request.amountFen) || request.amountFen <= 0) fail('BAD_USER_INPUT', '扣款金额必须为正', 'A debit amount must be positive');
    const province = this.provinceOf(request.steps.map((step) => step.accountId));
    const { idempotencyKey, scope, timeoutMs, ...content } = request;
    return this.once(province, { scope, key: idempotencyKey, kind: 'HOLD', hash: requestHash(content), idRegion: regionOfId(request.steps[0].accountId)!, table: 'ledger_holds', reference: request.reference, timeoutMs },
      async (sql, holdId) => {
        const locked = await this.lock(sql, request.steps.map((step) => step.accountId));
        const missing = request.steps.find((step) => !locked.has(step.accountId));
        if (missing) fail('NOT_FOUND', `个人账户不存在：${missing.accountId}`, `No personal account for ${missing.accountId}`);
        const plan = planDebit(available(locked), request.steps, request.amountFen);
        const paidFen = plan.reduce((sum, take) => sum + take.takeFen, 0);
        if (request.mode === 'WHOLE' && paidFen < request.amountFen) fail('INSUFFICIENT_BALANCE', '个人账户可用余额不足，未扣款', 'Not enough usable balance; nothing was debited');
        const steps: HeldStep[] = plan.map((take, index) => ({
          accountId: take.accountId, amountFen: take.takeFen, kind: request.steps[index].kind, beneficiaryId: request.steps[index].beneficiaryId ?? null,
          purpose: request.purpose ?? null, relationship: request.steps[index].relationship ?? null,
        }));
        for (const [index, step] of steps.entries()) {
          if (step.amountFen === 0) continue;
          const result = await sql.query('UPDATE personal_accounts SET held_fen = held_fen + ? WHERE person_id = ? AND balance_fen - held_fen - ? >= ?',
            [step.amountFen, step.accountId, step.amountFen, request.steps[index].floorFen]) as { affectedRows: number };
          if (result.affectedRows !== 1) throw Object.assign(new Error('account changed under a hold'), { errno: 1213 });
        }
        await sql.query('UPDATE ledger_holds SET steps = ? WHERE id = ?', [JSON.stringify(steps), holdId]);
        return { holdId, paidFen, steps: steps.map((step) => ({ accountId: step.accountId, paidFen: step.amountFen, entryId: null })) };
      });
  }

  private async lockHold(sql: Sql, holdId: string): Promise<HoldRow> {
    const [row] = await sql.query('SELECT id, status, reference, steps, posted_result FROM ledger_holds WHERE id = ? FOR UPDATE', [holdId]) as HoldRow[];
    if (!row) fail('NOT_FOUND', `预扣不存在：${holdId}`, `No such hold: ${holdId}`);
    return row;
  }

  private holdProvince(holdId: string): string {
    const province = provinceOfId(holdId);
    if (!province || !this.backends.has(province)) fail('NOT_FOUND', `预扣不存在：${holdId}`, `No such hold: ${holdId}`);
    return province;
  }

  /** Phase two, commit: the held amounts become an ordinary debit with ledger entries. Idempotent. */
  async post(holdId: string): Promise<DebitResult> {
    const province = this.holdProvince(holdId);
    return inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      const hold = await this.lockHold(sql, holdId);
      if (hold.status === 'POSTED') return JSON.parse(hold.posted_result!) as DebitResult;
      if (hold.status === 'VOIDED') fail('INVALID_STATE', '预扣已作废（超时或撤销）', 'This hold was voided (it expired or was cancelled)');
      const steps = JSON.parse(hold.steps) as HeldStep[];
      const paying = steps.filter((step) => step.amountFen > 0);
      const now = this.clock();
      const transferId = newId(regionOfId(holdId)!);
      await sql.query("INSERT INTO ledger_transfers (id, scope, idempotency_key, request_hash, kind, result, created_at) VALUES (?, 'hold', ?, ?, 'DEBIT', '', ?)", [transferId, holdId, holdId, now]);
      const locked = paying.length > 0 ? await this.lock(sql, paying.map((step) => step.accountId)) : new Map<string, LockedAccount>();
      const released = new Map<string, number>();
      for (const step of paying) released.set(step.accountId, (released.get(step.accountId) ?? 0) + step.amountFen);
      const entryIds = await this.apply(sql, transferId, now, locked, steps.map((step) => ({
        accountId: step.accountId, amountFen: -step.amountFen, kind: step.kind, reference: hold.reference, beneficiaryId: step.beneficiaryId,
        purpose: step.purpose, relationship: step.relationship,
      })), new Map(), released);
      const result: DebitResult = { transferId, paidFen: paying.reduce((sum, step) => sum + step.amountFen, 0), steps: steps.map((step, index) => ({ accountId: step.accountId, paidFen: step.amountFen, entryId: entryIds[index] })) };
      await sql.query('UPDATE ledger_transfers SET result = ? WHERE id = ?', [JSON.stringify(result), transferId]);
      await sql.query("UPDATE ledger_holds SET status = 'POSTED', posted_result = ?, decided_at = ? WHERE id = ?", [JSON.stringify(result), now, holdId]);
      return result;
    });
  }

  /** Phase two, abort: releases the reservation. Voiding a voided hold is a no-op; a posted one cannot be voided. */
  async void(holdId: string): Promise<void> {
    if (await this.voidUnlessPosted(holdId)) fail('INVALID_STATE', '预扣已入账，不能作废', 'This hold was already posted; refund it instead');
  }

  /** Releases a pending hold; answers the transfer of a hold that was posted instead (null otherwise). */
  private async voidUnlessPosted(holdId: string): Promise<string | null> {
    const province = this.holdProvince(holdId);
    return inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      const hold = await this.lockHold(sql, holdId);
      if (hold.status === 'VOIDED') return null;
      if (hold.status === 'POSTED') return (JSON.parse(hold.posted_result!) as DebitResult).transferId;
      for (const step of (JSON.parse(hold.steps) as HeldStep[]).filter((candidate) => candidate.amountFen > 0)) {
        await sql.query('UPDATE personal_accounts SET held_fen = held_fen - ? WHERE person_id = ?', [step.amountFen, step.accountId]);
      }
      await sql.query("UPDATE ledger_holds SET status = 'VOIDED', decided_at = ? WHERE id = ?", [this.clock(), holdId]);
      return null;
    });
  }

  /**
   * 冲正 by key (the national interface 2601): whatever a debit or a hold under (scope, key) did is
   * undone — a debit is reversed, a pending hold voided, a posted one reversed — and the key is spent
   * in both tables, so a debit or hold that arrives later under it moves nothing. The key's row is
   * what decides: a void and a debit under one key meet on its unique index, so whichever commits
   * first wins and the other sees it. Idempotent.
   */
  async voidKey(request: VoidKeyRequest): Promise<VoidKeyResult> {
    const province = this.provinceOf([request.accountId]);
    const region = regionOfId(request.accountId)!;
    const reversals: string[] = [];
    const debit = await this.spendKey(province, region, 'ledger_transfers', request);
    if (debit?.kind === 'DEBIT') reversals.push(debit.id);
    const hold = await this.spendKey(province, region, 'ledger_holds', request);
    const posted = hold ? await this.voidUnlessPosted(hold.id) : null;
    if (posted) reversals.push(posted);
    let returnedFen = 0;
    for (const transferId of reversals) {
      const reversal = await this.reverse({ scope: 'void', idempotencyKey: transferId, transferId, kind: 'REVERSAL', reference: request.reference });
      returnedFen += reversal.steps.reduce((sum, step) => sum + step.paidFen, 0);
    }
    return { returnedFen };
  }

  /** Takes (scope, key) for a void; answers the row already under the key instead, if any. */
  private async spendKey(province: string, region: string, table: ClaimTable, request: VoidKeyRequest): Promise<{ id: string; kind: string } | null> {
    const dataSource = this.backends.get(province);
    try {
      await inTransaction(dataSource, province, this.observability, async (sql) => {
        const now = this.clock();
        await sql.query(table === 'ledger_transfers'
          ? "INSERT INTO ledger_transfers (id, scope, idempotency_key, request_hash, kind, result, created_at) VALUES (?, ?, ?, ?, 'VOID', '{}', ?)"
          : "INSERT INTO ledger_holds (id, scope, idempotency_key, request_hash, status, reference, steps, result, expires_at, created_at, decided_at) VALUES (?, ?, ?, ?, 'VOIDED', ?, '[]', '', ?, ?, ?)",
        table === 'ledger_transfers'
          ? [newId(region), request.scope, request.idempotencyKey, VOIDED_KEY_HASH, now]
          : [newId(region), request.scope, request.idempotencyKey, VOIDED_KEY_HASH, request.reference, now, now, now]);
      });
      return null;
    } catch (error) {
      if (errnoOf(error) !== DUPLICATE_KEY) throw error;
      const [row] = await query<Array<{ id: string; kind: string }>>(dataSource, province,
        `SELECT id, ${table === 'ledger_transfers' ? 'kind' : 'status'} AS kind FROM ${table} WHERE scope = ? AND idempotency_key = ?`, [request.scope, request.idempotencyKey]);
      return row;
    }
  }

  /** Voids every hold whose time ran out, so a coordinator that never came back blocks nothing. */
  async sweepExpiredHolds(): Promise<number> {
    let voided = 0;
    for (const province of this.backends.available()) {
      const rows = await query<Array<{ id: string }>>(this.backends.get(province), province,
        "SELECT id FROM ledger_holds WHERE status = 'PENDING' AND expires_at < ? ORDER BY expires_at LIMIT 100", [this.clock()]);
      for (const row of rows) {
        await this.void(row.id);
        voided += 1;
      }
    }
    return voided;
  }

  /** The monthly transfer into a personal account (划入), idempotent by its key. */
  async credit(request: CreditRequest): Promise<CreditResult> {
    if (!Number.isSafeInteger(request.amountFen) || request.amountFen <= 0) fail('BAD_USER_INPUT', '划入金额必须大于 0', 'A credit must be more than 0.00');
    const province = this.provinceOf([request.accountId]);
    const { idempotencyKey, ...content } = request;
    return this.once(province, { scope: 'credit', key: idempotencyKey, kind: 'CREDIT', hash: requestHash(content), idRegion: regionOfId(request.accountId)! },
      async (sql, transferId, now) => {
        const locked = await this.lock(sql, [request.accountId]);
        if (!locked.has(request.accountId)) fail('NOT_ELIGIBLE', '该参保人没有个人账户（居民医保）', 'This person has no personal account (resident scheme)');
        const [entryId] = await this.apply(sql, transferId, now, locked, [
          { accountId: request.accountId, amountFen: request.amountFen, kind: 'CREDIT', reference: transferId, memo: request.memo },
        ], new Map(), new Map(), MAX_BALANCE_FEN);
        return { transferId, entryId: entryId! };
      });
  }
}
