import { accountsUrl, familyUrl, gatewayUrl, gql, metricSum, metricsText, settlementsUrl, stack, token } from './client';

/**
 * /metrics is for the scraper (METRICS_TOKEN) and stays bounded whatever clients send: operation
 * labels come from the registered operations, "anonymous" and "other", never a name as sent.
 */
const NAME_LENGTH = 2_000;
const DISTINCT_NAMES = 1_000;

/** The series of a Prometheus text (name and labels of every sample, values aside). */
function series(text: string, prefix: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(0, line.lastIndexOf(' ')))
    .sort();
}

test(`${DISTINCT_NAMES} distinct long operation names grow neither /metrics nor its series, in the gateway and the subgraph they reach`, async () => {
  const nameOf = (index: number) => `Flood${index}_${'x'.repeat(NAME_LENGTH)}`;
  // `regions` is answered by the accounts subgraph, which receives the query planner's `<name>__accounts__0`.
  const send = (index: number) => gql(`query ${nameOf(index)} { regions { code } }`);
  expect((await send(DISTINCT_NAMES)).data.regions.length).toBeGreaterThan(0);
  const before = { gateway: await metricsText(gatewayUrl), accounts: await metricsText(accountsUrl) };
  const othersBefore = [
    await metricSum(gatewayUrl, 'graphql_requests_total', 'operation="other"'),
    await metricSum(accountsUrl, 'graphql_requests_total', 'operation="other"'),
  ];

  for (let first = 0; first < DISTINCT_NAMES; first += 20) {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, offset) => send(first + offset)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
  }

  const after = { gateway: await metricsText(gatewayUrl), accounts: await metricsText(accountsUrl) };
  for (const service of ['gateway', 'accounts'] as const) {
    // Counter values gain digits; one name alone would add more than that.
    expect(after[service].length - before[service].length).toBeLessThan(NAME_LENGTH);
    expect(series(after[service], 'graphql_')).toEqual(series(before[service], 'graphql_'));
    expect(after[service]).not.toContain('Flood');
  }
  // Every one of them was counted, as "other", once in the gateway and once in the subgraph.
  const othersAfter = [
    await metricSum(gatewayUrl, 'graphql_requests_total', 'operation="other"'),
    await metricSum(accountsUrl, 'graphql_requests_total', 'operation="other"'),
  ];
  expect(othersAfter.map((count, index) => count - othersBefore[index])).toEqual([DISTINCT_NAMES, DISTINCT_NAMES]);
});

test('registered operations keep their name as label, in the gateway and in the subgraph; unnamed ones are "anonymous"', async () => {
  const label = (name: string) => `operation="${name}"`;
  const counts = async (name: string) => [
    await metricSum(gatewayUrl, 'graphql_requests_total', label(name)),
    await metricSum(accountsUrl, 'graphql_requests_total', label(name)),
  ];
  const [patientBefore, anonymousBefore] = [await counts('Patient'), await counts('anonymous')];
  // The counter's registered `Patient` (config/counter-operations.graphql), asked by an ADMIN for an unknown person.
  const patient = await gql(
    'query Patient($id: ID!) { person(id: $id) { id name } }',
    { id: '430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P' },
    { token: await token({ role: 'ADMIN' }) },
  );
  expect(patient.data.person).toBeNull();
  expect((await gql('{ regions { code } }')).status).toBe(200);
  expect((await counts('Patient')).map((count, index) => count - patientBefore[index])).toEqual([1, 1]);
  expect((await counts('anonymous')).map((count, index) => count - anonymousBefore[index])).toEqual([1, 1]);
});

test('/metrics of the gateway and of every subgraph answers only with the bearer METRICS_TOKEN', async () => {
  for (const url of [gatewayUrl, accountsUrl, familyUrl, settlementsUrl]) {
    for (const authorization of [undefined, 'Bearer wrong-token', `Bearer ${stack.metricsToken}x`, stack.metricsToken]) {
      const refused = await fetch(`${url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(refused.status).toBe(401);
      const body = (await refused.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.errors[0].message).toMatch(/METRICS_TOKEN/);
    }
    const allowed = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${stack.metricsToken}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('process_cpu_seconds_total');
  }
});
