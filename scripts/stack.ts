import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, type Connection } from 'mysql2/promise';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { causalConnection, readDatabasesConfig, scopeServerUrl } from '../subgraphs/shared/db/backends';
import { readEnv, SUBGRAPHS } from '../subgraphs/shared/env';
import { projectFile } from '../subgraphs/shared/policy/config';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * One stack of services per jest run (STACK.md, trap 11): compiled once, started on free ports
 * against fresh databases, shared by every test file, stopped and dropped at the end.
 */
export const ROOT = dirname(projectFile('package.json'));
const STATE_FILE = join(ROOT, '.test-stack', 'stack.json');

export interface StackState {
  prefix: string;
  mysqlUrl: string;
  jwtSecret: string;
  serviceSecret: string;
  /** The bearer token every service's /metrics asks for. */
  metricsToken: string;
  ports: { gateway: number; accounts: number; family: number; settlements: number };
  pids: number[];
  /** Environment beyond the defaults, e.g. a fault-injection stack's DATABASES_CONFIG. */
  extraEnv?: NodeJS.ProcessEnv;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function stackEnv(state: StackState): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    MYSQL_URL: state.mysqlUrl,
    DB_PREFIX: state.prefix,
    JWT_SECRET: state.jwtSecret,
    SERVICE_SECRET: state.serviceSecret,
    METRICS_TOKEN: state.metricsToken,
    // Tests, the bank test and the bench send many requests per institution and address: limits high, not off.
    // Counters are kept apart per stack (RATE_LIMIT_PREFIX defaults to DB_PREFIX), so stacks sharing one Redis never meet.
    RATE_LIMIT_TERMINAL: '100000',
    RATE_LIMIT_PARTNER: '100000',
    RATE_LIMIT_INSURED: '100000',
    RATE_LIMIT_ANONYMOUS: '100000',
    GATEWAY_PORT: String(state.ports.gateway),
    ACCOUNTS_PORT: String(state.ports.accounts),
    FAMILY_PORT: String(state.ports.family),
    SETTLEMENTS_PORT: String(state.ports.settlements),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...state.extraEnv,
  };
}

/** A started process, with its pid: spawn leaves the pid undefined only when it could not start the process at all. */
export function startProcess(script: string, env: NodeJS.ProcessEnv): ChildProcess & { pid: number } {
  const child = spawn(process.execPath, [join(ROOT, 'dist', script)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const { pid } = child;
  if (pid === undefined) throw new Error(`${script} could not be started`);
  return Object.assign(child, { pid });
}

export async function waitForHealth(url: string, timeoutMs = 60_000, headers: Record<string, string> = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { headers }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs} ms`);
}

/**
 * A connection to one of a stack's databases (`scope`: a province code or `national`) on the server
 * DATABASES_CONFIG puts it on, reading what every Galera node committed where it is one.
 */
export function connectDatabase(state: StackState, owner: string, scope: string): Promise<Connection> {
  const server = scopeServerUrl(readDatabasesConfig(readEnv(stackEnv(state))), scope, state.mysqlUrl);
  return causalConnection(`${server}/${state.prefix}_${owner}_${scope}`);
}

/** The header that opens a stack's /metrics. */
export function metricsHeaders(state: StackState): Record<string, string> {
  return { authorization: `Bearer ${state.metricsToken}` };
}

export function saveState(state: StackState): void {
  mkdirSync(join(ROOT, '.test-stack'), { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify(state));
}

export function loadState(): StackState {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as StackState;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM each process (a clean stop), then SIGKILL what still runs after 15 s. */
export async function terminate(pids: readonly number[]): Promise<void> {
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (pids.some(alive) && Date.now() < deadline) await sleep(100);
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/** The secrets of every test stack (and test cluster): fixed, long enough, and never a deployment's. */
export const TEST_SECRETS = {
  jwtSecret: 'test-jwt-secret-0123456789abcdef',
  serviceSecret: 'test-service-secret-0123456789abcdef',
  metricsToken: 'test-metrics-token-0123456789abcdef',
} as const;

/** A database prefix no other run on this server has: the time and this process. */
export function newTestPrefix(): string {
  return `t${Date.now().toString(36)}${process.pid.toString(36)}`;
}

/** Starts every subgraph and the gateway from dist/ on free ports against fresh databases named by a new prefix. */
export async function startStack(extraEnv: NodeJS.ProcessEnv = {}): Promise<StackState> {
  return launchStack(await planStack(extraEnv));
}

/**
 * A stack's prefix, secrets and free ports, nothing started yet: for a test whose environment
 * names the stack's own ports (e.g. replicas listed in *_URL), which it then starts with launchStack.
 */
export async function planStack(extraEnv: NodeJS.ProcessEnv = {}): Promise<StackState> {
  return {
    prefix: newTestPrefix(),
    mysqlUrl: process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
    ...TEST_SECRETS,
    ports: { gateway: await freePort(), accounts: await freePort(), family: await freePort(), settlements: await freePort() },
    pids: [],
    extraEnv,
  };
}

/** Starts a planned stack's subgraphs and gateway, and waits until the gateway is ready. */
export async function launchStack(state: StackState): Promise<StackState> {
  const env = stackEnv(state);
  const processes = [...SUBGRAPHS.map((name) => startProcess(`subgraphs/${name}/main.js`, env)), startProcess('gateway/main.js', env)];
  state.pids = processes.map((child) => child.pid);
  try {
    // Every process is live, then the gateway ready: every subgraph's national database answers.
    // A province down on purpose (a fault test's DATABASES_CONFIG) leaves the stack ready.
    const ports = [state.ports.gateway, ...SUBGRAPHS.map((name) => state.ports[name])];
    for (const port of ports) await waitForHealth(`http://127.0.0.1:${port}/health`);
    await waitForHealth(`http://127.0.0.1:${state.ports.gateway}/ready`);
  } catch (error) {
    await stopStack(state);
    throw error;
  }
  return state;
}

/** SIGTERM every process (SIGKILL after 15 s), then drop the run's databases unless KEEP_TEST_DATABASES is set. */
export async function stopStack(state: StackState): Promise<void> {
  await terminate(state.pids);
  if (process.env.KEEP_TEST_DATABASES) return;
  for (const server of serversOf(state)) await dropPrefixed(server, state.prefix);
}

/** Every server the stack wrote to: MYSQL_URL and whatever DATABASES_CONFIG names (a province on a server of its own). */
function serversOf(state: StackState): Set<string> {
  try {
    const { national, provinces } = readDatabasesConfig(readEnv(stackEnv(state)));
    return new Set([state.mysqlUrl, ...(national ? [national] : []), ...Object.values(provinces)]);
  } catch {
    // The configuration a test wrote may be gone already: its own servers are its to clean.
    return new Set([state.mysqlUrl]);
  }
}

/** Drops the run's databases on one server; a server that does not answer (a fault test's closed port) has none. */
async function dropPrefixed(serverUrl: string, prefix: string): Promise<void> {
  const connection = await createConnection({ uri: serverUrl, connectTimeout: 2_000 }).catch(() => undefined);
  if (!connection) return;
  try {
    const [rows] = await connection.query('SHOW DATABASES');
    for (const row of rows as Array<{ Database: string }>) {
      if (row.Database.startsWith(`${prefix}_`)) await connection.query(`DROP DATABASE \`${row.Database}\``);
    }
  } finally {
    await connection.end();
  }
}
