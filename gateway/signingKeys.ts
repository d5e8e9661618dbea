import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, type KeyLike } from 'jose';

/** The algorithms the gateway accepts from a key set by default (JWT_ALGORITHMS). */
export type ProviderAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

/** A private key and the public JWK an identity provider would publish for it: development keys (`npm run token -- --key`) and tests. */
export interface SigningKey {
  kid: string;
  alg: ProviderAlgorithm;
  key: KeyLike;
  publicJwk: JWK;
}

export async function signingKey(alg: ProviderAlgorithm, kid = randomUUID()): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { crv: alg === 'EdDSA' ? 'Ed25519' : undefined, extractable: true });
  return { kid, alg, key: privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}
