import { Agent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Observability } from './observability';
import { injectTraceContext } from './tracing';

/**
 * The one HTTP client for calls between our own services (gateway → subgraph, subgraph → internal
 * API): POST a JSON text, read the whole answer as text. Built on node:http with a keep-alive agent
 * rather than WHATWG fetch, whose streams, abort signals and header objects cost more CPU per call
 * than the call itself on loopback (issue 14: a third of the gateway's CPU went to fetch).
 *
 * A service may run as several replicas (issue 17): the client takes their URLs and spreads calls
 * round-robin over the ones that are up. In the client rather than a proxy in front of each service:
 * no extra hop and process per call, and the client alone knows whether a failed request ever
 * reached a server, which decides whether it may be sent to another one.
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

/**
 * A replica whose connection failed is passed over this long, then one request probes it again:
 * short, since a replica restarting or coming back should take its share again within a second,
 * and passing it over only saves the refused connection attempt, which costs well under a millisecond.
 */
export const DOWN_COOLDOWN_MS = 1_000;

/**
 * A connection not open by then counts as failed and the call goes to the next replica: the OS would
 * wait minutes for a host that never answers, and a private network connects in a millisecond.
 */
const CONNECT_TIMEOUT_MS = 2_000;

/**
 * How a request failed without any server handling it, the only failures sent to the next replica:
 * `connect`, no connection was ever open (refused, unreachable, unknown host, connect timeout);
 * `reset`, a pooled keep-alive connection was closed before a byte of answer came back, which is
 * what a server closing its idle connections (a replica stopping, http.ts) does to a request written
 * at that moment. A request that may have reached a handler is never sent again: a timeout, or a
 * connection cut after the answer began, stays an error that callers answer with a retryable code.
 */
type NeverArrived = 'connect' | 'reset';
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/** One replica: where it listens, and whether calls pass it over for now. */
class Target {
  readonly host: string;
  readonly port: number;
  readonly basePath: string;
  /** host:port, as configured: names the replica in logs and metric labels. */
  readonly label: string;
  /** Passed over until then (epoch ms); 0 while it is up. */
  downUntilMs = 0;
  /** One request is trying it after its cooldown; the others still pass it over until that one connects or fails. */
  probing = false;

  constructor(baseUrl: string) {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:') throw new Error(`internal calls go over plain HTTP on the private network, not ${url.protocol}`);
    this.host = url.hostname;
    this.port = Number(url.port || 80);
    this.basePath = url.pathname.replace(/\/$/, '');
    this.label = `${this.host}:${this.port}`;
  }

  up(nowMs: number): boolean {
    return this.downUntilMs === 0 || (!this.probing && this.downUntilMs <= nowMs);
  }
}

/** A request's failure, and whether it never reached a server (then it may go to the next replica). */
class AttemptFailed extends Error {
  constructor(
    readonly error: Error,
    readonly neverArrived: NeverArrived | undefined,
  ) {
    super(error.message);
  }
}

export class HttpClient {
  private readonly agent = new Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' });
  private readonly targets: readonly Target[];
  /** Where the next round-robin turn starts. */
  private next = 0;

  /**
   * `baseUrls`: http://host:port[/path] of each replica, e.g. a service's serviceUrls. `observability`,
   * when the caller is a service: replicas going down and back are logged, calls sent again counted.
   */
  constructor(
    baseUrls: readonly string[],
    private readonly observability?: Observability,
  ) {
    if (baseUrls.length === 0) throw new Error('a service needs at least one URL');
    this.targets = baseUrls.map((url) => new Target(url));
  }

  /**
   * POSTs `body` as JSON to a replica's base URL + path; rejects with CallTimedOut after `timeoutMs`,
   * or with the socket's error. A request no replica received goes to the next one at once; when every
   * replica is passed over, they are tried all the same (passing over is advice), and the last error stands.
   */
  async post(path: string, body: string, headers: OutgoingHttpHeaders, timeoutMs: number): Promise<PostAnswer> {
    const sent: OutgoingHttpHeaders = { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    // The called service continues this trace; the identity and service signatures cover other headers and the body, not this one.
    injectTraceContext(sent);
    const deadlineMs = Date.now() + timeoutMs;
    const candidates = this.candidates();
    for (let index = 0; ; index += 1) {
      const target = candidates[index];
      try {
        return await this.send(target, path, body, sent, deadlineMs - Date.now());
      } catch (failed) {
        if (!(failed instanceof AttemptFailed)) throw failed;
        const { error, neverArrived } = failed;
        if (!neverArrived) throw error;
        this.markDown(target, neverArrived, error);
        if (index + 1 === candidates.length || Date.now() >= deadlineMs) throw error;
        this.observability?.callResends.labels(target.label, neverArrived).inc();
        this.takeTurn(candidates[index + 1]);
      } finally {
        target.probing = false;
      }
    }
  }

  /** This call's order of replicas: round-robin over those up, then those passed over. */
  private candidates(): readonly Target[] {
    const { targets } = this;
    if (targets.length === 1) return targets;
    const nowMs = Date.now();
    const rotated = targets.map((_, offset) => targets[(this.next + offset) % targets.length]);
    const ordered = [...rotated.filter((target) => target.up(nowMs)), ...rotated.filter((target) => !target.up(nowMs))];
    this.takeTurn(ordered[0]);
    return ordered;
  }

  /** The next call starts after the replica this one goes to, so the replicas up share calls evenly. */
  private takeTurn(target: Target): void {
    this.next = (this.targets.indexOf(target) + 1) % this.targets.length;
  }

  private markDown(target: Target, failure: NeverArrived, cause: Error): void {
    if (target.downUntilMs === 0)
      this.observability?.logger.warn(
        { target: target.label, failure, code: (cause as NodeJS.ErrnoException).code },
        `replica ${target.label} did not take a call; calls go to the other replicas, trying it again every ${DOWN_COOLDOWN_MS} ms`,
      );
    target.downUntilMs = Date.now() + DOWN_COOLDOWN_MS;
  }

  /** A connection to the replica is open: it is up again. */
  private markUp(target: Target): void {
    if (target.downUntilMs !== 0) this.observability?.logger.info({ target: target.label }, `replica ${target.label} takes calls again`);
    target.downUntilMs = 0;
    target.probing = false;
  }

  /** One request to one replica; a failure says whether the replica never received it. */
  private send(target: Target, path: string, body: string, headers: OutgoingHttpHeaders, timeoutMs: number): Promise<PostAnswer> {
    if (target.downUntilMs !== 0) target.probing = true;
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        { agent: this.agent, host: target.host, port: target.port, path: target.basePath + path, method: 'POST', headers },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', (error) => fail(error, undefined));
          incoming.on('end', () => {
            clearTimeout(timer);
            const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
            resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text });
          });
        },
      );
      let connected = false;
      let socket: Socket | undefined;
      let bytesReadBefore = 0;
      const fail = (error: Error, neverArrived: NeverArrived | undefined) => {
        clearTimeout(timer);
        reject(new AttemptFailed(error, neverArrived));
      };
      const timer = setTimeout(() => outgoing.destroy(new CallTimedOut(`no answer within ${timeoutMs} ms`)), Math.max(timeoutMs, 0));
      outgoing.once('socket', (assigned: Socket) => {
        socket = assigned;
        bytesReadBefore = assigned.bytesRead;
        if (!assigned.connecting) {
          connected = true;
          return;
        }
        const connectTimer = setTimeout(() => outgoing.destroy(connectTimedOut(target)), CONNECT_TIMEOUT_MS);
        assigned.once('connect', () => {
          connected = true;
          clearTimeout(connectTimer);
          this.markUp(target);
        });
        assigned.once('close', () => clearTimeout(connectTimer));
      });
      outgoing.on('error', (error) => fail(error, neverArrived(error, outgoing, connected, socket, bytesReadBefore)));
      outgoing.end(body);
    });
  }
}

function neverArrived(
  error: Error,
  outgoing: ClientRequest,
  connected: boolean,
  socket: Socket | undefined,
  bytesReadBefore: number,
): NeverArrived | undefined {
  if (error instanceof CallTimedOut) return undefined;
  if (!connected) return 'connect';
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return outgoing.reusedSocket && RESET_CODES.has(code) && socket?.bytesRead === bytesReadBefore ? 'reset' : undefined;
}

function connectTimedOut(target: Target): Error {
  return Object.assign(new Error(`no connection to ${target.label} within ${CONNECT_TIMEOUT_MS} ms`), { code: 'ETIMEDOUT' });
}
