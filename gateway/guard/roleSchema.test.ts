import { Supergraph } from '@apollo/federation-internals';
import { readFileSync } from 'node:fs';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { ROLES } from '../../subgraphs/shared/identity';
import { projectFile } from '../../subgraphs/shared/policy/config';
import { roleSchema } from './roleSchema';
import { fieldsAllowedTo } from './rules';

const api = Supergraph.build(readFileSync(projectFile('schema/supergraph.graphql'), 'utf8'))
  .apiSchema()
  .toGraphQLJSSchema();

/** Every Type.field a schema lists, introspection's own types left out. */
function listedFields(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && !type.name.startsWith('__'))
    .flatMap((type) => (isObjectType(type) ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : []))
    .sort();
}

test.each([null, ...ROLES])("%s: the schema lists exactly the fields the guard's rules allow the role", (role) => {
  expect(listedFields(roleSchema(api, role))).toEqual(fieldsAllowedTo(role));
});

test('anonymous callers see the public part only: no mutations, no persons, no inputs of protected fields', () => {
  const anonymous = roleSchema(api, null);
  expect(anonymous.getMutationType()).toBeUndefined();
  expect(Object.keys(anonymous.getQueryType()?.getFields() ?? {}).sort()).toEqual(['region', 'regions']);
  for (const hidden of ['Person', 'SettleInput', 'Settlement', 'RelationshipAmount']) expect(anonymous.getType(hidden)).toBeUndefined();
});

test('descriptions and arguments are kept', () => {
  const analyst = roleSchema(api, 'ANALYST');
  const statistics = analyst.getQueryType()?.getFields().mutualAidStatistics;
  const original = api.getQueryType()?.getFields().mutualAidStatistics;
  expect(statistics?.description).toBe(original?.description);
  expect(statistics?.description).toBeTruthy();
  expect(statistics?.args.map((arg) => arg.name)).toEqual(original?.args.map((arg) => arg.name));
});
