import { readFileSync } from 'node:fs';
import { createConnection, type Connection } from 'mysql2/promise';
import { DataSource, type Logger as TypeOrmLogger, type MigrationInterface } from 'typeorm';
import { z } from 'zod';
import type { Env } from '../env';
import { ConfigError } from '../env';
import { fail, SharedError } from '../errors';
import { inBackground, queryOrigin, type Observability } from '../server/observability';
import { migrateUnderLease } from './migrate';
import { countRetriesOf } from './transaction';

/**
 * One database per province per subgraph (DESIGN.md, Regional backends). Which server holds a
 * province comes from DATABASES_CONFIG; every province not named there, and the national registry,
 * live on MYSQL_URL. Database names are derived, so ids route without a directory.
 */
const DatabasesConfigSchema = z
  .object({
    national: z
      .string()
      .regex(/^mysql:\/\//)
      .optional(),
    provinces: z
      .record(
        z.string().regex(/^[1-9][0-9]$/, 'province codes are two digits'),
        z.string().regex(/^mysql:\/\//, 'must start with mysql://'),
      )
      .default({}),
  })
  .strict();
export type DatabasesConfig = z.infer<typeof DatabasesConfigSchema>;

export function readDatabasesConfig(env: Env): DatabasesConfig {
  if (!env.DATABASES_CONFIG) return { provinces: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(env.DATABASES_CONFIG, 'utf8'));
  } catch (error) {
    throw new ConfigError(`DATABASES_CONFIG (${env.DATABASES_CONFIG}): ${(error as Error).message}`);
  }
  const parsed = DatabasesConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`DATABASES_CONFIG: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** The server that holds a province: DATABASES_CONFIG's entry, else MYSQL_URL (one rule for the services and their tools). */
export function provinceServerUrl(config: DatabasesConfig, province: string, defaultUrl: string): string {
  return config.provinces[province] ?? defaultUrl;
}

/** The server of one of a subgraph's databases by its scope: a province code, or `national` for the national registry. */
export function scopeServerUrl(config: DatabasesConfig, scope: string, defaultUrl: string): string {
  return scope === 'national' ? (config.national ?? defaultUrl) : provinceServerUrl(config, scope, defaultUrl);
}

export interface BackendOptions {
  env: Env;
  observability: Observability;
  /** Subgraph that owns the tables, e.g. "accounts". */
  owner: string;
  migrations: Array<new () => MigrationInterface>;
}

/**
 * Counts every statement (START TRANSACTION and COMMIT included: each is a round trip) and every
 * COMMIT. The labelled children are bound once here, so counting a statement allocates nothing.
 */
function countingLogger(observability: Observability, province: string): TypeOrmLogger {
  const counters = (origin: ReturnType<typeof queryOrigin>) => ({
    statements: observability.dbQueries.labels(province, origin),
    commits: observability.sqlCommits.labels(province, origin),
  });
  const byOrigin = { request: counters('request'), background: counters('background') };
  return {
    logQuery: (statement) => {
      const counted = byOrigin[queryOrigin()];
      counted.statements.inc();
      if (statement === 'COMMIT') counted.commits.inc();
    },
    logQueryError: () => undefined,
    logQuerySlow: (time, query) => observability.logger.warn({ province, ms: time, statement: query.slice(0, 80) }, 'slow query'),
    logSchemaBuild: () => undefined,
    logMigration: (message) => observability.logger.info({ province }, message),
    log: () => undefined,
  };
}

/** Reports the pool's open and idle connections (mysql2 keeps them in these lists) on every scrape. */
function watchPool(observability: Observability, province: string, dataSource: DataSource): void {
  const pool = (dataSource.driver as unknown as { pool?: { _allConnections?: { length: number }; _freeConnections?: { length: number } } })
    .pool;
  observability.watchPool(province, () => ({ open: pool?._allConnections?.length ?? 0, idle: pool?._freeConnections?.length ?? 0 }));
}

async function openDatabase(serverUrl: string, database: string, label: string, options: BackendOptions): Promise<DataSource> {
  const admin = await createConnection({ uri: serverUrl });
  let statements: string[];
  try {
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    statements = sessionStatements(await isGaleraNode(admin));
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource({
    type: 'mysql',
    url: `${serverUrl.replace(/\/$/, '')}/${database}`,
    migrations: options.migrations,
    migrationsTableName: 'schema_migrations',
    migrationsRun: false,
    synchronize: false,
    logging: true,
    logger: countingLogger(options.observability, label),
    maxQueryExecutionTime: 1000,
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z',
    extra: { connectionLimit: 10 },
  });
  await dataSource.initialize();
  countRetriesOf(dataSource, options.observability);
  await prepareSessions(dataSource, statements, options.observability, label);
  await migrateUnderLease(dataSource, `${options.owner}:${process.pid}`);
  return dataSource;
}

/**
 * Every transaction runs READ COMMITTED (transaction.ts). It is set once on each pooled connection,
 * as the pool opens it, rather than before each transaction: one round trip fewer per transaction,
 * three per settlement (issue 14). A connection that cannot take it is closed, never used at
 * another level.
 */
const SESSION_ISOLATION = 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED';
/**
 * On a Galera node, a read waits until the node has applied every write set the cluster committed
 * before it. Without it a replica reading through node 2 may, for as long as node 2 lags, not see
 * what another replica committed through node 1 a moment ago: a credential revoked or a person
 * suspended there would still move money here. The wait is one round of the cluster's group
 * communication per read statement and transaction start.
 */
const SESSION_CAUSAL_READS = 'SET SESSION wsrep_sync_wait = 1';

/** Whether the server is a node of a Galera cluster (wsrep_on; MySQL and TiDB have no such variable). */
export async function isGaleraNode(connection: Pick<Connection, 'query'>): Promise<boolean> {
  const [wsrep] = await connection.query("SHOW VARIABLES LIKE 'wsrep_on'");
  return (wsrep as Array<{ Value: string }>)[0]?.Value === 'ON';
}

/**
 * A connection for tools (the bank test's audit, tests) that reads what every node committed: on a
 * Galera node it waits for the write sets other nodes committed, as the services' own connections do.
 */
export async function causalConnection(uri: string): Promise<Connection> {
  const connection = await createConnection({ uri });
  if (await isGaleraNode(connection)) await connection.query(SESSION_CAUSAL_READS);
  return connection;
}

/** What each pooled connection is told first; `galera`: the server is a node of a Galera cluster (wsrep_on). */
function sessionStatements(galera: boolean): string[] {
  return galera ? [SESSION_ISOLATION, SESSION_CAUSAL_READS] : [SESSION_ISOLATION];
}

interface PooledConnection {
  query(sql: string, done: (error: Error | null) => void): void;
  destroy(): void;
}

async function prepareSessions(
  dataSource: DataSource,
  statements: readonly string[],
  observability: Observability,
  province: string,
): Promise<void> {
  const { pool } = dataSource.driver as unknown as {
    pool: { on(event: 'connection', listener: (connection: PooledConnection) => void): void };
  };
  // mysql2 emits 'connection' before it hands a new connection out, and runs a connection's queries in order, so these are its first.
  pool.on('connection', (connection) => {
    for (const statement of statements)
      connection.query(statement, (error) => {
        if (!error) return;
        observability.logger.warn(
          { province, statement, err: { message: error.message } },
          'could not prepare the session; connection closed',
        );
        connection.destroy();
      });
  });
  // The one connection typeorm opened to check the server came before the listener; it is idle and the only one.
  for (const statement of statements) await inBackground(() => dataSource.query(statement));
}

export function databaseName(env: Env, owner: string, province: string): string {
  return `${env.DB_PREFIX}_${owner}_${province}`;
}

/** How often a province that could not be opened is tried again. */
const RECONNECT_INTERVAL_MS = 5_000;
/** A database that does not answer `SELECT 1` within this is reported down (a hung server must not hang readiness). */
const PING_TIMEOUT_MS = 2_000;

export type BackendState = 'up' | 'down';

/** Whether a database answers now, within PING_TIMEOUT_MS. Counted as background SQL: probes are not requests. */
export async function answers(dataSource: DataSource): Promise<BackendState> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<BackendState>((resolve) => {
    timer = setTimeout(() => resolve('down'), PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      inBackground(() => dataSource.query('SELECT 1')).then(
        (): BackendState => 'up',
        (): BackendState => 'down',
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The province backends of one subgraph. A province whose database cannot be reached at start does
 * not stop the service: it answers SERVICE_UNAVAILABLE for that province only, and is opened (and
 * migrated) as soon as its database answers. Scans over every province skip the unavailable ones.
 */
export class ProvinceBackends {
  private readonly connected = new Map<string, DataSource>();
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly configured: readonly string[],
    private readonly options: BackendOptions,
    private readonly urls: ReadonlyMap<string, string>,
  ) {}

  /** Creates every province's database if needed and runs its migrations; unreachable ones are retried. */
  static async open(provinces: readonly string[], options: BackendOptions): Promise<ProvinceBackends> {
    const config = readDatabasesConfig(options.env);
    const backends = new ProvinceBackends(
      provinces,
      options,
      new Map(provinces.map((province) => [province, provinceServerUrl(config, province, options.env.MYSQL_URL)])),
    );
    await backends.connectMissing();
    return backends;
  }

  private async connectMissing(): Promise<void> {
    const missing = [...this.urls].filter(([province]) => !this.connected.has(province));
    await Promise.all(
      missing.map(async ([province, url]) => {
        try {
          const dataSource = await openDatabase(url, databaseName(this.options.env, this.options.owner, province), province, this.options);
          if (this.closed) await dataSource.destroy();
          else this.connected.set(province, dataSource);
          watchPool(this.options.observability, province, dataSource);
        } catch (error) {
          this.options.observability.logger.error(
            { province, err: { message: (error as Error).message, code: (error as { code?: string }).code } },
            `province ${province} backend unavailable; retrying`,
          );
        }
      }),
    );
    if (this.connected.size < this.configured.length && !this.closed) {
      this.retryTimer = setTimeout(() => void inBackground(() => this.connectMissing()), RECONNECT_INTERVAL_MS);
      this.retryTimer.unref();
    }
  }

  /** A subgraph's national database (records of the whole country, e.g. the resident id registry): `<prefix>_<owner>_national`. */
  static async openNational(options: BackendOptions): Promise<DataSource> {
    const config = readDatabasesConfig(options.env);
    return openDatabase(
      scopeServerUrl(config, 'national', options.env.MYSQL_URL),
      databaseName(options.env, options.owner, 'national'),
      'national',
      options,
    );
  }

  /** Every configured province, reachable or not. */
  provinces(): string[] {
    return [...this.configured];
  }

  /** The provinces that can be scanned now. */
  available(): string[] {
    return this.configured.filter((province) => this.connected.has(province));
  }

  has(province: string): boolean {
    return this.configured.includes(province);
  }

  get(province: string): DataSource {
    const dataSource = this.connected.get(province);
    if (dataSource) return dataSource;
    if (!this.has(province)) fail(SharedError.noBackend(province));
    fail(SharedError.databaseUnavailable(province));
  }

  /** Each configured province's state now: down when it was never reached or does not answer in time. */
  async states(): Promise<Record<string, BackendState>> {
    return Object.fromEntries(
      await Promise.all(
        this.configured.map(async (province) => {
          const dataSource = this.connected.get(province);
          return [province, dataSource ? await answers(dataSource) : 'down'] as const;
        }),
      ),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await Promise.all([...this.connected.values()].map((dataSource) => dataSource.destroy()));
  }
}
