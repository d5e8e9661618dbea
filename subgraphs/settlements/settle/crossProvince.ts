import type { DebitRequest, DebitResult, HoldResult } from '../../shared/contracts/ledger';
import type { AccountsClient } from '../../shared/accountsClient';
import { unlessRefused } from '../../shared/errors';

/**
 * Cross-province mutual aid (350100 ↔ 650100): the paying accounts lie in several provinces, so no
 * one local transaction can take them all. In the ledger's vocabulary it is two-phase: first a
 * pending transfer on every province (the ledger's hold: the money is reserved, balances and entries
 * untouched), then every pending transfer is posted (an ordinary debit with entries), or all of them
 * are voided when one was refused. Every call is idempotent by the settlement id, so whoever
 * completes the intent — its request, a retry, the recovery pass — repeats the same calls. A pending
 * transfer that expired (the ledger's sweeper voids it after `pendingTimeoutMs`) or was voided by a
 * 冲正 before it was posted pays nothing and its share becomes cash: no fen is taken twice or lost.
 */
export async function payAcrossProvinces(
  accounts: AccountsClient,
  requests: readonly DebitRequest[],
  pendingTimeoutMs: number,
  requestId: string,
): Promise<Array<DebitResult | null>> {
  const pending: Array<HoldResult | null> = [];
  for (const request of requests) {
    // Any coded refusal (a spent key, a balance gone) voids the lot; an unreachable province is retried.
    pending.push(
      await unlessRefused(accounts.hold({ ...request, timeoutMs: pendingTimeoutMs }, requestId), (code) => code !== 'SERVICE_UNAVAILABLE'),
    );
  }
  const held = pending.filter((transfer) => transfer !== null);
  if (held.length < pending.length) {
    for (const transfer of held) await accounts.void(transfer.holdId, requestId);
    return pending.map(() => null);
  }
  const posted: Array<DebitResult | null> = [];
  for (const transfer of held) {
    // INVALID_STATE: the pending transfer expired or was voided before it was posted.
    posted.push(await unlessRefused(accounts.post(transfer.holdId, requestId), (code) => code === 'INVALID_STATE'));
  }
  return posted;
}
