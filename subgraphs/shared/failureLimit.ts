import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Env } from './env';
import type { Observability } from './server/observability';

/** A Redis command that takes longer is given up and counted in memory, as the gateway's rate limits do. */
const STORE_TIMEOUT_MS = 500;

/**
 * Failed attempts per caller (an id number and name that matched nobody), counted where every
 * replica sees them: Redis at REDIS_URL, under the same key prefix as the gateway's rate limits.
 * Only failures count, so a caller who knows his relatives' numbers is never slowed down, while
 * one who tries numbers is refused after `maxFailures` within the window, whatever they were.
 * When Redis does not answer, each replica counts in its own memory until it does (a caller then
 * gets at most that many tries per replica): the store failing refuses nobody.
 */
export class FailureLimit {
  private storeDown = false;

  private constructor(
    private readonly redis: Redis,
    private readonly limiter: RateLimiterRedis,
    private readonly maxFailures: number,
    private readonly observability: Observability,
  ) {
    redis.on('error', (error: Error) => this.storeFailed(error));
    redis.on('ready', () => {
      this.storeDown = false;
    });
  }

  /** `name` keeps one kind of failure apart from the others in Redis. */
  static fromEnv(env: Env, name: string, maxFailures: number, windowSeconds: number, observability: Observability): FailureLimit {
    const redis = new Redis(env.REDIS_URL, { enableOfflineQueue: false, commandTimeout: STORE_TIMEOUT_MS, maxRetriesPerRequest: 0 });
    const options = {
      points: maxFailures,
      duration: windowSeconds,
      keyPrefix: `${env.RATE_LIMIT_PREFIX ?? env.DB_PREFIX}:failures:${name}`,
    };
    const limiter = new RateLimiterRedis({
      ...options,
      storeClient: redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
    return new FailureLimit(redis, limiter, maxFailures, observability);
  }

  /** Whole seconds until `caller` may try again (0: he may now). */
  async retryAfterSeconds(caller: string): Promise<number> {
    const counted = await this.limiter.get(caller);
    if (!counted || counted.consumedPoints < this.maxFailures) return 0;
    return Math.max(1, Math.ceil(counted.msBeforeNext / 1000));
  }

  async recordFailure(caller: string): Promise<void> {
    await this.limiter.penalty(caller);
  }

  close(): void {
    this.redis.disconnect();
  }

  private storeFailed(error: Error): void {
    if (this.storeDown) return;
    this.storeDown = true;
    this.observability.logger.warn(
      { error: error.message },
      'failure counts (Redis) do not answer: each replica counts on its own until they do',
    );
  }
}
