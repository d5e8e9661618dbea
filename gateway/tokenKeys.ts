import { readFileSync } from 'node:fs';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  experimental_jwksCache,
  type ExportedJWKSCache,
  type JSONWebKeySet,
  type JWKSCacheInput,
  type JWTVerifyGetKey,
} from 'jose';
import { ConfigError } from '../subgraphs/shared/env';
import { SECRET_ALGORITHM, type ProviderKeys, type TokenSettings } from './tokenSettings';

/** The keys that verify caller tokens. */
export interface TokenKeys {
  /** jose's key lookup: JWT_SECRET for HS256, else the provider's key named by the token's `kid`. */
  key: JWTVerifyGetKey;
  /**
   * The key set in force, as a value that changes whenever the set's content does. A remote set past
   * its max age is fetched again first: once per JWT_JWKS_CACHE_MAX_AGE_SECONDS, not per request.
   */
  version(): string | Promise<string>;
}

/**
 * The provider's key set was due to be fetched (its max age passed, or a token names a kid it does not
 * hold) and could not be: unreachable, slow, not 200, not a key set. Not the caller's fault.
 */
export class KeySetUnavailable extends Error {
  constructor(cause: unknown) {
    super("the identity provider's key set cannot be read", { cause });
  }
}

export function tokenKeys(settings: TokenSettings): TokenKeys {
  const secret = new TextEncoder().encode(settings.secret);
  const provider = settings.provider && providerKeys(settings.provider);
  return {
    key: (header, token) => (header.alg === SECRET_ALGORITHM || !provider ? secret : provider.key(header, token)),
    version: provider ? provider.version : () => '',
  };
}

function providerKeys(source: ProviderKeys): TokenKeys {
  if ('file' in source) {
    let jwks: JSONWebKeySet;
    try {
      jwks = JSON.parse(readFileSync(source.file, 'utf8')) as JSONWebKeySet;
      const key = createLocalJWKSet(jwks);
      return { key, version: () => '' };
    } catch (error) {
      throw new ConfigError(`JWT_JWKS_FILE: not a readable JSON Web Key Set (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  // jose writes each fetched set into this object (a new `jwks` object per fetch), which tells when the set may have changed.
  const cache: JWKSCacheInput = {};
  const remote = createRemoteJWKSet(source.url, {
    cacheMaxAge: source.cacheMaxAgeMs,
    cooldownDuration: source.cooldownMs,
    timeoutDuration: source.timeoutMs,
    [experimental_jwksCache]: cache,
  });
  let seen: { jwks: unknown; version: string } | undefined;
  const current = (): string => {
    const { jwks } = cache as Partial<ExportedJWKSCache>;
    // Serialised once per fetch, so an unchanged set refetched keeps its version.
    if (seen === undefined || seen.jwks !== jwks) seen = { jwks, version: JSON.stringify(jwks ?? null) };
    return seen.version;
  };
  const unavailable = (error: unknown): never => {
    throw new KeySetUnavailable(error);
  };
  return {
    key: (header, token) =>
      remote(header, token).catch((error: unknown) => {
        // No key for the token's kid is the token's fault; anything else comes from fetching the set.
        if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) throw error;
        return unavailable(error);
      }),
    version: () => (remote.fresh ? current() : remote.reload().then(current, unavailable)),
  };
}
