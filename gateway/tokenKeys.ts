import { readFileSync } from 'node:fs';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
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
  return {
    key: remote,
    version: () => (remote.fresh ? current() : remote.reload().then(current)),
  };
}
