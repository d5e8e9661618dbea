import { signIdentity } from '../subgraphs/shared/identity';
import { accountsUrl, codes, credit, gql, newResidentId, register, REGISTER, stack, token, uniqueKey } from './client';
import { balanceOf, counter, issueCard, settleInputFor } from './counter';

/**
 * Issue 11, item 12: free text never carries control characters (U+0000–U+001F, U+007F) and never
 * exceeds its field's bound (names 50 characters). The gateway refuses the whole operation with
 * BAD_USER_INPUT naming the field before any subgraph is asked, so nothing is written.
 */
const REQUEST = 'mutation($input: RequestBindingInput!) { requestFamilyBinding(input: $input) { id status } }';

function expectRefused(result: Awaited<ReturnType<typeof gql>>, field: string): void {
  expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  expect(result.status).toBe(400);
  expect(result.errors?.[0].message).toContain(field);
  expect(result.data ?? null).toBeNull();
}

/** Registering the same resident id number again succeeds only if the refused attempt wrote nothing. */
async function registersCleanly(idNumber: string, admin: string): Promise<void> {
  const clean = await gql(REGISTER, { input: { idNumber, name: '张三', regionCode: '430700', scheme: 'RESIDENT' } }, { token: admin });
  expect(clean.errors).toBeUndefined();
}

describe('names', () => {
  test.each([
    [
      'U+0000 as a variable',
      (idNumber: string) => [REGISTER, { input: { idNumber, name: '张\u0000三', regionCode: '430700', scheme: 'RESIDENT' } }] as const,
      'input.name',
    ],
    [
      'U+0000 as a literal',
      (idNumber: string) =>
        [
          `mutation { registerInsured(input: { idNumber: "${idNumber}", name: "张\\u0000三", regionCode: "430700", scheme: RESIDENT }) { id } }`,
          {},
        ] as const,
      'input.name',
    ],
    [
      'a line feed',
      (idNumber: string) => [REGISTER, { input: { idNumber, name: '张三\n', regionCode: '430700', scheme: 'RESIDENT' } }] as const,
      'input.name',
    ],
    [
      'DEL (U+007F)',
      (idNumber: string) => [REGISTER, { input: { idNumber, name: '张\u007f三', regionCode: '430700', scheme: 'RESIDENT' } }] as const,
      'input.name',
    ],
    [
      '51 characters',
      (idNumber: string) => [REGISTER, { input: { idNumber, name: '张'.repeat(51), regionCode: '430700', scheme: 'RESIDENT' } }] as const,
      'input.name',
    ],
  ])('%s: BAD_USER_INPUT naming input.name, and no person registered', async (_name, operation, field) => {
    const admin = await token({ role: 'ADMIN' });
    const idNumber = newResidentId();
    const [query, variables] = operation(idNumber);
    expectRefused(await gql(query, variables, { token: admin }), field);
    await registersCleanly(idNumber, admin);
  });

  test('the accounts subgraph, reached with a valid signature, applies the same rule (one rule by field name)', async () => {
    const body = JSON.stringify({
      query: REGISTER,
      variables: { input: { idNumber: newResidentId(), name: '张'.repeat(51), regionCode: '430700', scheme: 'RESIDENT' } },
    });
    const response = await fetch(`${accountsUrl}/graphql`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        ...signIdentity({ role: 'ADMIN', requestId: 'direct' }, { audience: 'accounts', body }, stack.serviceSecret),
      },
    });
    const answer = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(answer.errors.map((error) => error.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors[0].message).toContain('input.name must be at most 50 characters');
  });

  test('50 characters, counted as characters (not UTF-16 units), are a name', async () => {
    const admin = await token({ role: 'ADMIN' });
    // U+20BB7 𠮷 is one character and two UTF-16 units.
    const name = `${'张'.repeat(49)}𠮷`;
    const result = await gql(
      REGISTER,
      { input: { idNumber: newResidentId(), name, regionCode: '430700', scheme: 'RESIDENT' } },
      { token: admin },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.registerInsured.name).toBe(name);
  });
});

describe('bindings', () => {
  test('a control character in an evidence item is refused naming it, and no binding is made', async () => {
    const authorizer = await register('350100');
    const beneficiary = await register('350100', 'RESIDENT');
    const insured = await token({ role: 'INSURED', personId: authorizer });
    const input = { authorizerId: authorizer, beneficiaryId: beneficiary, relationship: 'CHILD', commitmentAccepted: true };
    expectRefused(
      await gql(REQUEST, { input: { ...input, evidence: ['户口簿', '出生证明\u0007'] } }, { token: insured }),
      'input.evidence[1]',
    );
    // A second request for the same pair would be DUPLICATE_BINDING had the first been written.
    expect((await gql(REQUEST, { input: { ...input, evidence: ['户口簿'] } }, { token: insured })).data.requestFamilyBinding.status).toBe(
      'PENDING_REVIEW',
    );
  });

  test('a control character in a review note is refused and the binding stays pending', async () => {
    const authorizer = await register('350100');
    const insured = await token({ role: 'INSURED', personId: authorizer });
    const requested = await gql(
      REQUEST,
      {
        input: {
          authorizerId: authorizer,
          beneficiaryId: await register('350100', 'RESIDENT'),
          relationship: 'CHILD',
          commitmentAccepted: true,
          evidence: ['户口簿'],
        },
      },
      { token: insured },
    );
    const id = requested.data.requestFamilyBinding.id as string;
    const admin = await token({ role: 'ADMIN' });
    const review = 'mutation($id: ID!, $note: String) { reviewFamilyBinding(id: $id, approve: true, note: $note) { status } }';
    expectRefused(await gql(review, { id, note: '材料齐全\u001b[2J' }, { token: admin }), 'note');
    expect((await gql('query($id: ID!) { familyBinding(id: $id) { status } }', { id }, { token: admin })).data.familyBinding.status).toBe(
      'PENDING_REVIEW',
    );
  });
});

describe('money operations', () => {
  const CREDIT_TWICE = `mutation($first: CreditAccountInput!, $second: CreditAccountInput!) {
    a: creditPersonalAccount(input: $first) { id } b: creditPersonalAccount(input: $second) { id }
  }`;

  test('an over-long idempotency key in the second root field refuses the whole operation: the first credit does not happen', async () => {
    const admin = await token({ role: 'ADMIN' });
    const person = await register('430700');
    const result = await gql(
      CREDIT_TWICE,
      {
        first: { personId: person, amount: '10.00', idempotencyKey: uniqueKey('ok') },
        second: { personId: person, amount: '10.00', idempotencyKey: 'k'.repeat(129) },
      },
      { token: admin },
    );
    expectRefused(result, 'input.idempotencyKey');
    expect(await balanceOf(person)).toBe('0.00');
  });

  test('a control character in a memo refuses the credit', async () => {
    const admin = await token({ role: 'ADMIN' });
    const person = await register('430700');
    const result = await gql(
      'mutation { creditPersonalAccount(input: { personId: "' +
        person +
        '", amount: "5.00", idempotencyKey: "' +
        uniqueKey() +
        '", memo: "工资\\r\\n划入" }) { id } }',
      {},
      { token: admin },
    );
    expectRefused(result, 'input.memo');
    expect(await balanceOf(person)).toBe('0.00');
  });

  test('a control character in a settle key refuses the settlement at the gateway (HTTP 400), and nothing is paid', async () => {
    const patient = await register('430700');
    await credit(patient, '100.00');
    const desk = await counter();
    const result = await gql(
      'mutation($input: SettleInput!) { settle(input: $input) { id } }',
      { input: settleInputFor(desk.institutionId, patient, { idempotencyKey: 'txn\u0000', inScopeAmount: '10.00' }) },
      { token: desk.token, credential: await issueCard(patient) },
    );
    expectRefused(result, 'input.idempotencyKey');
    expect(await balanceOf(patient)).toBe('100.00');
  });
});

test('arguments below the root are checked too: an over-long cursor inside a selection', async () => {
  const admin = await token({ role: 'ADMIN' });
  const person = await register('430700');
  const result = await gql(
    'query($id: ID!, $after: String) { person(id: $id) { personalAccount { entries(first: 5, after: $after) { nodes { id } } } } }',
    { id: person, after: 'x'.repeat(201) },
    { token: admin },
  );
  expectRefused(result, 'after');
});
