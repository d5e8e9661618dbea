import autocannon from 'autocannon';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Identity } from '../../subgraphs/shared/identity';
import { countsOf, countsPerRequest, type Counts } from './counters';
import type { CpuSampler } from './cpu';

/**
 * One measured run: a scenario's requests sent by autocannon (loopback only, bounded in time) to one
 * server — our gateway, a baseline gateway or a subgraph directly — with every process's CPU and
 * the services' counters read just before and just after the measured part (after a warm-up).
 */
/** How long the servers get to finish the warm-up's abandoned requests before the measured part. */
const DRAIN_MS = 1000;

export interface Request {
  body: string;
  headers: Record<string, string>;
  /** Who the gateway will find the caller to be (from the token): what a baseline or a direct call presents instead. */
  identity: Omit<Identity, 'requestId'>;
}

/** Where a scenario's requests go and how they are dressed for that server. */
export interface Target {
  server: string;
  url: string;
  /** The process that answers the client (the gateway or baseline); null when the client calls a subgraph itself. */
  front: string | null;
  adapt(request: Request): Request;
}

export interface Scenario {
  name: string;
  /** The next request for our gateway; `lane` is a per-connection object the scenario may keep state in. */
  next(lane: Record<string, unknown>): Request;
  /** Sees each answer (e.g. to keep a settlement id for a later refund). */
  answered?(lane: Record<string, unknown>, body: string): void;
  /** Requests checked one by one before the load (several when the scenario mixes kinds). */
  checks?: number;
}

export interface RunResult {
  scenario: string;
  server: string;
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts, non-2xx answers and answers carrying GraphQL errors. */
  errors: number;
  /** µs of CPU per request by process (front, accounts, family, settlements, mariadb); null when not measured. */
  cpuMicros: Record<string, number | null>;
  sqlStatements: number;
  sqlCommits: number;
  internalCalls: number;
  subgraphRequests: number;
}

export interface LoadOptions {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  sampler: CpuSampler;
  /** Each subgraph's /metrics text. */
  scrape(): Promise<string[]>;
}

/** An answer fails when it is not 2xx or carries GraphQL errors: a scenario that only errors must not look fast. */
export function answerFailed(status: number, body: string): boolean {
  return status < 200 || status >= 300 || body.includes('"errors":');
}

async function send(target: Target, request: Request): Promise<{ status: number; body: string }> {
  const adapted = target.adapt(request);
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...adapted.headers },
    body: adapted.body,
  });
  return { status: response.status, body: await response.text() };
}

/** The scenario's first requests, one at a time, outside the load: each must succeed. */
export async function check(scenario: Scenario, target: Target): Promise<void> {
  const lane: Record<string, unknown> = {};
  for (let turn = 0; turn < (scenario.checks ?? 1); turn += 1) {
    const { status, body } = await send(target, scenario.next(lane));
    if (answerFailed(status, body)) throw new Error(`${scenario.name} on ${target.server}: HTTP ${status} ${body.slice(0, 400)}`);
    scenario.answered?.(lane, body);
  }
}

function autocannonRun(scenario: Scenario, target: Target, seconds: number, connections: number) {
  let failed = 0;
  const run = autocannon({
    url: target.url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request, lane) => {
          const next = target.adapt(scenario.next(lane as Record<string, unknown>));
          return { ...request, body: next.body, headers: { ...request.headers, ...next.headers } };
        },
        onResponse: (status, body, lane) => {
          if (answerFailed(status, body)) failed += 1;
          scenario.answered?.(lane as Record<string, unknown>, body);
        },
      },
    ],
  });
  return run.then((result) => ({ result, failed }));
}

export async function measure(scenario: Scenario, target: Target, options: LoadOptions): Promise<RunResult> {
  await check(scenario, target);
  if (options.warmupSeconds > 0) {
    await autocannonRun(scenario, target, options.warmupSeconds, options.connections);
    // autocannon leaves the warm-up's last requests in flight: let them finish before counting.
    await sleep(DRAIN_MS);
  }
  const scrape = async (): Promise<Counts> => countsOf(await options.scrape());
  const countsBefore = await scrape();
  const ticksBefore = options.sampler.read();
  const { result, failed } = await autocannonRun(scenario, target, options.seconds, options.connections);
  const ticksAfter = options.sampler.read();
  const countsAfter = await scrape();
  const requests = result.requests.total;
  const cpu = options.sampler.perRequest(ticksBefore, ticksAfter, requests);
  return {
    scenario: scenario.name,
    server: target.server,
    requestsPerSecond: requests / result.duration,
    requests,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx + failed,
    cpuMicros: {
      front: target.front === null ? null : (cpu[target.front] ?? null),
      accounts: cpu.accounts ?? null,
      family: cpu.family ?? null,
      settlements: cpu.settlements ?? null,
      mariadb: cpu.mariadb ?? null,
    },
    ...countsPerRequest(countsBefore, countsAfter, requests),
  };
}
