import {
  buildASTSchema,
  Kind,
  parse,
  printSchema,
  type DefinitionNode,
  type FieldDefinitionNode,
  type GraphQLSchema,
  type InputValueDefinitionNode,
  type TypeNode,
  specifiedScalarTypes,
} from 'graphql';
import { ROLES, type Role } from '../../subgraphs/shared/identity';
import { allows, ruleFor } from './rules';

/**
 * The part of the API schema a role may call, as a schema of its own: every field the guard's rule
 * table (rules.ts) allows the role, with its arguments, descriptions and the types reachable through
 * them; nothing else. Introspection is answered from it, and "Did you mean …?" suggestions come from
 * it, so what a caller learns of the graph is exactly what it may use: one source of truth, the rules.
 */

/** printSchema leaves out String, ID, Int, Float and Boolean: they are always there. */
const BUILT_IN_SCALARS = new Set(specifiedScalarTypes.map((scalar) => scalar.name));

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

/** The types a definition refers to: its fields' types and arguments, its input fields. */
function referencedTypes(definition: DefinitionNode): string[] {
  if (definition.kind === Kind.OBJECT_TYPE_DEFINITION)
    return (definition.fields ?? []).flatMap((field) => [
      namedTypeOf(field.type),
      ...(field.arguments ?? []).map((argument) => namedTypeOf(argument.type)),
    ]);
  if (definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION)
    return (definition.fields ?? []).map((field: InputValueDefinitionNode) => namedTypeOf(field.type));
  return [];
}

function nameOf(definition: DefinitionNode): string | undefined {
  return 'name' in definition && definition.name ? definition.name.value : undefined;
}

export function roleSchema(api: GraphQLSchema, role: Role | null): GraphQLSchema {
  const document = parse(printSchema(api));
  const definitions = new Map<string, DefinitionNode>();
  for (const definition of document.definitions) {
    const name = nameOf(definition);
    if (name === undefined || definition.kind === Kind.DIRECTIVE_DEFINITION) continue;
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) {
      definitions.set(name, definition);
      continue;
    }
    const fields = (definition.fields ?? []).filter((field) => allows(ruleFor(name, field.name.value), role));
    definitions.set(name, { ...definition, fields });
  }
  // A field whose type the role sees no field of leads nowhere: drop both, until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, definition] of definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
      if ((definition.fields ?? []).length === 0) {
        definitions.delete(name);
        changed = true;
        continue;
      }
      const fields = (definition.fields ?? []).filter((field: FieldDefinitionNode) => {
        const type = namedTypeOf(field.type);
        return definitions.has(type) || BUILT_IN_SCALARS.has(type);
      });
      if (fields.length !== definition.fields?.length) {
        definitions.set(name, { ...definition, fields });
        changed = true;
      }
    }
  }
  // Keep only what the roots reach: an input or enum used by a refused field says nothing to this role.
  const reachable = new Set<string>();
  const pending = ['Query', 'Mutation'].filter((root) => definitions.has(root));
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (reachable.has(name)) continue;
    reachable.add(name);
    const definition = definitions.get(name);
    if (definition) pending.push(...referencedTypes(definition).filter((type) => definitions.has(type)));
  }
  const kept = [...definitions].filter(([name]) => reachable.has(name)).map(([, definition]) => definition);
  // Anonymous callers see at least the public Query fields, so Query is always there.
  return buildASTSchema({ kind: Kind.DOCUMENT, definitions: kept }, { assumeValid: true });
}

/** Every caller's schema, built once when the gateway starts: anonymous (null) and each role. */
export function roleSchemas(api: GraphQLSchema): ReadonlyMap<Role | null, GraphQLSchema> {
  return new Map<Role | null, GraphQLSchema>([null, ...ROLES].map((role) => [role, roleSchema(api, role)]));
}
