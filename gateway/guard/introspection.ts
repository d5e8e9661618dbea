import {
  getOperationAST,
  getVariableValues,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Introspection and suggestions scoped to the caller's role (roleSchema.ts). An operation that only
 * introspects is answered from the role's schema; one that mixes introspection with data is refused,
 * since its `__schema` would otherwise be answered by the gateway from the whole API.
 */

const INTROSPECTION_FIELDS = new Set([SchemaMetaFieldDef.name, TypeMetaFieldDef.name]);

export type IntrospectionUse = 'NONE' | 'ONLY' | 'MIXED';

/** The root fields an operation selects, through fragments and inline fragments (`__typename` left out: it reveals nothing). */
function rootFields(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen: Set<string>): string[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === '__typename' ? [] : [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, fragments, seen);
    const fragment = fragments.get(selection.name.value);
    if (!fragment || seen.has(fragment.name.value)) return [];
    seen.add(fragment.name.value);
    return rootFields(fragment.selectionSet, fragments, seen);
  });
}

export function introspectionUse(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): IntrospectionUse {
  const fields = rootFields(operation.selectionSet, fragments, new Set());
  const introspecting = fields.filter((field) => INTROSPECTION_FIELDS.has(field)).length;
  if (introspecting === 0) return 'NONE';
  return introspecting === fields.length ? 'ONLY' : 'MIXED';
}

/** graphql-js appends "Did you mean …?" to errors about misspelt fields, types, arguments and enum values. */
export const SUGGESTION = / ?Did you mean(.+?)\?$/;

/**
 * The errors a document and its variables meet against the role's schema: the same checks whose
 * messages carry suggestions (validation, variable coercion), so their suggestions name only what
 * the role may use.
 */
function scopedMessages(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
) {
  const messages = validate(schema, document).map((error) => error.message);
  const operation = getOperationAST(document, operationName);
  if (operation?.variableDefinitions?.length) {
    const coerced = getVariableValues(schema, operation.variableDefinitions, variables);
    if (coerced.errors) messages.push(...coerced.errors.map((error) => error.message));
  }
  return messages;
}

/**
 * An error message with its suggestion as the role's schema would make it: the same message from the
 * role's schema when there is one (its own suggestion, or none), else without the suggestion.
 */
export function scopeSuggestions(
  messages: readonly string[],
  schema: GraphQLSchema,
  document: DocumentNode | undefined,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): string[] {
  if (!messages.some((message) => SUGGESTION.test(message))) return [...messages];
  const scoped = document ? scopedMessages(schema, document, operationName, variables) : [];
  const bare = (message: string) => message.replace(SUGGESTION, '');
  return messages.map((message) => {
    if (!SUGGESTION.test(message)) return message;
    return scoped.find((candidate) => bare(candidate) === bare(message)) ?? bare(message);
  });
}
