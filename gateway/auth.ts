import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { HttpError } from '../subgraphs/shared/server/http';
import { GatewayError } from './errors';
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

/** DESIGN.md, second round: a token may be issued at most this far ahead of the gateway's clock (clock skew between issuers). */
export const MAX_ISSUED_AHEAD_S = 60;
/** The claims that say who the caller is: where present, each must be a string, never an object, list or number. */
const IDENTITY_CLAIMS = ['sub', 'role', 'personId', 'institutionId', 'region', 'partnerCode'] as const;

export interface TokenRules {
  secret: string;
  /** exp − iat may not exceed this (TOKEN_MAX_LIFETIME_HOURS), so a leaked token is useful for a bounded time. */
  maxLifetimeHours: number;
}

/**
 * Which of DESIGN.md's token rules a signature-checked payload breaks, or null. jose has already
 * checked that `exp` and `iat` are numbers and that `exp` is not past.
 */
export function brokenTokenRule(payload: Record<string, unknown>, maxLifetimeHours: number, nowS: number): string | null {
  const notString = IDENTITY_CLAIMS.find((claim) => claim in payload && typeof payload[claim] !== 'string');
  if (notString) return `claim ${notString} must be a string`;
  const iat = payload.iat as number;
  const exp = payload.exp as number;
  if (iat > nowS + MAX_ISSUED_AHEAD_S) return `iat lies more than ${MAX_ISSUED_AHEAD_S} s in the future`;
  if (exp - iat > maxLifetimeHours * 3600) return `lifetime exp - iat exceeds ${maxLifetimeHours} h`;
  return null;
}

function unauthenticated(why: string): HttpError {
  return new HttpError(GatewayError.invalidToken(why));
}

/** The caller's identity from an Authorization header; no header is an anonymous caller. */
export async function authenticate(
  authorization: string | undefined,
  rules: TokenRules,
  requestId: string,
  now = new Date(),
): Promise<Identity> {
  if (authorization === undefined || authorization === '') return { role: null, requestId };
  const match = /^Bearer ([A-Za-z0-9_.-]{1,4096})$/.exec(authorization);
  if (!match) throw unauthenticated('expected "Authorization: Bearer <JWT>"');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(match[1], new TextEncoder().encode(rules.secret), {
      algorithms: ALGORITHMS,
      requiredClaims: ['exp', 'iat', 'sub'],
      currentDate: now,
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated('expired');
    if (error instanceof joseErrors.JWTClaimValidationFailed)
      throw unauthenticated(`claim ${error.claim} ${error.reason === 'missing' ? 'is required' : 'is invalid'}`);
    throw unauthenticated('signature, algorithm or claims rejected');
  }
  const broken = brokenTokenRule(payload, rules.maxLifetimeHours, Math.floor(now.getTime() / 1000));
  if (broken) throw unauthenticated(broken);
  const claims = ClaimsSchema.safeParse(payload);
  if (!claims.success) {
    const issue = claims.error.issues[0];
    throw unauthenticated(`claim ${issue.path.join('.') || 'role'}: ${issue.message}`);
  }
  return { ...claims.data, sub: payload.sub as string, requestId };
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
