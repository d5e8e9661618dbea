import { buildSchema, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { analyzeOperation, LIST_ESTIMATE } from './analyze';
import { patientsNamed, readPatientLocators } from './patientRule';

const sdl = `
  directive @patient(via: String = "PERSON") on ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
  directive @ownCard on FIELD_DEFINITION
  type Query { person(id: ID!): Person regions: [Region!]! holder: Person @ownCard }
  type Region { code: ID! }
  type Person { id: ID! name: String! personalAccount: Account }
  type Account { entries(first: Int = 20): Connection! }
  type Connection { nodes: [Entry!]! }
  type Entry { amount: String! }
  input SettleInput { patientId: ID! @patient amount: String! }
  type Mutation { settle(input: SettleInput!): Person refund(settlementId: ID! @patient(via: "SETTLEMENT")): Person issueCredential(personId: ID!): Person }
`;
const schema = buildSchema(sdl);

function parts(text: string): [OperationDefinitionNode, Record<string, FragmentDefinitionNode>] {
  const document = parse(text);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    if (definition.kind === Kind.OPERATION_DEFINITION) operation = definition;
  }
  return [operation!, fragments];
}

describe('analyzeOperation', () => {
  test.each([
    ['one field', '{ regions { code } }', 2, 1 + LIST_ESTIMATE * 1],
    ['a page size multiplies its subtree', '{ person(id: 1) { personalAccount { entries(first: 5) { nodes { amount } } } } }', 5, 1 + 1 + 1 + 5 * (1 + 1)],
    ['the default page size counts when none is given', '{ person(id: 1) { personalAccount { entries { nodes { amount } } } } }', 5, 1 + 1 + 1 + 20 * 2],
    ['aliases count as often as they appear', '{ a: person(id: 1) { name } b: person(id: 2) { name } }', 2, 4],
    ['fragments count as what they expand to', '{ ...P } fragment P on Query { person(id: 1) { ... on Person { name } } }', 2, 2],
    ['a page size from a variable', 'query($n: Int) { person(id: 1) { personalAccount { entries(first: $n) { nodes { amount } } } } }', 5, 1 + 1 + 1 + 3 * 2],
    ['introspection is not priced', '{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }', 0, 0],
  ])('%s', (_name, text, depth, cost) => {
    const [operation, fragments] = parts(text);
    const analysis = analyzeOperation(schema, operation, fragments, { n: 3 }, 'ADMIN');
    expect([analysis.depth, analysis.cost]).toEqual([depth, cost]);
  });
});

describe('patientsNamed', () => {
  const locators = readPatientLocators(sdl);

  test('reads the directives on arguments, input fields and root fields', () => {
    expect(Object.fromEntries(locators)).toEqual({
      'Query.holder': [{ path: [], via: 'HOLDER' }],
      'Mutation.settle': [{ path: ['input', 'patientId'], via: 'PERSON' }],
      'Mutation.refund': [{ path: ['settlementId'], via: 'SETTLEMENT' }],
    });
  });

  test.each([
    ['variables', 'mutation($i: SettleInput!) { settle(input: $i) { id } }', { i: { patientId: 'P1', amount: '1' } }, ['P1']],
    ['literals', 'mutation { settle(input: { patientId: "P2", amount: "1" }) { id } }', {}, ['P2']],
    ['aliases and two fields', 'mutation { a: settle(input: { patientId: "P1", amount: "1" }) { id } b: settle(input: { patientId: "P2", amount: "1" }) { id } }', {}, ['P1', 'P2']],
    ['a named fragment', 'mutation { ...F } fragment F on Mutation { settle(input: { patientId: "P3", amount: "1" }) { id } }', {}, ['P3']],
    ['an inline fragment', 'mutation { ... on Mutation { settle(input: { patientId: "P4", amount: "1" }) { id } } }', {}, ['P4']],
    ['a settlement id', 'mutation { refund(settlementId: "S1") { id } }', {}, ['S1']],
    ['a field without the directive', 'mutation { issueCredential(personId: "P5") { id } }', {}, []],
    ['a field that answers for the card\'s holder names no id', '{ holder { id } ...H } fragment H on Query { again: holder { id } }', {}, [null, null]],
  ])('%s', (_name, text, variables, ids) => {
    const [operation, fragments] = parts(text);
    expect(patientsNamed(schema, operation, fragments, variables, locators).map((named) => named.id)).toEqual(ids);
  });
});
