import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { must } from '../../subgraphs/shared/must';
import { findTextProblem } from './inputText';

const schema = buildSchema(`
  type Query { person(id: ID!): Person }
  type Person { id: ID! entries(first: Int = 20, after: String): [String!]! }
  scalar Money
  enum Kind { A B }
  input RegisterInput { name: String! amount: Money kind: Kind evidence: [String!] inner: RegisterInput }
  type Mutation { register(input: RegisterInput!): Person note(id: ID!, note: String = "ok"): Person }
`);

function check(text: string, variables: Record<string, unknown> = {}, operationName?: string) {
  const document = parse(text);
  const operation = must(
    document.definitions.find(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === 'OperationDefinition' && (operationName === undefined || definition.name?.value === operationName),
    ),
    `the test's document has the operation ${operationName ?? ''}`,
  );
  return findTextProblem(schema, document, operation, variables);
}

test.each<[string, string, Record<string, unknown>, RegExp | null]>([
  ['a clean literal', 'mutation { register(input: { name: "张三" }) { id } }', {}, null],
  ['a literal NUL', 'mutation { register(input: { name: "张\\u0000三" }) { id } }', {}, /^input\.name contains/],
  ['a variable NUL', 'mutation($i: RegisterInput!) { register(input: $i) { id } }', { i: { name: '张\u0000三' } }, /^input\.name contains/],
  [
    'a variable inside a literal object',
    'mutation($n: String!) { register(input: { name: $n }) { id } }',
    { n: 'x'.repeat(51) },
    /^input\.name must be at most 50/,
  ],
  [
    'a list item',
    'mutation($e: [String!]) { register(input: { name: "a", evidence: $e }) { id } }',
    { e: ['ok', 'b\u0007'] },
    /^input\.evidence\[1\] contains/,
  ],
  [
    'a single value coerced to a list',
    'mutation($i: RegisterInput!) { register(input: $i) { id } }',
    { i: { name: 'a', evidence: 'b\u0007' } },
    /^input\.evidence\[0\] contains/,
  ],
  [
    'a nested input object',
    'mutation { register(input: { name: "a", inner: { name: "b\\n" } }) { id } }',
    {},
    /^input\.inner\.name contains/,
  ],
  ['an ID argument', 'mutation { note(id: "p\\u0000") { id } }', {}, /^id contains/],
  [
    'a field below the root',
    'query($a: String) { person(id: "p") { entries(after: $a) } }',
    { a: 'x'.repeat(201) },
    /^after must be at most 200/,
  ],
  [
    'a field inside a fragment',
    'query { ...F } fragment F on Query { person(id: "p") { entries(after: "\\u001b") } }',
    {},
    /^after contains/,
  ],
  [
    'custom scalars and enums are left to their own parsing',
    'mutation { register(input: { name: "a", amount: "\\u0000", kind: A }) { id } }',
    {},
    null,
  ],
])('%s', (_name, text, variables, expected) => {
  const problem = check(text, variables);
  if (expected === null) expect(problem).toBeNull();
  else expect(problem?.en).toMatch(expected);
});

test('the refusal names the field whose argument broke the rule; the second root field counts as much as the first', () => {
  const problem = check('mutation { a: register(input: { name: "ok" }) { id } b: note(id: "p", note: "\\u0000") { id } }');
  expect(problem).toMatchObject({ field: 'note', en: expect.stringMatching(/^note contains/) });
});

test('only the chosen operation and its fragments are checked; variables that do not fit are left to validation', () => {
  const two = 'query Clean { person(id: "p") { id } } query Dirty { ...F } fragment F on Query { person(id: "\\u0000") { id } }';
  expect(check(two, {}, 'Clean')).toBeNull();
  expect(check(two, {}, 'Dirty')?.en).toMatch(/^id contains/);
  expect(check('mutation($i: RegisterInput!) { register(input: $i) { id } }', { i: { name: 5, evidence: {} } })).toBeNull();
});
