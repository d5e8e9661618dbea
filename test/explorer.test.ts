import { getIntrospectionQuery } from 'graphql';
import { fieldsAllowedTo } from '../gateway/guard/rules';
import { ROLES, type Role } from '../subgraphs/shared/identity';
import { codes, gql, token } from './client';

/**
 * The explorer (issue 16): every caller introspects the part of the graph its role may call, as the
 * guard's rule table says, anonymous callers the public part.
 */

const tokenFor: Record<Role, () => Promise<string>> = {
  INSURED: () => token({ role: 'INSURED', personId: '430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P' }),
  TERMINAL: () => token({ role: 'TERMINAL', institutionId: 'H35010001' }),
  ANALYST: () => token({ role: 'ANALYST' }),
  PARTNER: () => token({ role: 'PARTNER', partnerCode: 'HSHMB' }),
  ADMIN: () => token({ role: 'ADMIN' }),
};

interface IntrospectedType {
  kind: string;
  name: string;
  description: string | null;
  fields: Array<{ name: string; description: string | null }> | null;
}

describe.each([null, ...ROLES])('%s', (role) => {
  test("the standard introspection query lists exactly the fields the guard's rules allow, with their descriptions", async () => {
    const answer = await gql(getIntrospectionQuery({ descriptions: true }), {}, role ? { token: await tokenFor[role]() } : {});
    expect(answer.errors).toBeUndefined();
    const types = answer.data.__schema.types as IntrospectedType[];
    const objects = types.filter((type) => type.kind === 'OBJECT' && !type.name.startsWith('__'));
    const listed = objects.flatMap((type) => (type.fields ?? []).map((field) => `${type.name}.${field.name}`)).sort();
    expect(listed).toEqual(fieldsAllowedTo(role));
    const query = objects.find((type) => type.name === 'Query');
    expect(query?.fields?.find((field) => field.name === 'regions')?.description).toBeTruthy();
    expect(answer.data.__schema.mutationType === null).toBe(!listed.some((field) => field.startsWith('Mutation.')));
  });
});

test("__type answers from the caller's part: a type it may not see does not exist", async () => {
  const PERSON = '{ __type(name: "Person") { fields { name } } }';
  expect((await gql(PERSON)).data.__type).toBeNull();
  expect((await gql(PERSON, {}, { token: await tokenFor.ANALYST() })).data.__type).toBeNull();
  const insured = (await gql(PERSON, {}, { token: await tokenFor.INSURED() })).data.__type.fields.map(
    (field: { name: string }) => field.name,
  );
  expect(insured).toContain('personalAccount');
  expect(insured).not.toContain('auditTrail');
  const admin = (await gql(PERSON, {}, { token: await tokenFor.ADMIN() })).data.__type.fields.map((field: { name: string }) => field.name);
  expect(admin).toContain('auditTrail');
});

test('introspection mixed with data, also through a fragment, is refused with its code; __typename beside data is not', async () => {
  const analyst = await tokenFor.ANALYST();
  expect(codes(await gql('{ regions { code } __schema { queryType { name } } }', {}, { token: analyst }))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await gql('{ regions { code } ...T } fragment T on Query { __type(name: "Person") { name } }'))).toEqual(['BAD_USER_INPUT']);
  const plain = await gql('{ __typename regions { code } }');
  expect(codes(plain)).toEqual([]);
  expect(plain.data.__typename).toBe('Query');
});

test('introspection with variables that do not fit is 400 BAD_USER_INPUT, as any other operation', async () => {
  const TYPE = 'query($name: String!) { __type(name: $name) { name } }';
  for (const variables of [{}, { name: 5 }]) {
    const answer = await gql(TYPE, variables);
    expect([answer.status, codes(answer)]).toEqual([400, ['BAD_USER_INPUT']]);
  }
  expect((await gql(TYPE, { name: 'Region' })).data.__type.name).toBe('Region');
});
