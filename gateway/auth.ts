import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { HttpError } from '../subgraphs/shared/http';
import { ROLES, type Identity } from '../subgraphs/shared/identity';
import { isRegionCode, regionOfId } from '../subgraphs/shared/ids';

/**
 * Callers authenticate with an HS256 JWT (JWT_SECRET). The claims each role needs are required
 * here, so nothing downstream meets an INSURED token without a personId or a TERMINAL without an
 * institution.
 */
const institutionId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (1 to 64)');

const ClaimsSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('INSURED'), personId: z.string().refine((id) => regionOfId(id) !== null, 'must be a person id') }),
  z.object({ role: z.literal('TERMINAL'), institutionId }),
  z.object({ role: z.literal('ANALYST') }),
  z.object({ role: z.literal('PARTNER'), partnerCode: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ and - only') }),
  z.object({ role: z.literal('ADMIN'), region: z.string().refine(isRegionCode, 'must be a 6-digit region code').optional() }),
]);

export type Claims = z.infer<typeof ClaimsSchema> & { sub: string };

const ALGORITHMS = ['HS256'];

function unauthenticated(why: string): HttpError {
  return new HttpError(401, 'UNAUTHENTICATED', `身份令牌无效：${why} / Invalid token: ${why}`);
}

/** The caller's identity from an Authorization header; no header is an anonymous caller. */
export async function authenticate(authorization: string | undefined, secret: string, requestId: string): Promise<Identity> {
  if (authorization === undefined || authorization === '') return { role: null, requestId };
  const match = /^Bearer ([A-Za-z0-9_.-]{1,4096})$/.exec(authorization);
  if (!match) throw unauthenticated('expected "Authorization: Bearer <JWT>"');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(match[1], new TextEncoder().encode(secret), { algorithms: ALGORITHMS, requiredClaims: ['exp', 'sub'] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated('expired');
    throw unauthenticated('signature, algorithm or claims rejected');
  }
  const claims = ClaimsSchema.safeParse(payload);
  if (!claims.success) {
    const issue = claims.error.issues[0];
    throw unauthenticated(`claim ${issue.path.join('.') || 'role'}: ${issue.message}`);
  }
  return { ...claims.data, sub: String(payload.sub), requestId };
}

export async function issueToken(claims: Claims, secret: string, lifetimeSeconds: number): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(`${lifetimeSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

export { ROLES };
