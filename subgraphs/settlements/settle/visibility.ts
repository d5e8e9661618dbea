import { adminCovers } from '../../shared/auth';
import type { Identity } from '../../shared/identity';
import { regionOfId } from '../../shared/ids';

/**
 * Who reads a settlement: the counter of its institution, the patient, an authorizer whose account
 * paid in it, and an ADMIN of the patient's region. Analysts and partners never do.
 */
export function canSeeSettlement(
  identity: Identity,
  settlement: { institutionId: string; patientId: string; payments: Array<{ accountId: string }> },
): boolean {
  switch (identity.role) {
    case 'TERMINAL':
      return identity.institutionId === settlement.institutionId;
    case 'INSURED':
      return identity.personId === settlement.patientId || settlement.payments.some((payment) => payment.accountId === identity.personId);
    case 'ADMIN':
      return adminCovers(identity, regionOfId(settlement.patientId) ?? '');
    default:
      return false;
  }
}

/** A patient's own records (his settlements, what his family can pay for him): the patient himself and an ADMIN of his region. */
export function isPatientOrHisAdmin(identity: Identity, patientId: string): boolean {
  if (identity.role === 'INSURED') return identity.personId === patientId;
  return adminCovers(identity, regionOfId(patientId) ?? '');
}

/**
 * A partner reads payments of the products it owns only: the product's one explicit owner, never a
 * prefix of its code (`HS` owns nothing of `HSHMB-2026`). An unregistered code has no owner. ADMIN reads any.
 */
export function canReadProduct(identity: Identity, product: { partnerCode: string } | null): boolean {
  if (identity.role === 'ADMIN') return true;
  return identity.role === 'PARTNER' && product !== null && product.partnerCode === identity.partnerCode;
}
