import { accountsUrl, credit, gql, metricSum, register, token } from './client';

/** No query may issue SQL per list item: the statements of a request do not grow with its persons. */
/** The part of each person the test looks at. */
type Statement = { personalAccount: { entries: { nodes: Array<{ amount: string }> } } };

async function statementsFor(ids: string[]): Promise<{ count: number; persons: Statement[] }> {
  const fields =
    'region { code } personalAccount { balance entries(first: 5) { nodes { amount balanceAfter beneficiary { name } } hasNextPage } }';
  const query = `query Many { ${ids.map((id, index) => `p${index}: person(id: "${id}") { id ${fields} }`).join('\n')} }`;
  const admin = await token({ role: 'ADMIN' });
  const before = await metricSum(accountsUrl, 'db_queries_total', 'origin="request"');
  const result = await gql(query, {}, { token: admin });
  const after = await metricSum(accountsUrl, 'db_queries_total', 'origin="request"');
  expect(result.errors).toBeUndefined();
  return { count: after - before, persons: Object.values(result.data) };
}

test('person { region personalAccount { entries } } for 50 persons costs what it costs for 5', async () => {
  const ids: string[] = [];
  for (let index = 0; index < 50; index += 1) ids.push(await register(index % 2 === 0 ? '430700' : '430100'));
  await Promise.all(ids.map((id) => credit(id, '12.34')));

  const five = await statementsFor(ids.slice(0, 5));
  const fifty = await statementsFor(ids);
  expect(fifty.persons).toHaveLength(50);
  expect(fifty.persons.every((person) => person.personalAccount.entries.nodes[0].amount === '12.34')).toBe(true);
  expect(fifty.count).toBe(five.count);
  // persons, accounts and entry pages: one statement each for the one province involved.
  expect(fifty.count).toBeLessThanOrEqual(3);
});
