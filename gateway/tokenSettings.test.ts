import { readEnv } from '../subgraphs/shared/env';
import { tokenSettings } from './tokenSettings';

const settings = (env: NodeJS.ProcessEnv) => tokenSettings(readEnv(env));
const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-real-jwt-secret-of-32-characters',
  SERVICE_SECRET: 'another-real-service-secret-0123',
  METRICS_TOKEN: 'a-metrics-token-0123456789',
};
const PROVIDER = {
  JWT_JWKS_URL: 'https://sso.example.gov.cn/realms/ybj/protocol/openid-connect/certs',
  JWT_ISSUER: 'https://sso.example.gov.cn/realms/ybj',
  JWT_AUDIENCE: 'mutual-aid-api',
};

test('without a key set: HS256 with JWT_SECRET and our own claim names, nothing fetched', () => {
  expect(settings({})).toMatchObject({
    provider: undefined,
    algorithms: ['HS256'],
    issuer: undefined,
    audience: undefined,
    claims: { role: 'role', personId: 'personId', institutionId: 'institutionId', region: 'region', partnerCode: 'partnerCode' },
    maxLifetimeHours: 24,
  });
});

test('a JWKS URL: RS256, ES256 and EdDSA, cached 10 minutes, refetched for an unknown kid at most every 30 s', () => {
  expect(settings({ JWT_JWKS_URL: 'http://127.0.0.1:8080/certs', JWT_AUDIENCE: 'a, b' })).toMatchObject({
    provider: { url: new URL('http://127.0.0.1:8080/certs'), cacheMaxAgeMs: 600_000, cooldownMs: 30_000, timeoutMs: 5_000 },
    algorithms: ['RS256', 'ES256', 'EdDSA'],
    audience: ['a', 'b'],
  });
});

test('Keycloak: the role from realm_access.roles, the rest from its own claims; empty values count as unset', () => {
  const keycloak = settings({
    JWT_JWKS_FILE: '/etc/jwks.json',
    JWT_JWKS_URL: '',
    JWT_ALGORITHMS: 'RS256,PS256',
    JWT_ROLE_CLAIM: 'realm_access.roles',
    JWT_PERSON_ID_CLAIM: 'person_id',
  });
  expect(keycloak.provider).toEqual({ file: '/etc/jwks.json' });
  expect(keycloak.algorithms).toEqual(['RS256', 'PS256']);
  expect(keycloak.claims).toMatchObject({ role: 'realm_access.roles', personId: 'person_id', institutionId: 'institutionId' });
});

test('HS256 may stand beside a key set outside production', () => {
  expect(settings({ JWT_JWKS_FILE: '/etc/jwks.json', JWT_ALGORITHMS: 'ES256,HS256' }).algorithms).toEqual(['ES256', 'HS256']);
});

test.each<[string, NodeJS.ProcessEnv, RegExp]>([
  ['both key sources', { JWT_JWKS_FILE: '/etc/jwks.json', JWT_JWKS_URL: 'https://x/certs' }, /^JWT_JWKS_FILE and JWT_JWKS_URL: set one/],
  ['an unknown algorithm', { JWT_JWKS_FILE: '/etc/jwks.json', JWT_ALGORITHMS: 'RS256,none' }, /^JWT_ALGORITHMS: each must be one of/],
  ['no algorithm at all', { JWT_JWKS_FILE: '/etc/jwks.json', JWT_ALGORITHMS: ' , ' }, /^JWT_ALGORITHMS/],
  ['an audience of commas only', { JWT_AUDIENCE: ' , ' }, /^JWT_AUDIENCE: name at least one/],
  ['a public-key algorithm with no key set', { JWT_ALGORITHMS: 'RS256' }, /^JWT_ALGORITHMS: public-key algorithms need/],
  ['production with no key source', PRODUCTION, /^JWT_JWKS_URL or JWT_JWKS_FILE: production verifies tokens/],
  ['production without an issuer', { ...PRODUCTION, ...PROVIDER, JWT_ISSUER: '' }, /^JWT_ISSUER and JWT_AUDIENCE/],
  ['production without an audience', { ...PRODUCTION, ...PROVIDER, JWT_AUDIENCE: undefined }, /^JWT_ISSUER and JWT_AUDIENCE/],
  ['production with HS256 beside the key set', { ...PRODUCTION, ...PROVIDER, JWT_ALGORITHMS: 'RS256,HS256' }, /^JWT_ALGORITHMS: HS256/],
  ['production fetching keys over plain http', { ...PRODUCTION, ...PROVIDER, JWT_JWKS_URL: 'http://sso/certs' }, /^JWT_JWKS_URL: .*https/],
])('refuses %s, naming the setting', (_name, env, message) => {
  expect(() => settings(env)).toThrow(message);
});

test('a bad claim name or a URL that is not http(s) stops start-up naming the variable', () => {
  expect(() => settings({ JWT_ROLE_CLAIM: 'realm access' })).toThrow(/JWT_ROLE_CLAIM/);
  expect(() => settings({ JWT_JWKS_URL: 'file:///etc/jwks.json' })).toThrow(/JWT_JWKS_URL/);
});

test('production starts with the provider named', () => {
  expect(settings({ ...PRODUCTION, ...PROVIDER })).toMatchObject({ algorithms: ['RS256', 'ES256', 'EdDSA'], issuer: PROVIDER.JWT_ISSUER });
});
