import type { z } from 'zod';
import type { InternalContract } from './contracts/contract';
import { DomainError, fail, isKnownCode, SharedError } from './errors';
import { HttpError, readBody, sendJson, type RequestContext } from './server/http';
import { REQUEST_ID_HEADER, SERVICE_SIGNATURE_HEADER, signServiceCall, verifyServiceCall } from './identity';
import type { Observability } from './server/observability';
import { HttpClient, type PostAnswer } from './server/httpClient';
import { SpanKind, traced } from './server/tracing';

/**
 * Internal APIs between services (never through the public gateway): JSON over HTTP, every call
 * signed with SERVICE_SECRET over its path and body. What each API takes and answers is its
 * contract (contracts/): the serving subgraph routes a contract to its handler, callers call the
 * contract. An expected refusal travels as `{ error: { code, zh, en } }` and becomes the same
 * DomainError on the caller's side.
 */
export interface InternalRoute {
  path: string;
  /** Validates a request body against the route's contract (HTTP 400 when it does not hold) and returns the call that serves it. */
  accept(body: unknown): (requestId: string) => Promise<unknown>;
}

/** A subgraph's internal API: its routes by path. */
export type InternalRoutes = ReadonlyMap<string, InternalRoute>;

export function route<RequestSchema extends z.ZodType, ResponseSchema extends z.ZodType>(
  api: InternalContract<RequestSchema, ResponseSchema>,
  run: (request: z.output<RequestSchema>, requestId: string) => Promise<z.input<ResponseSchema>>,
): InternalRoute {
  return {
    path: api.path,
    accept(body) {
      const parsed = api.request.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new HttpError(SharedError.internalRequestInvalid(issue.path.join('.'), issue.message));
      }
      return (requestId) => run(parsed.data, requestId);
    },
  };
}

/** The routes a subgraph serves; a path served twice is a mistake, refused at start. */
export function internalRoutes(...routes: InternalRoute[]): InternalRoutes {
  const byPath = new Map<string, InternalRoute>();
  for (const served of routes) {
    if (byPath.has(served.path)) throw new Error(`internal route ${served.path} is served twice`);
    byPath.set(served.path, served);
  }
  return byPath;
}

/** Each route's bound counter child, made on its first call: counting a call then allocates nothing. */
const routeCounters = new WeakMap<InternalRoute, { inc(): void }>();

function calledRoute(observability: Observability, served: InternalRoute): { inc(): void } {
  let counter = routeCounters.get(served);
  if (!counter) {
    counter = observability.internalCalls.labels(served.path);
    routeCounters.set(served, counter);
  }
  return counter;
}

export async function serveInternal(
  routes: InternalRoutes,
  context: RequestContext,
  secret: string,
  observability: Observability,
): Promise<void> {
  const { req, res, url, requestId } = context;
  const target = routes.get(url.pathname);
  if (!target || req.method !== 'POST') throw new HttpError(SharedError.noInternalRoute);
  const body = await readBody(req);
  const signature = req.headers[SERVICE_SIGNATURE_HEADER];
  if (!verifyServiceCall(url.pathname, body, typeof signature === 'string' ? signature : undefined, secret)) {
    throw new HttpError(SharedError.internalCallUnsigned);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new HttpError(SharedError.bodyNotJson);
  }
  const serve = target.accept(json);
  calledRoute(observability, target).inc();
  const started = performance.now();
  try {
    sendJson(res, 200, { result: await serve(requestId) });
    observability.logger.info(
      { requestId, route: url.pathname, outcome: 'OK', ms: Math.round(performance.now() - started) },
      'internal call',
    );
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    observability.logger.info(
      { requestId, route: url.pathname, outcome: error.code, ms: Math.round(performance.now() - started) },
      'internal call',
    );
    sendJson(res, 200, { error: { code: error.code, zh: error.zh, en: error.en } });
  }
}

export class InternalClient {
  private readonly http: HttpClient;

  /** `baseUrls`: the called service's replicas (serviceUrls); `observability`: see HttpClient. */
  constructor(
    baseUrls: readonly string[],
    private readonly secret: string,
    observability?: Observability,
    private readonly timeoutMs = 10_000,
  ) {
    this.http = new HttpClient(baseUrls, observability);
  }

  /** Calls one internal API; the answer is checked against its contract, so a drifted server fails loudly here. */
  async call<RequestSchema extends z.ZodType, ResponseSchema extends z.ZodType>(
    api: InternalContract<RequestSchema, ResponseSchema>,
    request: z.input<RequestSchema>,
    requestId: string,
  ): Promise<z.output<ResponseSchema>> {
    const { path } = api;
    return traced(`internal ${path}`, SpanKind.CLIENT, { 'http.route': path }, async () => {
      const body = JSON.stringify(request);
      let answer: PostAnswer;
      try {
        answer = await this.http.post(
          path,
          body,
          { [SERVICE_SIGNATURE_HEADER]: signServiceCall(path, body, this.secret), [REQUEST_ID_HEADER]: requestId },
          this.timeoutMs,
        );
      } catch {
        fail(SharedError.internalServiceUnavailable);
      }
      return this.accept(api, answer);
    });
  }

  /** The answer of one call: its result checked against the contract, or the refusal it carries as the same DomainError. */
  private accept<ResponseSchema extends z.ZodType>(
    api: InternalContract<z.ZodType, ResponseSchema>,
    answer: PostAnswer,
  ): z.output<ResponseSchema> {
    const { path } = api;
    const payload = parseOrEmpty(answer.text) as { result?: unknown; error?: { code: string; zh: string; en: string } };
    if (payload.error && isKnownCode(payload.error.code)) {
      const { code, zh, en } = payload.error;
      throw new DomainError({ code, zh, en });
    }
    if (answer.status < 200 || answer.status > 299 || !('result' in payload))
      throw new Error(`internal call ${path} failed with HTTP ${answer.status}`);
    const result = api.response.safeParse(payload.result);
    if (!result.success)
      throw new Error(
        `internal call ${path} answered outside its contract: ${result.error.issues[0].path.join('.')}: ${result.error.issues[0].message}`,
      );
    return result.data;
  }
}

/** A body that is not JSON (a proxy's error page, a cut connection) reads as empty, so the status decides. */
function parseOrEmpty(text: string): object {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}
