import { provinceOfRegion } from '../../shared/ids';
import { sumFen } from '../../shared/money';
import { must } from '../../shared/must';
import { aboveFloorFen, type MutualAidPolicy, type PoolingRule } from '../../shared/policy/policy';
import type { Purpose, Relationship } from '../../shared/policy/vocabulary';

/**
 * The settlement waterfall (DESIGN.md, Rules → Settlement) as one pure function from the bill, the
 * policies, the balances, the year's fund use and the bindings to a plan of steps, each with the rule
 * that stopped it from paying more:
 *   fund share (pooling rule) → the patient's own account → each ACTIVE binding, oldest first, above
 *   its region's floor, for purposes both its region and the patient's allow, across provinces only
 *   where both allow it → cash.
 * Out-of-catalogue cost (自费) is payable only by an account whose region covers it. An account
 * that may pay both pays the out-of-catalogue part first: only such accounts can pay it, while any
 * later account can pay the in-catalogue part, so this leaves the least to cash.
 */
export type Limit =
  | 'PAID_IN_FULL' // nothing was left for this step
  | 'NO_FUND_RULE' // no fund share for this scheme and purpose
  | 'FUND_RATE' // the rate's share (after the deductible) was paid
  | 'FUND_CAP' // the annual cap is reached
  | 'NO_ACCOUNT' // the patient has no personal account (resident scheme)
  | 'BALANCE' // the account's whole balance was used
  | 'FLOOR' // the balance above the region's retained floor was used
  | 'OUT_OF_SCOPE_NOT_COVERED' // what is left is out-of-catalogue, which this account's region does not pay
  | 'PURPOSE_NOT_ALLOWED' // the authorizer's or the patient's region does not share funds for this purpose
  | 'CROSS_PROVINCE_NOT_ALLOWED' // the two regions lie in different provinces and one of them does not allow it
  | 'AUTHORIZER_NOT_ACTIVE' // the authorizer's enrolment is not ACTIVE
  | 'BINDING_NOT_ACTIVE' // the binding was revoked between the plan and the payment
  | 'RELATIONSHIP_NOT_ALLOWED' // a later policy version no longer allows the binding's relationship
  | 'DECLINED' // the patient declined family funds
  | 'REMAINDER'; // cash: what no account covered

export type Source = 'FUND' | 'OWN_ACCOUNT' | 'MUTUAL_AID' | 'CASH';

export interface Bill {
  purpose: Purpose;
  inScopeFen: number;
  outOfScopeFen: number;
  useMutualAid: boolean;
}

export interface FundUse {
  deductibleUsedFen: number;
  fundPaidFen: number;
}

export interface PayerState {
  bindingId: string;
  relationship?: Relationship;
  authorizerId: string;
  authorizerRegion: string;
  authorizerActive: boolean;
  /** False when the binding is no longer ACTIVE at the instant of payment (it was when planned). */
  bindingActive: boolean;
  balanceFen: number;
  /** The authorizer's region policy in force at the instant of the plan or payment. */
  policy: MutualAidPolicy;
}

export interface WaterfallInput {
  bill: Bill;
  patientId: string;
  patientRegion: string;
  /** null when the patient has no personal account. */
  patientBalanceFen: number | null;
  patientPolicy: MutualAidPolicy;
  poolingRule: PoolingRule | undefined;
  fundUse: FundUse;
  payers: PayerState[];
}

export interface PlanStep {
  source: Source;
  amountFen: number;
  limitedBy: Limit;
  /** The paying person (OWN_ACCOUNT, MUTUAL_AID). */
  accountId?: string;
  bindingId?: string;
  relationship?: Relationship;
  /** Region and policy version whose rules limited the step (MUTUAL_AID and OWN_ACCOUNT). */
  region?: string;
  policyVersion?: number;
  /** The floor the step may not take the account below. */
  floorFen?: number;
  /** Figures the limit refers to, for explanations: balance, floor, cap, deductible… */
  figures: Record<string, number>;
  /** Why the step paid this much and not more, in Chinese and English (see explain.ts). */
  note?: string;
}

/** The account a paying step (OWN_ACCOUNT, MUTUAL_AID) is paid from: the waterfall names it on every step it lets pay. */
export function payingAccountOf(step: PlanStep): string {
  return must(step.accountId, `a paying ${step.source} step names its account`);
}

/** The binding a paying MUTUAL_AID step pays through: the waterfall names it on every such step. */
export function bindingOf(step: PlanStep): string {
  return must(step.bindingId, 'a paying MUTUAL_AID step names its binding');
}

export interface Plan {
  totalFen: number;
  fundFen: number;
  deductibleAppliedFen: number;
  steps: PlanStep[];
}

export interface FundShare {
  fundFen: number;
  deductibleAppliedFen: number;
  limitedBy: Limit;
  figures: Record<string, number>;
}

/** fundPaid = min(cap − paid this year, floor((inScope − deductible not yet used) × rate / 100)), in fen. */
export function fundShare(inScopeFen: number, rule: PoolingRule | undefined, use: FundUse): FundShare {
  if (!rule || rule.ratePercent === 0) return { fundFen: 0, deductibleAppliedFen: 0, limitedBy: 'NO_FUND_RULE', figures: {} };
  const deductibleLeft = Math.max(0, rule.annualDeductibleFen - use.deductibleUsedFen);
  const deductibleAppliedFen = Math.min(inScopeFen, deductibleLeft);
  const byRate = Math.floor(((inScopeFen - deductibleAppliedFen) * rule.ratePercent) / 100);
  const capLeft = Math.max(0, rule.annualCapFen - use.fundPaidFen);
  const fundFen = Math.min(byRate, capLeft);
  return {
    fundFen,
    deductibleAppliedFen,
    limitedBy: byRate > capLeft ? 'FUND_CAP' : 'FUND_RATE',
    figures: {
      ratePercent: rule.ratePercent,
      deductibleAppliedFen,
      deductibleLeftFen: deductibleLeft,
      annualCapFen: rule.annualCapFen,
      capLeftFen: capLeft,
    },
  };
}

/** Why a binding may not pay, and whose policy (region and version) says so. */
export interface PayerRefusal {
  limitedBy: Limit;
  region: string;
  policyVersion: number;
}

/**
 * Whether a binding may pay for the patient's purpose at one instant (the policies given are those in
 * force then): the binding and its authorizer ACTIVE, the relationship allowed by the authorizer's
 * region, the purpose allowed by both regions (a relative's money pays only what both allow), and
 * across provinces only where both regions allow cross-province aid. The plan asks it, and the saga
 * asks it again at the instant the money moves: one rule, never two copies.
 */
export function payerRefusal(
  payer: PayerState,
  patientRegion: string,
  patientPolicy: MutualAidPolicy,
  purpose: Purpose,
): PayerRefusal | null {
  const byAuthorizer = (limitedBy: Limit): PayerRefusal => ({
    limitedBy,
    region: payer.authorizerRegion,
    policyVersion: payer.policy.version,
  });
  const byPatient = (limitedBy: Limit): PayerRefusal => ({ limitedBy, region: patientRegion, policyVersion: patientPolicy.version });
  if (!payer.bindingActive) return byAuthorizer('BINDING_NOT_ACTIVE');
  if (!payer.authorizerActive) return byAuthorizer('AUTHORIZER_NOT_ACTIVE');
  if (payer.relationship && !payer.policy.allowedRelationships.includes(payer.relationship))
    return byAuthorizer('RELATIONSHIP_NOT_ALLOWED');
  if (!payer.policy.allowedPurposes.includes(purpose)) return byAuthorizer('PURPOSE_NOT_ALLOWED');
  if (!patientPolicy.allowedPurposes.includes(purpose)) return byPatient('PURPOSE_NOT_ALLOWED');
  if (provinceOfRegion(payer.authorizerRegion) !== provinceOfRegion(patientRegion)) {
    if (!payer.policy.crossProvince) return byAuthorizer('CROSS_PROVINCE_NOT_ALLOWED');
    if (!patientPolicy.crossProvince) return byPatient('CROSS_PROVINCE_NOT_ALLOWED');
  }
  return null;
}

/**
 * What a binding could pay for the patient's purpose at one instant: nothing where payerRefusal
 * refuses it, otherwise its authorizer's balance above his region's floor. The waterfall takes from
 * this (a bill may need less); Person.mutualAidSources shows it as it is: one rule for both.
 */
export function payerAvailability(
  payer: PayerState,
  patientRegion: string,
  patientPolicy: MutualAidPolicy,
  purpose: Purpose,
): { refusal: PayerRefusal | null; availableFen: number } {
  const refusal = payerRefusal(payer, patientRegion, patientPolicy, purpose);
  return { refusal, availableFen: refusal ? 0 : aboveFloorFen(payer.balanceFen, payer.policy.retainedFloorFen) };
}

interface Remaining {
  inScopeFen: number;
  outOfScopeFen: number;
}

/** Takes from one account what it may: out-of-catalogue first where covered, then in-catalogue. */
function take(remaining: Remaining, availableFen: number, coversOutOfScope: boolean): { amountFen: number; limitedBy: Limit } {
  const outPart = coversOutOfScope ? Math.min(availableFen, remaining.outOfScopeFen) : 0;
  const inPart = Math.min(availableFen - outPart, remaining.inScopeFen);
  remaining.outOfScopeFen -= outPart;
  remaining.inScopeFen -= inPart;
  const amountFen = outPart + inPart;
  if (remaining.inScopeFen + remaining.outOfScopeFen === 0) return { amountFen, limitedBy: 'PAID_IN_FULL' };
  return { amountFen, limitedBy: amountFen < availableFen ? 'OUT_OF_SCOPE_NOT_COVERED' : 'BALANCE' };
}

export function planSettlement(input: WaterfallInput): Plan {
  const { bill } = input;
  const totalFen = bill.inScopeFen + bill.outOfScopeFen;
  const fund = fundShare(bill.inScopeFen, input.poolingRule, input.fundUse);
  const steps: PlanStep[] = [{ source: 'FUND', amountFen: fund.fundFen, limitedBy: fund.limitedBy, figures: fund.figures }];
  const remaining: Remaining = { inScopeFen: bill.inScopeFen - fund.fundFen, outOfScopeFen: bill.outOfScopeFen };
  const left = () => remaining.inScopeFen + remaining.outOfScopeFen;

  if (input.patientBalanceFen === null) {
    steps.push({ source: 'OWN_ACCOUNT', amountFen: 0, limitedBy: 'NO_ACCOUNT', accountId: input.patientId, figures: {} });
  } else {
    const own = take(remaining, input.patientBalanceFen, input.patientPolicy.coversOutOfScope);
    steps.push({
      source: 'OWN_ACCOUNT',
      amountFen: own.amountFen,
      limitedBy: own.limitedBy,
      accountId: input.patientId,
      region: input.patientRegion,
      policyVersion: input.patientPolicy.version,
      floorFen: 0,
      figures: { balanceFen: input.patientBalanceFen },
    });
  }

  // Declining family funds is one step of its own: the receipt says so whatever bindings exist.
  if (!bill.useMutualAid) steps.push({ source: 'MUTUAL_AID', amountFen: 0, limitedBy: 'DECLINED', figures: {} });
  for (const payer of bill.useMutualAid ? input.payers : []) {
    const base = {
      source: 'MUTUAL_AID' as const,
      accountId: payer.authorizerId,
      bindingId: payer.bindingId,
      relationship: payer.relationship,
      region: payer.authorizerRegion,
      policyVersion: payer.policy.version,
      floorFen: payer.policy.retainedFloorFen,
    };
    const figures = { balanceFen: payer.balanceFen, floorFen: payer.policy.retainedFloorFen };
    if (left() === 0) {
      steps.push({ ...base, amountFen: 0, limitedBy: 'PAID_IN_FULL', figures });
      continue;
    }
    const { refusal, availableFen } = payerAvailability(payer, input.patientRegion, input.patientPolicy, bill.purpose);
    if (refusal) {
      steps.push({
        ...base,
        region: refusal.region,
        policyVersion: refusal.policyVersion,
        amountFen: 0,
        limitedBy: refusal.limitedBy,
        figures,
      });
    } else {
      const paid = take(remaining, availableFen, payer.policy.coversOutOfScope);
      // Where the region keeps no floor, what stopped the account is its balance, not a floor of 0.
      const stoppedByFloor = paid.limitedBy === 'BALANCE' && payer.policy.retainedFloorFen > 0;
      steps.push({ ...base, amountFen: paid.amountFen, limitedBy: stoppedByFloor ? 'FLOOR' : paid.limitedBy, figures });
    }
  }

  steps.push({ source: 'CASH', amountFen: left(), limitedBy: 'REMAINDER', figures: {} });
  return { totalFen, fundFen: fund.fundFen, deductibleAppliedFen: fund.deductibleAppliedFen, steps };
}

/** What the steps of a plan (or the payments of a settlement) from one source add up to. */
export function paidBy(items: ReadonlyArray<{ source: Source; amountFen: number }>, source: Source): number {
  return sumFen(items.filter((item) => item.source === source));
}
