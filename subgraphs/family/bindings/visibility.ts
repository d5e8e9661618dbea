import { adminCovers } from '../../shared/auth';
import type { Identity } from '../../shared/identity';
import { regionOfId } from '../../shared/ids';

/**
 * Who sees a binding: its two parties (INSURED) and an ADMIN of either party's region. Analysts,
 * partners and other insured persons see nothing of it.
 */
export function canSeeBinding(identity: Identity, binding: { authorizerId: string; beneficiaryId: string }): boolean {
  if (identity.role === 'INSURED') return identity.personId === binding.authorizerId || identity.personId === binding.beneficiaryId;
  return [binding.authorizerId, binding.beneficiaryId].some((id) => adminCovers(identity, regionOfId(id) ?? ''));
}

/** Who sees a person's list of bindings: the person himself and an ADMIN of his region. */
export function canSeeBindingsOf(identity: Identity, personId: string): boolean {
  if (identity.role === 'INSURED') return identity.personId === personId;
  return adminCovers(identity, regionOfId(personId) ?? '');
}

/**
 * A binding reached through a record the caller may read (a settlement's mutual-aid payment): the
 * counter and any ADMIN see its relationship and status too; its history stays ADMIN-only.
 */
export function canSeeBindingThroughRecord(identity: Identity, binding: { authorizerId: string; beneficiaryId: string }): boolean {
  return identity.role === 'TERMINAL' || identity.role === 'ADMIN' || canSeeBinding(identity, binding);
}

/** The audit trail of a binding is for ADMIN of either party's region only. */
export function canSeeHistory(identity: Identity, binding: { authorizerId: string; beneficiaryId: string }): boolean {
  return identity.role === 'ADMIN' && canSeeBinding(identity, binding);
}
