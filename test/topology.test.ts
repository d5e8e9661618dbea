import { createConnection } from 'mysql2/promise';
import { setTimeout as sleep } from 'node:timers/promises';
import { runBankTest } from '../scripts/bankTest';
import {
  failZoneB,
  galera,
  galeraNodeUrl,
  retriesPerNode,
  startTestCluster,
  stopCluster,
  type Cluster,
  type Zone,
} from '../scripts/cluster';
import { PROVINCE_MIGRATIONS } from '../subgraphs/accounts/migrations';
import { causalConnection } from '../subgraphs/shared/db/backends';
import { freePort, startProcess, waitForHealth } from '../scripts/stack';
import { stackClient } from './privateStack';

/**
 * Issue 17's topology, started by the project's own script (scripts/cluster.ts): 2 gateways, 2
 * replicas of each subgraph reached through lists of URLs, province 35 on a 3-node Galera cluster
 * written through node 1 by zone a and node 2 by zone b, province 65 on a second MariaDB server. The
 * short bank test runs through both gateways while a zone (node 2 and its replicas) crashes and
 * comes back; every money invariant holds afterwards and node 2 has what node 1 has.
 */
jest.setTimeout(300_000);

let cluster: Cluster | undefined;
const started = () => cluster as Cluster;

async function onNode<T>(node: number, database: string, sql: string): Promise<T> {
  // Galera applies a committed write set on the other nodes shortly after: a causal read waits for it.
  const connection = await causalConnection(`${galeraNodeUrl(started(), node)}/${started().state.prefix}_${database}`);
  try {
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

test('the bank test holds through two gateways while node 2 and zone b crash and come back', async () => {
  const report = await runBankTest(started().state, {
    durationMs: 10_000,
    clients: 6,
    gatewayPorts: started().gatewayPorts,
    // A crash, not a clean stop: the replicas' in-flight requests are cut and the node recovers by a state transfer.
    // The others stall the group until they declare the node gone (evs.suspect_timeout, 5 s): 10 s down leaves writes to see.
    alongside: () => sleep(4_000).then(() => failZoneB(started(), 10_000, 'crash')),
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

/** A gateway of its own whose accounts calls reach only `zone`'s accounts replica (so its card checks read that zone's node). */
async function gatewayOnAccountsOf(zone: Zone): Promise<{ port: number; stop: () => Promise<void> }> {
  const accounts = started().replicas.find((replica) => replica.service === 'accounts' && replica.zone === zone);
  const gateway = started().replicas.find((replica) => replica.service === 'gateway' && replica.zone === zone);
  if (!accounts || !gateway) throw new Error(`zone ${zone} has no accounts replica or gateway`);
  const port = await freePort();
  const child = startProcess('gateway/main.js', {
    ...gateway.env,
    GATEWAY_PORT: String(port),
    ACCOUNTS_URL: `http://127.0.0.1:${accounts.port}`,
  });
  await waitForHealth(`http://127.0.0.1:${port}/ready`, 90_000);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

test('a card revoked through node 1 moves no money through a replica reading node 2 before node 2 has applied the revocation', async () => {
  const [viaNode1, viaNode2] = [await gatewayOnAccountsOf('a'), await gatewayOnAccountsOf('b')];
  const node2 = await createConnection({ uri: galeraNodeUrl(started(), 2) });
  try {
    const one = stackClient({ ...started().state, ports: { ...started().state.ports, gateway: viaNode1.port } });
    const two = stackClient({ ...started().state, ports: { ...started().state.ports, gateway: viaNode2.port } });
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
      await sleep(1_000);
    } finally {
      await node2.query('UNLOCK TABLES');
    }
    expect((await settling).errors?.map((error) => error.extensions?.code)).toEqual(['CREDENTIAL_INVALID']);
    expect(await one.balance(patient)).toBe('100.00');
  } finally {
    await node2.end();
    await Promise.all([viaNode1.stop(), viaNode2.stop()]);
  }
});
