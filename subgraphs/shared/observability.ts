import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * Logs and metrics of one process. Every service logs one JSON line per request (request id,
 * operation, role, outcome code, duration) and serves Prometheus text on GET /metrics.
 * Tokens, credentials and full resident id numbers are never logged: pino redacts the headers that
 * carry them, and no code path logs an id number.
 */
export interface Observability {
  logger: Logger;
  registry: Registry;
  requests: Counter<'operation' | 'outcome'>;
  requestSeconds: Histogram<'operation'>;
  dbQueries: Counter<'province' | 'origin'>;
  transactionRetries: Counter<'province'>;
}

export function createObservability(service: string, level: string): Observability {
  const logger = pino({
    level,
    base: { service },
    redact: ['req.headers.authorization', 'req.headers["x-insurance-credential"]', 'token', 'credential', 'idNumber'],
  });
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    logger,
    registry,
    requests: new Counter({ name: 'graphql_requests_total', help: 'Requests by operation and outcome code', labelNames: ['operation', 'outcome'], registers: [registry] }),
    requestSeconds: new Histogram({ name: 'graphql_request_duration_seconds', help: 'Request latency', labelNames: ['operation'], registers: [registry], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] }),
    dbQueries: new Counter({ name: 'db_queries_total', help: 'SQL statements sent, by province backend and origin (request or background work)', labelNames: ['province', 'origin'], registers: [registry] }),
    transactionRetries: new Counter({ name: 'db_transaction_retries_total', help: 'Transactions retried whole on a retryable database error', labelNames: ['province'], registers: [registry] }),
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
export function repeatInBackground(observability: Observability, name: string, intervalMs: number, work: (runId: string) => Promise<unknown>): () => void {
  const run = () => {
    const runId = `${name}-${Date.now()}`;
    inBackground(() => work(runId)).catch((error: unknown) => observability.logger.warn({ requestId: runId, err: error }, `${name} failed; it runs again`));
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
