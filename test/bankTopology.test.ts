import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { runBankTest } from '../scripts/bankTest';
import { freePort, startStack, stopStack, type StackState } from '../scripts/stack';

/**
 * Province 65 on a second MariaDB server of its own (DATABASES_CONFIG), as a deployment puts a
 * province on another server: the stack writes it there, and the bank test's audit must read it
 * there too (issue 17: the audit read every province from the default server).
 */
jest.setTimeout(120_000);

let server: ChildProcess;
let dataDir: string;
let state: StackState | undefined;

async function answers(url: string): Promise<boolean> {
  try {
    const connection = await createConnection({ uri: url });
    await connection.end();
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'second-mariadb-'));
  const port = await freePort();
  const install = spawn('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${join(dataDir, 'data')}`,
    '--user=root',
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ]);
  await new Promise((resolve, reject) => install.on('exit', (code) => (code === 0 ? resolve(code) : reject(new Error(`install ${code}`)))));
  server = spawn('/usr/sbin/mariadbd', [
    '--no-defaults',
    `--datadir=${join(dataDir, 'data')}`,
    '--user=root',
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${join(dataDir, 'sock')}`,
    '--skip-log-bin',
    '--innodb-buffer-pool-size=64M',
    '--max-connections=500',
  ]);
  const url = `mysql://root@127.0.0.1:${port}`;
  for (let tries = 0; tries < 60 && !(await answers(url)); tries += 1) await new Promise((resolve) => setTimeout(resolve, 500));
  const config = join(dataDir, 'databases.json');
  writeFileSync(config, JSON.stringify({ provinces: { '65': url } }));
  state = await startStack({ DATABASES_CONFIG: config });
});

afterAll(async () => {
  if (state) await stopStack(state);
  server?.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  rmSync(dataDir, { recursive: true, force: true });
});

test('the bank test audits every province where DATABASES_CONFIG puts it', async () => {
  const report = await runBankTest(state as StackState, { durationMs: 3_000, clients: 4 });
  expect(report.lines.filter((line) => line.startsWith('FAIL'))).toEqual([]);
  expect(report.ok).toBe(true);
});
