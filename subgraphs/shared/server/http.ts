import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DomainError, HTTP_STATUS, messageOf, type ErrorCode, type Outcome, SharedError } from '../errors';
import type { Observability } from './observability';
import { servedTraced, stopTracing } from './tracing';

/**
 * The HTTP shell every service shares: request ids, body limits, /metrics, and a clean SIGTERM
 * (stop accepting, let in-flight requests finish within a bound, close pools, exit 0).
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The statuses HTTP itself has for a request refused before its content means anything (a method the
 * path does not take, a body over the limit): more precise than any code's status, so they override it.
 */
export type ProtocolStatus = 405 | 413;

/** An outcome answered as a plain HTTP response; its status follows from its code (HTTP_STATUS). */
export class HttpError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Go out with the answer, e.g. Retry-After with a 429. */
  readonly headers: Record<string, string>;

  constructor(outcome: Outcome, options: { headers?: Record<string, string>; protocolStatus?: ProtocolStatus } = {}) {
    super(messageOf(outcome));
    this.code = outcome.code;
    this.status = options.protocolStatus ?? HTTP_STATUS[outcome.code];
    this.headers = options.headers ?? {};
  }
}

function errorBody(code: ErrorCode, message: string): unknown {
  return { errors: [{ message, extensions: { code } }] };
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  requestId: string;
}

export type Handler = (context: RequestContext) => Promise<void>;

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,100}$/.test(given) ? given : randomUUID();
}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const tooLarge = () => new HttpError(SharedError.bodyTooLarge(limit), { protocolStatus: 413 });
  if (declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export interface ServiceOptions {
  name: string;
  host: string;
  port: number;
  graceMs: number;
  observability: Observability;
  handle: Handler;
  /** When set, GET /metrics answers only with `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  /**
   * The route of a request worth a trace (a GraphQL endpoint, an internal API's contract path), or
   * undefined (probes, assets). Handling it, failure answer and log line included, then runs in a
   * SERVER span continuing the caller's `traceparent`. Only known routes name spans, never a path as sent.
   */
  tracedRoute?: (request: RequestContext) => string | undefined;
  /** Closes pools and whatever else the service holds, after the last request finished. */
  onClose: () => Promise<void>;
}

export interface RunningService {
  server: Server;
  port: number;
  stop(): Promise<void>;
}

/** Whether an Authorization header carries the metrics token; digests of equal length, compared in constant time. */
function opensMetrics(authorization: string | undefined, metricsToken: string | undefined): boolean {
  if (metricsToken === undefined) return true;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(authorization ?? ''), digest(`Bearer ${metricsToken}`));
}

async function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  observability: Observability,
  metricsToken: string | undefined,
): Promise<void> {
  if (!opensMetrics(req.headers.authorization, metricsToken)) {
    throw new HttpError(SharedError.metricsNeedToken, { headers: { 'www-authenticate': 'Bearer realm="metrics"' } });
  }
  sendText(res, 200, observability.registry.contentType, await observability.registry.metrics());
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { observability } = options;
  let stopping: Promise<void> | undefined;
  /** Answers of handlers still running: the pools close only after the last one, even when the grace period cut its connection. */
  const inFlight = new Set<ServerResponse>();
  let lastFinished: (() => void) | undefined;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    // A keep-alive client (another service) would otherwise go on sending on this connection while we stop.
    if (stopping) res.setHeader('connection', 'close');
    inFlight.add(res);
    const request = { req, res, url, requestId };
    /** Answers a failure; rethrows it, so the request's span records it (then the outer catch lets it go). */
    const answerFailure = (error: unknown): never => {
      // The client went away mid-request (e.g. a load generator closing its sockets): nothing to answer.
      if (req.destroyed && (error as { code?: string }).code === 'ECONNRESET') throw error;
      if (error instanceof HttpError || error instanceof DomainError) {
        const status = error instanceof HttpError ? error.status : HTTP_STATUS[error.code];
        const headers = error instanceof HttpError ? error.headers : {};
        if (!res.headersSent) sendJson(res, status, errorBody(error.code, error.message), headers);
        throw error;
      }
      observability.logger.error({ requestId, err: error }, 'unhandled request failure');
      const { unexpected } = SharedError;
      if (!res.headersSent) sendJson(res, HTTP_STATUS[unexpected.code], errorBody(unexpected.code, messageOf(unexpected)));
      else res.destroy();
      throw error;
    };
    const handle = () => options.handle(request).catch(answerFailure);
    const route = url.pathname === '/metrics' ? undefined : options.tracedRoute?.(request);
    const handled =
      url.pathname === '/metrics' && req.method === 'GET'
        ? serveMetrics(req, res, observability, options.metricsToken).catch(answerFailure)
        : route
          ? servedTraced(req.headers, `${req.method} ${route}`, { 'http.route': route }, handle)
          : handle();
    handled
      .finally(() => {
        inFlight.delete(res);
        if (inFlight.size === 0) lastFinished?.();
      })
      .catch(() => undefined);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  observability.logger.info({ host: options.host, port }, `${options.name} listening`);

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      observability.logger.info('stopping: no new connections, finishing in-flight requests');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Requests begun before the stop close their connections once answered too, rather than leave them
      // idle for a client to send more on until the grace period ends.
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      const timer = setTimeout(() => server.closeAllConnections(), options.graceMs);
      await closed;
      clearTimeout(timer);
      if (inFlight.size > 0) await new Promise<void>((resolve) => (lastFinished = resolve));
      await options.onClose();
      await stopTracing();
      observability.logger.info('stopped');
    })();
    return stopping;
  };
  return { server, port, stop };
}

/** SIGTERM and SIGINT stop the service cleanly and exit 0; a second signal exits at once. */
export function exitOnSignals(service: RunningService, observability: Observability): void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(1);
    received = true;
    observability.logger.info({ signal }, 'signal received');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        observability.logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
