import { createConnection } from 'mysql2/promise';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadState } from './stack';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function globalTeardown(): Promise<void> {
  const state = loadState();
  for (const pid of state.pids) if (alive(pid)) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (state.pids.some(alive) && Date.now() < deadline) await sleep(100);
  for (const pid of state.pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  if (process.env.KEEP_TEST_DATABASES) return;
  const connection = await createConnection({ uri: state.mysqlUrl });
  try {
    const [rows] = await connection.query('SHOW DATABASES');
    for (const row of rows as Array<{ Database: string }>) {
      if (row.Database.startsWith(`${state.prefix}_`)) await connection.query(`DROP DATABASE \`${row.Database}\``);
    }
  } finally {
    await connection.end();
  }
}
