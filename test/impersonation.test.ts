import { signIdentity } from '../subgraphs/shared/identity';
import { newId } from '../subgraphs/shared/ids';
import { codes, gatewayUrl, gql, register, settlementsUrl, stack, token, uniqueKey } from './client';
import { activeBinding, balanceOf, counter, employee, issueCard, settleAt, settleInputFor, type Counter } from './counter';

/**
 * 本人参保，本人享受: whatever a client sends, money moves only for the patient whose own card is
 * presented. Each attempt below must fail with its code and leave every balance as it was.
 */
let authorizer: string;
let patient: string;
let relative: string;
let patientCard: string;
let desk: Counter;

beforeAll(async () => {
  authorizer = await employee('430700', '1000.00');
  patient = await register('430700', 'RESIDENT');
  relative = await employee('430700', '300.00');
  await activeBinding(authorizer, patient, 'CHILD');
  patientCard = await issueCard(patient);
  desk = await counter();
});

const settleInput = (patientId: string) =>
  `{ idempotencyKey: "${uniqueKey('txn')}", patientId: "${patientId}", institutionId: "${desk.institutionId}", purpose: PHARMACY, inScopeAmount: "50.00", outOfScopeAmount: "0.00" }`;

async function post(body: unknown, credential: string | undefined, extraHeaders: Record<string, string> = {}) {
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${desk.token}`,
      ...(credential ? { 'x-insurance-credential': credential } : {}),
      ...extraHeaders,
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> } | Array<unknown>;
  return { status: response.status, codes: Array.isArray(json) ? ['BATCH'] : (json.errors ?? []).map((error) => error.extensions?.code) };
}

/**
 * Each attempt gets fresh cards of a fresh other person: three mismatches with any of one person's
 * cards would suspend him (tested below).
 */
interface Cards {
  foreign: string;
  own: string;
}

const attempts: Array<[string, (cards: Cards) => Promise<{ status: number; codes: Array<string | undefined> }>, string]> = [
  [
    'variables',
    (cards) =>
      post(
        {
          query: 'mutation($input: SettleInput!) { settle(input: $input) { id } }',
          variables: { input: settleInputFor(desk.institutionId, patient, { inScopeAmount: '50.00' }) },
        },
        cards.foreign,
      ),
    'CREDENTIAL_MISMATCH',
  ],
  [
    'inline literals',
    (cards) => post({ query: `mutation { settle(input: ${settleInput(patient)}) { id } }` }, cards.foreign),
    'CREDENTIAL_MISMATCH',
  ],
  [
    'an alias',
    (cards) => post({ query: `mutation { harmless: settle(input: ${settleInput(patient)}) { id } }` }, cards.foreign),
    'CREDENTIAL_MISMATCH',
  ],
  [
    'a named fragment',
    (cards) =>
      post({ query: `mutation { ...Pay } fragment Pay on Mutation { settle(input: ${settleInput(patient)}) { id } }` }, cards.foreign),
    'CREDENTIAL_MISMATCH',
  ],
  [
    'an inline fragment',
    (cards) => post({ query: `mutation { ... on Mutation { settle(input: ${settleInput(patient)}) { id } } }` }, cards.foreign),
    'CREDENTIAL_MISMATCH',
  ],
  [
    'two settle fields for two patients with one card',
    (cards) =>
      post(
        { query: `mutation { own: settle(input: ${settleInput(patient)}) { id } other: settle(input: ${settleInput(relative)}) { id } }` },
        cards.own,
      ),
    'CREDENTIAL_MISMATCH',
  ],
  [
    "a relative's credential shown on the patient's phone (亲情账户)",
    (cards) => post({ query: `mutation { settle(input: ${settleInput(patient)}) { id } }` }, cards.foreign),
    'CREDENTIAL_MISMATCH',
  ],
  ['no credential', () => post({ query: `mutation { settle(input: ${settleInput(patient)}) { id } }` }, undefined), 'CREDENTIAL_REQUIRED'],
  [
    'an unknown credential',
    () => post({ query: `mutation { settle(input: ${settleInput(patient)}) { id } }` }, `430700.${'A'.repeat(43)}`),
    'CREDENTIAL_INVALID',
  ],
  [
    'a malformed credential',
    () => post({ query: `mutation { settle(input: ${settleInput(patient)}) { id } }` }, 'not-a-card'),
    'CREDENTIAL_INVALID',
  ],
];

describe.each(attempts)('an attempt through %s', (_form, attempt, code) => {
  test(`is refused with ${code} and moves no money`, async () => {
    const before = [await balanceOf(authorizer), await balanceOf(relative)];
    const result = await attempt({ foreign: await issueCard(await register('430700', 'RESIDENT')), own: await issueCard(patient) });
    expect(result.codes).toEqual([code]);
    expect(result.status).toBe(403);
    expect([await balanceOf(authorizer), await balanceOf(relative)]).toEqual(before);
  });
});

test('a batched HTTP request is refused whole', async () => {
  const before = await balanceOf(authorizer);
  const result = await post(
    [
      { query: `mutation { settle(input: ${settleInput(patient)}) { id } }` },
      { query: `mutation { settle(input: ${settleInput(patient)}) { id } }` },
    ],
    patientCard,
  );
  expect(result.status).toBe(400);
  expect(await balanceOf(authorizer)).toBe(before);
});

test('a mutation over GET is refused', async () => {
  const before = await balanceOf(authorizer);
  const query = encodeURIComponent(`mutation { settle(input: ${settleInput(patient)}) { id } }`);
  const response = await fetch(`${gatewayUrl}/graphql?query=${query}`, {
    headers: { authorization: `Bearer ${desk.token}`, 'x-insurance-credential': patientCard, 'apollo-require-preflight': 'true' },
  });
  expect(response.status).toBe(405);
  expect(await balanceOf(authorizer)).toBe(before);
});

test('a revoked credential is CREDENTIAL_INVALID', async () => {
  const card = await issueCard(patient);
  await gql('mutation($t: String!) { revokeCredential(token: $t) }', { t: card }, { token: await token({ role: 'ADMIN' }) });
  expect((await post({ query: `mutation { settle(input: ${settleInput(patient)}) { id } }` }, card)).codes).toEqual(['CREDENTIAL_INVALID']);
});

test("a refund with another person's card returns nothing", async () => {
  const settled = await post({ query: `mutation { settle(input: ${settleInput(patient)}) { id } }` }, patientCard);
  expect(settled.codes).toEqual([]);
  const [latest] = (
    await gql(
      'query($id: ID!) { person(id: $id) { settlements(first: 1) { nodes { id } } } }',
      { id: patient },
      { token: await token({ role: 'ADMIN' }) },
    )
  ).data.person.settlements.nodes;
  const before = await balanceOf(authorizer);
  const refund = await post(
    { query: `mutation { refundSettlement(settlementId: "${latest.id}", idempotencyKey: "${uniqueKey()}") { id status } }` },
    await issueCard(await employee('430700')),
  );
  expect(refund.codes).toEqual(['CREDENTIAL_MISMATCH']);
  expect(await balanceOf(authorizer)).toBe(before);
  const own = await post(
    { query: `mutation { refundSettlement(settlementId: "${latest.id}", idempotencyKey: "${uniqueKey()}") { id status } }` },
    patientCard,
  );
  expect(own.codes).toEqual([]);
});

test("the patient's own card settles; the subgraph alone also refuses a call without the verified holder", async () => {
  expect((await post({ query: `mutation { settle(input: ${settleInput(patient)}) { id } }` }, patientCard)).codes).toEqual([]);
  const direct = async (identity: object) => {
    const body = JSON.stringify({ query: `mutation { settle(input: ${settleInput(patient)}) { id } }` });
    const response = await fetch(`${settlementsUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signIdentity(
          { role: 'TERMINAL', institutionId: desk.institutionId, requestId: 'direct', ...identity },
          { audience: 'settlements', body },
          stack.serviceSecret,
        ),
      },
      body,
    });
    return ((await response.json()) as { errors?: Array<{ extensions: { code: string } }> }).errors?.map((error) => error.extensions.code);
  };
  const before = await balanceOf(authorizer);
  expect(await direct({})).toEqual(['CREDENTIAL_REQUIRED']);
  expect(await direct({ credentialHolderId: relative })).toEqual(['CREDENTIAL_MISMATCH']);
  expect(await balanceOf(authorizer)).toBe(before);
});

describe('audit and suspension', () => {
  test('every refusal is kept for ADMIN; three mismatches suspend the holder until an ADMIN lifts it (here through the credential)', async () => {
    const holder = await employee('532300', '200.00');
    const card = await issueCard(holder);
    const victim = await register('532300', 'RESIDENT');
    const shop = await counter();
    const attemptFor = (patientId: string) =>
      fetch(`${gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${shop.token}`, 'x-insurance-credential': card },
        body: JSON.stringify({
          query: `mutation Impersonate { settle(input: { idempotencyKey: "${uniqueKey()}", patientId: "${patientId}", institutionId: "${shop.institutionId}", purpose: PHARMACY, inScopeAmount: "10.00", outOfScopeAmount: "0.00" }) { id } }`,
        }),
      }).then(
        async (response) =>
          ((await response.json()) as { errors?: Array<{ extensions: { code: string } }> }).errors?.map((error) => error.extensions.code) ??
          [],
      );

    for (let attempt = 0; attempt < 3; attempt += 1) expect(await attemptFor(victim)).toEqual(['CREDENTIAL_MISMATCH']);
    // Suspended now: even the holder's own settlement is refused.
    expect(await attemptFor(holder)).toEqual(['CREDENTIAL_SUSPENDED']);
    expect(await balanceOf(holder)).toBe('200.00');

    const admin = await token({ role: 'ADMIN', region: '532300' });
    const refusals = (
      await gql(
        '{ credentialRefusals(first: 10) { nodes { code terminal institutionId operationName credentialId holder { id } claimedPatientIds at } } }',
        {},
        { token: admin },
      )
    ).data.credentialRefusals.nodes;
    const mine = refusals.filter((refusal: { institutionId: string }) => refusal.institutionId === shop.institutionId);
    expect(mine.map((refusal: { code: string }) => refusal.code)).toEqual([
      'CREDENTIAL_SUSPENDED',
      'CREDENTIAL_MISMATCH',
      'CREDENTIAL_MISMATCH',
      'CREDENTIAL_MISMATCH',
    ]);
    expect(mine[1]).toMatchObject({
      terminal: 'test-terminal',
      operationName: 'Impersonate',
      holder: { id: holder },
      claimedPatientIds: [victim],
    });
    expect(
      codes(await gql('{ credentialRefusals { nodes { code } } }', {}, { token: await token({ role: 'INSURED', personId: holder }) })),
    ).toEqual(['FORBIDDEN']);
    const otherRegion = (
      await gql(
        '{ credentialRefusals(first: 100) { nodes { institutionId } } }',
        {},
        { token: await token({ role: 'ADMIN', region: '650100' }) },
      )
    ).data.credentialRefusals.nodes;
    expect(otherRegion.some((refusal: { institutionId: string }) => refusal.institutionId === shop.institutionId)).toBe(false);

    const credentials = (
      await gql('query($id: ID!) { person(id: $id) { credentials { id suspendedAt } } }', { id: holder }, { token: admin })
    ).data.person.credentials;
    expect(credentials[0].suspendedAt).not.toBeNull();
    expect(
      codes(
        await gql(
          'mutation($id: ID!) { liftCredentialSuspension(credentialId: $id) { id } }',
          { id: credentials[0].id },
          { token: await token({ role: 'ADMIN', region: '430700' }) },
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    const lifted = await gql(
      'mutation($id: ID!) { liftCredentialSuspension(credentialId: $id) { suspendedAt } }',
      { id: credentials[0].id },
      { token: admin },
    );
    expect(lifted.data.liftCredentialSuspension.suspendedAt).toBeNull();
    expect(await attemptFor(holder)).toEqual([]);
    expect(await balanceOf(holder)).toBe('190.00');
  });
});

describe('any number of named patients', () => {
  /** A well-formed id that names nobody: the gateway cannot tell it from a real one without asking. */
  const someone = () => newId('532300');
  const refusalsOf = async (institutionId: string) =>
    (
      (
        await gql(
          '{ credentialRefusals(first: 20) { nodes { code institutionId operationName claimedPatientIds claimedPatientCount } } }',
          {},
          { token: await token({ role: 'ADMIN', region: '532300' }) },
        )
      ).data.credentialRefusals.nodes as Array<{
        institutionId: string;
        code: string;
        operationName: string;
        claimedPatientIds: string[];
        claimedPatientCount: number;
      }>
    ).filter((refusal) => refusal.institutionId === institutionId);

  test('51 patients (settle aliases) and 51 refunds are each one audited CREDENTIAL_MISMATCH that counts toward suspension', async () => {
    const holder = await employee('532300', '300.00');
    const card = await issueCard(holder);
    const other = await employee('532300', '300.00');
    const shop = await counter();
    const bill = (patientId: string) =>
      `{ idempotencyKey: "${uniqueKey()}", patientId: "${patientId}", institutionId: "${shop.institutionId}", purpose: PHARMACY, inScopeAmount: "10.00", outOfScopeAmount: "0.00" }`;
    const ownSettlement = (await settleAt(shop, holder, card, { inScopeAmount: '10.00' })).data.settle.id as string;
    const othersSettlement = (await settleAt(shop, other, await issueCard(other), { inScopeAmount: '10.00' })).data.settle.id as string;
    const balances = async () => [await balanceOf(holder), await balanceOf(other)];
    const before = await balances();
    const send = (query: string) =>
      fetch(`${gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${shop.token}`, 'x-insurance-credential': card },
        body: JSON.stringify({ query }),
      }).then(async (response) => ({
        status: response.status,
        codes:
          ((await response.json()) as { errors?: Array<{ extensions: { code: string } }> }).errors?.map((error) => error.extensions.code) ??
          [],
      }));

    const patients = [holder, ...Array.from({ length: 50 }, someone)];
    const settles = await send(
      `mutation FiftyOneSettles { ${patients.map((id, index) => `s${index}: settle(input: ${bill(id)}) { id }`).join(' ')} }`,
    );
    expect(settles).toEqual({ status: 403, codes: ['CREDENTIAL_MISMATCH'] });

    // The only settlement of another patient comes last, beyond the first batch of look-ups.
    const settlementIds = [ownSettlement, ...Array.from({ length: 49 }, someone), othersSettlement];
    const refunds = await send(
      `mutation FiftyOneRefunds { ${settlementIds.map((id, index) => `r${index}: refundSettlement(settlementId: "${id}", idempotencyKey: "${uniqueKey()}") { id }`).join(' ')} }`,
    );
    expect(refunds).toEqual({ status: 403, codes: ['CREDENTIAL_MISMATCH'] });
    expect(await balances()).toEqual(before);

    const audited = await refusalsOf(shop.institutionId);
    expect(audited.map((refusal) => [refusal.operationName, refusal.code, refusal.claimedPatientCount])).toEqual([
      ['FiftyOneRefunds', 'CREDENTIAL_MISMATCH', 2],
      ['FiftyOneSettles', 'CREDENTIAL_MISMATCH', 51],
    ]);
    expect(audited[0].claimedPatientIds).toEqual([holder, other]);
    expect(audited[1].claimedPatientIds).toEqual(patients.slice(0, 10));

    // Two mismatches so far; the third (an ordinary one) suspends.
    expect((await send(`mutation { settle(input: ${bill(other)}) { id } }`)).codes).toEqual(['CREDENTIAL_MISMATCH']);
    expect((await send(`mutation { settle(input: ${bill(holder)}) { id } }`)).codes).toEqual(['CREDENTIAL_SUSPENDED']);
    expect(await balances()).toEqual(before);
  });
});
