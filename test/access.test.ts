import { Supergraph } from '@apollo/federation-internals';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { allows, FIELD_RULES } from '../gateway/guard/rules';
import { SUPERGRAPH_FILE } from '../scripts/compose';
import { freePort, ROOT, stackEnv, waitForHealth } from '../scripts/stack';
import { ROLES, type Role } from '../subgraphs/shared/identity';
import { must } from '../subgraphs/shared/must';
import { codes, gql, register, stack, token, type GraphQLResult } from './client';
import { counter, issueCard } from './counter';

const api = Supergraph.build(readFileSync(SUPERGRAPH_FILE, 'utf8')).apiSchema().toGraphQLJSSchema();
const objectTypes = Object.values(api.getTypeMap()).filter(
  (type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'),
);

describe('the rule table', () => {
  test('has exactly one rule for every field of the API schema', () => {
    const fields = objectTypes.flatMap((type) => Object.keys(type.getFields()).map((field) => `${type.name}.${field}`)).sort();
    const ruled = Object.entries(FIELD_RULES)
      .flatMap(([type, rules]) => Object.keys(rules).map((field) => `${type}.${field}`))
      .filter((name) => !name.includes('.__'))
      .sort();
    expect(ruled).toEqual(fields);
  });

  test('lists who may use what (the table a reviewer reads)', () => {
    const table = Object.entries(FIELD_RULES).flatMap(([type, rules]) =>
      Object.entries(rules).map(([field, rule]) => `${type}.${field}: ${rule === 'ANYONE' ? 'anyone' : rule.join(' ')}`),
    );
    expect(table).toContain('Mutation.settle: TERMINAL');
    expect(table).toContain('Query.mutualAidSummary: ANALYST ADMIN');
    expect(table).toContain('Query.regions: anyone');
    // No person-level field is open to ANALYST, whatever the path.
    expect(
      objectTypes
        .filter((type) => ['Person', 'PersonalAccount', 'LedgerEntry', 'Settlement', 'FamilyBinding', 'PremiumPayment'].includes(type.name))
        .flatMap((type) => Object.entries(FIELD_RULES[type.name]))
        .filter(([, rule]) => allows(rule, 'ANALYST')),
    ).toEqual([]);
  });
});

/** A syntactically valid placeholder for an argument; ids are of a region that exists but name nobody. */
function placeholder(type: GraphQLInputType): string {
  if (isNonNullType(type)) return placeholder(type.ofType);
  if (isListType(type)) return `[${placeholder(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    return `{ ${Object.values(type.getFields())
      .filter((field) => isNonNullType(field.type))
      .map((field) => `${field.name}: ${placeholder(field.type)}`)
      .join(', ')} }`;
  }
  if (isScalarType(type)) {
    return (
      {
        ID: '"430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P"',
        String: '"x"',
        Int: '1',
        Boolean: 'false',
        Money: '"1.00"',
        DateTime: '"2026-01-01T00:00:00Z"',
      } as Record<string, string>
    )[type.name];
  }
  throw new Error(`no placeholder for ${String(type)}`);
}

function operationFor(root: 'Query' | 'Mutation', field: string): string {
  const definition = must(root === 'Query' ? api.getQueryType() : api.getMutationType(), `the API has a ${root} type`).getFields()[field];
  const args = definition.args
    .filter((arg: GraphQLArgument) => isNonNullType(arg.type))
    .map((arg) => `${arg.name}: ${placeholder(arg.type)}`);
  const selection = isObjectType(getNamedType(definition.type)) ? ' { __typename }' : '';
  return `${root === 'Query' ? 'query' : 'mutation'} { ${field}${args.length ? `(${args.join(', ')})` : ''}${selection} }`;
}

const tokenFor: Record<Role, () => Promise<string>> = {
  INSURED: () => token({ role: 'INSURED', personId: '430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0Q' }),
  TERMINAL: () => token({ role: 'TERMINAL', institutionId: 'H-ACCESS' }),
  ANALYST: () => token({ role: 'ANALYST' }),
  PARTNER: () => token({ role: 'PARTNER', partnerCode: 'x' }),
  ADMIN: () => token({ role: 'ADMIN' }),
};

const rootFields = (['Query', 'Mutation'] as const).flatMap((root) =>
  Object.keys(FIELD_RULES[root])
    .filter((field) => !field.startsWith('__'))
    .map((field) => [root, field] as const),
);

describe.each(rootFields)('%s.%s', (root, field) => {
  test('each role and anonymous callers get what the rule says', async () => {
    const operation = operationFor(root, field);
    const rule = FIELD_RULES[root][field];
    for (const role of [null, ...ROLES] as Array<Role | null>) {
      const result = await gql(operation, {}, role ? { token: await tokenFor[role]() } : {});
      const refusedByRule = (result.errors ?? []).some((error) => error.message.includes(`${root}.${field}`));
      if (allows(rule, role)) {
        expect([role, refusedByRule]).toEqual([role, false]);
      } else {
        expect([role, codes(result)]).toEqual([role, [role === null ? 'UNAUTHENTICATED' : 'FORBIDDEN']]);
        expect(result.data ?? null).toBeNull();
      }
    }
  });
});

describe('paths into person-level data', () => {
  test("a partner reaches payers' names but never their accounts", async () => {
    const partner = await token({ role: 'PARTNER', partnerCode: 'HSHMB' });
    expect(
      codes(
        await gql('{ premiumPayments(productCode: "HSHMB-2026") { nodes { payer { name maskedIdNumber } } } }', {}, { token: partner }),
      ),
    ).toEqual([]);
    expect(
      codes(
        await gql(
          '{ premiumPayments(productCode: "HSHMB-2026") { nodes { payer { personalAccount { balance } } } } }',
          {},
          { token: partner },
        ),
      ),
    ).toEqual(['FORBIDDEN']);
  });

  test('an analyst gets regions and aggregates, and nothing through any other path', async () => {
    const analyst = await token({ role: 'ANALYST' });
    expect(
      codes(
        await gql(
          '{ regions { code policy { retainedFloor } poolingRules { annualCap } } mutualAidSummary(regionCode: "350100") { amountShared } }',
          {},
          { token: analyst },
        ),
      ),
    ).toEqual([]);
    for (const query of [
      '{ person(id: "350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P") { name } }',
      '{ settlement(id: "350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P") { patient { name } } }',
      '{ familyBinding(id: "350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P") { id } }',
    ]) {
      expect(codes(await gql(query, {}, { token: analyst }))).toEqual(['FORBIDDEN']);
    }
  });

  test('anonymous callers get only regions and region', async () => {
    expect(codes(await gql('{ regions { code } region(code: "430700") { name } }'))).toEqual([]);
    expect(codes(await gql('{ mutualAidSummary(regionCode: "430700") { settlements } }'))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('limits', () => {
  test('depth beyond the limit is QUERY_TOO_COMPLEX', async () => {
    const deep =
      '{ familyBinding(id: "430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P") { authorizer { bindingsAsAuthorizer { beneficiary { bindingsAsBeneficiary { authorizer { bindingsAsAuthorizer { beneficiary { bindingsAsAuthorizer { beneficiary { name } } } } } } } } } } }';
    const result = await gql(deep, {}, { token: await token({ role: 'ADMIN' }) });
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  test('cost counts aliases and page sizes', async () => {
    const admin = await token({ role: 'ADMIN' });
    const aliases = Array.from(
      { length: 60 },
      (_, index) =>
        `p${index}: person(id: "430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P") { personalAccount { entries(first: 100) { nodes { amount beneficiary { name } } } } }`,
    ).join(' ');
    expect(codes(await gql(`{ ${aliases} }`, {}, { token: admin }))).toEqual(['QUERY_TOO_COMPLEX']);
    const few = Array.from(
      { length: 3 },
      (_, index) =>
        `p${index}: person(id: "430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P") { personalAccount { entries(first: 100) { nodes { amount } } } }`,
    ).join(' ');
    expect(codes(await gql(`{ ${few} }`, {}, { token: admin }))).toEqual([]);
  });

  test('the standard introspection query passes for ADMIN and ANALYST', async () => {
    for (const role of ['ADMIN', 'ANALYST'] as const) {
      const result = await gql(getIntrospectionQuery(), {}, { token: await token({ role }) });
      expect(result.errors).toBeUndefined();
      expect(result.data.__schema.types.length).toBeGreaterThan(20);
    }
  });

  test('a document of too many tokens is refused before it is parsed whole', async () => {
    const huge = `{ ${Array.from({ length: 7000 }, (_, index) => `a${index}: __typename`).join(' ')} }`;
    const result = await gql(huge);
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });
});

describe('trusted documents for counters', () => {
  test('with the mode on, a counter may send only registered operations, by hash or by text', async () => {
    const port = await freePort();
    const env = { ...stackEnv(stack), GATEWAY_PORT: String(port), TERMINAL_TRUSTED_DOCUMENTS_ONLY: 'true' };
    const gateway = spawn(process.execPath, [join(ROOT, 'dist', 'gateway', 'main.js')], { env, stdio: 'ignore' });
    try {
      await waitForHealth(`http://127.0.0.1:${port}/health`, 30_000);
      const manifest = JSON.parse(readFileSync(join(ROOT, 'config', 'trusted-documents.json'), 'utf8')) as {
        operations: Array<{ id: string; name: string; body: string }>;
      };
      const registered = (name: string) =>
        must(
          manifest.operations.find((operation) => operation.name === name),
          `the manifest registers ${name}`,
        );
      const patientOperation = registered('Patient');
      const patient = await register('430700');
      const card = await issueCard(patient);
      const desk = await counter();
      const call = (body: object, callerToken = desk.token) =>
        fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${callerToken}`, 'x-insurance-credential': card },
          body: JSON.stringify(body),
        }).then(async (response) => ({ status: response.status, body: (await response.json()) as Omit<GraphQLResult, 'status'> }));

      const byHash = await call({
        variables: { id: patient },
        extensions: { persistedQuery: { version: 1, sha256Hash: patientOperation.id } },
      });
      expect(byHash.body.data.person.id).toBe(patient);
      const fromCard = await call({
        extensions: {
          persistedQuery: { version: 1, sha256Hash: registered('PatientByCredential').id },
        },
      });
      expect(fromCard.body.data.patientByCredential.id).toBe(patient);
      const byText = await call({ query: patientOperation.body, variables: { id: patient } });
      expect(byText.body.data.person.id).toBe(patient);
      const adHoc = await call({ query: `{ person(id: "${patient}") { id name } }` });
      expect(adHoc.status).toBe(400);
      expect(adHoc.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const unknownHash = await call({ extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } });
      expect(unknownHash.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      // Other roles are not limited by the mode.
      const admin = await call({ query: `{ person(id: "${patient}") { id } }` }, await token({ role: 'ADMIN' }));
      expect(admin.body.data.person.id).toBe(patient);
    } finally {
      gateway.kill('SIGTERM');
    }
  });
});
