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
