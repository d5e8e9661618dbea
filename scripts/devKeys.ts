import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { exportJWK, importJWK, type JWK, type KeyLike } from 'jose';
import { signingKey, type ProviderAlgorithm, type SigningKey } from '../gateway/signingKeys';
import { projectFile } from '../subgraphs/shared/policy/config';

/** The development key pair of `npm run token -- --key`: git-ignored, made once, so tokens stay valid across runs. */
const DEV_KEYS_DIR = projectFile('.dev-keys');
const PRIVATE_FILE = `${DEV_KEYS_DIR}/private.jwk.json`;
export const DEV_JWKS_FILE = `${DEV_KEYS_DIR}/jwks.json`;

export async function devSigningKey(): Promise<SigningKey> {
  if (existsSync(PRIVATE_FILE)) {
    const privateJwk = JSON.parse(readFileSync(PRIVATE_FILE, 'utf8')) as JWK & { kid: string; alg: ProviderAlgorithm };
    const { d: _secret, ...publicJwk } = privateJwk;
    return {
      kid: privateJwk.kid,
      alg: privateJwk.alg,
      key: (await importJWK(privateJwk, privateJwk.alg)) as KeyLike,
      publicJwk: { ...publicJwk, use: 'sig' },
    };
  }
  const generated = await signingKey('ES256', `dev-${randomUUID()}`);
  mkdirSync(DEV_KEYS_DIR, { recursive: true, mode: 0o700 });
  writeFileSync(PRIVATE_FILE, JSON.stringify({ ...(await exportJWK(generated.key)), kid: generated.kid, alg: generated.alg }), {
    mode: 0o600,
  });
  chmodSync(PRIVATE_FILE, 0o600);
  writeFileSync(DEV_JWKS_FILE, `${JSON.stringify({ keys: [generated.publicJwk] }, null, 2)}\n`);
  return generated;
}
