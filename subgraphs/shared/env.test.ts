import { readEnv, serviceUrl } from './env';

test('defaults follow DESIGN.md', () => {
  const env = readEnv({});
  expect([env.GATEWAY_PORT, env.ACCOUNTS_PORT, env.FAMILY_PORT, env.SETTLEMENTS_PORT]).toEqual([4000, 4001, 4002, 4003]);
  expect(env.HOST).toBe('127.0.0.1');
  expect(serviceUrl(env, 'accounts')).toBe('http://127.0.0.1:4001');
  expect(serviceUrl(readEnv({ HOST: '0.0.0.0', FAMILY_URL: 'http://family:4002/' }), 'family')).toBe('http://family:4002');
});

test('a bad value names its variable', () => {
  expect(() => readEnv({ ACCOUNTS_PORT: '70000' })).toThrow(/ACCOUNTS_PORT/);
  expect(() => readEnv({ MYSQL_URL: 'postgres://x' })).toThrow(/MYSQL_URL/);
});

test('production refuses the development secrets', () => {
  expect(() => readEnv({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  expect(() => readEnv({ NODE_ENV: 'production', JWT_SECRET: 'a-real-secret-of-32-characters!!' })).toThrow(/SERVICE_SECRET/);
  expect(readEnv({ NODE_ENV: 'production', JWT_SECRET: 'a-real-secret-of-32-characters!!', SERVICE_SECRET: 'another-real-secret-0123456789', METRICS_TOKEN: 'a-metrics-token-0123456789' }).NODE_ENV).toBe('production');
});

test('production needs a METRICS_TOKEN of at least 16 characters; elsewhere /metrics may stay open', () => {
  const secrets = { JWT_SECRET: 'a-real-secret-of-32-characters!!', SERVICE_SECRET: 'another-real-secret-0123456789' };
  expect(() => readEnv({ NODE_ENV: 'production', ...secrets })).toThrow(/METRICS_TOKEN/);
  expect(() => readEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  expect(readEnv({}).METRICS_TOKEN).toBeUndefined();
});

test('rate limits default to DESIGN.md: Redis on loopback, 50/20/10/20 requests per second, 0 turns one off', () => {
  const env = readEnv({});
  expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
  expect([env.RATE_LIMIT_TERMINAL, env.RATE_LIMIT_PARTNER, env.RATE_LIMIT_INSURED, env.RATE_LIMIT_ANONYMOUS, env.RATE_LIMIT_WINDOW_SECONDS]).toEqual([50, 20, 10, 20, 1]);
  expect(readEnv({ RATE_LIMIT_PARTNER: '0' }).RATE_LIMIT_PARTNER).toBe(0);
  expect(() => readEnv({ RATE_LIMIT_INSURED: '-1' })).toThrow(/RATE_LIMIT_INSURED/);
  expect(() => readEnv({ REDIS_URL: 'http://redis' })).toThrow(/REDIS_URL/);
});
