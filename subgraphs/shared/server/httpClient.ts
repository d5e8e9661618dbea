import { Agent, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { injectTraceContext } from './tracing';

/**
 * The one HTTP client for calls between our own services (gateway → subgraph, subgraph → internal
 * API): POST a JSON text, read the whole answer as text. Built on node:http with a keep-alive agent
 * rather than WHATWG fetch, whose streams, abort signals and header objects cost more CPU per call
 * than the call itself on loopback (issue 14: a third of the gateway's CPU went to fetch).
 */
export interface PostAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** The call did not finish within its time; callers map it to their coded timeout error. */
export class CallTimedOut extends Error {
  override readonly name = 'CallTimedOut';
}

/**
 * Idle pooled sockets close after this, well before the servers' keepAliveTimeout (65 s, http.ts),
 * so a request is never written onto a socket the server is closing at the same moment.
 */
const IDLE_SOCKET_MS = 30_000;

export class HttpClient {
  private readonly agent = new Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' });
  private readonly host: string;
  private readonly port: number;
  private readonly basePath: string;

  /** `baseUrl`: http://host:port[/path], e.g. a subgraph's serviceUrl. */
  constructor(baseUrl: string) {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:') throw new Error(`internal calls go over plain HTTP on the private network, not ${url.protocol}`);
    this.host = url.hostname;
    this.port = Number(url.port || 80);
    this.basePath = url.pathname.replace(/\/$/, '');
  }

  /** POSTs `body` as JSON to baseUrl + path; rejects with CallTimedOut after `timeoutMs`, or with the socket's error. */
  post(path: string, body: string, headers: OutgoingHttpHeaders, timeoutMs: number): Promise<PostAnswer> {
    const sent: OutgoingHttpHeaders = { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    // The called service continues this trace; the identity and service signatures cover other headers and the body, not this one.
    injectTraceContext(sent);
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          agent: this.agent,
          host: this.host,
          port: this.port,
          path: this.basePath + path,
          method: 'POST',
          headers: sent,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', fail);
          incoming.on('end', () => {
            clearTimeout(timer);
            const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
            resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text });
          });
        },
      );
      function fail(error: Error): void {
        clearTimeout(timer);
        reject(error);
      }
      const timer = setTimeout(() => outgoing.destroy(new CallTimedOut(`no answer within ${timeoutMs} ms`)), timeoutMs);
      outgoing.on('error', fail);
      outgoing.end(body);
    });
  }
}
