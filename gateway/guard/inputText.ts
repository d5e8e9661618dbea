import {
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
  type FieldNode,
  type GraphQLField,
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

/** Whether a value of this input type can hold a String or ID anywhere inside it. */
function carriesText(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return carriesText(nullable.ofType, seen);
  if (isInputObjectType(nullable)) {
    // Input objects may refer to themselves (RegisterInput.inner): each is looked into once.
    if (seen.has(nullable.name)) return false;
    seen.add(nullable.name);
    return Object.values(nullable.getFields()).some((field) => carriesText(field.type, seen));
  }
  return isScalarType(nullable) && (nullable.name === 'String' || nullable.name === 'ID');
}

/** A field of the operation (or of a fragment it uses) with at least one argument that can carry text. */
interface TextField {
  node: FieldNode;
  definition: GraphQLField<unknown, unknown>;
}

/**
 * The fields whose arguments can carry text, per operation of a document. Apollo Server hands the
 * same DocumentNode for the same query text (its document cache), so the walk over the document
 * happens once per document; per request only these fields' arguments are coerced and checked.
 */
const textFieldsByDocument = new WeakMap<DocumentNode, Map<string, TextField[] | null>>();

function textFieldsOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): TextField[] | null {
  let byOperation = textFieldsByDocument.get(document);
  if (!byOperation) {
    byOperation = new Map();
    textFieldsByDocument.set(document, byOperation);
  }
  const name = operation.name?.value ?? '';
  const known = byOperation.get(name);
  if (known !== undefined) return known;
  // Only this operation and the fragments it uses: another operation's fragment may name variables this one lacks.
  const own = separateOperations(document)[name];
  const fields: TextField[] | null = own ? [] : null;
  if (own && fields) {
    const typeInfo = new TypeInfo(schema);
    visit(
      own,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const definition = typeInfo.getFieldDef();
          if (definition?.args.some((arg) => carriesText(arg.type))) fields.push({ node, definition });
        },
      }),
    );
  }
  byOperation.set(name, fields);
  return fields;
}

/** The first text rule the operation breaks, or null. */
export function findTextProblem(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): TextRefusal | null {
  const fields = textFieldsOf(schema, document, operation);
  if (!fields || fields.length === 0) return null;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  // Variables that do not fit their types are refused by the gateway's own validation, with its own code.
  if (coerced.errors) return null;
  for (const { node, definition } of fields) {
    const args = getArgumentValues(definition, node, coerced.coerced);
    for (const arg of definition.args) {
      const problem = problemIn(arg.type, args[arg.name], arg.name);
      if (problem) return { field: definition.name, ...problem };
    }
  }
  return null;
}
