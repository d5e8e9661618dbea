import { fail } from '../../shared/errors';
import { AccountsError } from '../errors';
import { aboveFloorFen } from '../../shared/policy/policy';

/**
 * The ordered debit, as a pure rule: walk the steps in order and take from each account what its
 * balance above the step's floor allows, up to the step's own limit, until the amount is covered.
 * What no step covers is left for the caller (cash, or a refusal when the debit must be whole).
 */
export interface DebitStep {
  accountId: string;
  /** The balance this step may never take the account below (0 for the owner, the region's floor for relatives). */
  floorFen: number;
  /** The most this step may pay, e.g. only the part of the cost its region covers; absent = no limit. */
  limitFen?: number;
}

export interface PlannedTake {
  accountId: string;
  takeFen: number;
}

export function planDebit(balancesFen: ReadonlyMap<string, number>, steps: readonly DebitStep[], amountFen: number): PlannedTake[] {
  const remainingBalance = new Map(balancesFen);
  let remaining = amountFen;
  return steps.map((step) => {
    const balance = remainingBalance.get(step.accountId) ?? 0;
    const takeFen = Math.max(0, Math.min(remaining, aboveFloorFen(balance, step.floorFen), step.limitFen ?? Number.MAX_SAFE_INTEGER));
    remainingBalance.set(step.accountId, balance - takeFen);
    remaining -= takeFen;
    return { accountId: step.accountId, takeFen };
  });
}

/** UP_TO: take what the steps allow, the rest is the caller's (cash). WHOLE: all of it or INSUFFICIENT_BALANCE. */
export type DebitMode = 'UP_TO' | 'WHOLE';

/** An account as a debit finds it under its lock: its balance, and what pending transfers reserve of it. */
export interface AccountFunds {
  balanceFen: number;
  /** Reserved by pending transfers (column `held_fen`): no other debit may use it. */
  pendingFen: number;
}

export interface TransferPlan {
  takes: PlannedTake[];
  paidFen: number;
}

/**
 * The planning step every ordered debit shares, whether it is posted at once or left pending: each
 * step's account must exist, each pays from what is usable (balance − pending), and a WHOLE debit
 * that the steps cannot cover is refused before anything moves.
 */
export function planTransfer(
  accounts: ReadonlyMap<string, AccountFunds>,
  steps: readonly DebitStep[],
  amountFen: number,
  mode: DebitMode,
): TransferPlan {
  const missing = steps.find((step) => !accounts.has(step.accountId));
  if (missing) fail(AccountsError.accountNotFound(missing.accountId));
  const usableFen = new Map([...accounts].map(([id, account]) => [id, account.balanceFen - account.pendingFen]));
  const takes = planDebit(usableFen, steps, amountFen);
  const paidFen = takes.reduce((sum, take) => sum + take.takeFen, 0);
  if (mode === 'WHOLE' && paidFen < amountFen) fail(AccountsError.insufficientBalance);
  return { takes, paidFen };
}
