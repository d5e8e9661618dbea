import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ROOT, stackEnv, waitForHealth } from '../scripts/stack';
import { codes, credit, gatewayUrl, gql, register, stack, token } from './client';
import { counter } from './counter';
import { Supergraph } from '@apollo/federation-internals';
import { isEnumType, isInputObjectType, isObjectType, type GraphQLSchema } from 'graphql';
import { roleSchemas as buildRoleSchemas } from '../gateway/guard/roleSchema';
import type { Role } from '../subgraphs/shared/identity';
import { SUPERGRAPH_FILE } from '../scripts/compose';

/**
 * Hostile callers (issue 11): fragment bombs, page sizes hidden in variable defaults, schema hints in
 * error messages, ambiguous operations. Each is sent through the gateway as a caller would.
 */

/** F<n> spreads F<n-1> twice: the document grows by one line per level, its expansion doubles. */
function bomb(levels: number, leaf = '__typename', on = 'Query'): string {
  const fragments = Array.from({ length: levels }, (_, index) => `fragment F${index + 1} on ${on} { ...F${index} ...F${index} }`);
  return `fragment F0 on ${on} { ${leaf} } ${fragments.join(' ')}`;
}

const roleSchemas = buildRoleSchemas(Supergraph.build(readFileSync(SUPERGRAPH_FILE, 'utf8')).apiSchema().toGraphQLJSSchema());

/** Every name a schema spells out: types, fields, arguments, input fields, enum values. */
function namesIn(schema: GraphQLSchema | undefined): Set<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema?.getTypeMap() ?? {})) {
    names.add(type.name);
    if (isObjectType(type) || isInputObjectType(type))
      for (const field of Object.values(type.getFields())) {
        names.add(field.name);
        for (const arg of 'args' in field ? field.args : []) names.add(arg.name);
      }
    if (isEnumType(type)) for (const value of type.getValues()) names.add(value.name);
  }
  return names;
}

let person: string;
beforeAll(async () => {
  person = await register('430700');
  await credit(person, '10.00');
});

describe('fragment bombs and repeated fields are refused before they cost anything, while others are served', () => {
  test('bombs of 20 and 30 levels, __typename or real leaves, also inside introspection, are QUERY_TOO_COMPLEX', async () => {
    const analyst = await token({ role: 'ANALYST' });
    const twenty = `{ ...F20 } ${bomb(20)}`;
    expect(twenty.length).toBeLessThan(1_000);
    const attacks = [
      gql(twenty),
      gql(`{ ...F30 } ${bomb(30)}`),
      gql(`{ ...F30 } ${bomb(30, 'regions { code }')}`),
      gql(`{ ...F300 } ${bomb(300)}`),
      gql(`{ __schema { ...F30 } } ${bomb(30, '__typename', '__Schema')}`, {}, { token: analyst }),
      fetch(`${gatewayUrl}/graphql?query=${encodeURIComponent(`{ ...F30 } ${bomb(30)}`)}`, {
        headers: { 'apollo-require-preflight': 'true' },
      }).then(async (response) => ({ status: response.status, ...((await response.json()) as object) })),
    ];
    // An ordinary caller sent alongside the bombs is served.
    const ordinary = gql('{ regions { code } }');
    for (const answer of await Promise.all(attacks)) {
      expect(answer.status).toBe(400);
      expect(codes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    }
    expect((await ordinary).data.regions.length).toBeGreaterThan(0);
  });

  test('many fragment spreads or one field repeated in a selection set (quadratic to validate) are QUERY_TOO_COMPLEX', async () => {
    const spreads = `{ ${Array.from({ length: 100 }, (_, index) => `...S${index}`).join(' ')} } ${Array.from({ length: 100 }, (_, index) => `fragment S${index} on Query { __typename }`).join(' ')}`;
    const repeated = `{ ${'regions { code } '.repeat(450)} }`;
    const inlined = `{ ${'... on Query { __typename } '.repeat(1000)} }`;
    for (const document of [spreads, repeated, inlined]) {
      const answer = await gql(document);
      expect(answer.status).toBe(400);
      expect(codes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    }
  });
});

describe('page sizes are priced as execution will use them', () => {
  const aliases = (count: number) =>
    Array.from(
      { length: count },
      (_, index) => `p${index}: person(id: $id) { personalAccount { entries(first: $n) { nodes { amount } } } }`,
    ).join(' ');

  test('500 aliases with `first: $n` and `$n: Int = 100` not sent is QUERY_TOO_COMPLEX', async () => {
    const admin = await token({ role: 'ADMIN' });
    const answer = await gql(`query($id: ID!, $n: Int = 100) { ${aliases(500)} }`, { id: person }, { token: admin });
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  test("a variable without a default and not sent prices at the argument's schema default (20); one sent prices as sent", async () => {
    const admin = await token({ role: 'ADMIN' });
    // 100 aliases at 20 entries each cost 100 × (3 + 20 × 2) = 4300: admitted. At 25 they would cost 5300.
    expect(codes(await gql(`query($id: ID!, $n: Int) { ${aliases(100)} }`, { id: person }, { token: admin }))).toEqual([]);
    expect(codes(await gql(`query($id: ID!, $n: Int) { ${aliases(100)} }`, { id: person, n: 25 }, { token: admin }))).toEqual([
      'QUERY_TOO_COMPLEX',
    ]);
    const sent = await gql(`query($id: ID!, $n: Int = 100) { ${aliases(3)} }`, { id: person, n: 1 }, { token: admin });
    expect(sent.data.p2.personalAccount.entries.nodes).toHaveLength(1);
  });
});

describe('schema hints', () => {
  const misspelt: Array<[string, string, Record<string, unknown>]> = [
    ['a field', '{ regions { cod } }', {}],
    ['a type in a fragment condition', '{ regions { ...R } } fragment R on Regoin { code }', {}],
    ['an argument name', 'query($id: ID!) { person(id: $id) { personalAccount { entries(frist: 5) { nodes { amount } } } } }', {}],
    [
      'an enum literal',
      'mutation { requestFamilyBinding(input: { authorizerId: "430700-X", beneficiaryId: "430700-Y", relationship: SPOUS, commitmentAccepted: true }) { id } }',
      {},
    ],
    [
      'an enum in variables',
      'mutation($input: RequestBindingInput!) { requestFamilyBinding(input: $input) { id } }',
      { input: { authorizerId: '430700-X', beneficiaryId: '430700-Y', relationship: 'SPOUS', commitmentAccepted: true } },
    ],
    [
      'an input field in variables',
      'mutation($input: RequestBindingInput!) { requestFamilyBinding(input: $input) { id } }',
      { input: { authorizerId: '430700-X', beneficiaryId: '430700-Y', relationship: 'SPOUSE', commitmentAccepted: true, evidense: [] } },
    ],
  ];

  const callers: Array<[Role | null, () => Promise<string | undefined>]> = [
    [null, async () => undefined],
    ['INSURED', () => token({ role: 'INSURED', personId: person })],
    ['TERMINAL', () => token({ role: 'TERMINAL', institutionId: 'H43070001' })],
    ['PARTNER', () => token({ role: 'PARTNER', partnerCode: 'HMB' })],
    ['ANALYST', () => token({ role: 'ANALYST' })],
    ['ADMIN', () => token({ role: 'ADMIN' })],
  ];

  test.each(misspelt)("every caller's suggestions for %s name only what its part of the graph has", async (_name, query, variables) => {
    for (const [role, caller] of callers) {
      const names = namesIn(roleSchemas.get(role));
      const answer = await gql(query, { id: person, ...variables }, { token: await caller() });
      expect(answer.status).toBeLessThan(500);
      expect(answer.errors?.length).toBeGreaterThan(0);
      for (const error of answer.errors ?? []) {
        const suggested = [...(/Did you mean(.+)\?$/.exec(error.message)?.[1] ?? '').matchAll(/"([^"]+)"/g)].map((match) => match[1]);
        expect([role, suggested.filter((name) => !names.has(name))]).toEqual([role, []]);
      }
    }
  });

  test('a field outside the role is never suggested; inside it, it is', async () => {
    const insured = await gql(
      '{ mutualAidStatistcs { suppressedCells } }',
      {},
      { token: await token({ role: 'INSURED', personId: person }) },
    );
    expect(insured.errors?.[0].message).not.toMatch(/Did you mean|mutualAidStatistics/);
    const analyst = await gql('{ mutualAidStatistcs { suppressedCells } }', {}, { token: await token({ role: 'ANALYST' }) });
    expect(analyst.errors?.[0].message).toMatch(/Did you mean "mutualAidStatistics"/);
    const anonymous = await gql('query($id: ID!) { person(id: $id) { nmae } }', { id: person });
    expect(anonymous.errors?.map((error) => error.message).join(' ')).not.toMatch(/Did you mean/);
    expect((await gql('{ regions { cod } }')).errors?.[0].message).toMatch(/Did you mean "code"\?/);
  });
});

describe('ambiguous operations', () => {
  const TWO = 'query A { regions { code } } query B { regions { name } }';

  test('two operations without operationName, or an unknown operationName, are 400 OPERATION_RESOLUTION_FAILURE', async () => {
    const post = (body: object) =>
      fetch(`${gatewayUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
        async (response) => ({
          status: response.status,
          body: (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> },
        }),
      );
    for (const body of [{ query: TWO }, { query: TWO, operationName: 'C' }, { query: '{ regions { code } }', operationName: 'C' }]) {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
    }
    expect((await post({ query: TWO, operationName: 'B' })).body.data).toEqual({ regions: expect.any(Array) });
  });

  test('a registered trusted document with an unknown operationName is 400 OPERATION_RESOLUTION_FAILURE', async () => {
    const port = await freePort();
    const gateway = spawn(process.execPath, [join(ROOT, 'dist', 'gateway', 'main.js')], {
      env: { ...stackEnv(stack), GATEWAY_PORT: String(port), TERMINAL_TRUSTED_DOCUMENTS_ONLY: 'true' },
      stdio: 'ignore',
    });
    try {
      await waitForHealth(`http://127.0.0.1:${port}/health`, 30_000);
      const manifest = JSON.parse(readFileSync(join(ROOT, 'config', 'trusted-documents.json'), 'utf8')) as {
        operations: Array<{ id: string; name: string }>;
      };
      const desk = await counter();
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${desk.token}` },
        body: JSON.stringify({
          operationName: 'NotRegistered',
          variables: { id: person },
          extensions: { persistedQuery: { version: 1, sha256Hash: manifest.operations[0].id } },
        }),
      });
      const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      expect(response.status).toBe(400);
      expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
    } finally {
      gateway.kill('SIGTERM');
    }
  });
});
