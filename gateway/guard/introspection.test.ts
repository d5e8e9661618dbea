import { buildSchema, getOperationAST, parse } from 'graphql';
import { fragmentsOf } from './analyze';
import { introspectionUse, scopeSuggestions } from './introspection';

function use(query: string) {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  return introspectionUse(operation, fragmentsOf(document));
}

test.each([
  ['{ regions { code } }', 'NONE'],
  ['{ __typename regions { code } }', 'NONE'],
  ['{ __schema { queryType { name } } }', 'ONLY'],
  ['{ __typename __type(name: "Person") { name } }', 'ONLY'],
  ['{ ...S } fragment S on Query { __schema { types { name } } }', 'ONLY'],
  ['{ regions { code } __schema { queryType { name } } }', 'MIXED'],
  ['{ regions { code } ... on Query { __type(name: "X") { name } } }', 'MIXED'],
  ['{ ...A } fragment A on Query { ...B regions { code } } fragment B on Query { ...A __schema { queryType { name } } }', 'MIXED'],
])('%s introspects: %s', (query, expected) => {
  expect(use(query)).toBe(expected);
});

describe('suggestions', () => {
  const whole = buildSchema('type Query { regions: [Region] secretReport: Int } type Region { code: String secretCode: String }');
  const role = buildSchema('type Query { regions: [Region] } type Region { code: String }');

  test("come from the role's schema: a name outside it is never suggested", () => {
    const query = '{ secretRepor regions { cod } }';
    const document = parse(query);
    const messages = [
      'Cannot query field "secretRepor" on type "Query". Did you mean "secretReport"?',
      'Cannot query field "cod" on type "Region". Did you mean "code"?',
    ];
    expect(scopeSuggestions(messages, role, document, undefined, {})).toEqual([
      'Cannot query field "secretRepor" on type "Query".',
      'Cannot query field "cod" on type "Region". Did you mean "code"?',
    ]);
    expect(scopeSuggestions(messages, whole, document, undefined, {})).toEqual(messages);
  });

  test('a message with no counterpart in the role schema loses its suggestion; others are left as they are', () => {
    const messages = ['Variable "$x" got invalid value "A". Did you mean "B"?', 'Something else.'];
    expect(scopeSuggestions(messages, role, undefined, undefined, {})).toEqual(['Variable "$x" got invalid value "A".', 'Something else.']);
  });
});
