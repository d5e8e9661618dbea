import type { ZodType } from 'zod';
import { DomainError, isKnownCode } from './errors';
import { HttpError, readBody, sendJson, type RequestContext } from './server/http';
import { REQUEST_ID_HEADER, SERVICE_SIGNATURE_HEADER, signServiceCall, verifyServiceCall } from './identity';
import type { Observability } from './server/observability';

/**
 * Internal APIs between services (never through the public gateway): JSON over HTTP, every call
 * signed with SERVICE_SECRET over its path and body. An expected refusal travels as
 * `{ error: { code, message } }` and becomes the same DomainError on the caller's side.
 */
export interface InternalRoute<I, O> {
  input: ZodType<I>;
  run(input: I, requestId: string): Promise<O>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type InternalRoutes = Record<string, InternalRoute<any, unknown>>;

export function route<I, O>(input: ZodType<I>, run: (input: I, requestId: string) => Promise<O>): InternalRoute<I, O> {
  return { input, run };
}

export async function serveInternal(routes: InternalRoutes, context: RequestContext, secret: string, observability: Observability): Promise<void> {
  const { req, res, url, requestId } = context;
  const target = routes[url.pathname];
  if (!target || req.method !== 'POST') throw new HttpError(404, 'NOT_FOUND', 'no such internal route');
  const body = await readBody(req);
  const signature = req.headers[SERVICE_SIGNATURE_HEADER];
  if (!verifyServiceCall(url.pathname, body, typeof signature === 'string' ? signature : undefined, secret)) {
    throw new HttpError(401, 'UNAUTHENTICATED', 'unsigned or expired service call');
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'body is not JSON');
  }
  const parsed = target.input.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, 'BAD_REQUEST', `${issue.path.join('.')}: ${issue.message}`);
  }
  const started = performance.now();
  try {
    sendJson(res, 200, { result: await target.run(parsed.data, requestId) });
    observability.logger.info({ requestId, route: url.pathname, outcome: 'OK', ms: Math.round(performance.now() - started) }, 'internal call');
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    observability.logger.info({ requestId, route: url.pathname, outcome: error.code, ms: Math.round(performance.now() - started) }, 'internal call');
    sendJson(res, 200, { error: { code: error.code, zh: error.zh, en: error.en } });
  }
}

export class InternalClient {
  constructor(private readonly baseUrl: string, private readonly secret: string, private readonly timeoutMs = 10_000) {}

  async call<O>(path: string, input: unknown, requestId: string): Promise<O> {
    const body = JSON.stringify(input);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SERVICE_SIGNATURE_HEADER]: signServiceCall(path, body, this.secret), [REQUEST_ID_HEADER]: requestId },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw new DomainError('SERVICE_UNAVAILABLE', '内部服务暂时不可用，请稍后重试', 'An internal service is unavailable; retry later');
    }
    const payload = (await response.json().catch(() => ({}))) as { result?: O; error?: { code: string; zh: string; en: string } };
    if (payload.error && isKnownCode(payload.error.code)) throw new DomainError(payload.error.code, payload.error.zh, payload.error.en);
    if (!response.ok || !('result' in payload)) throw new Error(`internal call ${path} failed with HTTP ${response.status}`);
    return payload.result as O;
  }
}
