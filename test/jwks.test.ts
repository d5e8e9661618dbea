import { SignJWT, UnsecuredJWT } from 'jose';
import type { ChildProcess } from 'node:child_process';
import { codes, gql, stack, token, type GraphQLResult } from './client';
import { startIdentityProvider, TEST_AUDIENCE, TEST_ISSUER } from '../subgraphs/shared/testing/identityProvider';
import { idNumber } from './privateStack';
import { until } from './until';
import { signingKey, type SigningKey } from '../gateway/signingKeys';
import { freePort, stackEnv, startProcess, waitForHealth } from '../scripts/stack';

/**
 * A gateway of its own pointed at an identity provider the test serves on loopback, configured as for
 * Keycloak (the role in realm_access.roles, the person in person_id), over the shared stack's
 * subgraphs: only the gateway reads tokens; subgraphs trust the identity it signs. The key set is
 * read again after a second, and an unknown kid is looked up at most once a second, so rotation is
 * seen quickly and no request costs a fetch of its own.
 */
jest.setTimeout(90_000);

const ISSUER = TEST_ISSUER;
const AUDIENCE = TEST_AUDIENCE;
let provider: Awaited<ReturnType<typeof startIdentityProvider>>;
let gateway: ChildProcess;
let url: string;
let current: SigningKey;
let patientId: string;

beforeAll(async () => {
  provider = await startIdentityProvider();
  current = await signingKey('RS256');
  provider.publish([current]);
  const port = await freePort();
  url = `http://127.0.0.1:${port}/graphql`;
  gateway = startProcess('gateway/main.js', {
    ...stackEnv(stack),
    GATEWAY_PORT: String(port),
    JWT_JWKS_URL: provider.url,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    JWT_JWKS_CACHE_MAX_AGE_SECONDS: '1',
    JWT_JWKS_COOLDOWN_SECONDS: '1',
    JWT_ROLE_CLAIM: 'realm_access.roles',
    JWT_PERSON_ID_CLAIM: 'person_id',
  });
  await waitForHealth(`http://127.0.0.1:${port}/health`, 30_000);
  const registered = await gql(
    'mutation($i: RegisterInsuredInput!) { registerInsured(input: $i) { id } }',
    {
      i: { idNumber: idNumber(), name: '令牌', regionCode: '350100', scheme: 'EMPLOYEE' },
    },
    { token: await token({ role: 'ADMIN' }) },
  );
  patientId = registered.data.registerInsured.id;
});

afterAll(async () => {
  gateway?.kill('SIGTERM');
  await provider?.close();
});

/** A token as Keycloak issues it: realm roles beside the provider's own, audience a list, our claims where the realm's mappers put them. */
function keycloakToken(
  key: SigningKey,
  {
    roles = ['offline_access', 'default-roles-ybj', 'ADMIN'],
    issuer = ISSUER,
    audience = AUDIENCE,
    claims = {} as Record<string, unknown>,
  } = {},
): Promise<string> {
  return new SignJWT({ typ: 'Bearer', azp: 'counter-app', realm_access: { roles }, ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject('5b0f3c2e-keycloak-user')
    .setIssuer(issuer)
    .setAudience([audience, 'account'])
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.key);
}

const PERSON = 'query($id: ID!) { person(id: $id) { id } }';

async function ask(bearer: string | null): Promise<GraphQLResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query: PERSON, variables: { id: patientId } }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

function expectRefused(result: GraphQLResult, why: string): void {
  expect(result.status).toBe(401);
  expect(codes(result)).toEqual(['UNAUTHENTICATED']);
  expect(result.errors?.[0].message).toContain(`Invalid token: ${why}`);
}

test("a Keycloak token of the provider's current key is accepted, the role and person read from its claims", async () => {
  expect(await ask(await keycloakToken(current))).toMatchObject({ status: 200, data: { person: { id: patientId } } });
  const insured = await keycloakToken(current, { roles: ['offline_access', 'INSURED'], claims: { person_id: patientId } });
  expect(await ask(insured)).toMatchObject({ status: 200, data: { person: { id: patientId } } });
  expect(codes(await ask(null))).toEqual(['UNAUTHENTICATED']);
});

test('tokens of a known key cost no fetch of the key set each', async () => {
  const before = provider.fetches();
  const started = Date.now();
  for (let i = 0; i < 30; i += 1) expect((await ask(await keycloakToken(current, { claims: { n: i } }))).status).toBe(200);
  // One fetch per second of cache age at most (JWT_JWKS_CACHE_MAX_AGE_SECONDS=1), never one per request.
  expect(provider.fetches() - before).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1000) + 1);
});

test('rotation: a new kid is accepted without a restart; a removed kid is refused, its token accepted before included', async () => {
  const before = current;
  const beforeToken = await keycloakToken(before);
  expect((await ask(beforeToken)).status).toBe(200);
  const next = await signingKey('ES256');
  provider.publish([before, next]);
  const nextToken = await keycloakToken(next);
  // Within the cooldown an unknown kid is refused without a fetch; after it, one fetch finds the new key.
  await until('the new kid to be accepted', async () => (await ask(nextToken)).status === 200);
  provider.publish([next]);
  current = next;
  const refused = await until('the removed kid to be refused', async () => {
    const result = await ask(beforeToken);
    return result.status === 401 && result;
  });
  expectRefused(refused, 'no key of the identity provider matches the token (kid)');
  expectRefused(await ask(await keycloakToken(before)), 'no key of the identity provider matches the token (kid)');
  expect((await ask(nextToken)).status).toBe(200);
});

test.each<[string, () => Promise<string>, string]>([
  [
    'another issuer',
    () => keycloakToken(current, { issuer: 'https://sso.other.example/realms/ybj' }),
    'claim iss is not the accepted issuer',
  ],
  ['another audience', () => keycloakToken(current, { audience: 'another-app' }), 'claim aud does not name this API'],
  ['an HS256 token signed with JWT_SECRET', () => token({ role: 'ADMIN' }), 'algorithm HS256 is not allowed'],
  [
    'alg none',
    async () =>
      new UnsecuredJWT({ realm_access: { roles: ['ADMIN'] } })
        .setSubject('x')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('5m')
        .encode(),
    'algorithm none is not allowed',
  ],
  [
    'none of our roles',
    () => keycloakToken(current, { roles: ['offline_access', 'uma_authorization'] }),
    'claim realm_access.roles names none of the roles',
  ],
  ['INSURED without the person claim', () => keycloakToken(current, { roles: ['INSURED'] }), 'claim person_id:'],
])('%s: 401 UNAUTHENTICATED saying why', async (_name, makeToken, why) => {
  expectRefused(await ask(await makeToken()), why);
});
