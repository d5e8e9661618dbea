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

/** Claims of a token that passed every check, and when it expires (seconds since the epoch). */
interface VerifiedToken {
  claims: Omit<Identity, 'requestId'>;
  expS: number;
}

/**
 * How many verified tokens are remembered. A counter or an app sends the same token with every request
 * until it expires; checking its signature and claims each time was the largest single cost of the
 * gateway after the subgraph call (issue 14). Bounded, oldest first out, so a flood of distinct
 * tokens costs memory no more than this.
 */
const VERIFIED_TOKENS_MAX = 10_000;

/**
 * The caller's identity from an Authorization header; no header is an anonymous caller. A token is
 * verified in full the first time it is seen; afterwards only its expiry can change its verdict
 * (its signature, claims and lifetime cannot, and `iat` only moves further into the past), so that
 * is all that is checked again.
 */
export class Authenticator {
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(private readonly rules: TokenRules) {}

  async authenticate(authorization: string | undefined, requestId: string, now = new Date()): Promise<Identity> {
    if (authorization === undefined || authorization === '') return { role: null, requestId };
    const match = /^Bearer ([A-Za-z0-9_.-]{1,4096})$/.exec(authorization);
    if (!match) throw unauthenticated('expected "Authorization: Bearer <JWT>"');
    const token = match[1];
    const known = this.verified.get(token);
    if (known) {
      // jose's rule: a token whose exp is now or past is expired.
      if (known.expS <= Math.floor(now.getTime() / 1000)) {
        this.verified.delete(token);
        throw unauthenticated('expired');
      }
      return { ...known.claims, requestId };
    }
    const verified = await verifyToken(token, this.rules, now);
    if (this.verified.size >= VERIFIED_TOKENS_MAX) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, verified);
    return { ...verified.claims, requestId };
  }
}

async function verifyToken(token: string, rules: TokenRules, now: Date): Promise<VerifiedToken> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(rules.secret), {
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
  return { claims: { ...claims.data, sub: payload.sub as string }, expS: payload.exp as number };
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
