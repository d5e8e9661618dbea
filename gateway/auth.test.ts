import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, UnsecuredJWT } from 'jose';
import { Authenticator, checkTokenRules, issueToken, type Claims } from './auth';
import { signingKey, type SigningKey } from './signingKeys';
import { startIdentityProvider, TEST_AUDIENCE, TEST_ISSUER } from '../subgraphs/shared/testing/identityProvider';
import { newId } from '../subgraphs/shared/ids';
import { tokenKeys } from './tokenKeys';
import { tokenSettings } from './tokenSettings';
import { readEnv } from '../subgraphs/shared/env';

/** An authenticator configured as the gateway is from this environment. */
function authenticatorFor(env: NodeJS.ProcessEnv): Authenticator {
  const settings = tokenSettings(readEnv(env));
  return new Authenticator(settings, tokenKeys(settings));
}
const SECRET = 'unit-test-secret-0123456789abcdef';

const NOW_S = 1_800_000_000;
const HOUR_S = 3600;

test.each<[string, Record<string, unknown>, string | null]>([
  ['a 24 h token', { sub: 'u', role: 'ADMIN', iat: NOW_S, exp: NOW_S + 24 * HOUR_S }, null],
  ['one second longer', { sub: 'u', role: 'ADMIN', iat: NOW_S, exp: NOW_S + 24 * HOUR_S + 1 }, 'lifetime exp - iat exceeds 24 h'],
  ['100 years', { sub: 'u', role: 'ADMIN', iat: NOW_S, exp: NOW_S + 100 * 365 * 24 * HOUR_S }, 'lifetime exp - iat exceeds 24 h'],
  ['issued 60 s ahead', { sub: 'u', role: 'ADMIN', iat: NOW_S + 60, exp: NOW_S + 600 }, null],
  ['issued 61 s ahead', { sub: 'u', role: 'ADMIN', iat: NOW_S + 61, exp: NOW_S + 600 }, 'iat lies more than 60 s in the future'],
  ['sub as an object', { sub: { id: 'u' }, role: 'ADMIN', iat: NOW_S, exp: NOW_S + 60 }, 'claim sub must be a string'],
  ['role as a list', { sub: 'u', role: ['ADMIN'], iat: NOW_S, exp: NOW_S + 60 }, 'claim role must be a string'],
  ['personId as a number', { sub: 'u', role: 'INSURED', personId: 7, iat: NOW_S, exp: NOW_S + 60 }, 'claim personId must be a string'],
  [
    'institutionId as null',
    { sub: 'u', role: 'TERMINAL', institutionId: null, iat: NOW_S, exp: NOW_S + 60 },
    'claim institutionId must be a string',
  ],
  ['region as a number', { sub: 'u', role: 'ADMIN', region: 350100, iat: NOW_S, exp: NOW_S + 60 }, 'claim region must be a string'],
  [
    'partnerCode as an object on any role',
    { sub: 'u', role: 'ANALYST', partnerCode: {}, iat: NOW_S, exp: NOW_S + 60 },
    'claim partnerCode must be a string',
  ],
])('%s', (_name, payload, broken) => {
  const checked = checkTokenRules(payload, 24, NOW_S);
  expect('broken' in checked ? checked.broken : null).toBe(broken);
});

test('the lifetime limit follows TOKEN_MAX_LIFETIME_HOURS', () => {
  expect(checkTokenRules({ sub: 'u', role: 'ADMIN', iat: NOW_S, exp: NOW_S + 2 * HOUR_S }, 1, NOW_S)).toEqual({
    broken: 'lifetime exp - iat exceeds 1 h',
  });
  expect(checkTokenRules({ sub: 'u', role: 'ADMIN', iat: NOW_S, exp: NOW_S + HOUR_S }, 1, NOW_S)).toEqual({ claims: { role: 'ADMIN' } });
});

test('issueToken mints what authenticate accepts', async () => {
  const authenticator = authenticatorFor({ JWT_SECRET: SECRET });
  const token = await issueToken({ sub: 'u', role: 'TERMINAL', institutionId: 'H1' }, SECRET, 24 * HOUR_S);
  expect(await authenticator.authenticate(`Bearer ${token}`, 'r')).toEqual({
    sub: 'u',
    role: 'TERMINAL',
    institutionId: 'H1',
    requestId: 'r',
  });
  const tooLong = await issueToken({ sub: 'u', role: 'ANALYST' }, SECRET, 24 * HOUR_S + 1);
  await expect(authenticator.authenticate(`Bearer ${tooLong}`, 'r')).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
});

test('a remembered token is still refused once it expires, and a refused one is never remembered', async () => {
  const authenticator = authenticatorFor({ JWT_SECRET: SECRET });
  const token = await issueToken({ sub: 'u', role: 'ADMIN' }, SECRET, 60);
  const issuedAt = new Date();
  expect(await authenticator.authenticate(`Bearer ${token}`, 'first', issuedAt)).toMatchObject({ role: 'ADMIN', requestId: 'first' });
  expect(await authenticator.authenticate(`Bearer ${token}`, 'again', issuedAt)).toMatchObject({ role: 'ADMIN', requestId: 'again' });
  const afterExpiry = new Date(issuedAt.getTime() + 61_000);
  await expect(authenticator.authenticate(`Bearer ${token}`, 'late', afterExpiry)).rejects.toMatchObject({
    status: 401,
    message: expect.stringContaining('expired'),
  });
  const forged = `${token.slice(0, -2)}xx`;
  await expect(authenticator.authenticate(`Bearer ${forged}`, 'r', issuedAt)).rejects.toMatchObject({ status: 401 });
  await expect(authenticator.authenticate(`Bearer ${forged}`, 'r', issuedAt)).rejects.toMatchObject({ status: 401 });
});

describe('tokens of the identity provider', () => {
  const ISSUER = TEST_ISSUER;
  const AUDIENCE = TEST_AUDIENCE;
  let provider: Awaited<ReturnType<typeof startIdentityProvider>>;
  let rsa: SigningKey;
  let ec: SigningKey;
  let ed: SigningKey;
  beforeAll(async () => {
    provider = await startIdentityProvider();
    [rsa, ec, ed] = await Promise.all([signingKey('RS256'), signingKey('ES256'), signingKey('EdDSA')]);
  });
  afterAll(() => provider.close());

  const remote = (env: NodeJS.ProcessEnv = {}) =>
    authenticatorFor({ JWT_JWKS_URL: provider.url, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_JWKS_COOLDOWN_SECONDS: '0', ...env });
  const signed = (key: SigningKey, claims: Claims = { sub: 'u', role: 'ADMIN' }, issuer = ISSUER, audience = AUDIENCE) =>
    issueToken(claims, { key: key.key, alg: key.alg, kid: key.kid, issuer, audience }, 600);
  /** jose ages a fetched key set by Date.now(): move it past a 1 s max age rather than wait. */
  const afterCacheMaxAge = () => {
    const later = Date.now() + 1_500;
    jest.spyOn(Date, 'now').mockReturnValue(later);
  };
  afterEach(() => jest.restoreAllMocks());
  const refusal = (message: string) => ({ status: 401, code: 'UNAUTHENTICATED', message: expect.stringContaining(message) });

  test('RS256, ES256 and EdDSA keys from the set; one fetch serves every token of a known key; a new kid is fetched once', async () => {
    provider.publish([rsa, ec, ed]);
    const authenticator = remote();
    const before = provider.fetches();
    for (const key of [rsa, ec, ed])
      expect(await authenticator.authenticate(`Bearer ${await signed(key, { sub: key.alg, role: 'ANALYST' })}`, 'r')).toEqual({
        sub: key.alg,
        role: 'ANALYST',
        requestId: 'r',
      });
    for (let i = 0; i < 20; i += 1) await authenticator.authenticate(`Bearer ${await signed(ec, { sub: `u${i}`, role: 'ADMIN' })}`, 'r');
    expect(provider.fetches() - before).toBe(1);
    const rotated = await signingKey('ES256');
    provider.publish([rsa, ec, ed, rotated]);
    expect(await authenticator.authenticate(`Bearer ${await signed(rotated)}`, 'r')).toMatchObject({ role: 'ADMIN' });
    expect(provider.fetches() - before).toBe(2);
    const unknown = await signingKey('ES256');
    await expect(authenticator.authenticate(`Bearer ${await signed(unknown)}`, 'r')).rejects.toMatchObject(
      refusal('no key of the identity provider matches the token (kid)'),
    );
  });

  test('a flood of unknown kids costs at most one fetch per cooldown (JWT_JWKS_COOLDOWN_SECONDS)', async () => {
    provider.publish([rsa]);
    const authenticator = remote({ JWT_JWKS_COOLDOWN_SECONDS: '30' });
    const before = provider.fetches();
    expect(await authenticator.authenticate(`Bearer ${await signed(rsa)}`, 'r')).toMatchObject({ role: 'ADMIN' });
    const strangers = await Promise.all(Array.from({ length: 10 }, () => signingKey('ES256')));
    for (const stranger of strangers)
      await expect(authenticator.authenticate(`Bearer ${await signed(stranger)}`, 'r')).rejects.toMatchObject(
        refusal('no key of the identity provider matches the token (kid)'),
      );
    expect(provider.fetches() - before).toBe(1);
  });

  test('a key removed from the set refuses its tokens, those accepted before included, once the set is read again', async () => {
    provider.publish([rsa, ec]);
    const authenticator = remote({ JWT_JWKS_CACHE_MAX_AGE_SECONDS: '1' });
    const token = `Bearer ${await signed(ec)}`;
    expect(await authenticator.authenticate(token, 'r')).toMatchObject({ role: 'ADMIN' });
    provider.publish([rsa]);
    // Until the set's max age passes the gateway has not read it again, so the token still counts.
    expect(await authenticator.authenticate(token, 'r')).toMatchObject({ role: 'ADMIN' });
    afterCacheMaxAge();
    await expect(authenticator.authenticate(token, 'r')).rejects.toMatchObject(
      refusal('no key of the identity provider matches the token (kid)'),
    );
    expect(await authenticator.authenticate(`Bearer ${await signed(rsa)}`, 'r')).toMatchObject({ role: 'ADMIN' });
    provider.publish([rsa, ec]);
    expect(await authenticator.authenticate(token, 'r')).toMatchObject({ role: 'ADMIN' });
  });

  test.each<[string, () => Promise<string>, string, NodeJS.ProcessEnv]>([
    ['another issuer', () => signed(rsa, undefined, 'https://evil.example/realms/ybj'), 'claim iss is not the accepted issuer', {}],
    ['another audience', () => signed(rsa, undefined, ISSUER, 'another-app'), 'claim aud does not name this API', {}],
    ['no audience', () => issueToken({ sub: 'u', role: 'ADMIN' }, { ...rsa, issuer: ISSUER }, 600), 'claim aud is required', {}],
    ['HS256 with JWT_SECRET', () => issueToken({ sub: 'u', role: 'ADMIN' }, SECRET, 600), 'algorithm HS256 is not allowed', {}],
    [
      'alg none',
      async () =>
        new UnsecuredJWT({ role: 'ADMIN' })
          .setSubject('u')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('5m')
          .encode(),
      'algorithm none is not allowed',
      {},
    ],
    ['EdDSA where only RS256 is allowed', () => signed(ed), 'algorithm EdDSA is not allowed', { JWT_ALGORITHMS: 'RS256' }],
    [
      'a key of the set used under another algorithm',
      async () =>
        new SignJWT({ role: 'ADMIN' }).setProtectedHeader({ alg: 'HS256', kid: rsa.kid }).setSubject('u').sign(new Uint8Array(32)),
      'algorithm HS256 is not allowed',
      {},
    ],
  ])('refuses %s with UNAUTHENTICATED and says why', async (_name, token, message, env) => {
    provider.publish([rsa, ec, ed]);
    await expect(remote(env).authenticate(`Bearer ${await token()}`, 'r')).rejects.toMatchObject(refusal(message));
  });

  test('a key set that cannot be fetched when due is SERVICE_UNAVAILABLE (the caller retries), never a verdict on the token', async () => {
    const down = await startIdentityProvider();
    down.publish([rsa]);
    const authenticator = authenticatorFor({
      JWT_JWKS_URL: down.url,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_JWKS_CACHE_MAX_AGE_SECONDS: '1',
      JWT_JWKS_TIMEOUT_MS: '1000',
    });
    const remembered = `Bearer ${await signed(rsa)}`;
    expect(await authenticator.authenticate(remembered, 'r')).toMatchObject({ role: 'ADMIN' });
    await down.close();
    afterCacheMaxAge();
    const unavailable = { status: 503, code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining("identity provider's keys") };
    await expect(authenticator.authenticate(remembered, 'r')).rejects.toMatchObject(unavailable);
    await expect(authenticator.authenticate(`Bearer ${await signed(rsa, { sub: 'new', role: 'ANALYST' })}`, 'r')).rejects.toMatchObject(
      unavailable,
    );
  });

  test('HS256 with JWT_SECRET beside the key set when JWT_ALGORITHMS lists it (development)', async () => {
    provider.publish([rsa]);
    const authenticator = remote({ JWT_SECRET: SECRET, JWT_ALGORITHMS: 'RS256,HS256', JWT_ISSUER: '', JWT_AUDIENCE: '' });
    expect(await authenticator.authenticate(`Bearer ${await issueToken({ sub: 'u', role: 'ADMIN' }, SECRET, 60)}`, 'r')).toMatchObject({
      role: 'ADMIN',
    });
  });

  test('a JWKS file read at start; a token of a key not in it is refused', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jwks-')), 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [ed.publicJwk] }));
    const authenticator = authenticatorFor({ JWT_JWKS_FILE: file, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE });
    expect(await authenticator.authenticate(`Bearer ${await signed(ed)}`, 'r')).toMatchObject({ role: 'ADMIN' });
    await expect(authenticator.authenticate(`Bearer ${await signed(rsa)}`, 'r')).rejects.toMatchObject(
      refusal('no key of the identity provider'),
    );
    writeFileSync(file, '{"keys": "none"}');
    expect(() => authenticatorFor({ JWT_JWKS_FILE: file })).toThrow(/^JWT_JWKS_FILE: not a readable JSON Web Key Set/);
  });

  test("a Keycloak token as issued: the role from realm_access.roles, the person from the provider's claim, every rule kept", async () => {
    provider.publish([rsa]);
    const authenticator = remote({ JWT_ROLE_CLAIM: 'realm_access.roles', JWT_PERSON_ID_CLAIM: 'person_id' });
    const keycloak = (claims: Record<string, unknown>, lifetime = '5m') =>
      new SignJWT({ typ: 'Bearer', azp: 'app', realm_access: { roles: ['offline_access', 'default-roles-ybj', 'INSURED'] }, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: rsa.kid, typ: 'JWT' })
        .setSubject('8f0c6b1e')
        .setIssuer(ISSUER)
        .setAudience([AUDIENCE, 'account'])
        .setIssuedAt()
        .setExpirationTime(lifetime)
        .sign(rsa.key);
    const personId = newId('350100');
    expect(await authenticator.authenticate(`Bearer ${await keycloak({ person_id: personId })}`, 'r')).toEqual({
      sub: '8f0c6b1e',
      role: 'INSURED',
      personId,
      requestId: 'r',
    });
    await expect(authenticator.authenticate(`Bearer ${await keycloak({})}`, 'r')).rejects.toMatchObject(refusal('claim person_id:'));
    await expect(authenticator.authenticate(`Bearer ${await keycloak({ person_id: 42 })}`, 'r')).rejects.toMatchObject(
      refusal('claim person_id must be a string'),
    );
    await expect(authenticator.authenticate(`Bearer ${await keycloak({ person_id: personId }, '25h')}`, 'r')).rejects.toMatchObject(
      refusal('lifetime exp - iat exceeds 24 h'),
    );
  });
});
