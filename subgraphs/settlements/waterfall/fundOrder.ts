import type { PoolingRule } from '../../shared/policy/policy';
import { fundShare, type FundUse } from './waterfall';

/**
 * The fund never pays more than its rule (DESIGN.md, Decisions of the second round). For each patient,
 * fund year and purpose we keep a stronger, exact invariant: the fund share of every standing
 * settlement is the pooling rule applied to it after the standing settlements made before it, in
 * the order the shares were computed, each by the rule it was computed with (a policy version may
 * change the rules within a year). A new settlement keeps it (its share is computed from the
 * year's counters, which sum the standing ones). Taking one out — a refund, an admin refund, a 冲正
 * — keeps it only when no later standing settlement would get another share without it; otherwise
 * it is refused, naming the settlements to refund first.
 *
 * Refusing rather than recomputing: a recomputation would change settlements the patient has paid
 * and the institution has reconciled, and would move money on accounts nobody asked to touch.
 * Refunding the latest settlement is always allowed, so the order the refusal names always works.
 */
export interface FundedSettlement {
  id: string;
  inScopeFen: number;
  fundFen: number;
  deductibleAppliedFen: number;
  /** The pooling rule its share was computed by: the one in force when it was made. */
  rule: PoolingRule | undefined;
}

/**
 * The later settlements of `standing` (all standing settlements of one patient, year and purpose, in
 * the order made) whose fund share or deductible would differ if `withdrawnId` were taken out,
 * latest first; empty when it may be taken out.
 */
export function settlementsToRefundFirst(standing: readonly FundedSettlement[], withdrawnId: string): string[] {
  const blocking: string[] = [];
  let use: FundUse = { deductibleUsedFen: 0, fundPaidFen: 0 };
  let afterWithdrawn = false;
  for (const settlement of standing) {
    if (settlement.id === withdrawnId) {
      afterWithdrawn = true;
      continue;
    }
    if (afterWithdrawn) {
      const share = fundShare(settlement.inScopeFen, settlement.rule, use);
      if (share.fundFen !== settlement.fundFen || share.deductibleAppliedFen !== settlement.deductibleAppliedFen)
        blocking.push(settlement.id);
    }
    use = { deductibleUsedFen: use.deductibleUsedFen + settlement.deductibleAppliedFen, fundPaidFen: use.fundPaidFen + settlement.fundFen };
  }
  return blocking.reverse();
}
