import fc from 'fast-check';
import { ERROR_CODES } from '../subgraphs/shared/errors';
import { CREDIT, gatewayUrl, gql, register, REGISTER, token, uniqueKey } from './client';
import { balanceOf } from './counter';

/**
 * Bad input, generated: whatever a client sends, the answer is a 4xx or a GraphQL error with a
 * stable code, never a 500 or a stack trace, and a refused request writes nothing.
 */

/** Any stable code but the two that say we failed or were asked too often: bad input is the caller's, and answered. */
const KNOWN = new Set<string>(ERROR_CODES.filter((code) => code !== 'SERVICE_UNAVAILABLE' && code !== 'RATE_LIMITED'));
const LEAK = /node_modules|\bat [\w.<>]+ \(|\.js:\d+:\d+|SELECT |INSERT |\bER_[A-Z_]+|127\.0\.0\.1:\d{4}/;

async function raw(body: string, contentType = 'application/json', authorization?: string) {
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) },
    body,
  });
  return { status: response.status, text: await response.text() };
}

function wellFormed(answer: { status: number; text: string }): boolean {
  if (answer.status >= 500 || LEAK.test(answer.text)) return false;
  let json: { errors?: Array<{ extensions?: { code?: string } }> };
  try {
    json = JSON.parse(answer.text);
  } catch {
    return false;
  }
  return (json.errors ?? []).every((error) => KNOWN.has(error.extensions?.code ?? ''));
}

const moneyLike = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    '-0.01',
    '0.001',
    '1e3',
    'NaN',
    'Infinity',
    '1,00',
    '١٢٣',
    '0x10',
    ' 1.00',
    '1.00\n',
    '99999999999999999999',
    '-0',
    '+1',
    '',
  ),
  fc.double().map(String),
  fc.integer().map(String),
);

test('money strings: a valid amount credits exactly once, anything else is BAD_USER_INPUT and writes nothing', async () => {
  const admin = await token({ role: 'ADMIN' });
  const person = await register('430100');
  let expectedFen = 0n;
  await fc.assert(
    fc.asyncProperty(moneyLike, async (amount) => {
      const result = await gql(CREDIT, { input: { personId: person, amount, idempotencyKey: uniqueKey('fuzz') } }, { token: admin });
      // A positive amount of at most 10^9 yuan that keeps the balance within 10^10 yuan (DESIGN.md, Amounts).
      const match = /^(0|[1-9]\d{0,17})(?:\.(\d{1,2}))?$/.exec(amount);
      const fen = match ? BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0')) : 0n;
      const valid = fen > 0n && fen <= 100_000_000_000n && expectedFen + fen <= 1_000_000_000_000n;
      if (valid) {
        if (result.errors) return false;
        expectedFen += fen;
        return true;
      }
      return result.status < 500 && result.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT' && !result.data?.creditPersonalAccount;
    }),
    { numRuns: 60 },
  );
  expect(BigInt((await balanceOf(person)).replace('.', ''))).toBe(expectedFen);
});

test('ids, resident id numbers, relationships and purposes: only stable codes, never a 500', async () => {
  const admin = await token({ role: 'ADMIN' });
  await fc.assert(
    fc.asyncProperty(
      fc.string({ maxLength: 60 }),
      fc.string({ minLength: 0, maxLength: 24 }),
      fc.string({ maxLength: 30 }),
      fc.string({ maxLength: 30 }),
      async (id, idNumber, relationship, purpose) => {
        const answers = await Promise.all([
          raw(
            JSON.stringify({
              query: 'query($id: ID!) { person(id: $id) { id } familyBinding(id: $id) { id } settlement(id: $id) { id } }',
              variables: { id },
            }),
            'application/json',
            `Bearer ${admin}`,
          ),
          raw(
            JSON.stringify({ query: REGISTER, variables: { input: { idNumber, name: '模糊', regionCode: '430700', scheme: 'RESIDENT' } } }),
            'application/json',
            `Bearer ${admin}`,
          ),
          raw(
            JSON.stringify({
              query: 'mutation($i: RequestBindingInput!) { requestFamilyBinding(input: $i) { id } }',
              variables: { i: { authorizerId: id, beneficiaryId: id, relationship, commitmentAccepted: true } },
            }),
            'application/json',
            `Bearer ${admin}`,
          ),
          raw(
            JSON.stringify({
              query: 'mutation($i: PayPremiumInput!) { payPremium(input: $i) { id } }',
              variables: { i: { idempotencyKey: 'k', payerId: id, beneficiaryId: id, purpose, productCode: 'P', amount: '1.00' } },
            }),
            'application/json',
            `Bearer ${admin}`,
          ),
        ]);
        return answers.every(wellFormed);
      },
    ),
    { numRuns: 40 },
  );
});

test('whole random operations and bodies: a 4xx or a coded error, never a 500 or a stack trace', async () => {
  const admin = await token({ role: 'ADMIN' });
  const words = fc.constantFrom(
    '{',
    '}',
    '(',
    ')',
    'query',
    'mutation',
    'person',
    'settle',
    'id',
    ':',
    '"x"',
    '$v',
    '...',
    'fragment',
    'on',
    'Person',
    '@skip',
    '__schema',
    'regions',
    'code',
    '[',
    ']',
    '1',
    'true',
  );
  const documents = fc.array(words, { maxLength: 30 }).map((parts) => parts.join(' '));
  await fc.assert(
    fc.asyncProperty(fc.oneof(documents, fc.string({ maxLength: 200 })), fc.jsonValue({ maxDepth: 3 }), async (query, variables) => {
      const answers = await Promise.all([
        raw(JSON.stringify({ query, variables })),
        raw(JSON.stringify({ query, variables }), 'application/json', `Bearer ${admin}`),
        raw(JSON.stringify(variables)),
      ]);
      return answers.every(wellFormed);
    }),
    { numRuns: 50 },
  );
});

test.each([
  ['invalid JSON', '{"query": "{ regions { code } }"', 'application/json', 400],
  ['a body of the wrong content type', '{ regions { code } }', 'text/plain', 400],
  ['form data', 'query=%7Bregions%7Bcode%7D%7D', 'application/x-www-form-urlencoded', 400],
  ['an empty body', '', 'application/json', 400],
  ['a JSON array of nothing', '[]', 'application/json', 400],
  ['a deeply nested query', JSON.stringify({ query: `{ ${'regions { '.repeat(40)}code${' }'.repeat(40)} }` }), 'application/json', 400],
])('%s gets a clear 4xx', async (_name, body, contentType, status) => {
  const answer = await raw(body, contentType);
  expect(answer.status).toBe(status);
  expect(wellFormed(answer)).toBe(true);
});
