import { createConnection } from 'mysql2/promise';
import { setTimeout as sleep } from 'node:timers/promises';
import { runBankTest } from '../scripts/bankTest';
import { failZoneB, galera, galeraNodeUrl, retriesPerNode, startTestCluster, stopCluster, type Cluster } from '../scripts/cluster';
import { PROVINCE_MIGRATIONS } from '../subgraphs/accounts/migrations';

/**
 * Issue 17's topology, started by the project's own script (scripts/cluster.ts): 2 gateways, 2
 * replicas of each subgraph reached through lists of URLs, province 35 on a 3-node Galera cluster
 * written through node 1 by zone a and node 2 by zone b, province 65 on a second MariaDB server. The
 * short bank test runs through both gateways while a zone (node 2 and its replicas) is lost and
 * comes back; every money invariant holds afterwards and node 2 has what node 1 has.
 */
jest.setTimeout(300_000);

let cluster: Cluster | undefined;
const started = () => cluster as Cluster;

async function onNode<T>(node: number, database: string, sql: string): Promise<T> {
  const connection = await createConnection({ uri: `${galeraNodeUrl(started(), node)}/${started().state.prefix}_${database}` });
  try {
    // Galera applies a committed write set on the other nodes shortly after: wait for it before reading.
    await connection.query('SET SESSION wsrep_sync_wait = 1');
    const [rows] = await connection.query(sql);
    return rows as T;
  } finally {
    await connection.end();
  }
}

beforeAll(async () => {
  cluster = await startTestCluster();
});

afterAll(async () => {
  if (cluster) await stopCluster(cluster, { keepData: false });
});

test('the Galera cluster has three synced nodes', async () => {
  expect((await galera(started(), 'status')).match(/wsrep_local_state_comment=Synced wsrep_cluster_size=3/g)).toHaveLength(3);
});

test('both zones started at once through two nodes, and the province was migrated once', async () => {
  const runs = await onNode<Array<{ name: string; runs: number }>>(
    3,
    'accounts_35',
    'SELECT name, COUNT(*) AS runs FROM schema_migrations GROUP BY name',
  );
  expect(runs).toHaveLength(PROVINCE_MIGRATIONS.length);
  expect(runs.filter((row) => Number(row.runs) !== 1)).toEqual([]);
});

test('the bank test holds through two gateways while node 2 and zone b are lost and come back', async () => {
  const report = await runBankTest(started().state, {
    durationMs: 10_000,
    clients: 6,
    gatewayPorts: started().gatewayPorts,
    alongside: () => sleep(4_000).then(() => failZoneB(started(), 4_000)),
  });
  const perNode = await retriesPerNode(started());
  console.log([...report.lines, ...perNode].join('\n'));
  expect(report.lines.filter((line) => line.startsWith('FAIL'))).toEqual([]);
  expect(report.ok).toBe(true);
  // Writes went on through node 1 while node 2 was down, and through node 2 again once it was back (its counters start at its restart).
  const during = report.lines.find((line) => line.includes('while node 2 was down')) ?? '';
  expect(Number(during.match(/drill: (\d+) settlements/)?.[1])).toBeGreaterThan(0);
  expect(perNode[1]).toMatch(/wsrep_local_state_comment=Synced/);
  expect(Number(perNode[1].match(/wsrep_local_commits=(\d+)/)?.[1])).toBeGreaterThan(0);
  // Node 2 rejoined with everything node 1 committed, also what was written while it was down.
  const ledger = 'SELECT COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS fen FROM ledger_entries';
  const [node1, node2] = [await onNode(1, 'accounts_35', ledger), await onNode(2, 'accounts_35', ledger)];
  expect(node2).toEqual(node1);
});
