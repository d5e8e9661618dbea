import {
  BREAK,
  getArgumentValues,
  getNullableType,
  getVariableValues,
  isInputObjectType,
  isListType,
  isScalarType,
  separateOperations,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Outcome } from '../../subgraphs/shared/errors';
import { textProblem } from '../../subgraphs/shared/text';

/**
 * Input hygiene for the whole graph in one place: every String and ID the operation passes — to any
 * field at any depth, as a literal or a variable, inside input objects and lists — meets the text
 * rules of subgraphs/shared/text.ts, or the whole operation is refused before any subgraph is asked.
 * Works on the coerced argument values, so defaults, variables and literals look alike.
 */
/** The rule broken, naming the argument's path. */
export interface TextRefusal extends Outcome {
  /** The root or nested field whose argument broke a rule. */
  field: string;
}

function problemIn(type: GraphQLInputType, value: unknown, path: string): Outcome | null {
  if (value === null || value === undefined) return null;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const items = value as unknown[];
    for (let index = 0; index < items.length; index += 1) {
      const problem = problemIn(nullable.ofType, items[index], `${path}[${index}]`);
      if (problem) return problem;
    }
    return null;
  }
  if (isInputObjectType(nullable)) {
    for (const field of Object.values(nullable.getFields())) {
      const problem = problemIn(field.type, (value as Record<string, unknown>)[field.name], `${path}.${field.name}`);
      if (problem) return problem;
    }
    return null;
  }
  // Custom scalars (Money, DateTime) parse strictly on their own; enums cannot carry text.
  if (typeof value !== 'string' || !isScalarType(nullable) || (nullable.name !== 'String' && nullable.name !== 'ID')) return null;
  return textProblem(path, value, nullable.name);
}

/** The first text rule the operation breaks, or null. */
export function findTextProblem(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): TextRefusal | null {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  // Variables that do not fit their types are refused by the gateway's own validation, with its own code.
  if (coerced.errors) return null;
  // Only this operation and the fragments it uses: another operation's fragment may name variables this one lacks.
  const own = separateOperations(document)[operation.name?.value ?? ''];
  if (!own) return null;
  const typeInfo = new TypeInfo(schema);
  let found: TextRefusal | null = null;
  visit(
    own,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const definition = typeInfo.getFieldDef();
        if (!definition || definition.args.length === 0) return undefined;
        const args = getArgumentValues(definition, node, coerced.coerced);
        for (const arg of definition.args) {
          const problem = problemIn(arg.type, args[arg.name], arg.name);
          if (problem) {
            found = { field: definition.name, ...problem };
            return BREAK;
          }
        }
        return undefined;
      },
    }),
  );
  return found;
}
