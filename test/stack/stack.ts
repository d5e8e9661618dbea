import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * One stack of services per jest run (STACK.md, trap 11): compiled once, started on free ports
 * against fresh databases, shared by every test file, stopped and dropped at the end.
 */
export const ROOT = join(__dirname, '..', '..');
const STATE_FILE = join(ROOT, '.test-stack', 'stack.json');

export interface StackState {
  prefix: string;
  mysqlUrl: string;
  jwtSecret: string;
  serviceSecret: string;
  ports: { gateway: number; accounts: number };
  pids: number[];
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
    GATEWAY_PORT: String(state.ports.gateway),
    ACCOUNTS_PORT: String(state.ports.accounts),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
  };
}

export function startProcess(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [join(ROOT, 'dist', script)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  return child;
}

export async function waitForHealth(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then((response) => response.ok, () => false);
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs} ms`);
}

export function saveState(state: StackState): void {
  mkdirSync(join(ROOT, '.test-stack'), { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify(state));
}

export function loadState(): StackState {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as StackState;
}
