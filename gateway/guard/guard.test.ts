import { buildSchema, getIntrospectionQuery, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import {
  analyzeOperation,
  fragmentsOf,
  LIST_ESTIMATE,
  MAX_COST,
  MAX_DEPTH,
  MAX_MERGE_COMPARISONS,
  MAX_NESTING,
  mergeComparisons,
} from './analyze';
import { patientsNamed, readPatientLocators } from './patientRule';

const sdl = `
  directive @patient(via: String = "PERSON") on ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
  directive @ownCard on FIELD_DEFINITION
  type Query { person(id: ID!): Person regions: [Region!]! holder: Person @ownCard }
  type Region { code: ID! }
  type Person { id: ID! name: String! personalAccount: Account relative: Person }
  type Account { entries(first: Int = 20): Connection! }
  type Connection { nodes: [Entry!]! }
  type Entry { amount: String! }
  input SettleInput { patientId: ID! @patient amount: String! }
  type Mutation { settle(input: SettleInput!): Person refund(settlementId: ID! @patient(via: "SETTLEMENT")): Person issueCredential(personId: ID!): Person }
`;
const schema = buildSchema(sdl);

function parts(text: string): [OperationDefinitionNode, Map<string, FragmentDefinitionNode>] {
  const document = parse(text);
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return [operation as OperationDefinitionNode, fragmentsOf(document)];
}

/** A fragment bomb: F<n> spreads F<n-1> twice, so the document grows linearly and its expansion as 2^n. */
function bomb(levels: number, leaf = '__typename'): string {
  const fragments = Array.from({ length: levels }, (_, index) => `fragment F${index + 1} on Query { ...F${index} ...F${index} }`);
  return `{ ...F${levels} } fragment F0 on Query { ${leaf} } ${fragments.join(' ')}`;
}

describe('analyzeOperation', () => {
  test.each([
    ['one field', '{ regions { code } }', 2, 1 + LIST_ESTIMATE * 1],
    [
      'a page size multiplies its subtree',
      '{ person(id: 1) { personalAccount { entries(first: 5) { nodes { amount } } } } }',
      5,
      1 + 1 + 1 + 5 * (1 + 1),
    ],
    [
      'the default page size counts when none is given',
      '{ person(id: 1) { personalAccount { entries { nodes { amount } } } } }',
      5,
      1 + 1 + 1 + 20 * 2,
    ],
    ['aliases count as often as they appear', '{ a: person(id: 1) { name } b: person(id: 2) { name } }', 2, 4],
    ['fragments count as what they expand to', '{ ...P } fragment P on Query { person(id: 1) { ... on Person { name } } }', 2, 2],
    [
      'a page size from a variable',
      'query($n: Int) { person(id: 1) { personalAccount { entries(first: $n) { nodes { amount } } } } }',
      5,
      1 + 1 + 1 + 3 * 2,
    ],
    ['__typename counts like any field', '{ __typename a: __typename regions { __typename } }', 2, 1 + 1 + 1 + LIST_ESTIMATE * 1],
    [
      'introspection counts each field once, without page sizes or depth',
      '{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }',
      1,
      11,
    ],
  ])('%s', (_name, text, depth, cost) => {
    const [operation, fragments] = parts(text);
    const analysis = analyzeOperation(schema, operation, fragments, { n: 3 }, 'ADMIN');
    expect([analysis.depth, analysis.cost, analysis.exceeded]).toEqual([depth, cost, undefined]);
  });

  const entries = (first: string) => `{ person(id: 1) { personalAccount { entries${first} { nodes { amount } } } } }`;
  test.each([
    ['a variable sent', `query($n: Int = 100) ${entries('(first: $n)')}`, { n: 7 }, 7],
    ['a variable not sent: its default', `query($n: Int = 100) ${entries('(first: $n)')}`, {}, 100],
    ["a variable not sent, without a default: the argument's schema default", `query($n: Int) ${entries('(first: $n)')}`, {}, 20],
    ['a variable sent as null: unknown, the largest page', `query($n: Int = 5) ${entries('(first: $n)')}`, { n: null }, 100],
    ['a variable of the wrong type: unknown, the largest page', `query($n: Int) ${entries('(first: $n)')}`, { n: '7' }, 100],
    ['a literal', entries('(first: 9)'), {}, 9],
    ['a literal the schema cannot read: the largest page', entries('(first: "9")'), {}, 100],
    ['no argument: the schema default', entries(''), {}, 20],
  ])('page size: %s', (_name, text, variables, pageSize) => {
    const [operation, fragments] = parts(text);
    expect(analyzeOperation(schema, operation, fragments, variables, 'ADMIN').cost).toBe(1 + 1 + 1 + pageSize * 2);
  });

  test('a fragment bomb is priced once per fragment and refused at the first limit it crosses, whatever its depth', () => {
    for (const levels of [20, 30, 2_000]) {
      const [operation, fragments] = parts(bomb(levels));
      // Spreads nest one level per fragment, so a bomb deeper than the nesting limit stops there before any cost is known.
      expect(analyzeOperation(schema, operation, fragments, {}, null).exceeded).toBe(levels < MAX_NESTING ? 'cost' : 'nesting');
    }
  });

  test('the walk stops on the way down: a chain of 20,000 fragments stops at the nesting limit without deep recursion', () => {
    const chain = Array.from({ length: 20_000 }, (_, index) => `fragment F${index + 1} on Query { ...F${index} }`).join(' ');
    const [operation, fragments] = parts(`{ ...F20000 } fragment F0 on Query { __typename } ${chain}`);
    expect(analyzeOperation(schema, operation, fragments, {}, null).exceeded).toBe('nesting');
  });

  test('a fragment spread many times within the limits costs what it expands to', () => {
    const [operation, fragments] = parts(bomb(8, 'regions { code }'));
    expect(analyzeOperation(schema, operation, fragments, {}, null)).toEqual({ depth: 2, cost: 2 ** 8 * (1 + LIST_ESTIMATE), refused: [] });
  });

  test.each([
    ['fields', (levels: number) => `{ person(id: 1) { ${'relative { '.repeat(levels - 2)} name ${'} '.repeat(levels - 2)} } }`, 'depth'],
    [
      'fields through a fragment',
      (levels: number) =>
        `{ person(id: 1) { ${'relative { '.repeat(levels - 3)} ...R ${'} '.repeat(levels - 3)} } } fragment R on Person { relative { name } }`,
      'depth',
    ],
    ['inline fragments', (levels: number) => `{ ${'... on Query { '.repeat(levels)} __typename ${'} '.repeat(levels)} }`, 'nesting'],
  ])('nesting: %s up to the limit pass, one more level is refused', (_name, nested, limit) => {
    const atLimit = limit === 'depth' ? MAX_DEPTH : MAX_NESTING;
    expect(analyzeOperation(schema, ...parts(nested(atLimit)), {}, 'ADMIN').exceeded).toBeUndefined();
    expect(analyzeOperation(schema, ...parts(nested(atLimit + 1)), {}, 'ADMIN').exceeded).toBe(limit);
  });

  test('a fragment cycle or an unknown fragment prices as nothing (validation refuses it)', () => {
    const [operation, fragments] = parts(
      '{ ...A ...Missing ...constructor } fragment A on Query { ...B regions { code } } fragment B on Query { ...A }',
    );
    expect(analyzeOperation(schema, operation, fragments, {}, null)).toEqual({ depth: 2, cost: 1 + LIST_ESTIMATE, refused: [] });
  });

  test('the standard introspection query is within the limits', () => {
    const [operation, fragments] = parts(getIntrospectionQuery());
    const analysis = analyzeOperation(schema, operation, fragments, {}, 'ANALYST');
    expect(analysis.exceeded).toBeUndefined();
    expect(analysis.cost).toBeLessThan(MAX_COST);
    expect(analysis.depth).toBeLessThanOrEqual(MAX_DEPTH);
  });
});

describe('mergeComparisons', () => {
  test.each([
    ['distinct fields', '{ a b c { d e } }', 0],
    ['one response name three times', '{ a a a }', 3],
    ['an alias is its own response name', '{ a b: a c: a }', 0],
    ['inline fragments are flattened into their set', '{ a ... on Query { a ... { a } } }', 3],
    ['fields against spreads, spreads against spreads', '{ a b ...F ...G ...F } fragment F on Q { a } fragment G on Q { a }', 2 * 2 + 1],
    ['every set of every definition', 'query A { x { y y } } query B { z z } fragment F on Q { w w }', 3],
  ])('%s', (_name, text, pairs) => {
    expect(mergeComparisons(parse(text))).toBe(pairs);
  });

  test('the standard introspection query is within the limit', () => {
    expect(mergeComparisons(parse(getIntrospectionQuery()))).toBeLessThan(MAX_MERGE_COMPARISONS);
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
    [
      'aliases and two fields',
      'mutation { a: settle(input: { patientId: "P1", amount: "1" }) { id } b: settle(input: { patientId: "P2", amount: "1" }) { id } }',
      {},
      ['P1', 'P2'],
    ],
    ['a named fragment', 'mutation { ...F } fragment F on Mutation { settle(input: { patientId: "P3", amount: "1" }) { id } }', {}, ['P3']],
    ['an inline fragment', 'mutation { ... on Mutation { settle(input: { patientId: "P4", amount: "1" }) { id } } }', {}, ['P4']],
    ['a settlement id', 'mutation { refund(settlementId: "S1") { id } }', {}, ['S1']],
    ['a field without the directive', 'mutation { issueCredential(personId: "P5") { id } }', {}, []],
    [
      "a field that answers for the card's holder names no id",
      '{ holder { id } ...H } fragment H on Query { again: holder { id } }',
      {},
      [null, null],
    ],
  ])('%s', (_name, text, variables, ids) => {
    const [operation, fragments] = parts(text);
    expect(patientsNamed(schema, operation, fragments, variables, locators).map((named) => named.id)).toEqual(ids);
  });
});
