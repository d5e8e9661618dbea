import { Supergraph } from '@apollo/federation-internals';
import { readFileSync } from 'node:fs';
import { getNamedType, getOperationAST, getVariableValues, parse, TypeInfo, validate, visit, visitWithTypeInfo } from 'graphql';
import { projectFile } from '../subgraphs/shared/policy/config';
import { ROLES } from '../subgraphs/shared/identity';
import { ANONYMOUS, EXPLORER_EXAMPLES, explorerTabs } from './explorerExamples';
import { analyzeOperation, fragmentsOf } from './guard/analyze';
import { allows, ruleFor } from './guard/rules';

/** The explorer's examples are real operations: valid against the composed API, and usable by the role they are for. */
const api = Supergraph.build(readFileSync(projectFile('schema/supergraph.graphql'), 'utf8'))
  .apiSchema()
  .toGraphQLJSSchema();

describe.each(EXPLORER_EXAMPLES.map((example) => [`${example.role} ${example.name}`, example] as const))('%s', (_title, example) => {
  const document = parse(example.query);

  test('is one named operation, valid against the composed schema', () => {
    expect(validate(api, document).map((error) => error.message)).toEqual([]);
    const operations = document.definitions.filter((definition) => definition.kind === 'OperationDefinition');
    expect(operations.map((operation) => operation.name?.value)).toEqual([example.name]);
  });

  test("its variables are of its operation's types (enum values, input fields, required ones)", () => {
    const operation = getOperationAST(document);
    const coerced = getVariableValues(api, operation?.variableDefinitions ?? [], example.variables ?? {});
    expect((coerced.errors ?? []).map((error) => error.message)).toEqual([]);
  });

  test("is within the gateway's depth, cost and nesting limits", () => {
    const operation = getOperationAST(document);
    expect(operation).not.toBeNull();
    if (operation) {
      expect(analyzeOperation(api, operation, fragmentsOf(document), example.variables ?? {}, example.role).exceeded).toBeUndefined();
    }
  });

  test('selects only fields its role may use (gateway/guard/rules.ts)', () => {
    const refused: string[] = [];
    const typeInfo = new TypeInfo(api);
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const parent = typeInfo.getParentType();
          if (!parent || node.name.value === '__typename') return;
          if (!allows(ruleFor(getNamedType(parent).name, node.name.value), example.role)) refused.push(`${parent.name}.${node.name.value}`);
        },
      }),
    );
    expect(refused).toEqual([]);
  });
});

test('every role and the anonymous caller has examples, and every tab carries an Authorization header and valid JSON', () => {
  const tabs = explorerTabs();
  expect(Object.keys(tabs).sort()).toEqual([ANONYMOUS, ...ROLES].sort());
  for (const tab of Object.values(tabs).flat()) {
    expect(JSON.parse(tab.headers)).toHaveProperty('Authorization', '');
    if (tab.variables) expect(() => JSON.parse(tab.variables as string)).not.toThrow();
  }
});
