import { decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT, type KeyLike } from 'jose';
import { z } from 'zod';
import { HttpError } from '../subgraphs/shared/server/http';
import { GatewayError } from './errors';
import { ROLES, type Identity } from '../subgraphs/shared/identity';
import { isRegionCode, regionOfId } from '../subgraphs/shared/ids';
import { mapClaims, type MappedClaims } from './claimMapping';
import { KeySetUnavailable, type TokenKeys } from './tokenKeys';
import { OWN_CLAIM_NAMES, SECRET_ALGORITHM, type ClaimNames, type TokenSettings } from './tokenSettings';

/**
 * Callers authenticate with a JWT: signed by the bureau's identity provider (its JWKS), or HS256 with
 * JWT_SECRET in development and tests (gateway/tokenSettings.ts). The claims each role needs are
 * required here, so nothing downstream meets an INSURED token without a personId or a TERMINAL
 * without an institution.
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

/** DESIGN.md, second round: a token may be issued at most this far ahead of the gateway's clock (clock skew between issuers). */
export const MAX_ISSUED_AHEAD_S = 60;

export type TokenRules = Pick<TokenSettings, 'algorithms' | 'issuer' | 'audience' | 'claims' | 'maxLifetimeHours'>;

/**
 * Our claims from a signature-checked payload, or which of DESIGN.md's token rules it breaks. jose has
 * already checked that `exp` and `iat` are numbers and that `exp` is not past.
 */
export function checkTokenRules(
  payload: Record<string, unknown>,
  maxLifetimeHours: number,
  nowS: number,
  names: ClaimNames = OWN_CLAIM_NAMES,
): { claims: MappedClaims } | { broken: string } {
  const mapped = mapClaims(payload, names);
  if ('broken' in mapped) return mapped;
  const iat = payload.iat as number;
  const exp = payload.exp as number;
  if (iat > nowS + MAX_ISSUED_AHEAD_S) return { broken: `iat lies more than ${MAX_ISSUED_AHEAD_S} s in the future` };
  if (exp - iat > maxLifetimeHours * 3600) return { broken: `lifetime exp - iat exceeds ${maxLifetimeHours} h` };
  return mapped;
}

function unauthenticated(why: string): HttpError {
  return new HttpError(GatewayError.invalidToken(why));
}

/** Claims of a token that passed every check, when it expires (seconds since the epoch), and the key set that verified it. */
interface VerifiedToken {
  claims: Omit<Identity, 'requestId'>;
  expS: number;
  keysVersion: string;
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
 * verified in full the first time it is seen; afterwards only its expiry and the key set can change
 * its verdict (its signature, claims and lifetime cannot, and `iat` only moves further into the past),
 * so that is all that is checked again: a token remembered under a key set that has since changed is
 * verified in full again, so a key the provider removed stops its tokens at once.
 */
export class Authenticator {
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    private readonly rules: TokenRules,
    private readonly keys: TokenKeys,
  ) {}

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
      if (known.keysVersion === (await keysVersion(this.keys))) return { ...known.claims, requestId };
      this.verified.delete(token);
    }
    const keysBefore = await keysVersion(this.keys);
    const verified = await verifyToken(token, this.rules, this.keys, now);
    // Remembered only when no other key set arrived while this one was checked, so the version names the set that verified it.
    if (keysBefore !== (await keysVersion(this.keys))) return { ...verified.claims, requestId };
    if (this.verified.size >= VERIFIED_TOKENS_MAX) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { ...verified, keysVersion: keysBefore });
    return { ...verified.claims, requestId };
  }
}

/** Why jose refused a token, in words a caller can act on; never the token, and only a sanitised `alg`. */
function refusal(error: unknown, token: string): string {
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `claim ${error.claim} is required`;
    if (error.claim === 'iss') return 'claim iss is not the accepted issuer';
    if (error.claim === 'aud') return 'claim aud does not name this API';
    return `claim ${error.claim} is invalid`;
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return `algorithm ${headerAlgorithm(token)} is not allowed`;
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no key of the identity provider matches the token (kid)';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature rejected';
  return 'signature, algorithm or claims rejected';
}

/** The token's `alg` as a caller may be shown it: only letters and digits, or "(unreadable)". */
function headerAlgorithm(token: string): string {
  try {
    const { alg } = decodeProtectedHeader(token);
    if (typeof alg === 'string' && /^[A-Za-z0-9]{1,16}$/.test(alg)) return alg;
  } catch {
    // A header jose could not decode names no algorithm.
  }
  return '(unreadable)';
}

/** The key set's version, or SERVICE_UNAVAILABLE when it is due to be fetched and cannot be. */
async function keysVersion(keys: TokenKeys): Promise<string> {
  try {
    return await keys.version();
  } catch (error) {
    if (error instanceof KeySetUnavailable) throw new HttpError(GatewayError.identityProviderUnavailable);
    throw error;
  }
}

async function verifyToken(token: string, rules: TokenRules, keys: TokenKeys, now: Date): Promise<Omit<VerifiedToken, 'keysVersion'>> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keys.key, {
      algorithms: rules.algorithms,
      issuer: rules.issuer,
      audience: rules.audience,
      requiredClaims: ['exp', 'iat', 'sub'],
      currentDate: now,
    }));
  } catch (error) {
    if (error instanceof KeySetUnavailable) throw new HttpError(GatewayError.identityProviderUnavailable);
    throw unauthenticated(refusal(error, token));
  }
  const checked = checkTokenRules(payload, rules.maxLifetimeHours, Math.floor(now.getTime() / 1000), rules.claims);
  if ('broken' in checked) throw unauthenticated(checked.broken);
  const claims = ClaimsSchema.safeParse(checked.claims);
  if (!claims.success) {
    const issue = claims.error.issues[0];
    // Named as the token names it (e.g. realm_access.roles), so the provider's administrator knows what to fix.
    const name = (issue.path[0] ?? 'role') as keyof ClaimNames;
    throw unauthenticated(`claim ${rules.claims[name] ?? String(name)}: ${issue.message}`);
  }
  return { claims: { ...claims.data, sub: payload.sub as string }, expS: payload.exp as number };
}

/** A token in our own format: HS256 with the secret (development, tests), or signed with a private key of the provider's set (`npm run token -- --key`). */
export async function issueToken(
  claims: Claims,
  signer: string | { key: KeyLike; alg: string; kid: string; issuer?: string; audience?: string },
  lifetimeSeconds: number,
): Promise<string> {
  const { sub, ...rest } = claims;
  const jwt = new SignJWT(rest).setSubject(sub).setIssuedAt().setExpirationTime(`${lifetimeSeconds}s`);
  if (typeof signer === 'string')
    return jwt.setProtectedHeader({ alg: SECRET_ALGORITHM, typ: 'JWT' }).sign(new TextEncoder().encode(signer));
  if (signer.issuer) jwt.setIssuer(signer.issuer);
  if (signer.audience) jwt.setAudience(signer.audience);
  return jwt.setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT' }).sign(signer.key);
}

export { ROLES };
