import { readEnv, serviceUrls } from './env';

test('defaults follow DESIGN.md', () => {
  const env = readEnv({});
  expect([env.GATEWAY_PORT, env.ACCOUNTS_PORT, env.FAMILY_PORT, env.SETTLEMENTS_PORT]).toEqual([4000, 4001, 4002, 4003]);
  expect(env.HOST).toBe('127.0.0.1');
  expect(serviceUrls(env, 'accounts')).toEqual(['http://127.0.0.1:4001']);
  expect(serviceUrls(readEnv({ HOST: '0.0.0.0', FAMILY_URL: 'http://family:4002/' }), 'family')).toEqual(['http://family:4002']);
});

test('a service URL is a comma-separated list of its replicas, each an http:// URL', () => {
  const env = readEnv({ ACCOUNTS_URL: 'http://accounts-1:4001/, http://accounts-2:4001', SETTLEMENTS_URL: '' });
  expect(serviceUrls(env, 'accounts')).toEqual(['http://accounts-1:4001', 'http://accounts-2:4001']);
  // Unset or empty (compose's `${NAME:-}`): the one replica on HOST and its port.
  expect(serviceUrls(env, 'settlements')).toEqual(['http://127.0.0.1:4003']);
});

test.each([
  ['an entry that is no URL', 'http://accounts-1:4001,accounts-2'],
  ['an empty entry', 'http://accounts-1:4001,'],
  ['https, which internal calls do not speak', 'http://accounts-1:4001,https://accounts-2:4001'],
])('a service URL list with %s stops start-up naming the variable', (_case, value) => {
  expect(() => readEnv({ ACCOUNTS_URL: value })).toThrow(/^invalid environment: ACCOUNTS_URL\.1: /);
});

test('a bad value names its variable', () => {
  expect(() => readEnv({ ACCOUNTS_PORT: '70000' })).toThrow(/ACCOUNTS_PORT/);
  expect(() => readEnv({ MYSQL_URL: 'postgres://x' })).toThrow(/MYSQL_URL/);
  expect(() => readEnv({ STATISTICS_MIN_PATIENTS: '0' })).toThrow(/STATISTICS_MIN_PATIENTS/);
});

test('statistics withhold cells of fewer than 10 patients unless configured otherwise', () => {
  expect(readEnv({}).STATISTICS_MIN_PATIENTS).toBe(10);
  expect(readEnv({ STATISTICS_MIN_PATIENTS: '20' }).STATISTICS_MIN_PATIENTS).toBe(20);
});

const JWT = 'a-real-jwt-secret-of-32-characters';
const SERVICE = 'another-real-service-secret-0123';

test.each<[string, NodeJS.ProcessEnv, RegExp]>([
  ['no JWT_SECRET', { SERVICE_SECRET: SERVICE }, /^JWT_SECRET is not set/],
  ['an empty SERVICE_SECRET', { JWT_SECRET: JWT, SERVICE_SECRET: '' }, /SERVICE_SECRET/],
  [
    'a 31-character SERVICE_SECRET',
    { JWT_SECRET: JWT, SERVICE_SECRET: 's'.repeat(31) },
    /^SERVICE_SECRET must have at least 32 characters/,
  ],
  ['the development JWT_SECRET', { JWT_SECRET: 'dev-secret-change-me', SERVICE_SECRET: SERVICE }, /^JWT_SECRET is a published placeholder/],
  [
    'a long placeholder',
    { JWT_SECRET: JWT, SERVICE_SECRET: 'CHANGE-ME-please-to-something-long' },
    /^SERVICE_SECRET is a published placeholder/,
  ],
  ['one value for both', { JWT_SECRET: JWT, SERVICE_SECRET: JWT }, /^JWT_SECRET and SERVICE_SECRET must differ/],
])('production refuses %s, naming the variable and never the value', (_name, secrets, message) => {
  let error: unknown;
  try {
    readEnv({ NODE_ENV: 'production', ...secrets });
  } catch (caught) {
    error = caught;
  }
  expect((error as Error).message).toMatch(message);
  for (const value of Object.values(secrets)) if (value) expect((error as Error).message).not.toContain(value);
});

test('production starts with two explicit secrets of 32 characters; development keeps its defaults', () => {
  expect(
    readEnv({ NODE_ENV: 'production', JWT_SECRET: JWT, SERVICE_SECRET: SERVICE, METRICS_TOKEN: 'a-metrics-token-0123456789' }).NODE_ENV,
  ).toBe('production');
  expect(readEnv({}).JWT_SECRET).toBe('dev-secret-change-me');
  expect(readEnv({ NODE_ENV: 'test' }).SERVICE_SECRET).toBe('dev-service-secret-change-me');
});

test('tokens live 24 hours at most unless configured otherwise', () => {
  expect(readEnv({}).TOKEN_MAX_LIFETIME_HOURS).toBe(24);
  expect(readEnv({ TOKEN_MAX_LIFETIME_HOURS: '8' }).TOKEN_MAX_LIFETIME_HOURS).toBe(8);
  expect(() => readEnv({ TOKEN_MAX_LIFETIME_HOURS: '0' })).toThrow(/TOKEN_MAX_LIFETIME_HOURS/);
  expect(() => readEnv({ TOKEN_MAX_LIFETIME_HOURS: '876000' })).toThrow(/TOKEN_MAX_LIFETIME_HOURS/);
});

test('production needs a METRICS_TOKEN of at least 16 characters; elsewhere /metrics may stay open', () => {
  const secrets = { JWT_SECRET: JWT, SERVICE_SECRET: SERVICE };
  expect(() => readEnv({ NODE_ENV: 'production', ...secrets })).toThrow(/METRICS_TOKEN/);
  expect(() => readEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  expect(readEnv({}).METRICS_TOKEN).toBeUndefined();
});

test('rate limits default to DESIGN.md: Redis on loopback, 50/20/10/20 requests per second, 0 turns one off', () => {
  const env = readEnv({});
  expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
  expect([
    env.RATE_LIMIT_TERMINAL,
    env.RATE_LIMIT_PARTNER,
    env.RATE_LIMIT_INSURED,
    env.RATE_LIMIT_ANONYMOUS,
    env.RATE_LIMIT_WINDOW_SECONDS,
  ]).toEqual([50, 20, 10, 20, 1]);
  expect(readEnv({ RATE_LIMIT_PARTNER: '0' }).RATE_LIMIT_PARTNER).toBe(0);
  expect(() => readEnv({ RATE_LIMIT_INSURED: '-1' })).toThrow(/RATE_LIMIT_INSURED/);
  expect(() => readEnv({ REDIS_URL: 'http://redis' })).toThrow(/REDIS_URL/);
});
