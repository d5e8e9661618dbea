import { adminCovers } from '../../shared/auth';
import type { Identity } from '../../shared/identity';
import type { PersonRecord } from './service';

/**
 * How much of a person a caller may see:
 * FULL      — every field: an ADMIN of the person's region, the person himself (INSURED), or the
 *             counter presenting his own credential (TERMINAL);
 * RELATIVE  — name and masked id only: a person reached through a record the caller may read (a
 *             binding, a ledger entry, a premium payment), seen by a role that works with people;
 * NONE      — nothing beyond the id: analysts and anonymous callers never get person-level data.
 */
export type PersonView = 'FULL' | 'RELATIVE' | 'NONE';

/** A person as the resolvers carry him: with how much of him this caller may see. */
export type PersonParent = PersonRecord & { view: PersonView };

export function directView(identity: Identity, person: { id: string; regionCode: string }): PersonView {
  if (adminCovers(identity, person.regionCode)) return 'FULL';
  if (identity.role === 'INSURED' && identity.personId === person.id) return 'FULL';
  if (identity.role === 'TERMINAL' && identity.credentialHolderId === person.id) return 'FULL';
  return 'NONE';
}

const REFERENCE_ROLES: ReadonlySet<Identity['role']> = new Set(['INSURED', 'TERMINAL', 'ADMIN', 'PARTNER']);

export function referenceView(identity: Identity, person: { id: string; regionCode: string }): PersonView {
  const direct = directView(identity, person);
  if (direct === 'FULL') return direct;
  return REFERENCE_ROLES.has(identity.role) ? 'RELATIVE' : 'NONE';
}
