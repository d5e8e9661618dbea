import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startService } from './http';
import { DOWN_COOLDOWN_MS, HttpClient } from './httpClient';
import { createObservability, type Observability } from './observability';

/**
 * The client for calls between services, against real loopback servers standing in for the replicas
 * of one service: calls spread over the replicas that take them, and go to the next one only when the
 * first never received them.
 */
interface Replica {
  name: string;
  port: number;
  /** Requests whose handler ran, by path. */
  seen: string[];
  close(): Promise<void>;
}

const open: Replica[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((replica) => replica.close()));
});

/** A replica answering its name; `handle` replaces that answer. `port` 0 picks a free one. */
type Handle = (req: IncomingMessage, res: ServerResponse) => void;

async function replica(name: string, port = 0, handle: Handle = (_req, res) => res.end(name)): Promise<Replica> {
  const seen: string[] = [];
  const server: Server = createHttpServer((req, res) => {
    seen.push(req.url ?? '');
    req.resume();
    req.on('end', () => handle(req, res));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const started: Replica = {
    name,
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  open.push(started);
  return started;
}

/** A port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const url = (port: number) => `http://127.0.0.1:${port}`;
const post = (client: HttpClient, path = '/call') => client.post(path, '{}', {}, 2_000).then((answer) => answer.text);

async function resends(observability: Observability): Promise<Record<string, number>> {
  const { values } = await observability.callResends.get();
  return Object.fromEntries(values.map(({ labels, value }) => [`${labels.target} ${labels.failure}`, value]));
}

test('calls take turns over the replicas', async () => {
  const [a, b, c] = await Promise.all([replica('a'), replica('b'), replica('c')]);
  const client = new HttpClient([url(a.port), url(b.port), `${url(c.port)}/`]);
  const answers = [];
  for (let call = 0; call < 9; call += 1) answers.push(await post(client));
  expect(answers).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c']);
});

test('a replica that refuses connections is passed over without an error reaching the caller, and the resend is counted', async () => {
  const observability = createObservability('http-client-test', 'silent');
  const down = await closedPort();
  const [a, b] = await Promise.all([replica('a'), replica('b')]);
  const client = new HttpClient([url(down), url(a.port), url(b.port)], observability);
  const answers = [];
  for (let call = 0; call < 6; call += 1) answers.push(await post(client));
  // The first call found it down and went on to the next; the others passed it over for its cooldown.
  expect(answers).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
  expect(await resends(observability)).toEqual({ [`127.0.0.1:${down} connect`]: 1 });
});

test('when every replica is passed over they are tried all the same, and the socket error stands', async () => {
  const down = await closedPort();
  const client = new HttpClient([url(down), url(await closedPort())]);
  await expect(post(client)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  // Both are down now; a replica that came back is found at once, not after its cooldown.
  const back = await replica('back', down);
  await expect(post(client)).resolves.toBe('back');
  expect(back.seen).toHaveLength(1);
});

test('a replica that comes back is used again after the cooldown', async () => {
  const a = await replica('a');
  const port = await closedPort();
  const client = new HttpClient([url(port), url(a.port)]);
  expect(await post(client)).toBe('a');
  const b = await replica('b', port);
  // Within its cooldown it is passed over, then one call probes it and it takes its turns again.
  expect([await post(client), await post(client)]).toEqual(['a', 'a']);
  await sleep(DOWN_COOLDOWN_MS + 50);
  const answers = [];
  for (let call = 0; call < 4; call += 1) answers.push(await post(client));
  expect(answers.sort()).toEqual(['a', 'a', 'b', 'b']);
  expect(b.seen).toHaveLength(2);
});

test('a request a replica received and then dropped is not sent again: that replica saw it once, the other never', async () => {
  const dropping = await replica('dropping', 0, (req) => {
    req.socket.destroy();
  });
  const other = await replica('other');
  const client = new HttpClient([url(dropping.port), url(other.port)]);
  await expect(post(client, '/dropped')).rejects.toMatchObject({ code: 'ECONNRESET' });
  expect(dropping.seen).toEqual(['/dropped']);
  expect(other.seen).toEqual([]);
});

test('a request that times out at a replica is not sent again', async () => {
  const silent = await replica('silent', 0, () => undefined);
  const other = await replica('other');
  const client = new HttpClient([url(silent.port), url(other.port)]);
  await expect(client.post('/slow', '{}', {}, 200)).rejects.toMatchObject({ name: 'CallTimedOut' });
  expect([silent.seen, other.seen]).toEqual([['/slow'], []]);
});

test('a pooled connection a replica closes before reading the request sends it to the next replica', async () => {
  // A replica that answers the first request of a connection, keeps it open, and closes it when the
  // next request arrives without reading it: what a replica closing its idle connections does to a
  // request written at that moment (http.ts, stopping).
  let requests = 0;
  const closing = createTcpServer((socket) => {
    socket.once('data', () => {
      requests += 1;
      socket.write('HTTP/1.1 200 OK\r\nconnection: keep-alive\r\ncontent-length: 7\r\n\r\nclosing');
      socket.once('data', () => socket.destroy());
    });
  });
  await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
  const other = await replica('other');
  const observability = createObservability('http-client-test', 'silent');
  const port = (closing.address() as AddressInfo).port;
  const client = new HttpClient([url(port), url(other.port)], observability);
  try {
    expect(await post(client)).toBe('closing');
    expect(await post(client)).toBe('other');
    // Its turn again, on the pooled connection it closes.
    expect(await post(client)).toBe('other');
    expect(requests).toBe(1);
    expect(await resends(observability)).toEqual({ [`127.0.0.1:${port} reset`]: 1 });
  } finally {
    await new Promise<void>((resolve) => closing.close(() => resolve()));
  }
});

test('a replica stopping cleanly finishes what it started while every new call goes to the other, and then stops at once', async () => {
  const observability = createObservability('http-client-test', 'silent');
  const served = { stopping: 0, other: 0 };
  let release: () => void = () => undefined;
  const slow = new Promise<void>((resolve) => (release = resolve));
  const service = (name: keyof typeof served) =>
    startService({
      name,
      host: '127.0.0.1',
      port: 0,
      graceMs: 5_000,
      observability,
      onClose: async () => undefined,
      handle: async ({ res, url: requested }) => {
        served[name] += 1;
        if (requested.pathname === '/slow') await slow;
        res.end(name);
      },
    });
  const [stopping, other] = await Promise.all([service('stopping'), service('other')]);
  const client = new HttpClient([url(stopping.port), url(other.port)], observability);
  try {
    // Pooled connections to both, then a call still running on the one that stops.
    expect([await post(client), await post(client)]).toEqual(['stopping', 'other']);
    const inFlight = post(client, '/slow');
    await sleep(50);
    const stopped = stopping.stop();
    const answers = [];
    for (let call = 0; call < 6; call += 1) answers.push(await post(client));
    expect(answers).toEqual(Array(6).fill('other'));
    const releasedMs = Date.now();
    release();
    await expect(inFlight).resolves.toBe('stopping');
    await stopped;
    expect(served).toEqual({ stopping: 2, other: 7 });
    // Its last answer closed its connection: the stop waited for no grace period (5 s).
    expect(Date.now() - releasedMs).toBeLessThan(1_000);
  } finally {
    release();
    await other.stop();
  }
});
