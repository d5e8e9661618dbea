import { fail, SharedError } from './errors';
import type { Identity, Role } from './identity';

/**
 * Role checks shared by the subgraphs (DESIGN.md, Callers). A protected field asked without a
 * token is UNAUTHENTICATED; a role that may not use it is FORBIDDEN.
 */
export function requireRole(identity: Identity, ...roles: Role[]): void {
  if (identity.role === null) fail(SharedError.signInFirst);
  if (!roles.includes(identity.role)) fail(SharedError.roleMayNot(identity.role));
}

/** An ADMIN without a region claim covers every region. */
export function adminCovers(identity: Identity, regionCode: string): boolean {
  return identity.role === 'ADMIN' && (identity.region === undefined || identity.region === regionCode);
}

export function requireAdminOf(identity: Identity, regionCode: string): void {
  requireRole(identity, 'ADMIN');
  if (!adminCovers(identity, regionCode)) fail(SharedError.adminLimitedTo(identity.region));
}
