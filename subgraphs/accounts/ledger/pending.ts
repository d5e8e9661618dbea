import type { ProvinceBackends } from '../../shared/db/backends';
import { provinceOfId } from '../../shared/db/routing';
import { inTransaction, query, RetryableConflict, type Sql } from '../../shared/db/transaction';
import { fail } from '../../shared/errors';
import { AccountsError } from '../errors';
import { newId, regionOfKnownId } from '../../shared/ids';
import type { Observability } from '../../shared/server/observability';
import { applyEntries, lockAccounts } from './accounts';
import { requestHash } from '../../shared/idempotency';
import { insertClaim, type Claims } from './claims';
import type { DebitKind, DebitResult, HoldRequest, HoldResult } from '../../shared/contracts/ledger';
import { debitEntries, debitRoute, lockAndPlan } from './transfers';

/**
 * Pending transfers, the two phases of a debit whose accounts lie in several provinces (DESIGN.md,
 * Regional backends), in the vocabulary of tigerbeetle and rafiki. Creating one reserves on each
 * account what the ordered debit would take, without touching balances or the ledger; it is then
 * posted (the reservation becomes an ordinary debit with entries) or voided (the reservation is
 * released) by its coordinator, by 冲正, or by `voidExpired` once its time runs out, so it never
 * blocks an account.
 *
 * Older names outside this file: a pending transfer is a row of `ledger_holds` (status PENDING,
 * POSTED or VOIDED), what it reserves is `personal_accounts.held_fen`, and the internal API creates,
 * posts and voids it at `/internal/ledger/hold`, `/internal/ledger/post` and `/internal/ledger/void`
 * by its `holdId` (HoldResult).
 */

/** One step of a pending transfer as stored on its row (`ledger_holds.steps`, JSON): what posting debits. */
interface PendingStep {
  accountId: string;
  amountFen: number;
  kind: DebitKind;
  beneficiaryId: string | null;
  purpose: string | null;
  relationship: string | null;
}

/** `post` writes the result with the status POSTED in one UPDATE, so a POSTED row always has one. */
type PendingRow = { id: string; reference: string; steps: string } & (
  | { status: 'PENDING' | 'VOIDED'; posted_result: null }
  | { status: 'POSTED'; posted_result: string }
);

export class PendingTransfers {
  constructor(
    private readonly backends: ProvinceBackends,
    private readonly observability: Observability,
    private readonly claims: Claims,
    private readonly clock: () => Date,
  ) {}

  /**
   * Phase one: reserves what the ordered debit would take, after the same planning step as a debit
   * posted at once. Idempotent by key; expires after `timeoutMs`.
   */
  async create(request: HoldRequest): Promise<HoldResult> {
    const { province, idRegion } = debitRoute(this.backends, request);
    const { idempotencyKey, scope, timeoutMs, ...content } = request;
    return this.claims.once(
      province,
      { table: 'ledger_holds', scope, key: idempotencyKey, hash: requestHash(content), idRegion, reference: request.reference, timeoutMs },
      async (sql, pendingId) => {
        const { takes, paidFen } = await lockAndPlan(sql, request);
        const steps: PendingStep[] = debitEntries(request, takes).map((entry) => ({
          accountId: entry.accountId,
          amountFen: -entry.amountFen,
          kind: entry.kind,
          beneficiaryId: entry.beneficiaryId ?? null,
          purpose: entry.purpose ?? null,
          relationship: entry.relationship ?? null,
        }));
        for (const [index, step] of steps.entries()) {
          if (step.amountFen === 0) continue;
          const result = (await sql.query(
            'UPDATE personal_accounts SET held_fen = held_fen + ? WHERE person_id = ? AND balance_fen - held_fen - ? >= ?',
            [step.amountFen, step.accountId, step.amountFen, request.steps[index].floorFen],
          )) as { affectedRows: number };
          if (result.affectedRows !== 1) throw new RetryableConflict('account changed under a pending transfer');
        }
        await sql.query('UPDATE ledger_holds SET steps = ? WHERE id = ?', [JSON.stringify(steps), pendingId]);
        return {
          holdId: pendingId,
          paidFen,
          steps: steps.map((step) => ({ accountId: step.accountId, paidFen: step.amountFen, entryId: null })),
        };
      },
    );
  }

  /** Phase two, commit: the reserved amounts become an ordinary debit with ledger entries. Idempotent. */
  async post(pendingId: string): Promise<DebitResult> {
    const province = this.provinceOf(pendingId);
    return inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      const pending = await this.lock(sql, pendingId);
      if (pending.status === 'POSTED') return JSON.parse(pending.posted_result) as DebitResult;
      if (pending.status === 'VOIDED') fail(AccountsError.pendingVoided);
      const steps = JSON.parse(pending.steps) as PendingStep[];
      const paying = steps.filter((step) => step.amountFen > 0);
      const now = this.clock();
      const transferId = newId(regionOfKnownId(pendingId));
      // The posted debit's own transfer row, keyed by the pending transfer: the row lock above makes it once.
      await insertClaim(
        sql,
        { table: 'ledger_transfers', scope: 'hold', key: pendingId, hash: pendingId, kind: 'DEBIT', idRegion: regionOfKnownId(pendingId) },
        transferId,
        now,
      );
      const locked = await lockAccounts(
        sql,
        paying.map((step) => step.accountId),
      );
      const releasedFen = new Map<string, number>();
      for (const step of paying) releasedFen.set(step.accountId, (releasedFen.get(step.accountId) ?? 0) + step.amountFen);
      const entryIds = await applyEntries(
        sql,
        transferId,
        now,
        locked,
        steps.map((step) => ({
          accountId: step.accountId,
          amountFen: -step.amountFen,
          kind: step.kind,
          reference: pending.reference,
          beneficiaryId: step.beneficiaryId,
          purpose: step.purpose,
          relationship: step.relationship,
        })),
        { releasedFen },
      );
      const result: DebitResult = {
        transferId,
        paidFen: paying.reduce((sum, step) => sum + step.amountFen, 0),
        steps: steps.map((step, index) => ({ accountId: step.accountId, paidFen: step.amountFen, entryId: entryIds[index] })),
      };
      await sql.query('UPDATE ledger_transfers SET result = ? WHERE id = ?', [JSON.stringify(result), transferId]);
      await decide(sql, pendingId, 'POSTED', now, JSON.stringify(result));
      return result;
    });
  }

  /** Phase two, abort: releases the reservation. Voiding a voided transfer is a no-op; a posted one cannot be voided. */
  async void(pendingId: string): Promise<void> {
    if (await this.voidUnlessPosted(pendingId)) fail(AccountsError.pendingPosted);
  }

  /** Releases a pending transfer; answers the debit of one that was posted instead (null otherwise). */
  async voidUnlessPosted(pendingId: string): Promise<string | null> {
    const province = this.provinceOf(pendingId);
    return inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      const pending = await this.lock(sql, pendingId);
      if (pending.status === 'VOIDED') return null;
      if (pending.status === 'POSTED') return (JSON.parse(pending.posted_result) as DebitResult).transferId;
      // Decided first: a void that lost the race releases nothing.
      await decide(sql, pendingId, 'VOIDED', this.clock(), null);
      for (const step of (JSON.parse(pending.steps) as PendingStep[]).filter((candidate) => candidate.amountFen > 0)) {
        const released = (await sql.query('UPDATE personal_accounts SET held_fen = held_fen - ? WHERE person_id = ? AND held_fen >= ?', [
          step.amountFen,
          step.accountId,
          step.amountFen,
        ])) as { affectedRows: number };
        if (released.affectedRows !== 1) throw new RetryableConflict('reservation changed under a void');
      }
      return null;
    });
  }

  /**
   * Voids every pending transfer whose time ran out, so a coordinator that never came back blocks
   * nothing, then counts those still open. Both are metrics an operator alerts on: an expired hold
   * is a settlement that never decided, and open holds keep money from every other use.
   */
  async voidExpired(): Promise<number> {
    let voided = 0;
    for (const province of this.backends.available()) {
      const rows = await query<Array<{ id: string }>>(
        this.backends.get(province),
        province,
        "SELECT id FROM ledger_holds WHERE status = 'PENDING' AND expires_at < ? ORDER BY expires_at LIMIT 100",
        [this.clock()],
      );
      for (const row of rows) {
        await this.void(row.id);
        this.observability.events.labels('hold_expired', province).inc();
        voided += 1;
      }
      const [open] = await query<Array<{ holds: number }>>(
        this.backends.get(province),
        province,
        "SELECT COUNT(*) AS holds FROM ledger_holds WHERE status = 'PENDING'",
        [],
      );
      this.observability.holdsOpen.labels(province).set(Number(open?.holds ?? 0));
    }
    return voided;
  }

  private async lock(sql: Sql, pendingId: string): Promise<PendingRow> {
    const [row] = (await sql.query('SELECT id, status, reference, steps, posted_result FROM ledger_holds WHERE id = ? FOR UPDATE', [
      pendingId,
    ])) as PendingRow[];
    if (!row) fail(AccountsError.pendingNotFound(pendingId));
    return row;
  }

  private provinceOf(pendingId: string): string {
    const province = provinceOfId(pendingId);
    if (!province || !this.backends.has(province)) fail(AccountsError.pendingNotFound(pendingId));
    return province;
  }
}

/**
 * PENDING → POSTED or VOIDED, only while the row is still PENDING: the row lock that the decision was
 * read under holds on one database node only (Galera, TiDB), so a post or void decided elsewhere
 * meanwhile makes this one match nothing, and the whole transaction runs again and reads the outcome.
 */
async function decide(sql: Sql, pendingId: string, status: 'POSTED' | 'VOIDED', at: Date, postedResult: string | null): Promise<void> {
  const result = (await sql.query(
    "UPDATE ledger_holds SET status = ?, posted_result = ?, decided_at = ? WHERE id = ? AND status = 'PENDING'",
    [status, postedResult, at, pendingId],
  )) as { affectedRows: number };
  if (result.affectedRows !== 1) throw new RetryableConflict(`pending transfer decided meanwhile: ${pendingId}`);
}
