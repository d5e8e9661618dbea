import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { stack, token } from './client';
import { freePort, metricsHeaders, stackEnv, startProcess, waitForHealth } from '../scripts/stack';
import type { Claims } from '../gateway/auth';
import { newId } from '../subgraphs/shared/ids';

/**
 * Rate limits on gateways of their own over the shared stack's subgraphs: low limits, a counter
 * prefix of their own (so no other test's requests count), and ten-second windows, so that the
 * allowance (limit × window) is spent by a few quick requests wherever a window happens to start.
 */
jest.setTimeout(120_000);

const WINDOW_SECONDS = 10;
const LIMITS = { RATE_LIMIT_TERMINAL: '3', RATE_LIMIT_PARTNER: '2', RATE_LIMIT_INSURED: '1', RATE_LIMIT_ANONYMOUS: '2' };
const allowance = (limit: string) => Number(limit) * WINDOW_SECONDS;

interface Gateway {
  url: string;
  child: ChildProcess;
}

const started: Gateway[] = [];

async function startGateway(extraEnv: NodeJS.ProcessEnv): Promise<Gateway> {
  const port = await freePort();
  const child = startProcess('gateway/main.js', {
    ...stackEnv(stack),
    GATEWAY_PORT: String(port),
    RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
    ...LIMITS,
    ...extraEnv,
  });
  const gateway = { url: `http://127.0.0.1:${port}`, child };
  started.push(gateway);
  await waitForHealth(`${gateway.url}/health`, 30_000);
  return gateway;
}

afterAll(() => {
  for (const gateway of started) gateway.child.kill('SIGTERM');
});

type Caller = (Partial<Claims> & { role: Claims['role'] }) | null;

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

async function ask(gateway: Gateway, caller: Caller, headers: Record<string, string> = {}): Promise<Answer> {
  const authorization: Record<string, string> = caller ? { authorization: `Bearer ${await token(caller)}` } : {};
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authorization, ...headers },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
}

/** Sends requests one after another until one is refused (or `max` were answered); returns how many were served first, and the refusal. */
async function spend(gateways: Gateway[], caller: Caller, max: number): Promise<{ served: number; refusal?: Answer }> {
  for (let served = 0; served < max; served += 1) {
    const answer = await ask(gateways[served % gateways.length], caller);
    if (answer.status !== 200) return { served, refusal: answer };
    expect(answer.body.data).toEqual({ __typename: 'Query' });
  }
  return { served: max };
}

async function metric(gateway: Gateway, name: string, label = ''): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`, { headers: metricsHeaders(stack) })).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name) && line.includes(label))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

function expectRateLimited(refusal: Answer | undefined): void {
  expect(refusal?.status).toBe(429);
  expect(refusal?.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
  expect(refusal?.body.errors?.[0].message).toMatch(/请求过于频繁.* \/ Too many requests/);
  // Whole seconds, never more than a window.
  expect(refusal?.retryAfter).toMatch(/^\d+$/);
  expect(Number(refusal?.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(refusal?.retryAfter)).toBeLessThanOrEqual(WINDOW_SECONDS);
}

describe('rate limits shared by two gateway replicas through Redis', () => {
  let replicas: Gateway[];
  beforeAll(async () => {
    const shared = { RATE_LIMIT_PREFIX: `rl${randomUUID().slice(0, 8)}` };
    replicas = [await startGateway(shared), await startGateway(shared)];
  });

  const fresh = () => randomUUID().slice(0, 8);
  test.each([
    ['TERMINAL', 'per institution', LIMITS.RATE_LIMIT_TERMINAL, (): Caller => ({ role: 'TERMINAL', institutionId: `H${fresh()}` })],
    ['PARTNER', 'per partner', LIMITS.RATE_LIMIT_PARTNER, (): Caller => ({ role: 'PARTNER', partnerCode: `P${fresh()}` })],
    ['INSURED', 'per person', LIMITS.RATE_LIMIT_INSURED, (): Caller => ({ role: 'INSURED', personId: newId('430700') })],
  ] as const)(
    '%s is limited %s: 429 with Retry-After and RATE_LIMITED, counted by role; another subject is not affected',
    async (role, _per, limit, callerOf) => {
      const [one, other] = [callerOf(), callerOf()];
      const refusedBefore = await metric(replicas[0], 'rate_limited_total', `role="${role}"`);
      const { served, refusal } = await spend([replicas[0]], one, allowance(limit) + 5);
      expect(served).toBe(allowance(limit));
      expectRateLimited(refusal);
      expect(await metric(replicas[0], 'rate_limited_total', `role="${role}"`)).toBe(refusedBefore + 1);
      expect((await ask(replicas[0], other)).status).toBe(200);
    },
  );

  test('an anonymous caller is limited per client address; X-Forwarded-For from an untrusted peer changes nothing', async () => {
    // Anonymous callers of this file all come from 127.0.0.1: this is the only anonymous test on these replicas.
    const { served, refusal } = await spend([replicas[0]], null, allowance(LIMITS.RATE_LIMIT_ANONYMOUS) + 5);
    expect(served).toBe(allowance(LIMITS.RATE_LIMIT_ANONYMOUS));
    expectRateLimited(refusal);
    expect((await ask(replicas[0], null, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(429);
    expect(await metric(replicas[0], 'rate_limited_total', 'role="ANONYMOUS"')).toBeGreaterThanOrEqual(2);
  });

  test('ADMIN and ANALYST are not limited', async () => {
    for (const caller of [{ role: 'ADMIN' }, { role: 'ANALYST' }] as const) {
      const { served } = await spend([replicas[0]], caller, allowance(LIMITS.RATE_LIMIT_TERMINAL) + 10);
      expect(served).toBe(allowance(LIMITS.RATE_LIMIT_TERMINAL) + 10);
    }
  });

  test('two replicas share one count: half the allowance on each spends it on both', async () => {
    const desk = { role: 'TERMINAL' as const, institutionId: `HSHARED${fresh()}` };
    const { served, refusal } = await spend(replicas, desk, allowance(LIMITS.RATE_LIMIT_TERMINAL) + 5);
    // Alternating requests: with a count per replica, each would have served the whole allowance.
    expect(served).toBe(allowance(LIMITS.RATE_LIMIT_TERMINAL));
    expectRateLimited(refusal);
    for (const replica of replicas) expect((await ask(replica, desk)).status).toBe(429);
  });
});

describe('a limit of 0 is off; without Redis each replica limits on its own', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    // Nothing listens on a fresh free port: the shared store is down from the start.
    gateway = await startGateway({ RATE_LIMIT_PARTNER: '0', REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  });

  test('RATE_LIMIT_PARTNER=0: a partner is never limited', async () => {
    const { served } = await spend([gateway], { role: 'PARTNER', partnerCode: 'HSHMB' }, allowance(LIMITS.RATE_LIMIT_TERMINAL) + 10);
    expect(served).toBe(allowance(LIMITS.RATE_LIMIT_TERMINAL) + 10);
  });

  test("Redis down: requests are still answered and limited by the replica's own count, and the fallback is counted", async () => {
    const desk = { role: 'TERMINAL' as const, institutionId: `HNOREDIS${randomUUID().slice(0, 8)}` };
    const { served, refusal } = await spend([gateway], desk, allowance(LIMITS.RATE_LIMIT_TERMINAL) + 5);
    expect(served).toBe(allowance(LIMITS.RATE_LIMIT_TERMINAL));
    expectRateLimited(refusal);
    expect(await metric(gateway, 'rate_limit_store_fallbacks_total')).toBeGreaterThanOrEqual(served + 1);
  });
});

describe('Redis failing while the gateway runs', () => {
  let redis: ChildProcess;
  let gateway: Gateway;
  beforeAll(async () => {
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const probe = new Redis(`redis://127.0.0.1:${port}`);
    await probe.ping();
    probe.disconnect();
    gateway = await startGateway({ REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_PREFIX: `rl${randomUUID().slice(0, 8)}` });
  });
  afterAll(() => {
    redis.kill('SIGCONT');
    redis.kill('SIGKILL');
  });

  test('hung, then answering again, then gone: every request is answered, counted locally only while Redis fails', async () => {
    const desk = { role: 'TERMINAL' as const, institutionId: `HFLAKY${randomUUID().slice(0, 8)}` };
    const fallbacks = () => metric(gateway, 'rate_limit_store_fallbacks_total');
    expect((await ask(gateway, desk)).status).toBe(200);
    expect(await fallbacks()).toBe(0);

    // A hung store (the connection stays open, nothing answers): the command is given up, the request served.
    redis.kill('SIGSTOP');
    try {
      expect((await ask(gateway, desk)).status).toBe(200);
      expect(await fallbacks()).toBe(1);
    } finally {
      redis.kill('SIGCONT');
    }
    expect((await ask(gateway, desk)).status).toBe(200);
    expect(await fallbacks()).toBe(1);

    // A store that is gone: no queue waits for it to come back, and the replica's own count still limits.
    redis.kill('SIGKILL');
    await new Promise((resolve) => redis.once('exit', resolve));
    const { served, refusal } = await spend(
      [gateway],
      { ...desk, institutionId: `${desk.institutionId}B` },
      allowance(LIMITS.RATE_LIMIT_TERMINAL) + 5,
    );
    expect(served).toBe(allowance(LIMITS.RATE_LIMIT_TERMINAL));
    expectRateLimited(refusal);
    expect(await fallbacks()).toBe(1 + served + 1);
  });
});
