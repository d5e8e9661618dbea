import { readEnv } from './env';
import { FailureLimit } from './failureLimit';
import { createObservability } from './server/observability';

/**
 * The per-caller count of failures, with its store unreachable (a port nobody listens on): each
 * replica then counts in memory by the same rule, so the rule is checked here without Redis; the
 * shared count is checked through the gateway in test/consent.test.ts.
 */
test('a caller is refused after maxFailures within the window, others are not, and nobody for the store failing', async () => {
  const env = readEnv({ REDIS_URL: 'redis://127.0.0.1:9', DB_PREFIX: 'unit' });
  const limit = FailureLimit.fromEnv(env, 'test', 3, 60, createObservability('test', 'silent'));
  try {
    for (let failure = 0; failure < 3; failure += 1) {
      expect(await limit.retryAfterSeconds('INSURED:a')).toBe(0);
      await limit.recordFailure('INSURED:a');
    }
    const wait = await limit.retryAfterSeconds('INSURED:a');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await limit.retryAfterSeconds('INSURED:b')).toBe(0);
  } finally {
    limit.close();
  }
});
