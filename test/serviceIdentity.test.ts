import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { accountsUrl, familyUrl, gql, newResidentId, REGISTER, settlementsUrl, stack, token } from './client';
import { freePort, stackEnv, startProcess, waitForHealth } from '../scripts/stack';

/**
 * Issue 11, item 7: a signed identity header is bound to the subgraph it was made for and to the exact
 * body it came with. A header captured on the wire between the gateway and accounts (here by a
 * recording proxy in front of accounts, used by a second gateway of this stack) cannot be replayed
 * against another subgraph, with another operation, or by GET.
 */
interface Captured {
  headers: Record<string, string>;
  body: string;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);
const captured: Captured[] = [];
let proxy: Server;
let gateway: ChildProcess;
let gatewayUrl: string;

beforeAll(async () => {
  proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && !HOP_BY_HOP.has(entry[0])),
    );
    if (req.url === '/graphql') captured.push({ headers, body });
    const upstream = await fetch(`${accountsUrl}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === 'POST' ? body : undefined,
    });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const proxyPort = (proxy.address() as { port: number }).port;
  const port = await freePort();
  gateway = startProcess('gateway/main.js', {
    ...stackEnv(stack),
    GATEWAY_PORT: String(port),
    ACCOUNTS_URL: `http://127.0.0.1:${proxyPort}`,
  });
  gatewayUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(`${gatewayUrl}/health`, 30_000);
});

afterAll(async () => {
  const exited = once(gateway, 'exit');
  gateway.kill('SIGTERM');
  await exited;
  proxy.close();
});

/** What an ADMIN's query through the gateway put on the wire to accounts. */
async function captureAdminCall(): Promise<Captured> {
  captured.length = 0;
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await token({ role: 'ADMIN' })}` },
    body: JSON.stringify({ query: '{ regions { code } }' }),
  });
  // The gateway's own call, signed for accounts and this body, is accepted.
  expect(response.status).toBe(200);
  expect(((await response.json()) as { data: { regions: unknown[] } }).data.regions).toHaveLength(5);
  expect(captured).toHaveLength(1);
  return captured[0];
}

function replay(url: string, call: Captured, body: string) {
  return fetch(`${url}/graphql`, { method: 'POST', headers: call.headers, body });
}

test('a captured header works with its own body at its own subgraph only', async () => {
  const call = await captureAdminCall();
  expect((await replay(accountsUrl, call, call.body)).status).toBe(200);
  expect((await replay(familyUrl, call, call.body)).status).toBe(401);
  expect((await replay(settlementsUrl, call, JSON.stringify({ query: '{ __typename }' }))).status).toBe(401);
});

test('a captured ADMIN header with another operation is 401 and registers nobody', async () => {
  const call = await captureAdminCall();
  const idNumber = newResidentId();
  const forged = JSON.stringify({
    query: REGISTER,
    variables: { input: { idNumber, name: '冒名', regionCode: '430700', scheme: 'RESIDENT' } },
  });
  const answer = await replay(accountsUrl, call, forged);
  expect(answer.status).toBe(401);
  expect(((await answer.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  // The id number is still free: the forged registration wrote nothing.
  const clean = await gql(
    REGISTER,
    { input: { idNumber, name: '张三', regionCode: '430700', scheme: 'RESIDENT' } },
    { token: await token({ role: 'ADMIN' }) },
  );
  expect(clean.errors).toBeUndefined();
});

test('a captured header cannot be used by GET, whose operation travels outside the body', async () => {
  const call = await captureAdminCall();
  const answer = await fetch(`${accountsUrl}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: call.headers });
  expect(answer.status).toBe(405);
  expect(answer.headers.get('allow')).toBe('POST');
});
