import { launchStack, planStack, freePort, startProcess, stackEnv, stopStack, waitForHealth, type StackState } from '../scripts/stack';
import { SUBGRAPHS, type ServiceName } from '../subgraphs/shared/env';
import { parseMoney } from '../subgraphs/shared/money';
import { metricSum } from './client';
import { stackClient, type Result } from './privateStack';
import { until } from './until';

/**
 * Issue 17's replicas on a private stack: two gateways over two replicas of each subgraph, every
 * caller reaching each service through the list of its replicas (ACCOUNTS_URL, FAMILY_URL,
 * SETTLEMENTS_URL), all against the same databases. Calls spread over both replicas; when one replica
 * of each subgraph stops (SIGTERM) in the middle of a stream of settlements, every call still succeeds
 * and the ledger has each settlement once.
 */
jest.setTimeout(120_000);

const url = (port: number) => `http://127.0.0.1:${port}`;
let state: StackState;
/** The second replica of each subgraph; the first is the stack's own. */
const secondPorts = {} as Record<ServiceName, number>;
let secondGatewayPort: number;

beforeAll(async () => {
  state = await planStack();
  for (const name of SUBGRAPHS) secondPorts[name] = await freePort();
  const replicas = (name: ServiceName) => `${url(state.ports[name])},${url(secondPorts[name])}`;
  state.extraEnv = { ACCOUNTS_URL: replicas('accounts'), FAMILY_URL: replicas('family'), SETTLEMENTS_URL: replicas('settlements') };
  await launchStack(state);
  secondGatewayPort = await freePort();
  const env = stackEnv(state);
  const started = [
    ...SUBGRAPHS.map((name) =>
      startProcess(`subgraphs/${name}/main.js`, { ...env, [`${name.toUpperCase()}_PORT`]: String(secondPorts[name]) }),
    ),
    startProcess('gateway/main.js', { ...env, GATEWAY_PORT: String(secondGatewayPort) }),
  ];
  // stopStack stops them with the rest.
  state.pids.push(...started.map((child) => child.pid));
  await Promise.all([...SUBGRAPHS.map((name) => secondPorts[name]), secondGatewayPort].map((port) => waitForHealth(`${url(port)}/ready`)));
});

afterAll(async () => {
  if (state) await stopStack(state);
});

/**
 * What a replica served: GraphQL requests (from a gateway) and internal calls (from another subgraph).
 * The stacks of the integration run share one METRICS_TOKEN (planStack), which metricSum sends.
 */
async function served(port: number): Promise<number> {
  return (await metricSum(url(port), 'graphql_requests_total')) + (await metricSum(url(port), 'internal_calls_total'));
}

test('calls spread over both replicas of each subgraph, and go on through the others when one of each stops', async () => {
  const gateways = [stackClient(state), stackClient({ ...state, ports: { ...state.ports, gateway: secondGatewayPort } })];
  const { authorizer, patient, card } = await gateways[0].setup();
  const results: Result[] = [];
  let turn = 0;
  /** A counter settling through the gateways in turn. */
  const settle = async (key: string) => {
    const result = await gateways[turn++ % gateways.length].settle(patient, card, key);
    results.push(result);
    return result;
  };

  const firstPorts = SUBGRAPHS.map((name) => state.ports[name]);
  const replicaPorts = [...firstPorts, ...SUBGRAPHS.map((name) => secondPorts[name])];
  const before = await Promise.all(replicaPorts.map(served));
  for (let index = 0; index < 8; index += 1) await settle(`replicas-${index}`);
  const after = await Promise.all(replicaPorts.map(served));
  expect(replicaPorts.filter((_, index) => after[index] <= before[index])).toEqual([]);

  // Three counters send a stream; once a few settled, the first replica of every subgraph stops.
  const STREAM_LENGTH = 24;
  const STOP_AFTER = 4;
  const secondBefore = await Promise.all(SUBGRAPHS.map((name) => served(secondPorts[name])));
  let next = 0;
  let stopped = false;
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      while (next < STREAM_LENGTH) {
        const index = next;
        next += 1;
        await settle(`replicas-stream-${index}`);
        if (index >= STOP_AFTER && !stopped) {
          stopped = true;
          for (const name of SUBGRAPHS) process.kill(state.pids[SUBGRAPHS.indexOf(name)], 'SIGTERM');
        }
      }
    }),
  );
  expect(results.filter((result) => result.errors || !result.data?.settle?.id)).toEqual([]);
  expect(new Set(results.map((result) => result.data?.settle.id)).size).toBe(8 + STREAM_LENGTH);

  // The first replicas are gone; the second ones took their calls, and both gateways sent the calls
  // that found a first replica closed on to the second.
  for (const port of firstPorts)
    await until(`the replica on ${port} gone`, async () => (await fetch(`${url(port)}/health`).catch(() => undefined)) === undefined);
  const secondAfter = await Promise.all(SUBGRAPHS.map((name) => served(secondPorts[name])));
  expect(SUBGRAPHS.filter((_, index) => secondAfter[index] <= secondBefore[index])).toEqual([]);
  const resends = await Promise.all(
    [state.ports.gateway, secondGatewayPort].map((port) => metricSum(url(port), 'service_call_resends_total')),
  );
  expect(resends[0] + resends[1]).toBeGreaterThan(0);

  // The ledger has every settlement once: the authorizer paid exactly what the answers say.
  const mutualAidFen = results.reduce((sum, result) => sum + parseMoney(result.data?.settle.mutualAidPaid), 0n);
  expect(mutualAidFen).toBeGreaterThan(0n);
  expect(parseMoney(await gateways[1].balance(authorizer))).toBe(parseMoney('5000.00') - mutualAidFen);
});
