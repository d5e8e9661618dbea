import { ROLES, type Role } from '../subgraphs/shared/identity';
import { OWN_CLAIM_NAMES, type ClaimNames } from './tokenSettings';

/** Our claims as read from a token, before the per-role rules check them. */
export type MappedClaims = { [Name in keyof ClaimNames]?: string };

/**
 * The claim at `path`: a claim of that exact name (providers such as Auth0 name claims with URLs,
 * dots included), else the dotted path into nested claims (Keycloak's `realm_access.roles`). Own
 * properties only, so `constructor` or `__proto__` never reads anything.
 */
export function claimAt(payload: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let node: unknown = payload;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Our claims from a token whose claims are named by `names`, or why they cannot be read (DESIGN.md,
 * second round: the claims that say who the caller is are strings, never objects, lists or numbers).
 * The one exception is a provider's role list when the role is read from a claim other than our own
 * `role` (e.g. `realm_access.roles`): the role is then its first entry that is one of ours, and every
 * entry must be a string.
 */
export function mapClaims(payload: Record<string, unknown>, names: ClaimNames): { claims: MappedClaims } | { broken: string } {
  if (Object.hasOwn(payload, 'sub') && typeof payload.sub !== 'string') return { broken: 'claim sub must be a string' };
  const claims: MappedClaims = {};
  for (const name of Object.keys(names) as Array<keyof ClaimNames>) {
    const path = names[name];
    const value = claimAt(payload, path);
    if (value === undefined) continue;
    if (name === 'role' && Array.isArray(value) && path !== OWN_CLAIM_NAMES.role) {
      if (!value.every((entry) => typeof entry === 'string')) return { broken: `claim ${path} must be a list of strings` };
      const role = value.find((entry): entry is Role => (ROLES as readonly string[]).includes(entry));
      if (role === undefined) return { broken: `claim ${path} names none of the roles ${ROLES.join(', ')}` };
      claims.role = role;
    } else if (typeof value !== 'string') {
      return { broken: `claim ${path} must be a string` };
    } else {
      claims[name] = value;
    }
  }
  return { claims };
}
