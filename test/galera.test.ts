import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { runBankTest } from '../scripts/bankTest';
import { PROVINCE_MIGRATIONS } from '../subgraphs/accounts/migrations';
import { freePort, ROOT, startProcess, stackEnv, startStack, stopStack, waitForHealth, type StackState } from '../scripts/stack';
import { stackClient } from './privateStack';

/**
 * Province 35 on a 3-node MariaDB Galera cluster started by the project's own script
 * (scripts/galera.sh, Debian's mariadb-server and galera-4, rsync SST), as issue 17 asks: the stack
 * writes the province through node 1, the short bank test holds every money invariant there, and
 * what node 1 committed is on node 3 as well.
 */
jest.setTimeout(240_000);

const dir = mkdtempSync(join(tmpdir(), 'galera-'));
// Ports of their own: base+N for SQL, base+100+N replication, +200 IST, +300 SST.
const base = 40_000 + Math.floor(Math.random() * 200) * 10;
const env = { ...process.env, GALERA_DIR: dir, GALERA_BASE_PORT: String(base) };
const galera = (...args: string[]) => execFileSync(join(ROOT, 'scripts', 'galera.sh'), args, { env, encoding: 'utf8' });
let state: StackState | undefined;

beforeAll(async () => {
  galera('start');
  const config = join(dir, 'databases.json');
  writeFileSync(config, JSON.stringify({ provinces: { '35': `mysql://root@127.0.0.1:${base + 1}` } }));
  state = await startStack({ DATABASES_CONFIG: config });
});

afterAll(async () => {
  if (state) await stopStack(state);
  galera('stop');
  rmSync(dir, { recursive: true, force: true });
});

test('the cluster has three synced nodes', () => {
  expect(galera('status').match(/wsrep_local_state_comment=Synced wsrep_cluster_size=3/g)).toHaveLength(3);
});

test('the bank test holds with province 35 on Galera, and node 3 has what node 1 committed', async () => {
  const report = await runBankTest(state as StackState, { durationMs: 4_000, clients: 4 });
  expect(report.lines.filter((line) => line.startsWith('FAIL'))).toEqual([]);
  expect(report.ok).toBe(true);
  const count = async (port: number) => {
    const connection = await createConnection({ uri: `mysql://root@127.0.0.1:${port}/${(state as StackState).prefix}_accounts_35` });
    try {
      // Galera applies a committed write set on the other nodes shortly after: wait for it before reading.
      await connection.query('SET SESSION wsrep_sync_wait = 1');
      const [rows] = await connection.query('SELECT COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS fen FROM ledger_entries');
      return (rows as Array<{ n: number; fen: string }>)[0];
    } finally {
      await connection.end();
    }
  };
  const [node1, node3] = [await count(base + 1), await count(base + 3)];
  expect(Number(node1.n)).toBeGreaterThan(0);
  expect(node3).toEqual(node1);
});

test('two replicas starting at once through two nodes migrate the province once', async () => {
  const stack = state as StackState;
  const prefix = `${stack.prefix}r`;
  const replicas = await Promise.all(
    [1, 2].map(async (node) => {
      const config = join(dir, `node${node}.json`);
      writeFileSync(config, JSON.stringify({ provinces: { '35': `mysql://root@127.0.0.1:${base + node}` } }));
      const port = await freePort();
      const child = startProcess('subgraphs/accounts/main.js', {
        ...stackEnv(stack),
        DB_PREFIX: prefix,
        ACCOUNTS_PORT: String(port),
        DATABASES_CONFIG: config,
      });
      return { child, port };
    }),
  );
  try {
    await Promise.all(replicas.map(({ port }) => waitForHealth(`http://127.0.0.1:${port}/ready`, 90_000)));
    const node3 = await createConnection({ uri: `mysql://root@127.0.0.1:${base + 3}/${prefix}_accounts_35` });
    try {
      await node3.query('SET SESSION wsrep_sync_wait = 1');
      const [rows] = await node3.query('SELECT name, COUNT(*) AS runs FROM schema_migrations GROUP BY name');
      const runs = rows as Array<{ name: string; runs: number }>;
      expect(runs).toHaveLength(PROVINCE_MIGRATIONS.length);
      expect(runs.filter((row) => Number(row.runs) !== 1)).toEqual([]);
    } finally {
      await node3.end();
    }
  } finally {
    for (const { child } of replicas) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const server of [stack.mysqlUrl, `mysql://root@127.0.0.1:${base + 1}`]) {
      const connection = await createConnection({ uri: server });
      const [databases] = await connection.query('SHOW DATABASES');
      for (const { Database } of databases as Array<{ Database: string }>)
        if (Database.startsWith(`${prefix}_`)) await connection.query(`DROP DATABASE \`${Database}\``);
      await connection.end();
    }
  }
});

test('a credential revoked through node 1 moves no money through a replica that reads node 2 before node 2 has applied the revocation', async () => {
  const stack = state as StackState;
  const config = join(dir, 'reads-node2.json');
  writeFileSync(config, JSON.stringify({ provinces: { '35': `mysql://root@127.0.0.1:${base + 2}` } }));
  // A second gateway and accounts replica reading province 35 through node 2; settle itself runs on the stack's settlements.
  const ports = { accounts: await freePort(), gateway: await freePort() };
  const env = { ...stackEnv(stack), ACCOUNTS_PORT: String(ports.accounts), GATEWAY_PORT: String(ports.gateway), DATABASES_CONFIG: config };
  const replicas = [startProcess('subgraphs/accounts/main.js', env), startProcess('gateway/main.js', env)];
  const node2 = await createConnection({ uri: `mysql://root@127.0.0.1:${base + 2}` });
  try {
    for (const port of [ports.accounts, ports.gateway]) await waitForHealth(`http://127.0.0.1:${port}/ready`, 90_000);
    const one = stackClient(stack);
    const two = stackClient({ ...stack, ports: { ...stack.ports, gateway: ports.gateway } });
    const patient = await one.person('350100', 'EMPLOYEE', '100.00');
    const card = await one.card(patient);
    // Node 2 has applied everything so far; then its applier waits on this lock, as a node under load lags.
    await node2.query('SET SESSION wsrep_sync_wait = 1');
    await node2.query('SELECT 1');
    await node2.query('FLUSH TABLES WITH READ LOCK');
    let settling: ReturnType<typeof two.settle>;
    try {
      expect(
        (await one.call({ role: 'ADMIN' }, 'mutation($t: String!) { revokeCredential(token: $t) }', { t: card })).data.revokeCredential,
      ).toBe(true);
      settling = two.settle(patient, card, 'revoked-while-node2-lags');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    } finally {
      await node2.query('UNLOCK TABLES');
    }
    expect((await settling).errors?.map((error) => error.extensions?.code)).toEqual(['CREDENTIAL_INVALID']);
    expect(await one.balance(patient)).toBe('100.00');
  } finally {
    await node2.end();
    for (const child of replicas) child.kill('SIGTERM');
    await Promise.all(replicas.map((child) => new Promise((resolve) => child.once('exit', resolve))));
  }
});
