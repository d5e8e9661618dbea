import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepAliveFetcher } from './apolloBaseline';

/** The tuned baseline's fetcher answers as WHATWG fetch would, over one kept-alive connection. */
let server: Server;
let url: string;
const peers = new Set<number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    peers.add(req.socket.remotePort ?? 0);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.statusCode = 201;
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-seen-signature', String(req.headers['x-identity-signature']));
      res.end(JSON.stringify({ method: req.method, body: Buffer.concat(chunks).toString('utf8') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('status, headers and body arrive as sent, and calls share one connection', async () => {
  const send = keepAliveFetcher() as unknown as (url: string, init: object) => Promise<Response>;
  for (const text of ['{"query":"{ a }"}', '{"query":"{ 人 }"}']) {
    const response = await send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-identity-signature': 'sig' },
      body: text,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-seen-signature')).toBe('sig');
    expect(await response.json()).toEqual({ method: 'POST', body: text });
  }
  expect(peers.size).toBe(1);
});
