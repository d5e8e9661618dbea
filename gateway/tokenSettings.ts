import { ConfigError, type Env } from '../subgraphs/shared/env';

/** Algorithms of the identity provider's keys (JWKS) the gateway can verify. */
const PROVIDER_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** The shared-secret algorithm of development and test tokens (JWT_SECRET). */
export const SECRET_ALGORITHM = 'HS256';
const DEFAULT_PROVIDER_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];

/** Where a token carries each of our claims (a claim name or a dotted path); `role` by default, `realm_access.roles` for Keycloak. */
export interface ClaimNames {
  role: string;
  personId: string;
  institutionId: string;
  region: string;
  partnerCode: string;
}

/** Our own token format (`npm run token`, tests): every claim a string under its own name. */
export const OWN_CLAIM_NAMES: ClaimNames = {
  role: 'role',
  personId: 'personId',
  institutionId: 'institutionId',
  region: 'region',
  partnerCode: 'partnerCode',
};

export type ProviderKeys = { file: string } | { url: URL; cacheMaxAgeMs: number; cooldownMs: number; timeoutMs: number };

export interface TokenSettings {
  /** The identity provider's key set; absent = HS256 with `secret` only (development, tests). */
  provider?: ProviderKeys;
  secret: string;
  algorithms: string[];
  issuer?: string;
  audience?: string[];
  claims: ClaimNames;
  /** exp − iat may not exceed this (TOKEN_MAX_LIFETIME_HOURS), so a leaked token is useful for a bounded time. */
  maxLifetimeHours: number;
}

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/**
 * How the gateway verifies caller tokens, from the environment; a setting that cannot work stops
 * start-up naming it. Production verifies the identity provider's keys only: a shared secret that
 * mints any caller's token, an unnamed issuer or audience (a token the provider issued for another
 * application) or keys fetched over plain HTTP (anyone on the path could add his own) are refused.
 */
export function tokenSettings(env: Env): TokenSettings {
  if (env.JWT_JWKS_FILE && env.JWT_JWKS_URL) throw new ConfigError('JWT_JWKS_FILE and JWT_JWKS_URL: set one key source, not both');
  const provider: ProviderKeys | undefined = env.JWT_JWKS_FILE
    ? { file: env.JWT_JWKS_FILE }
    : env.JWT_JWKS_URL
      ? {
          url: new URL(env.JWT_JWKS_URL),
          cacheMaxAgeMs: env.JWT_JWKS_CACHE_MAX_AGE_SECONDS * 1000,
          cooldownMs: env.JWT_JWKS_COOLDOWN_SECONDS * 1000,
          timeoutMs: env.JWT_JWKS_TIMEOUT_MS,
        }
      : undefined;
  const algorithms = env.JWT_ALGORITHMS ? list(env.JWT_ALGORITHMS) : provider ? DEFAULT_PROVIDER_ALGORITHMS : [SECRET_ALGORITHM];
  const unknown = algorithms.find((algorithm) => algorithm !== SECRET_ALGORITHM && !PROVIDER_ALGORITHMS.includes(algorithm));
  if (unknown !== undefined || algorithms.length === 0)
    throw new ConfigError(`JWT_ALGORITHMS: each must be one of ${[...PROVIDER_ALGORITHMS, SECRET_ALGORITHM].join(', ')}`);
  if (!provider && algorithms.some((algorithm) => algorithm !== SECRET_ALGORITHM))
    throw new ConfigError("JWT_ALGORITHMS: public-key algorithms need the identity provider's keys (JWT_JWKS_FILE or JWT_JWKS_URL)");
  const audience = env.JWT_AUDIENCE === undefined ? undefined : list(env.JWT_AUDIENCE);
  if (audience?.length === 0) throw new ConfigError('JWT_AUDIENCE: name at least one audience, or leave it unset');
  if (env.NODE_ENV === 'production') {
    if (!provider)
      throw new ConfigError(
        "JWT_JWKS_URL or JWT_JWKS_FILE: production verifies tokens with the identity provider's keys; set one (HS256 with JWT_SECRET is for development and tests)",
      );
    if (algorithms.includes(SECRET_ALGORITHM))
      throw new ConfigError('JWT_ALGORITHMS: HS256 (the shared JWT_SECRET) is for development and tests, never production');
    if (!env.JWT_ISSUER || !env.JWT_AUDIENCE)
      throw new ConfigError(
        "JWT_ISSUER and JWT_AUDIENCE: production names the identity provider and this API, so no other issuer's or application's token passes",
      );
    if ('url' in provider && provider.url.protocol !== 'https:')
      throw new ConfigError("JWT_JWKS_URL: production fetches the identity provider's keys over https only");
  }
  return {
    provider,
    secret: env.JWT_SECRET,
    algorithms,
    issuer: env.JWT_ISSUER,
    audience,
    claims: {
      role: env.JWT_ROLE_CLAIM,
      personId: env.JWT_PERSON_ID_CLAIM,
      institutionId: env.JWT_INSTITUTION_ID_CLAIM,
      region: env.JWT_REGION_CLAIM,
      partnerCode: env.JWT_PARTNER_CODE_CLAIM,
    },
    maxLifetimeHours: env.TOKEN_MAX_LIFETIME_HOURS,
  };
}
