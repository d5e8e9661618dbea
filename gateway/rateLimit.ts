import type { IncomingMessage } from 'node:http';
import { BlockList, isIP, isIPv4 } from 'node:net';
import { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { ConfigError, type Env } from '../subgraphs/shared/env';
import { HttpError } from '../subgraphs/shared/server/http';
import { GatewayError } from './errors';
import type { Identity } from '../subgraphs/shared/identity';
import { must } from '../subgraphs/shared/must';
import type { Observability } from '../subgraphs/shared/server/observability';

/**
 * Rate limits (DESIGN.md, Decisions of the second round): each TERMINAL institution, PARTNER,
 * INSURED person and anonymous client address may send RATE_LIMIT_<ROLE> requests per second;
 * ADMIN and ANALYST are not limited. The counts live in Redis (REDIS_URL), one atomic round trip
 * per request, so every gateway replica agrees. A request over its limit is answered 429
 * RATE_LIMITED with Retry-After before Apollo does any work.
 *
 * When Redis does not answer (down, unreachable, or slower than STORE_TIMEOUT_MS), each replica
 * counts in its own memory with the same limits until Redis answers again: nobody is refused
 * because the store failed and nobody gets a 500, at the price that N replicas then admit up to N
 * times the limit. Each such request is counted in rate_limit_store_fallbacks_total; the outage is
 * logged once when it starts and once when it ends.
 */
export const LIMITED_ROLES = ['TERMINAL', 'PARTNER', 'INSURED', 'ANONYMOUS'] as const;
export type LimitedRole = (typeof LIMITED_ROLES)[number];

/** Whom a request counts against. */
export interface Subject {
  role: LimitedRole;
  key: string;
}

/** A Redis command that takes longer is given up and counted locally: a slow store slows no request by more. */
const STORE_TIMEOUT_MS = 500;

/**
 * The institution, partner, person or client address a request counts against; null for ADMIN and
 * ANALYST. authenticate() has required each role's claim, so none is missing here. The client's
 * address is asked for only when it is the key, so an authenticated request never works it out.
 */
export function subjectOf(identity: Identity, clientAddress: () => string): Subject | null {
  switch (identity.role) {
    case 'TERMINAL':
      return { role: 'TERMINAL', key: must(identity.institutionId, 'authenticate() requires a TERMINAL institutionId') };
    case 'PARTNER':
      return { role: 'PARTNER', key: must(identity.partnerCode, 'authenticate() requires a PARTNER partnerCode') };
    case 'INSURED':
      return { role: 'INSURED', key: must(identity.personId, 'authenticate() requires an INSURED personId') };
    case null:
      return { role: 'ANONYMOUS', key: clientAddress() };
    default:
      return null;
  }
}

/** One spelling per address: an IPv4 client seen on a dual-stack socket (`::ffff:10.0.0.1`) is `10.0.0.1`. */
function normalAddress(address: string): string {
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}

/** RATE_LIMIT_TRUSTED_PROXIES: comma-separated addresses or CIDR ranges (`10.0.0.0/8`, `fd00::/8`). */
export function trustedProxies(list: string): BlockList {
  const proxies = new BlockList();
  for (const entry of list
    .split(',')
    .map((text) => text.trim())
    .filter(Boolean)) {
    const [address, bits] = entry.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? undefined : Number(bits);
    if (family === 0 || (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 4 ? 32 : 128)))) {
      throw new ConfigError(`RATE_LIMIT_TRUSTED_PROXIES: "${entry}" is not an address or CIDR range`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) proxies.addAddress(address, type);
    else proxies.addSubnet(address, prefix, type);
  }
  return proxies;
}

/**
 * The client's address: the socket's peer; when that peer is a trusted proxy, the nearest address
 * of X-Forwarded-For that is not one (proxies append, so the right end is the most trusted).
 * Without trusted proxies X-Forwarded-For is ignored: any client can write it.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, proxies: BlockList): string {
  let address = normalAddress(peer ?? '');
  const hops = (forwardedFor ?? '').split(',').map((hop) => normalAddress(hop.trim()));
  const isProxy = (candidate: string) => isIP(candidate) !== 0 && proxies.check(candidate, isIP(candidate) === 4 ? 'ipv4' : 'ipv6');
  while (isProxy(address)) {
    const next = hops.pop();
    if (!next || isIP(next) === 0) break;
    address = next;
  }
  return address;
}

/** Whole seconds until the window that refused a request ends (Retry-After), at least 1. */
export function retryAfterSeconds(refusal: RateLimiterRes): number {
  return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
}

/** The rate limits' metrics, registered once per gateway process (ops/alerts.yml alerts on the fallbacks). */
export function rateLimitCounters(observability: Observability): { refused: Counter<'role'>; fallbacks: Counter } {
  return {
    refused: new Counter({
      name: 'rate_limited_total',
      help: 'Requests refused with 429 RATE_LIMITED, by role',
      labelNames: ['role'],
      registers: [observability.registry],
    }),
    fallbacks: new Counter({
      name: 'rate_limit_store_fallbacks_total',
      help: "Requests counted in the replica's memory because Redis did not answer",
      registers: [observability.registry],
    }),
  };
}

/** A limited role's two counts with the same limits: in Redis, and in this replica's memory for when Redis fails. */
interface Limiters {
  shared: RateLimiterRedis;
  local: RateLimiterMemory;
}

export class RateLimits {
  /** Only the roles whose limit is on (RATE_LIMIT_<ROLE> > 0). */
  private readonly limiters = new Map<LimitedRole, Limiters>();
  private readonly refused: Counter<'role'>;
  private readonly fallbacks: Counter;
  private storeDown = false;

  private constructor(
    private readonly redis: Redis,
    env: Env,
    private readonly proxies: BlockList,
    private readonly observability: Observability,
  ) {
    const perSecond: Record<LimitedRole, number> = {
      TERMINAL: env.RATE_LIMIT_TERMINAL,
      PARTNER: env.RATE_LIMIT_PARTNER,
      INSURED: env.RATE_LIMIT_INSURED,
      ANONYMOUS: env.RATE_LIMIT_ANONYMOUS,
    };
    const prefix = env.RATE_LIMIT_PREFIX ?? env.DB_PREFIX;
    for (const role of LIMITED_ROLES) {
      if (perSecond[role] === 0) continue;
      const options = {
        points: perSecond[role] * env.RATE_LIMIT_WINDOW_SECONDS,
        duration: env.RATE_LIMIT_WINDOW_SECONDS,
        keyPrefix: `${prefix}:ratelimit:${role}`,
      };
      // A subject over its limit is refused from this replica's memory until its window ends: a flood costs Redis nothing more.
      this.limiters.set(role, {
        shared: new RateLimiterRedis({
          ...options,
          storeClient: redis,
          rejectIfRedisNotReady: true,
          inMemoryBlockOnConsumed: options.points + 1,
        }),
        local: new RateLimiterMemory(options),
      });
    }
    ({ refused: this.refused, fallbacks: this.fallbacks } = rateLimitCounters(observability));
    redis.on('error', (error: Error) => this.storeFailed(error));
    redis.on('ready', () => this.storeAnswered());
  }

  static fromEnv(env: Env, observability: Observability): RateLimits {
    const proxies = trustedProxies(env.RATE_LIMIT_TRUSTED_PROXIES);
    // No offline queue: while Redis is away a command fails at once and the local count answers.
    const redis = new Redis(env.REDIS_URL, { enableOfflineQueue: false, commandTimeout: STORE_TIMEOUT_MS, maxRetriesPerRequest: 0 });
    return new RateLimits(redis, env, proxies, observability);
  }

  /** Counts the request against its subject; throws 429 RATE_LIMITED with Retry-After when the subject is over its limit. */
  async admit(identity: Identity, req: IncomingMessage): Promise<void> {
    const subject = subjectOf(identity, () => {
      const forwardedFor = req.headers['x-forwarded-for'];
      return clientAddress(req.socket.remoteAddress, Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor, this.proxies);
    });
    const limiters = subject && this.limiters.get(subject.role);
    if (!subject || !limiters) return;
    const refusal = await this.consume(subject, limiters);
    if (!refusal) return;
    this.refused.labels(subject.role).inc();
    const seconds = retryAfterSeconds(refusal);
    throw new HttpError(GatewayError.rateLimited(seconds), { headers: { 'retry-after': String(seconds) } });
  }

  close(): void {
    this.redis.disconnect();
  }

  /** The refusal when the subject is over its limit, else null; Redis first, the replica's own count when Redis fails. */
  private async consume(subject: Subject, { shared, local }: Limiters): Promise<RateLimiterRes | null> {
    try {
      await shared.consume(subject.key);
      this.storeAnswered();
      return null;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        this.storeAnswered();
        return outcome;
      }
      this.storeFailed(outcome as Error);
      this.fallbacks.inc();
      return local.consume(subject.key).then(
        () => null,
        (refusal: RateLimiterRes) => refusal,
      );
    }
  }

  private storeFailed(error: Error): void {
    if (this.storeDown) return;
    this.storeDown = true;
    this.observability.logger.warn(
      { error: error.message },
      'rate-limit store (Redis) does not answer: each replica counts on its own until it does',
    );
  }

  private storeAnswered(): void {
    if (!this.storeDown) return;
    this.storeDown = false;
    this.observability.logger.info('rate-limit store (Redis) answers again: counts are shared by every replica');
  }
}
