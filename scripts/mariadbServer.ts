import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A plain MariaDB server of its own (Debian's mariadb-server binaries) on a loopback port, for a
 * province a deployment keeps on another server (issue 17: province 65). Its data stays in `dataDir`,
 * so a stopped server starts again with what it held.
 */
export interface MariadbServer {
  url: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

export async function answers(url: string): Promise<boolean> {
  const connection = await createConnection({ uri: url, connectTimeout: 1_000 }).catch(() => undefined);
  if (!connection) return false;
  await connection.end();
  return true;
}

function run(command: string, args: string[]): Promise<void> {
  const child = spawn(command, args, { stdio: 'ignore' });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`)))),
  );
}

export async function startMariadbServer(dataDir: string, port: number): Promise<MariadbServer> {
  const data = join(dataDir, 'data');
  if (!existsSync(join(data, 'mysql'))) {
    mkdirSync(dataDir, { recursive: true });
    await run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${data}`,
      '--user=root',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ]);
  }
  const server = spawn(
    '/usr/sbin/mariadbd',
    [
      '--no-defaults',
      `--datadir=${data}`,
      '--user=root',
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(dataDir, 'sock')}`,
      '--skip-log-bin',
      '--innodb-buffer-pool-size=64M',
      '--max-connections=1000',
    ],
    { stdio: 'ignore' },
  );
  const url = `mysql://root@127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const stop = async () => {
    if (server.exitCode === null) server.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answers(url))) {
    if (server.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`MariaDB on port ${port} did not start (data in ${dataDir})`);
    }
    await sleep(250);
  }
  return { url, stop };
}
