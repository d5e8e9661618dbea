import { readFileSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
import { DataSource, type Logger as TypeOrmLogger, type MigrationInterface } from 'typeorm';
import { z } from 'zod';
import type { Env } from '../env';
import { ConfigError } from '../env';
import { fail } from '../errors';
import type { Observability } from '../observability';
import { migrateUnderLease } from './migrate';

/**
 * One database per province per subgraph (DESIGN.md, Regional backends). Which server holds a
 * province comes from DATABASES_CONFIG; every province not named there, and the national registry,
 * live on MYSQL_URL. Database names are derived, so ids route without a directory.
 */
const DatabasesConfigSchema = z.object({
  national: z.string().regex(/^mysql:\/\//).optional(),
  provinces: z.record(z.string().regex(/^[1-9][0-9]$/, 'province codes are two digits'), z.string().regex(/^mysql:\/\//, 'must start with mysql://')).default({}),
}).strict();
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

export interface BackendOptions {
  env: Env;
  observability: Observability;
  /** Subgraph that owns the tables, e.g. "accounts". */
  owner: string;
  migrations: Array<new () => MigrationInterface>;
}

function countingLogger(observability: Observability, province: string): TypeOrmLogger {
  const queries = observability.dbQueries.labels(province);
  return {
    logQuery: () => queries.inc(),
    logQueryError: () => undefined,
    logQuerySlow: (time, query) => observability.logger.warn({ province, ms: time, statement: query.slice(0, 80) }, 'slow query'),
    logSchemaBuild: () => undefined,
    logMigration: (message) => observability.logger.info({ province }, message),
    log: () => undefined,
  };
}

async function openDatabase(serverUrl: string, database: string, label: string, options: BackendOptions): Promise<DataSource> {
  const admin = await createConnection({ uri: serverUrl });
  try {
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
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
  await migrateUnderLease(dataSource, `${options.owner}:${process.pid}`);
  return dataSource;
}

export function databaseName(env: Env, owner: string, province: string): string {
  return `${env.DB_PREFIX}_${owner}_${province}`;
}

export class ProvinceBackends {
  private constructor(private readonly byProvince: ReadonlyMap<string, DataSource>) {}

  /** Creates every province's database if needed and runs its migrations. */
  static async open(provinces: readonly string[], options: BackendOptions): Promise<ProvinceBackends> {
    const config = readDatabasesConfig(options.env);
    const opened = await Promise.all(provinces.map(async (province) => {
      const url = config.provinces[province] ?? options.env.MYSQL_URL;
      return [province, await openDatabase(url, databaseName(options.env, options.owner, province), province, options)] as const;
    }));
    return new ProvinceBackends(new Map(opened));
  }

  /** The national database (resident id registry): one for the whole country. */
  static async openNational(options: BackendOptions): Promise<DataSource> {
    const config = readDatabasesConfig(options.env);
    return openDatabase(config.national ?? options.env.MYSQL_URL, `${options.env.DB_PREFIX}_national`, 'national', options);
  }

  provinces(): string[] {
    return [...this.byProvince.keys()];
  }

  has(province: string): boolean {
    return this.byProvince.has(province);
  }

  get(province: string): DataSource {
    const dataSource = this.byProvince.get(province);
    if (!dataSource) fail('NOT_FOUND', `未配置省份 ${province} 的数据库`, `No backend is configured for province ${province}`);
    return dataSource;
  }

  async close(): Promise<void> {
    await Promise.all([...this.byProvince.values()].map((dataSource) => dataSource.destroy()));
  }
}
