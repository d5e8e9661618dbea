import { fail } from './errors';
import type { Identity, Role } from './identity';

/**
 * Role checks shared by the subgraphs (DESIGN.md, Callers). A protected field asked without a
 * token is UNAUTHENTICATED; a role that may not use it is FORBIDDEN.
 */
export function requireRole(identity: Identity, ...roles: Role[]): void {
  if (identity.role === null) fail('UNAUTHENTICATED', '请先登录', 'Sign in first: this field needs a token');
  if (!roles.includes(identity.role)) fail('FORBIDDEN', '当前身份无权执行此操作', `The ${identity.role} role may not use this field`);
}

/** An ADMIN without a region claim covers every region. */
export function adminCovers(identity: Identity, regionCode: string): boolean {
  return identity.role === 'ADMIN' && (identity.region === undefined || identity.region === regionCode);
}

export function requireAdminOf(identity: Identity, regionCode: string): void {
  requireRole(identity, 'ADMIN');
  if (!adminCovers(identity, regionCode))
    fail('FORBIDDEN', `管理员只能管理本统筹区（${identity.region}）`, `This ADMIN is limited to region ${identity.region}`);
}
