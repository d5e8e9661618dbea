import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { activeTraceIds, SpanKind, traced } from './tracing';

/**
 * Logs and metrics of one process. Every service logs one JSON line per request (request id,
 * operation, role, outcome code, duration) and serves Prometheus text on GET /metrics.
 * Tokens, credentials and full resident id numbers are never logged: pino redacts the headers that
 * carry them, and no code path logs an id number.
 */
export interface Observability {
  logger: Logger;
  registry: Registry;
  /** The `operation` label of an operation name: see operationLabel. */
  operationLabel(operationName: string | null | undefined): string;
  requests: Counter<'operation' | 'outcome'>;
  requestSeconds: Histogram<'operation'>;
  dbQueries: Counter<'province' | 'origin'>;
  transactionRetries: Counter<'province'>;
  /** COMMITs sent, by province backend and origin: with dbQueries, what a request costs the database in round trips and durable writes. */
  sqlCommits: Counter<'province' | 'origin'>;
  /** Internal API calls served, by route (a contract's path: a bounded set); counted where they arrive. */
  internalCalls: Counter<'route'>;
  /**
   * Calls to our own services sent again to another replica because the first never received them
   * (HttpClient), by the replica that failed (host:port from configuration: a bounded set) and how
   * (`connect`: no connection; `reset`: a pooled connection closed before the request was read).
   */
  callResends: Counter<'target' | 'failure'>;
  /** Registers a pool whose open and idle connections are reported on every scrape of /metrics. */
  watchPool(province: string, read: () => { open: number; idle: number }): void;
  /** Business counters of each service, e.g. settlements by purpose or credential refusals by code. */
  events: Counter<'event' | 'kind'>;
  /** Fen moved, by what moved it (settlement source, premium, refund). */
  moneyMovedFen: Counter<'event' | 'kind'>;
  /**
   * Cross-province pending transfers not yet posted or voided, per province, as the accounts
   * service's hold sweep last counted them: money reserved that no one may use meanwhile.
   */
  holdsOpen: Gauge<'province'>;
}

/** A subgraph receives its part of a planned operation as `<operation>__<subgraph>__<n>`. */
const PLANNED_PART = /^__[A-Za-z_][A-Za-z0-9_]*__\d+$/;

/**
 * Metric labels come from bounded sets only (DESIGN.md, Decisions of the second round): the name of
 * a registered operation (also as the planner's part of it in a subgraph), "anonymous" for none, and
 * "other" for any name a client made up, so no client can grow /metrics or the heap by naming.
 */
export function operationLabel(operationName: string | null | undefined, registered: ReadonlySet<string>): string {
  if (!operationName) return 'anonymous';
  const operation = operationName.split('__', 1)[0];
  if (!registered.has(operation)) return 'other';
  return operation === operationName || PLANNED_PART.test(operationName.slice(operation.length)) ? operation : 'other';
}

/** `destination`: where log lines go, standard output unless a test reads them. */
export function createObservability(
  service: string,
  level: string,
  registeredOperations: ReadonlySet<string> = new Set(),
  destination?: DestinationStream,
): Observability {
  const options: LoggerOptions = {
    level,
    base: { service },
    // Every line of a traced request names its trace (nothing without tracing: tracing.ts).
    mixin: activeTraceIds,
    redact: ['req.headers.authorization', 'req.headers["x-insurance-credential"]', 'token', 'credential', 'idNumber'],
  };
  const logger = destination ? pino(options, destination) : pino(options);
  const registry = new Registry();
  const pools = new Map<string, () => { open: number; idle: number }>();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'db_pool_connections',
    help: 'Connections of each province pool, by state (open, idle)',
    labelNames: ['province', 'state'],
    registers: [registry],
    collect() {
      for (const [province, read] of pools) {
        const { open, idle } = read();
        this.labels(province, 'open').set(open);
        this.labels(province, 'idle').set(idle);
      }
    },
  });
  return {
    logger,
    registry,
    operationLabel: (operationName) => operationLabel(operationName, registeredOperations),
    requests: new Counter({
      name: 'graphql_requests_total',
      help: 'Requests by operation and outcome code',
      labelNames: ['operation', 'outcome'],
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'Request latency',
      labelNames: ['operation'],
      registers: [registry],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
    dbQueries: new Counter({
      name: 'db_queries_total',
      help: 'SQL statements sent, by province backend and origin (request or background work)',
      labelNames: ['province', 'origin'],
      registers: [registry],
    }),
    transactionRetries: new Counter({
      name: 'db_transaction_retries_total',
      help: 'Transactions retried whole on a retryable database error',
      labelNames: ['province'],
      registers: [registry],
    }),
    sqlCommits: new Counter({
      name: 'sql_commits_total',
      help: 'COMMITs sent, by province backend and origin (request or background work)',
      labelNames: ['province', 'origin'],
      registers: [registry],
    }),
    internalCalls: new Counter({
      name: 'internal_calls_total',
      help: 'Internal API calls served, by route',
      labelNames: ['route'],
      registers: [registry],
    }),
    callResends: new Counter({
      name: 'service_call_resends_total',
      help: 'Calls to another service sent again to its next replica, by the replica that never received them and how',
      labelNames: ['target', 'failure'],
      registers: [registry],
    }),
    watchPool: (province, read) => {
      pools.set(province, read);
    },
    events: new Counter({
      name: 'domain_events_total',
      help: 'Settlements by purpose, refunds, premiums, credential refusals by code, suspensions, holds voided on expiry by province',
      labelNames: ['event', 'kind'],
      registers: [registry],
    }),
    moneyMovedFen: new Counter({
      name: 'money_moved_fen_total',
      help: 'Fen moved by settlements (by source and purpose), premiums and refunds',
      labelNames: ['event', 'kind'],
      registers: [registry],
    }),
    holdsOpen: new Gauge({
      name: 'ledger_holds_open',
      help: 'Pending cross-province transfers (holds) neither posted nor voided, per province, at the last hold sweep',
      labelNames: ['province'],
      registers: [registry],
    }),
  };
}

const background = new AsyncLocalStorage<true>();

/**
 * Runs periodic work (recovery passes, hold sweeps, reconnects) so that its SQL is counted apart
 * from the SQL that requests cause: the per-request statement counts stay exact.
 */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return background.run(true, work);
}

export function queryOrigin(): 'request' | 'background' {
  return background.getStore() ? 'background' : 'request';
}

/**
 * Runs `work` now and then every `intervalMs` in the background, logging a failure and trying again
 * next time. Returns the function that stops it. Safe on every replica only for idempotent work.
 */
export function repeatInBackground(
  observability: Observability,
  name: string,
  intervalMs: number,
  work: (runId: string) => Promise<unknown>,
): () => void {
  const run = () => {
    const runId = `${name}-${Date.now()}`;
    // One trace per run, named by the work, rather than a stray root span for each of its transactions and calls.
    inBackground(() => traced(`background ${name}`, SpanKind.INTERNAL, {}, () => work(runId))).catch((error: unknown) =>
      observability.logger.warn({ requestId: runId, err: error }, `${name} failed; it runs again`),
    );
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
