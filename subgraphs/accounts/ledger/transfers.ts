import type { ProvinceBackends } from '../../shared/db/backends';
import { query, type Sql } from '../../shared/db/transaction';
import { fail } from '../../shared/errors';
import { AccountsError } from '../errors';
import { provinceOfRegion, regionOfId, regionOfKnownId } from '../../shared/ids';
import { fenFromColumn, MAX_BALANCE_FEN } from '../../shared/money';
import { must } from '../../shared/must';
import { applyEntries, lockAccounts, provinceOfAccounts, type LockedAccount, type NewEntry } from './accounts';
import { requestHash } from '../../shared/idempotency';
import type { Claims } from './claims';
import { planTransfer, type DebitStep, type PlannedTake, type TransferPlan } from './plan';
import type { DebitKind, DebitRequest, DebitResult, ReverseRequest, ReverseResult } from '../../shared/contracts/ledger';
import type { CreditRequest, CreditResult } from './service';

/**
 * Transfers posted at once, in one local transaction each: the ordered debit, the monthly credit,
 * and the reversal that returns a debit's every fen. Each is idempotent by its claim (claims.ts).
 */

/** Where an ordered debit runs: its one province, and the region its rows' ids take. Refuses an empty debit. */
export function debitRoute(backends: ProvinceBackends, request: DebitRequest): { province: string; idRegion: string } {
  if (!Number.isSafeInteger(request.amountFen) || request.amountFen <= 0) fail(AccountsError.debitNotPositive);
  if (request.steps.length === 0) fail(AccountsError.debitWithoutSteps);
  return {
    province: provinceOfAccounts(
      backends,
      request.steps.map((step) => step.accountId),
    ),
    idRegion: regionOfKnownId(request.steps[0].accountId),
  };
}

/**
 * The planning step that a debit posted now and a pending transfer share: lock the accounts in id
 * order, then plan what each step takes of what is usable (plan.ts). Nothing has moved yet.
 */
export async function lockAndPlan(sql: Sql, request: DebitRequest): Promise<TransferPlan & { locked: Map<string, LockedAccount> }> {
  const locked = await lockAccounts(
    sql,
    request.steps.map((step) => step.accountId),
  );
  return { locked, ...planTransfer(locked, request.steps, request.amountFen, request.mode) };
}

/** The entries of a planned debit, one per step: what it takes, and whom and what it paid for. */
export function debitEntries(request: DebitRequest, takes: readonly PlannedTake[]): Array<NewEntry & { kind: DebitKind }> {
  return takes.map((take, index) => ({
    accountId: take.accountId,
    amountFen: -take.takeFen,
    kind: request.steps[index].kind,
    reference: request.reference,
    beneficiaryId: request.steps[index].beneficiaryId ?? null,
    purpose: request.purpose ?? null,
    relationship: request.steps[index].relationship ?? null,
  }));
}

/** An account named by several steps keeps the highest of their floors. */
function floorsOf(steps: readonly DebitStep[]): Map<string, number> {
  const floorsFen = new Map<string, number>();
  for (const step of steps) floorsFen.set(step.accountId, Math.max(floorsFen.get(step.accountId) ?? 0, step.floorFen));
  return floorsFen;
}

export class Transfers {
  constructor(
    private readonly backends: ProvinceBackends,
    private readonly claims: Claims,
  ) {}

  /** The ordered debit (DESIGN.md, Regional backends) when every account lies in one province. */
  async debit(request: DebitRequest): Promise<DebitResult> {
    const { province, idRegion } = debitRoute(this.backends, request);
    const { idempotencyKey, scope, ...content } = request;
    return this.claims.once(
      province,
      { table: 'ledger_transfers', scope, key: idempotencyKey, kind: 'DEBIT', hash: requestHash(content), idRegion },
      async (sql, transferId, now) => {
        const { locked, takes, paidFen } = await lockAndPlan(sql, request);
        const entryIds = await applyEntries(sql, transferId, now, locked, debitEntries(request, takes), {
          floorsFen: floorsOf(request.steps),
        });
        return {
          transferId,
          paidFen,
          steps: takes.map((take, index) => ({ accountId: take.accountId, paidFen: take.takeFen, entryId: entryIds[index] })),
        };
      },
    );
  }

  /** Returns every fen of a debit to the account it came from. A transfer is reversed at most once. */
  async reverse(request: ReverseRequest): Promise<ReverseResult> {
    const region = regionOfId(request.transferId);
    const province = region ? provinceOfRegion(region) : undefined;
    if (!region || !province || !this.backends.has(province)) fail(AccountsError.transferNotFound(request.transferId));
    const original = await query<Array<{ kind: string }>>(
      this.backends.get(province),
      province,
      'SELECT kind FROM ledger_transfers WHERE id = ?',
      [request.transferId],
    );
    if (original.length === 0) fail(AccountsError.transferNotFound(request.transferId));
    if (original[0].kind !== 'DEBIT') fail(AccountsError.onlyDebitsReverse);
    const { idempotencyKey, scope, ...content } = request;
    return this.claims.once(
      province,
      {
        table: 'ledger_transfers',
        scope,
        key: idempotencyKey,
        kind: 'REVERSAL',
        hash: requestHash(content),
        reverses: request.transferId,
        idRegion: region,
      },
      async (sql, transferId, now) => {
        const debits = (await sql.query(
          'SELECT account_id, amount_fen, beneficiary_id, purpose, relationship FROM ledger_entries WHERE transfer_id = ? ORDER BY account_id, seq',
          [request.transferId],
        )) as Array<{
          account_id: string;
          amount_fen: string;
          beneficiary_id: string | null;
          purpose: string | null;
          relationship: string | null;
        }>;
        const locked = await lockAccounts(
          sql,
          debits.map((entry) => entry.account_id),
        );
        const returns = debits.map((entry) => ({
          accountId: entry.account_id,
          amountFen: -fenFromColumn(entry.amount_fen),
          kind: request.kind,
          reference: request.reference,
          beneficiaryId: entry.beneficiary_id,
          purpose: entry.purpose,
          relationship: entry.relationship,
        }));
        const entryIds = await applyEntries(sql, transferId, now, locked, returns);
        return {
          transferId,
          reversedTransferId: request.transferId,
          steps: returns.map((entry, index) => ({ accountId: entry.accountId, paidFen: entry.amountFen, entryId: entryIds[index] })),
        };
      },
    );
  }

  /** The monthly transfer into a personal account (划入), idempotent by its key. */
  async credit(request: CreditRequest): Promise<CreditResult> {
    if (!Number.isSafeInteger(request.amountFen) || request.amountFen <= 0) fail(AccountsError.creditNotPositive);
    const province = provinceOfAccounts(this.backends, [request.accountId]);
    const { idempotencyKey, ...content } = request;
    return this.claims.once(
      province,
      {
        table: 'ledger_transfers',
        scope: 'credit',
        key: idempotencyKey,
        kind: 'CREDIT',
        hash: requestHash(content),
        idRegion: regionOfKnownId(request.accountId),
      },
      async (sql, transferId, now) => {
        const locked = await lockAccounts(sql, [request.accountId]);
        if (!locked.has(request.accountId)) fail(AccountsError.noPersonalAccount);
        const [entryId] = await applyEntries(
          sql,
          transferId,
          now,
          locked,
          [{ accountId: request.accountId, amountFen: request.amountFen, kind: 'CREDIT', reference: transferId, memo: request.memo }],
          { ceilingFen: MAX_BALANCE_FEN },
        );
        return { transferId, entryId: must(entryId, 'a credit of more than 0 writes an entry') };
      },
    );
  }
}
