import { accountsUrl, codes, credit, familyUrl, gql, metricSum, register, token, type GraphQLResult } from './client';
import { activeBinding, counter, employee, issueCard, settleInputFor } from './counter';

/**
 * Person.mutualAidSources: what each relative's account could pay for me now, by the waterfall's own
 * rule. A Fuzhou child (resident, no account of his own) has a Fuzhou father (2500.00 above Fuzhou's
 * 2000.00 floor) and an Urumqi mother (300.00, cross-province: both regions allow it). For each
 * purpose the sources must be exactly what a quote of a bill larger than all of them takes from each
 * relative, in the same order.
 */
const SOURCES = `query Sources($id: ID!, $purpose: PaymentPurpose!) {
  person(id: $id) { mutualAidSources(purpose: $purpose) { available binding { id relationship authorizer { id } } } }
}`;
const QUOTE = 'query Quote($input: SettleInput!) { quoteSettlement(input: $input) { steps { source amount account { id } } } }';

let child: string;
let father: string;
let mother: string;
let childsCard: string;

const sources = async (purpose: string, caller?: string) =>
  gql(SOURCES, { id: child, purpose }, { token: caller ?? (await token({ role: 'INSURED', personId: child })) });
/** Each source as whose account and how much, in the order answered. */
const figures = (answer: GraphQLResult) =>
  answer.data.person.mutualAidSources.map((source: { available: string; binding: { authorizer: { id: string } } }) => ({
    authorizer: source.binding.authorizer.id,
    amount: source.available,
  }));

/** What a quote of a 10000.00 bill takes from each relative, in waterfall order. */
async function quoted(purpose: string) {
  const desk = await counter();
  const quote = await gql(
    QUOTE,
    { input: settleInputFor(desk.institutionId, child, { purpose, inScopeAmount: '10000.00' }) },
    {
      token: desk.token,
      credential: childsCard,
    },
  );
  return quote.data.quoteSettlement.steps
    .filter((step: { source: string }) => step.source === 'MUTUAL_AID')
    .map((step: { amount: string; account: { id: string } }) => ({ authorizer: step.account.id, amount: step.amount }));
}

beforeAll(async () => {
  child = await register('350100', 'RESIDENT');
  father = await employee('350100', '2500.00');
  mother = await employee('650100', '300.00');
  await activeBinding(father, child, 'CHILD');
  await activeBinding(mother, child, 'CHILD');
  childsCard = await issueCard(child);
});

test("Fuzhou's floor, both regions' purposes and cross-province: the same figures a quote uses, in waterfall order", async () => {
  const pharmacy = await sources('PHARMACY');
  expect(figures(pharmacy)).toEqual([
    { authorizer: father, amount: '500.00' },
    { authorizer: mother, amount: '300.00' },
  ]);
  expect(pharmacy.data.person.mutualAidSources.map((source: { binding: { relationship: string } }) => source.binding.relationship)).toEqual(
    ['CHILD', 'CHILD'],
  );
  expect(figures(pharmacy)).toEqual(await quoted('PHARMACY'));
  // VACCINE: Fuzhou shares it, Urumqi does not, so the mother's account may pay nothing.
  expect(figures(await sources('VACCINE'))).toEqual([
    { authorizer: father, amount: '500.00' },
    { authorizer: mother, amount: '0.00' },
  ]);
  expect(figures(await sources('VACCINE'))).toEqual(await quoted('VACCINE'));
  // 惠民保: Urumqi shares it, the patient's Fuzhou does not, so neither account may pay for him.
  expect(figures(await sources('COMMERCIAL_HEALTH_INSURANCE'))).toEqual([
    { authorizer: father, amount: '0.00' },
    { authorizer: mother, amount: '0.00' },
  ]);
});

test('now: a credit to the father shows at once; a child no longer insured has no sources', async () => {
  await credit(father, '100.00');
  expect(figures(await sources('PHARMACY'))).toEqual([
    { authorizer: father, amount: '600.00' },
    { authorizer: mother, amount: '300.00' },
  ]);
  expect(figures(await sources('PHARMACY'))).toEqual(await quoted('PHARMACY'));

  const other = await register('350100', 'RESIDENT');
  await activeBinding(father, other, 'CHILD');
  const admin = await token({ role: 'ADMIN', region: '350100' });
  const STATUS = 'mutation($id: ID!, $status: EnrollmentStatus!) { setEnrollmentStatus(personId: $id, status: $status) { status } }';
  expect((await gql(STATUS, { id: other, status: 'SUSPENDED' }, { token: admin })).data.setEnrollmentStatus.status).toBe('SUSPENDED');
  expect((await gql(SOURCES, { id: other, purpose: 'PHARMACY' }, { token: admin })).data.person.mutualAidSources).toEqual([]);
});

test('the person himself or an ADMIN of his region; nobody else', async () => {
  expect(figures(await sources('PHARMACY', await token({ role: 'ADMIN', region: '350100' })))).toHaveLength(2);
  expect(figures(await sources('PHARMACY', await token({ role: 'ADMIN' })))).toHaveLength(2);
  for (const caller of [await token({ role: 'INSURED', personId: father }), await token({ role: 'ADMIN', region: '650100' })]) {
    const refused = await sources('PHARMACY', caller);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.data?.person?.mutualAidSources ?? null).toBeNull();
  }
  for (const caller of [
    await token({ role: 'ANALYST' }),
    await token({ role: 'PARTNER', partnerCode: 'HSHMB' }),
    (await counter()).token,
  ]) {
    expect(codes(await sources('PHARMACY', caller))).toContain('FORBIDDEN');
  }
});

// After the credit above: the father has 600.00 above the floor.
test('several persons and purposes in one request, each with its own answer', async () => {
  const admin = await token({ role: 'ADMIN' });
  const both = await gql(
    `query($a: ID!, $b: ID!) {
      a: person(id: $a) { mutualAidSources(purpose: PHARMACY) { available } }
      b: person(id: $b) { mutualAidSources(purpose: PHARMACY) { available } }
      c: person(id: $a) { mutualAidSources(purpose: VACCINE) { available } }
    }`,
    { a: child, b: father },
    { token: admin },
  );
  expect(both.data).toEqual({
    a: { mutualAidSources: [{ available: '600.00' }, { available: '300.00' }] },
    b: { mutualAidSources: [] },
    c: { mutualAidSources: [{ available: '600.00' }, { available: '0.00' }] },
  });
});

/**
 * The gateway fetches the sources of a list of persons (an authorizer's beneficiaries) from this
 * subgraph in one request: they are gathered together, so six cost what two cost.
 */
test('no statement per person: the sources of six beneficiaries cost what those of two cost', async () => {
  const [ofSix, ofTwo] = [await employee('350100', '2600.00'), await employee('350100', '2600.00')];
  for (let index = 0; index < 6; index += 1) await activeBinding(ofSix, await register('350100', 'RESIDENT'), 'CHILD');
  for (let index = 0; index < 2; index += 1) await activeBinding(ofTwo, await register('350100', 'RESIDENT'), 'CHILD');
  const admin = await token({ role: 'ADMIN' });
  const statements = async () =>
    (await metricSum(accountsUrl, 'db_queries_total', 'origin="request"')) +
    (await metricSum(familyUrl, 'db_queries_total', 'origin="request"'));
  const costOf = async (authorizerId: string, beneficiaries: number) => {
    const before = await statements();
    const result = await gql(
      'query($id: ID!) { person(id: $id) { bindingsAsAuthorizer { beneficiary { mutualAidSources(purpose: PHARMACY) { available } } } } }',
      { id: authorizerId },
      { token: admin },
    );
    const cost = (await statements()) - before;
    expect(result.errors).toBeUndefined();
    expect(
      result.data.person.bindingsAsAuthorizer.map(
        (binding: { beneficiary: { mutualAidSources: unknown[] } }) => binding.beneficiary.mutualAidSources.length,
      ),
    ).toEqual(Array(beneficiaries).fill(1));
    return cost;
  };
  expect(await costOf(ofSix, 6)).toBe(await costOf(ofTwo, 2));
});
