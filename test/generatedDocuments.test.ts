import { Supergraph } from '@apollo/federation-internals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  Kind,
  parse,
  type DocumentNode,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import {
  analyzeOperation,
  fragmentsOf,
  LIST_ESTIMATE,
  MAX_COST,
  MAX_DEPTH,
  MAX_MERGE_COMPARISONS,
  mergeComparisons,
} from '../gateway/guard/analyze';
import { SUPERGRAPH_FILE } from '../scripts/compose';
import { isKnownCode } from '../subgraphs/shared/errors';
import { must } from '../subgraphs/shared/must';
import { codes, gql, token } from './client';

const api = Supergraph.build(readFileSync(SUPERGRAPH_FILE, 'utf8')).apiSchema().toGraphQLJSSchema();

/**
 * The property: generated documents (nested fragments, aliases, inline fragments, variables with and
 * without defaults, directives) are answered 2xx or 4xx with known codes, never a 500; the guard's
 * memoized price equals a naive expansion's; and a document is admitted only when that naive price is
 * within the limits.
 */
interface Reference {
  depth: number;
  cost: number;
}

/** The price by plain expansion of every spread, as the limits are defined (no memo, no early stop). */
function naivePrice(document: DocumentNode, variables: Record<string, unknown>): Reference {
  const operation = must(
    document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION),
    'a generated document has an operation',
  );
  const fragments = fragmentsOf(document);
  const defaults = new Map(operation.variableDefinitions?.map((definition) => [definition.variable.name.value, definition.defaultValue]));
  const walk = (set: SelectionSetNode, parent: GraphQLNamedType): Reference => {
    let depth = 0;
    let cost = 0;
    for (const selection of set.selections) {
      let inner: Reference;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        inner = walk(must(fragments.get(selection.name.value), 'a generated spread names a generated fragment').selectionSet, parent);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = walk(selection.selectionSet, parent);
      } else if (selection.name.value === '__typename') {
        inner = { depth: 1, cost: 1 };
      } else {
        if (!isObjectType(parent)) throw new Error(`not an object type: ${parent.name}`);
        const field = parent.getFields()[selection.name.value];
        const below = selection.selectionSet ? walk(selection.selectionSet, getNamedType(field.type)) : { depth: 0, cost: 0 };
        const first = selection.arguments?.find((argument) => argument.name.value === 'first')?.value;
        let times = isListType(getNullableType(field.type)) && field.name !== 'nodes' ? LIST_ESTIMATE : 1;
        if (field.args.some((argument) => argument.name === 'first')) {
          if (first?.kind === Kind.INT) times = Number(first.value);
          else if (first?.kind === Kind.VARIABLE && first.name.value in variables) times = variables[first.name.value] as number;
          else if (first?.kind === Kind.VARIABLE && defaults.get(first.name.value)?.kind === Kind.INT)
            times = Number((defaults.get(first.name.value) as { value: string }).value);
          else times = 20;
        }
        inner = { depth: 1 + below.depth, cost: 1 + times * below.cost };
      }
      depth = Math.max(depth, inner.depth);
      cost += inner.cost;
    }
    return { depth, cost };
  };
  return walk(operation.selectionSet, must(api.getQueryType(), 'the API has a Query type'));
}

const pageArgument = fc.oneof(fc.integer({ min: 1, max: 100 }).map(String), fc.constant('$n'));
const directive = fc.constantFrom('', '', ' @include(if: $flag)', ' @skip(if: false)');
const alias = fc.oneof(
  fc.constant(''),
  fc.integer({ min: 0, max: 3 }).map((index) => `a${index}: `),
);
const leafField = fc
  .tuple(
    alias,
    fc.constantFrom('__typename', 'regions { code name }', 'regions { policy { retainedFloor allowedRelationships } }'),
    directive,
  )
  .map(([name, field, where]) => `${name}${field.replace(/^(\w+)/, `$1${where}`)}`);
const personField = fc
  .tuple(alias, pageArgument, directive)
  .map(
    ([name, first, where]) =>
      `${name}person(id: $id)${where} { name personalAccount { balance entries(first: ${first}) { nodes { amount kind } } } }`,
  );

/** Fragment i may spread any fragment before it (so no cycles), once or twice; the operation spreads the last. */
const generatedDocument = fc
  .record({
    fragments: fc.array(
      fc.array(fc.oneof(leafField, personField, fc.constant('SPREAD'), fc.constant('SPREAD2'), fc.constant('INLINE')), {
        minLength: 1,
        maxLength: 4,
      }),
      { minLength: 1, maxLength: 7 },
    ),
    top: fc.array(fc.oneof(leafField, personField), { maxLength: 2 }),
    nDefault: fc.option(fc.integer({ min: 1, max: 100 })),
    nSent: fc.option(fc.integer({ min: 1, max: 100 })),
  })
  .map(({ fragments, top, nDefault, nSent }) => {
    const bodies = fragments.map((selections, index) =>
      selections
        .map((selection) => {
          const previous = `...F${Math.max(0, index - 1)}`;
          if (index === 0 && selection.startsWith('SPREAD')) return '__typename';
          if (selection === 'SPREAD') return previous;
          if (selection === 'SPREAD2') return `${previous} ${previous}`;
          if (selection === 'INLINE')
            return index === 0 ? '... on Query { __typename }' : `... on Query @include(if: $flag) { ${previous} }`;
          return selection;
        })
        .join(' '),
    );
    const definitions = bodies.map((body, index) => `fragment F${index} on Query { ${body} }`);
    // Every fragment is used, so that validation does not refuse the document for an unused one.
    const spreads = bodies.map((_, index) => `...F${index}`).join(' ');
    const query = `query Q($id: ID! = "430700-00000000000000000000000000", $n: Int${nDefault === null ? '' : ` = ${nDefault}`}, $flag: Boolean = true) { ${spreads} ${top.join(' ')} } ${definitions.join(' ')}`;
    return { query, variables: nSent === null ? {} : { n: nSent } };
  });

test('generated documents: 2xx or 4xx with known codes, never a 500, and never more work than the limits', async () => {
  const admin = await token({ role: 'ADMIN' });
  await fc.assert(
    fc.asyncProperty(generatedDocument, async ({ query, variables }) => {
      const document = parse(query);
      const reference = naivePrice(document, variables);
      const overLimits = reference.cost > MAX_COST || reference.depth > MAX_DEPTH || mergeComparisons(document) > MAX_MERGE_COMPARISONS;
      const analysis = analyzeOperation(api, document.definitions[0] as OperationDefinitionNode, fragmentsOf(document), variables, 'ADMIN');
      expect(Boolean(analysis.exceeded)).toBe(reference.cost > MAX_COST || reference.depth > MAX_DEPTH);
      if (!analysis.exceeded) expect([analysis.cost, analysis.depth]).toEqual([reference.cost, reference.depth]);
      const answer = await gql(query, variables, { token: admin });
      expect(answer.status === 200 || answer.status === 400).toBe(true);
      for (const error of answer.errors ?? []) expect(isKnownCode(error.extensions?.code)).toBe(true);
      expect(codes(answer).includes('QUERY_TOO_COMPLEX')).toBe(overLimits);
    }),
    { numRuns: 60 },
  );
});
