import { chinaYear } from '../../shared/chinaTime';
import type { EnrollmentStatus, Purpose, Scheme } from '../../shared/policy/vocabulary';
import type { PayerRuleCode } from '../errors';

/**
 * The premium rules that payPremium and productEligibility share (one rule in one place), as pure
 * functions answering a stable reason code or null. payPremium turns a reason into its coded error;
 * productEligibility answers the reason itself, and nothing else about the person.
 */
export type BeneficiaryRefusal = 'NOT_INSURED' | 'SUSPENDED' | 'SCHEME_NOT_ALLOWED';
/** A paying account's refusal: outside the product's regions, or the waterfall's rule for a relative's account. */
export type PayerRefusalCode = 'REGION_NOT_ALLOWED' | PayerRuleCode;
export type EligibilityReason = BeneficiaryRefusal | PayerRefusalCode | 'ALREADY_PAID' | 'NO_PERSONAL_ACCOUNT';

/**
 * A premium is paid only for a person who is insured now; the resident premium (居民医保个人缴费) only
 * for one of the RESIDENT scheme: an employee's insurance is paid by payroll, not from an account.
 */
export function beneficiaryRefusal(purpose: Purpose, beneficiary: { status: EnrollmentStatus; scheme: Scheme }): BeneficiaryRefusal | null {
  if (beneficiary.status === 'TERMINATED') return 'NOT_INSURED';
  if (beneficiary.status === 'SUSPENDED') return 'SUSPENDED';
  if (purpose === 'RESIDENT_PREMIUM' && beneficiary.scheme !== 'RESIDENT') return 'SCHEME_NOT_ALLOWED';
  return null;
}

/** A partner's product is paid only from personal accounts of its regions (InsuranceProduct.regionCodes). */
export function productRefusal(product: { regionCodes: readonly string[] } | null, payerRegion: string): 'REGION_NOT_ALLOWED' | null {
  return product && !product.regionCodes.includes(payerRegion) ? 'REGION_NOT_ALLOWED' : null;
}

/** The year one premium per beneficiary and product is counted in: the product's own, else the CST year it is paid in. */
export function premiumYear(product: { year: number } | null, at: Date): number {
  return product?.year ?? chinaYear(at);
}

/**
 * productEligibility's answer from what the rules above say: the beneficiary first, then whether this
 * year is paid, then the accounts that could pay in order (his own first, then each bound relative's,
 * each with its first refusal or null). Eligible when any account may pay; otherwise the first
 * account's reason, or NO_PERSONAL_ACCOUNT when there is none. Balances are not considered: the
 * answer would tell a partner how much money the person has.
 */
export function eligibilityReason(facts: {
  beneficiary: BeneficiaryRefusal | null;
  alreadyPaid: boolean;
  payers: ReadonlyArray<PayerRefusalCode | null>;
}): EligibilityReason | null {
  if (facts.beneficiary) return facts.beneficiary;
  if (facts.alreadyPaid) return 'ALREADY_PAID';
  if (facts.payers.length === 0) return 'NO_PERSONAL_ACCOUNT';
  if (facts.payers.some((refusal) => refusal === null)) return null;
  return facts.payers[0];
}
