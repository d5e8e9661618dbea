import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

/**
 * A stand-in for the bureau's identity provider on loopback (the gateway's tests): serves the public
 * keys it is told to publish as a JWKS and counts how often it was asked, so a test rotates keys and sees the gateway's
 * fetches.
 */
/** The issuer and audience the tests' identity provider signs for, as a Keycloak realm would. */
export const TEST_ISSUER = 'https://sso.ybj.example/realms/ybj';
export const TEST_AUDIENCE = 'mutual-aid-api';

export async function startIdentityProvider(): Promise<{
  url: string;
  publish(keys: Array<{ publicJwk: JWK }>): void;
  fetches(): number;
  close(): Promise<void>;
}> {
  let published: Array<{ publicJwk: JWK }> = [];
  let fetches = 0;
  const server = createServer((_req, res) => {
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/ybj/protocol/openid-connect/certs`,
    publish: (keys) => {
      published = keys;
    },
    fetches: () => fetches,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
