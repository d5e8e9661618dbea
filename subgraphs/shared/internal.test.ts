import { z } from 'zod';
import { contract } from './contracts/contract';
import { DomainError, fail } from './errors';
import { InternalClient, internalRoutes, route, serveInternal } from './internal';
import { startService, type RunningService } from './server/http';
import { createObservability } from './server/observability';

/** The transport every internal API rides on, served in-process: what a contract guarantees on each side. */
const SECRET = 'internal-test-secret';
const double = contract('/internal/test/double', z.object({ n: z.number().int() }), z.object({ doubledN: z.number().int() }));
const count = contract('/internal/test/count', z.object({}), z.object({ count: z.number().int() }));
const refuse = contract('/internal/test/refuse', z.object({}), z.object({}));

let service: RunningService;
let client: InternalClient;
const observability = createObservability('internal-test', 'silent');

beforeAll(async () => {
  const routes = internalRoutes(
    route(double, async ({ n }) => ({ doubledN: n * 2 })),
    // A server still on an older version of the count contract: it answers `total`, not `count`.
    route(contract(count.path, z.object({}), z.object({ total: z.number() })), async () => ({ total: 1 })),
    route(refuse, async () => fail({ code: 'INVALID_STATE', zh: '不行', en: 'Not now' })),
  );
  service = await startService({
    name: 'internal-test',
    host: '127.0.0.1',
    port: 0,
    graceMs: 1_000,
    observability,
    onClose: async () => undefined,
    handle: (context) => serveInternal(routes, context, SECRET, observability),
  });
  client = new InternalClient([`http://127.0.0.1:${service.port}`], SECRET);
});

afterAll(() => service.stop());

test('a call within the contract answers what the contract says', async () => {
  await expect(client.call(double, { n: 21 }, 'r-1')).resolves.toEqual({ doubledN: 42 });
});

test('the serving side refuses a request outside the contract before its handler runs', async () => {
  await expect(client.call(double, { n: 1.5 }, 'r-2')).rejects.toThrow('internal call /internal/test/double failed with HTTP 400');
});

test("an answer outside the contract fails on the caller's side rather than travel on", async () => {
  await expect(client.call(count, {}, 'r-3')).rejects.toThrow('internal call /internal/test/count answered outside its contract: count');
});

test('an expected refusal arrives as the same DomainError', async () => {
  const refusal = client.call(refuse, {}, 'r-4');
  await expect(refusal).rejects.toBeInstanceOf(DomainError);
  await expect(refusal).rejects.toMatchObject({ code: 'INVALID_STATE', zh: '不行', en: 'Not now' });
});

test('every call served is counted by its route, refused ones included, an unknown path under no route', async () => {
  const served = async () =>
    (await observability.internalCalls.get()).values.map(({ labels, value }): [unknown, number] => [labels.route, value]);
  const before = new Map(await served());
  await client.call(double, { n: 1 }, 'r-5');
  await client.call(double, { n: 2 }, 'r-6');
  await expect(client.call(refuse, {}, 'r-7')).rejects.toBeInstanceOf(DomainError);
  await expect(client.call(contract('/internal/test/unknown', z.object({}), z.object({})), {}, 'r-8')).rejects.toThrow();
  const after = new Map(await served());
  expect((after.get(double.path) ?? 0) - (before.get(double.path) ?? 0)).toBe(2);
  expect((after.get(refuse.path) ?? 0) - (before.get(refuse.path) ?? 0)).toBe(1);
  expect(after.has('/internal/test/unknown')).toBe(false);
});

test('a subgraph cannot serve one path twice', () => {
  expect(() =>
    internalRoutes(
      route(double, async () => ({ doubledN: 0 })),
      route(double, async () => ({ doubledN: 1 })),
    ),
  ).toThrow('internal route /internal/test/double is served twice');
});
