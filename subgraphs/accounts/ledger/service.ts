import type {
  DebitKind,
  DebitRequest,
  DebitResult,
  HoldRequest,
  HoldResult,
  ReturnKind,
  ReverseRequest,
  ReverseResult,
  VoidKeyRequest,
  VoidKeyResult,
} from '../../shared/contracts/ledger';
import type { ProvinceBackends } from '../../shared/db/backends';
import { regionOfKnownId } from '../../shared/ids';
import type { Observability } from '../../shared/server/observability';
import { provinceOfAccounts } from './accounts';
import { Claims } from './claims';
import { PendingTransfers } from './pending';
import { Transfers } from './transfers';

/**
 * The only place where money moves (DESIGN.md, Money). Every movement is a transfer, idempotent by
 * (scope, key): a retry returns the first result, the same key with other content is
 * IDEMPOTENCY_CONFLICT, and concurrent retries wait on the key's unique index and see one effect.
 * Balances change only through conditional updates on rows locked in a fixed order, and every
 * change appends an entry with the balance after it, so a balance is always the sum of its entries.
 *
 * By concept: `claims.ts` (the idempotency claim of one movement), `accounts.ts` (locking account
 * rows and applying entries under guards), `plan.ts` (the ordered debit as a pure rule),
 * `transfers.ts` (debit, credit and reversal, posted at once), `pending.ts` (pending transfers:
 * create, post, void, expire) and, below, the `Ledger` the internal API and resolvers call, with
 * 冲正 by key, which spans both kinds of transfer.
 */
export type EntryKind = 'CREDIT' | DebitKind | ReturnKind;

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

/** The ledger as its callers see it: one name per internal route, wired to the concept that serves it. */
export class Ledger {
  private readonly claims: Claims;
  private readonly transfers: Transfers;
  private readonly pending: PendingTransfers;

  constructor(
    private readonly backends: ProvinceBackends,
    observability: Observability,
    clock: () => Date = () => new Date(),
  ) {
    this.claims = new Claims(backends, observability, clock);
    this.transfers = new Transfers(backends, this.claims);
    this.pending = new PendingTransfers(backends, observability, this.claims, clock);
  }

  debit(request: DebitRequest): Promise<DebitResult> {
    return this.transfers.debit(request);
  }

  credit(request: CreditRequest): Promise<CreditResult> {
    return this.transfers.credit(request);
  }

  reverse(request: ReverseRequest): Promise<ReverseResult> {
    return this.transfers.reverse(request);
  }

  /** Route `/internal/ledger/hold`. */
  createPending(request: HoldRequest): Promise<HoldResult> {
    return this.pending.create(request);
  }

  /** Route `/internal/ledger/post`. */
  postPending(pendingId: string): Promise<DebitResult> {
    return this.pending.post(pendingId);
  }

  /** Route `/internal/ledger/void`. */
  voidPending(pendingId: string): Promise<void> {
    return this.pending.void(pendingId);
  }

  /** The sweeper's pass (every replica runs it; voiding is idempotent). */
  voidExpiredPending(): Promise<number> {
    return this.pending.voidExpired();
  }

  /**
   * 冲正 by key (the national interface 2601): whatever a debit or a pending transfer under
   * (scope, key) did is undone — a debit is reversed, a pending transfer voided, a posted one
   * reversed — and the key is spent in both tables, so a debit or pending transfer that arrives later
   * under it moves nothing. The key's row is what decides: a void and a debit under one key meet on
   * its unique index, so whichever commits first wins and the other sees it. Idempotent.
   */
  async voidKey(request: VoidKeyRequest): Promise<VoidKeyResult> {
    const province = provinceOfAccounts(this.backends, [request.accountId]);
    const region = regionOfKnownId(request.accountId);
    const reversals: string[] = [];
    const debit = await this.claims.spend(province, region, 'ledger_transfers', request);
    if (debit?.kind === 'DEBIT') reversals.push(debit.id);
    const pending = await this.claims.spend(province, region, 'ledger_holds', request);
    const posted = pending ? await this.pending.voidUnlessPosted(pending.id) : null;
    if (posted) reversals.push(posted);
    let returnedFen = 0;
    for (const transferId of reversals) {
      const reversal = await this.transfers.reverse({
        scope: 'void',
        idempotencyKey: transferId,
        transferId,
        kind: 'REVERSAL',
        reference: request.reference,
      });
      returnedFen += reversal.steps.reduce((sum, step) => sum + step.paidFen, 0);
    }
    return { returnedFen };
  }
}
