import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { setTimeout as sleep } from 'node:timers/promises';
import { SUBGRAPHS, type ServiceName } from '../subgraphs/shared/env';
import { sumMetric } from './bench/counters';
import { startMariadbServer, type MariadbServer } from './mariadbServer';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import {
  freePort,
  metricsHeaders,
  newTestPrefix,
  ROOT,
  startProcess,
  stackEnv,
  stopStack,
  terminate,
  TEST_SECRETS,
  waitForHealth,
  type StackState,
} from './stack';

/**
 * The replicated topology of issue 17 on one machine:
 *
 *   2 gateways ──▶ 2 replicas of each subgraph (every caller holds the list of both, round-robin with health)
 *   zone a replicas write province 35 through Galera node 1, zone b replicas through node 2 (node 3 only replicates);
 *   province 65 on a second plain MariaDB server; 43, 53 and the national registry on the default server.
 *
 * Used by `npm run cluster` (left running for people to call), by the bank test's `--cluster` run with
 * its failover drill, by the bench's `--cluster` settle figures and by test/topology.test.ts.
 */
export type Zone = 'a' | 'b';
export const ZONES: readonly Zone[] = ['a', 'b'];
/** The Galera node each zone's replicas write province 35 through. */
export const ZONE_NODE: Record<Zone, number> = { a: 1, b: 2 };
const GALERA_NODES = [1, 2, 3];
/** The topology's placement, as a deployment's DATABASES_CONFIG would say it: Fuzhou's province on Galera, Urumqi's on a server of its own. */
const GALERA_PROVINCE = '35';
const OWN_SERVER_PROVINCE = '65';

export interface Replica {
  service: ServiceName | 'gateway';
  zone: Zone;
  port: number;
  pid: number;
  env: NodeJS.ProcessEnv;
  /** Transaction retries this replica counted in earlier lives (a restart starts its counters at 0). */
  earlierRetries: number;
}

export interface Cluster {
  /** The stack as the bank test and the tools see it: zone a's ports and DATABASES_CONFIG, every pid. */
  state: StackState;
  replicas: Replica[];
  gatewayPorts: number[];
  galera: { dir: string; basePort: number };
  provinceServer: MariadbServer;
  dir: string;
}

export interface ClusterOptions {
  /** Holds the Galera data, the second server's data and the zones' DATABASES_CONFIG files. */
  dir: string;
  galeraBasePort: number;
  /** The port of slot n: 0–1 gateways, 10+ accounts, 20+ family, 30+ settlements (zone a, b), 40 the second server. */
  port: (slot: number) => Promise<number>;
  prefix: string;
  secrets: Pick<StackState, 'jwtSecret' | 'serviceSecret' | 'metricsToken'>;
  extraEnv?: NodeJS.ProcessEnv;
}

const SERVICE_SLOT: Record<ServiceName | 'gateway', number> = { gateway: 0, accounts: 10, family: 20, settlements: 30 };
const PORT_VARIABLE: Record<ServiceName | 'gateway', string> = {
  gateway: 'GATEWAY_PORT',
  accounts: 'ACCOUNTS_PORT',
  family: 'FAMILY_PORT',
  settlements: 'SETTLEMENTS_PORT',
};
const URL_VARIABLE: Record<ServiceName, string> = { accounts: 'ACCOUNTS_URL', family: 'FAMILY_URL', settlements: 'SETTLEMENTS_URL' };

export function galera(cluster: Pick<Cluster, 'galera'>, ...args: string[]): Promise<string> {
  const env = { ...process.env, GALERA_DIR: cluster.galera.dir, GALERA_BASE_PORT: String(cluster.galera.basePort) };
  return promisify(execFile)(join(ROOT, 'scripts', 'galera.sh'), args, { env, encoding: 'utf8' }).then(({ stdout }) => stdout);
}

export function galeraNodeUrl(cluster: Pick<Cluster, 'galera'>, node: number): string {
  return `mysql://root@127.0.0.1:${cluster.galera.basePort + node}`;
}

function scriptOf(service: ServiceName | 'gateway'): string {
  return service === 'gateway' ? 'gateway/main.js' : `subgraphs/${service}/main.js`;
}

function launch(replica: Omit<Replica, 'pid'>): Replica {
  return { ...replica, pid: startProcess(scriptOf(replica.service), replica.env).pid };
}

async function waitReady(replica: Replica): Promise<void> {
  await waitForHealth(`http://127.0.0.1:${replica.port}/health`, 90_000);
  await waitForHealth(`http://127.0.0.1:${replica.port}/ready`, 90_000);
}

/** Starts Galera, the second server and every replica; a failure stops what started. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  mkdirSync(options.dir, { recursive: true });
  // Galera's nodes run as the mysql user (galera.sh): it must reach its data below this directory.
  chmodSync(options.dir, 0o755);
  const galeraSettings = { dir: join(options.dir, 'galera'), basePort: options.galeraBasePort };
  await galera({ galera: galeraSettings }, 'start');
  const provinceServer = await startMariadbServer(join(options.dir, 'mariadb-65'), await options.port(40));
  const ports = new Map<string, number>();
  for (const service of [...SUBGRAPHS, 'gateway'] as const)
    for (const [index, zone] of ZONES.entries()) ports.set(`${service}-${zone}`, await options.port(SERVICE_SLOT[service] + index));
  const portOf = (service: ServiceName | 'gateway', zone: Zone) => ports.get(`${service}-${zone}`) as number;
  const configOf = (zone: Zone) => join(options.dir, `databases-zone-${zone}.json`);
  for (const zone of ZONES)
    writeFileSync(
      configOf(zone),
      `${JSON.stringify({ provinces: { [GALERA_PROVINCE]: galeraNodeUrl({ galera: galeraSettings }, ZONE_NODE[zone]), [OWN_SERVER_PROVINCE]: provinceServer.url } }, null, 2)}\n`,
    );
  const state: StackState = {
    prefix: options.prefix,
    mysqlUrl: process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
    ...options.secrets,
    ports: {
      gateway: portOf('gateway', 'a'),
      accounts: portOf('accounts', 'a'),
      family: portOf('family', 'a'),
      settlements: portOf('settlements', 'a'),
    },
    pids: [],
    extraEnv: { ...options.extraEnv, DATABASES_CONFIG: configOf('a') },
  };
  // Every caller reaches every replica of a service: the gateways and the subgraphs calling each other.
  const serviceLists = Object.fromEntries(
    SUBGRAPHS.map((name) => [URL_VARIABLE[name], ZONES.map((zone) => `http://127.0.0.1:${portOf(name, zone)}`).join(',')]),
  );
  const replicaOf = (service: ServiceName | 'gateway', zone: Zone): Omit<Replica, 'pid'> => ({
    service,
    zone,
    port: portOf(service, zone),
    earlierRetries: 0,
    env: { ...stackEnv(state), ...serviceLists, DATABASES_CONFIG: configOf(zone), [PORT_VARIABLE[service]]: String(portOf(service, zone)) },
  });
  const cluster: Cluster = {
    state,
    replicas: [],
    gatewayPorts: ZONES.map((zone) => portOf('gateway', zone)),
    galera: galeraSettings,
    provinceServer,
    dir: options.dir,
  };
  try {
    // Both zones' subgraphs start at once: their migrations meet under the lease row, also through two Galera nodes.
    cluster.replicas = SUBGRAPHS.flatMap((service) => ZONES.map((zone) => launch(replicaOf(service, zone))));
    syncPids(cluster);
    await Promise.all(cluster.replicas.map(waitReady));
    cluster.replicas.push(...ZONES.map((zone) => launch(replicaOf('gateway', zone))));
    syncPids(cluster);
    await Promise.all(cluster.replicas.map(waitReady));
  } catch (error) {
    await stopCluster(cluster, { keepData: false });
    throw error;
  }
  return cluster;
}

function syncPids(cluster: Cluster): void {
  cluster.state.pids = cluster.replicas.map((replica) => replica.pid);
}

/** Stops every replica and server; drops the run's databases and data unless `keepData`. */
export async function stopCluster(cluster: Cluster, { keepData }: { keepData: boolean }): Promise<void> {
  if (keepData) await terminate(cluster.replicas.map((replica) => replica.pid));
  else await stopStack(cluster.state);
  await galera(cluster, 'stop');
  await cluster.provinceServer.stop();
  // KEEP_TEST_DATABASES keeps a test cluster's data and logs for a look afterwards, as it keeps a stack's databases.
  if (!keepData && !process.env.KEEP_TEST_DATABASES) rmSync(cluster.dir, { recursive: true, force: true });
}

/** Sum of a replica's db_transaction_retries_total for one province (0 when it does not answer). */
async function retriesNow(cluster: Cluster, replica: Replica, province: string): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${replica.port}/metrics`, { headers: metricsHeaders(cluster.state) }).then(
    (response) => response.text(),
    () => '',
  );
  return sumMetric(text, 'db_transaction_retries_total', [`province="${province}"`]);
}

/**
 * How zone b goes: `stop`, a clean shutdown (SIGTERM: replicas finish what they began, the node leaves
 * the cluster); `crash`, SIGKILL of the replicas and of the node mid-work (in-flight requests cut, the
 * node's state unknown until it recovers).
 */
export type ZoneLoss = 'stop' | 'crash';

/**
 * The failover drill: Galera node 2 and zone b's replicas of every subgraph go together (a zone
 * lost); the gateways and zone a carry on. After `downMs` the node starts again (it rejoins by IST,
 * or SST after a crash) and so do the replicas. Answers what it did, for the report.
 */
export async function failZoneB(cluster: Cluster, downMs: number, loss: ZoneLoss = 'stop'): Promise<string[]> {
  const lines: string[] = [];
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const zoneB = cluster.replicas.filter((replica) => replica.zone === 'b' && replica.service !== 'gateway');
  for (const replica of zoneB) replica.earlierRetries += await retriesNow(cluster, replica, GALERA_PROVINCE);
  if (loss === 'crash') for (const replica of zoneB) process.kill(replica.pid, 'SIGKILL');
  await Promise.all([
    galera(cluster, loss === 'crash' ? 'kill' : 'stop', String(ZONE_NODE.b)),
    terminate(zoneB.map((replica) => replica.pid)),
  ]);
  lines.push(
    `drill: Galera node ${ZONE_NODE.b} and zone b's ${zoneB.map((replica) => replica.service).join(', ')} ${loss === 'crash' ? 'killed (SIGKILL)' : 'stopped'} (${elapsed()})`,
  );
  const before = await settlementsOnGalera(cluster);
  await sleep(downMs);
  lines.push(
    `drill: ${(await settlementsOnGalera(cluster)) - before} settlements of province 35 written through node ${ZONE_NODE.a} while node ${ZONE_NODE.b} was down`,
  );
  await galera(cluster, 'start', String(ZONE_NODE.b));
  lines.push(`drill: node ${ZONE_NODE.b} rejoined and synced (${elapsed()})`);
  const restarted = zoneB.map((replica) => launch(replica));
  cluster.replicas = cluster.replicas.map((replica) => restarted.find((again) => again.port === replica.port) ?? replica);
  syncPids(cluster);
  await Promise.all(restarted.map(waitReady));
  lines.push(`drill: zone b's replicas ready again (${elapsed()})`);
  return lines;
}

/** Rows of the Galera province's settlements table, read on zone a's node. */
async function settlementsOnGalera(cluster: Cluster): Promise<number> {
  const connection = await createConnection({
    uri: `${galeraNodeUrl(cluster, ZONE_NODE.a)}/${cluster.state.prefix}_settlements_${GALERA_PROVINCE}`,
  });
  try {
    const [rows] = await connection.query('SELECT COUNT(*) AS n FROM settlements');
    return Number((rows as Array<{ n: number }>)[0].n);
  } finally {
    await connection.end();
  }
}

/** Transaction retries per Galera node (by the replicas writing through it) and each node's own certification counters. */
export async function retriesPerNode(cluster: Cluster): Promise<string[]> {
  const lines: string[] = [];
  for (const node of GALERA_NODES) {
    const writers = cluster.replicas.filter((replica) => replica.service !== 'gateway' && ZONE_NODE[replica.zone] === node);
    let retries = 0;
    for (const replica of writers) retries += replica.earlierRetries + (await retriesNow(cluster, replica, GALERA_PROVINCE));
    const connection = await createConnection({ uri: galeraNodeUrl(cluster, node), connectTimeout: 2_000 }).catch(() => undefined);
    let status = 'down';
    if (connection) {
      const [rows] = await connection.query(
        "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_cluster_size', 'wsrep_local_cert_failures', 'wsrep_local_bf_aborts', 'wsrep_local_commits')",
      );
      await connection.end();
      status = (rows as Array<{ Variable_name: string; Value: string }>).map((row) => `${row.Variable_name}=${row.Value}`).join(' ');
    }
    lines.push(`node ${node}: ${writers.length} replicas write through it, ${retries} transaction retries of province 35; ${status}`);
  }
  return lines;
}

/**
 * A fresh cluster for a test run: its own directory, free ports, Galera on a random block of ports
 * (base+1…3 SQL, +101…103 replication, +201…203 IST, +301…303 SST), fresh databases.
 */
export function startTestCluster(extraEnv: NodeJS.ProcessEnv = {}): Promise<Cluster> {
  return startCluster({
    dir: mkdtempSync(join(tmpdir(), 'cluster-')),
    galeraBasePort: 40_000 + Math.floor(Math.random() * 200) * 10,
    port: () => freePort(),
    prefix: newTestPrefix(),
    secrets: TEST_SECRETS,
    extraEnv,
  });
}

/** `npm run cluster`: the topology on fixed ports (CLUSTER_BASE_PORT, default 4100), until Ctrl-C; data kept in .cluster/. */
async function main(): Promise<void> {
  const base = Number(process.env.CLUSTER_BASE_PORT ?? 4100);
  const cluster = await startCluster({
    dir: join(ROOT, '.cluster'),
    galeraBasePort: Number(process.env.GALERA_BASE_PORT ?? 33070),
    port: async (slot) => base + slot,
    prefix: process.env.DB_PREFIX ?? 'cluster',
    secrets: {
      jwtSecret: process.env.JWT_SECRET ?? 'dev-jwt-secret-0123456789abcdef',
      serviceSecret: process.env.SERVICE_SECRET ?? 'dev-service-secret-0123456789abcdef',
      metricsToken: process.env.METRICS_TOKEN ?? 'dev-metrics-token-0123456789abcdef',
    },
    extraEnv: { NODE_ENV: 'development', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
  });
  for (const replica of cluster.replicas)
    console.log(`${replica.service.padEnd(12)} zone ${replica.zone}: http://127.0.0.1:${replica.port} (pid ${replica.pid})`);
  for (const node of GALERA_NODES) console.log(`galera node ${node}: ${galeraNodeUrl(cluster, node)}`);
  console.log(`province 65: ${cluster.provinceServer.url}; everything else: ${cluster.state.mysqlUrl}`);
  console.log('Ctrl-C stops every process and server; the data stays in .cluster/ for the next start.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await stopCluster(cluster, { keepData: true });
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
