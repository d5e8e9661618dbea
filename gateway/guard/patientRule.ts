import {
  buildSchema,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  isInputObjectType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLDirective,
  type GraphQLInputObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * 本人参保，本人享受, declared in the schema: an argument or input field marked `@patient` names the
 * patient of a money operation. The gateway reads where the directive is used from the supergraph
 * at start (the API schema does not carry it), and for each operation collects the patients its
 * root fields name, however the operation is written (variables or literals, aliases, fragments,
 * several fields). A new money field that takes a patient needs only the directive. A root field
 * marked `@ownCard` answers about the card's holder himself (人员信息获取): it needs the card as a
 * money field does, and names nobody else.
 */
export type PatientVia = 'PERSON' | 'SETTLEMENT' | 'HOLDER';

export interface PatientLocator {
  /** Argument name, then input field names; empty for HOLDER. */
  path: string[];
  via: PatientVia;
}

export interface NamedPatient {
  field: string;
  via: PatientVia;
  /** The id as the operation gives it; null for HOLDER (whoever holds the card presented). */
  id: string | null;
}

function locatorsInInput(type: GraphQLInputObjectType, directive: GraphQLDirective, prefix: string[], seen: Set<string>): PatientLocator[] {
  if (seen.has(type.name)) return [];
  const next = new Set([...seen, type.name]);
  return Object.values(type.getFields()).flatMap((field) => {
    const own = field.astNode ? getDirectiveValues(directive, field.astNode) : undefined;
    const here: PatientLocator[] = own ? [{ path: [...prefix, field.name], via: own.via as PatientVia }] : [];
    const inner = getNamedType(field.type);
    return [...here, ...(isInputObjectType(inner) ? locatorsInInput(inner, directive, [...prefix, field.name], next) : [])];
  });
}

/** For each root field ("Mutation.settle"), where its arguments name a patient, or that it answers for the card's holder. */
export function readPatientLocators(supergraphSdl: string): Map<string, PatientLocator[]> {
  const schema = buildSchema(supergraphSdl, { assumeValidSDL: true });
  const directive = schema.getDirective('patient');
  const ownCard = schema.getDirective('ownCard');
  const locators = new Map<string, PatientLocator[]>();
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      const holder: PatientLocator[] =
        ownCard && field.astNode && getDirectiveValues(ownCard, field.astNode) ? [{ path: [], via: 'HOLDER' }] : [];
      const found = !directive
        ? []
        : field.args.flatMap((arg) => {
            const own = arg.astNode ? getDirectiveValues(directive, arg.astNode) : undefined;
            const here: PatientLocator[] = own ? [{ path: [arg.name], via: own.via as PatientVia }] : [];
            const inner = getNamedType(arg.type);
            return [...here, ...(isInputObjectType(inner) ? locatorsInInput(inner, directive, [arg.name], new Set()) : [])];
          });
      if (holder.length + found.length > 0) locators.set(`${root.name}.${field.name}`, [...holder, ...found]);
    }
  }
  return locators;
}

function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, path));
  if (path.length === 0) return [value];
  return valuesAt((value as Record<string, unknown>)[path[0]], path.slice(1));
}

/**
 * Every patient the operation's root fields name, with the field that names each. Only root fields
 * name patients, so each fragment is read once however often it is spread: the walk is linear in
 * the document's size.
 */
export function patientsNamed(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  locators: ReadonlyMap<string, PatientLocator[]>,
): NamedPatient[] {
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!root) return [];
  const named: NamedPatient[] = [];
  const read = new Set<string>();
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !read.has(fragment.name.value)) {
          read.add(fragment.name.value);
          visit(fragment.selectionSet);
        }
      } else {
        const fieldLocators = locators.get(`${root.name}.${selection.name.value}`);
        const field = root.getFields()[selection.name.value];
        if (!fieldLocators || !field) continue;
        const args = getArgumentValues(field, selection, variables);
        for (const locator of fieldLocators) {
          if (locator.via === 'HOLDER') named.push({ field: field.name, via: locator.via, id: null });
          else for (const id of valuesAt(args, locator.path)) named.push({ field: field.name, via: locator.via, id: String(id) });
        }
      }
    }
  };
  visit(operation.selectionSet);
  return named;
}
