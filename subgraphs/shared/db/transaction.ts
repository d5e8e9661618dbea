import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, fail, SharedError } from '../errors';
import type { Observability } from '../server/observability';
import { SpanKind, traced } from '../server/tracing';

/**
 * Errors after which the whole transaction may simply run again: deadlock (and Galera certification
 * failure at COMMIT), lock wait timeout, cluster node not ready / commit error, TiDB write conflicts.
 * Idempotency keys (UNIQUE columns) make a retry after a lost COMMIT safe.
 */
const RETRYABLE_ERRNOS = new Set([1213, 1205, 1047, 1180, 8002, 8005, 8022]);
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'PROTOCOL_CONNECTION_LOST',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'ER_CONNECTION_KILLED',
  'EPIPE',
]);
const MAX_ATTEMPTS = 10;
const MAX_BACKOFF_MS = 50;
const DUPLICATE_KEY = 1062;

export type Sql = Pick<EntityManager, 'query'>;

/**
 * Thrown inside `inTransaction` when a guarded write finds its row changed since it was read (a
 * conditional update that matched nothing): under a cluster without global row locks a concurrent
 * writer can slip in. The whole transaction then runs again, exactly as after a deadlock.
 */
export class RetryableConflict extends Error {
  override readonly name = 'RetryableConflict';
}

/** TypeORM wraps driver errors; the MySQL error number may sit on either. */
export function errnoOf(error: unknown): number | undefined {
  const direct = (error as { errno?: number }).errno;
  return direct ?? (error as { driverError?: { errno?: number } }).driverError?.errno;
}

/** A UNIQUE key refused an insert: under an idempotency key, the movement already happened (or is happening). */
export function isDuplicateKey(error: unknown): boolean {
  return errnoOf(error) === DUPLICATE_KEY;
}

/** Whether the statement or transaction may simply run again (see RETRYABLE_ERRNOS and RetryableConflict). */
export function isRetryable(error: unknown): boolean {
  return error instanceof RetryableConflict || RETRYABLE_ERRNOS.has(errnoOf(error) ?? -1);
}

function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? (error as { driverError?: { code?: string } }).driverError?.code;
  return code !== undefined && CONNECTION_FAILURES.has(code);
}

function unavailable(province: string): never {
  fail(SharedError.databaseUnavailable(province));
}

/**
 * Runs `attempt` until it succeeds, as often as a retryable error allows (see isRetryable), with a
 * short random backoff, each retry counted for the province; a lost connection, or a conflict that
 * never clears, ends in SERVICE_UNAVAILABLE.
 */
async function withRetries<T>(
  province: string,
  observability: Observability | undefined,
  attempt: (number: number) => Promise<T>,
): Promise<T> {
  for (let number = 1; ; number += 1) {
    try {
      return await attempt(number);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      if (isConnectionFailure(error)) unavailable(province);
      if (!isRetryable(error)) throw error;
      if (number >= MAX_ATTEMPTS) unavailable(province);
      observability?.transactionRetries.labels(province).inc();
      await sleep(Math.random() * Math.min(MAX_BACKOFF_MS, 2 ** number));
    }
  }
}

/**
 * Runs `work` in one READ COMMITTED transaction (the level every pooled connection is set to, in
 * backends.ts), retried whole on retryable errors and RetryableConflict.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  province: string,
  observability: Observability,
  work: (sql: Sql) => Promise<T>,
): Promise<T> {
  // One span for the transaction with all its attempts: retries show as its `app.attempts`.
  return traced('db.transaction', SpanKind.CLIENT, { 'db.system': 'mysql', 'app.province': province }, (span) =>
    withRetries(province, observability, (attempt) => {
      span?.setAttribute('app.attempts', attempt);
      return dataSource.transaction((manager) => work(manager));
    }),
  );
}

/**
 * Where each data source counts its single statements' retries: registered by backends.ts as it opens
 * the source, so the many callers of `query` need not carry the metrics along.
 */
const retryCounters = new WeakMap<DataSource, Observability>();

export function countRetriesOf(dataSource: DataSource, observability: Observability): void {
  retryCounters.set(dataSource, observability);
}

/**
 * A single statement outside a transaction (its own transaction, autocommit), with connection failures
 * turned into SERVICE_UNAVAILABLE. A deadlock or, on Galera, a certification conflict rolls back the
 * statement alone, so it runs again like a transaction would (Galera itself retries an autocommit
 * statement only `wsrep_retry_autocommit` times, once by default).
 */
export async function query<T = unknown[]>(dataSource: DataSource, province: string, sql: string, params: unknown[] = []): Promise<T> {
  return withRetries(province, retryCounters.get(dataSource), async () => (await dataSource.query(sql, params)) as T);
}
