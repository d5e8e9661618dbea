import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { MAX_PAGE_SIZE } from '../../subgraphs/shared/cursor';
import type { Outcome } from '../../subgraphs/shared/errors';
import { GatewayError } from '../errors';
import type { Role } from '../../subgraphs/shared/identity';
import { allows, ruleFor } from './rules';

/**
 * What an operation asks for, computed from its document before anything runs: how deep it goes,
 * what it may cost, and which fields the caller's role may not use. Aliases and fragments count as
 * what they expand to, yet each fragment is priced once and its price reused wherever it is spread,
 * so the walk is linear in the document's size however far the document expands, and it stops at
 * the first limit crossed. Every field costs 1 (`__typename` too); a list costs its page size
 * (`first`: as execution will see it) or a fixed estimate. The document need not be valid yet:
 * unknown fields, types and fragments price as nothing, and validation refuses them later.
 */
export const MAX_DEPTH = 10;
export const MAX_COST = 5_000;
/** Selection sets entered along one path (fields, fragment spreads, inline fragments): bounds the walk's recursion. */
export const MAX_NESTING = 4 * MAX_DEPTH;
export const LIST_ESTIMATE = 10;
/**
 * graphql-js's OverlappingFieldsCanBeMergedRule compares fields pairwise and runs before any plugin
 * may refuse a document: this bounds the pairs it meets (see `mergeComparisons`).
 */
export const MAX_MERGE_COMPARISONS = 1_000;

export type Limit = 'depth' | 'cost' | 'nesting';

export interface Analysis {
  depth: number;
  cost: number;
  /** Fields the role may not use, as Type.field, in document order. */
  refused: string[];
  /** The first limit crossed; depth and cost are then what was counted when the walk stopped. */
  exceeded?: Limit;
}

/** What a selection set adds below the point where it is selected. */
interface Price {
  depth: number;
  cost: number;
  nesting: number;
}

const NOTHING: Price = { depth: 0, cost: 0, nesting: 0 };

/** Thrown inside the walk to stop it at once; caught by `analyzeOperation`. */
class LimitCrossed {
  constructor(
    readonly limit: Limit,
    readonly price: Price,
  ) {}
}

interface Walk {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** Default values of the operation's variables, used when a variable is not sent. */
  variableDefaults: ReadonlyMap<string, ValueNode>;
  role: Role | null;
  refused: string[];
  /** Each fragment's price, computed the first time it is spread. */
  priced: Map<string, Price>;
  /** Fragments being priced now: spreading one of them again is a cycle, which validation refuses. */
  pricing: Set<string>;
}

/** Introspection types (`__Type`, `__Field`, …): allowed or refused as a whole by `__schema` / `__type`. */
function isIntrospection(type: GraphQLNamedType): boolean {
  return type.name.startsWith('__');
}

/** The page size execution will use: the argument as written, a variable's value, else its default, else the argument's schema default. */
function pageSize(argument: GraphQLArgument, node: FieldNode, walk: Walk): number {
  const given = node.arguments?.find((arg) => arg.name.value === argument.name)?.value;
  let value: unknown = argument.defaultValue;
  if (given?.kind === Kind.VARIABLE) {
    const name = given.name.value;
    const fallback = walk.variableDefaults.get(name);
    if (Object.hasOwn(walk.variables, name)) value = walk.variables[name];
    else if (fallback) value = valueFromAST(fallback, argument.type);
  } else if (given) {
    value = valueFromAST(given, argument.type);
  }
  // Anything the gateway cannot read as a whole number (null, a string, a bad literal) prices at the largest page.
  return typeof value === 'number' && Number.isSafeInteger(value) ? Math.max(1, value) : MAX_PAGE_SIZE;
}

function multiplier(field: GraphQLField<unknown, unknown>, node: FieldNode, walk: Walk): number {
  const first = field.args.find((arg) => arg.name === 'first');
  if (first) return pageSize(first, node, walk);
  return isListType(getNullableType(field.type)) && field.name !== 'nodes' ? LIST_ESTIMATE : 1;
}

function fieldOf(parent: GraphQLNamedType, name: string, walk: Walk): GraphQLField<unknown, unknown> | undefined {
  if (parent === walk.schema.getQueryType() && name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
  if (parent === walk.schema.getQueryType() && name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

/** Adds a selection's price to the running total of its selection set, stopping at the first limit crossed. */
function add(total: Price, part: Price, above: Price): void {
  total.cost += part.cost;
  total.depth = Math.max(total.depth, part.depth);
  total.nesting = Math.max(total.nesting, part.nesting);
  if (above.cost + total.cost > MAX_COST) throw new LimitCrossed('cost', total);
  if (above.depth + total.depth > MAX_DEPTH) throw new LimitCrossed('depth', total);
  if (above.nesting + total.nesting > MAX_NESTING) throw new LimitCrossed('nesting', total);
}

function priceFragment(name: string, walk: Walk, above: Price): Price {
  const known = walk.priced.get(name);
  if (known) return known;
  const fragment = walk.fragments.get(name);
  const type = fragment && walk.schema.getType(fragment.typeCondition.name.value);
  if (!type || walk.pricing.has(name)) return NOTHING;
  walk.pricing.add(name);
  const price = priceSelections(fragment.selectionSet, type, walk, above);
  walk.pricing.delete(name);
  walk.priced.set(name, price);
  return price;
}

function priceField(selection: FieldNode, parent: GraphQLNamedType, walk: Walk, above: Price): Price {
  const name = selection.name.value;
  // Inside introspection every field costs 1: no page sizes, and nesting (ofType { ofType … }) is not depth.
  const inIntrospection = isIntrospection(parent);
  const own = inIntrospection ? 0 : 1;
  if (name === '__typename') return { depth: own, cost: 1, nesting: 0 };
  const field = fieldOf(parent, name, walk);
  if (!field) return NOTHING;
  if (!inIntrospection && !allows(ruleFor(parent.name, name), walk.role)) walk.refused.push(`${parent.name}.${name}`);
  const below = { depth: above.depth + own, cost: above.cost + 1, nesting: above.nesting + 1 };
  const inner = selection.selectionSet ? priceSelections(selection.selectionSet, getNamedType(field.type), walk, below) : NOTHING;
  return {
    depth: own + inner.depth,
    cost: 1 + (inIntrospection ? 1 : multiplier(field, selection, walk)) * inner.cost,
    nesting: 1 + inner.nesting,
  };
}

function priceSelections(selectionSet: SelectionSetNode, parent: GraphQLNamedType, walk: Walk, above: Price): Price {
  // Checked on the way down too, so that a long chain of fragments stops here rather than deep in the stack.
  if (above.depth > MAX_DEPTH) throw new LimitCrossed('depth', above);
  if (above.nesting > MAX_NESTING) throw new LimitCrossed('nesting', above);
  const total: Price = { depth: 0, cost: 0, nesting: 0 };
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      add(total, priceField(selection, parent, walk, above), above);
      continue;
    }
    const below = { ...above, nesting: above.nesting + 1 };
    let inner: Price;
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      inner = priceFragment(selection.name.value, walk, below);
    } else {
      const type = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parent;
      inner = type ? priceSelections(selection.selectionSet, type, walk, below) : NOTHING;
    }
    add(total, { ...inner, nesting: 1 + inner.nesting }, above);
  }
  return total;
}

/** The document's fragments by name (a Map: a fragment may be called `constructor`). */
export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition]] : [],
    ),
  );
}

export function analyzeOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  role: Role | null,
): Analysis {
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root) return { depth: 0, cost: 0, refused: [] };
  const variableDefaults = new Map(
    (operation.variableDefinitions ?? []).flatMap(
      (definition) =>
        (definition.defaultValue ? [[definition.variable.name.value, definition.defaultValue]] : []) as Array<[string, ValueNode]>,
    ),
  );
  const walk: Walk = { schema, fragments, variables, variableDefaults, role, refused: [], priced: new Map(), pricing: new Set() };
  try {
    const { depth, cost } = priceSelections(operation.selectionSet, root, walk, NOTHING);
    return { depth, cost, refused: walk.refused };
  } catch (error) {
    if (!(error instanceof LimitCrossed)) throw error;
    return { depth: error.price.depth, cost: error.price.cost, refused: walk.refused, exceeded: error.limit };
  }
}

/** The refusal for a crossed limit, in Chinese and English. */
export function limitExceeded(limit: Limit): Outcome {
  switch (limit) {
    case 'depth':
      return GatewayError.tooDeep(MAX_DEPTH);
    case 'cost':
      return GatewayError.tooCostly(MAX_COST);
    case 'nesting':
      return GatewayError.tooNested(MAX_NESTING);
  }
}

/**
 * The pairs graphql-js's OverlappingFieldsCanBeMergedRule compares in a document: in each selection
 * set, with inline fragments flattened into it as the rule does, every two fields of one response
 * name, every field with every fragment spread, and every two spreads. The rule is quadratic in
 * these and runs during validation, before any plugin may refuse the document, so the gateway counts
 * them first, in one pass over every definition (used or not: validation visits them all).
 */
export function mergeComparisons(document: DocumentNode): number {
  let pairs = 0;
  const sets: SelectionSetNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) sets.push(definition.selectionSet);
  }
  for (let set = sets.pop(); set; set = sets.pop()) {
    const responseNames = new Map<string, number>();
    const spreads = new Set<string>();
    let fields = 0;
    const level = [set];
    for (let flat = level.pop(); flat; flat = level.pop()) {
      for (const selection of flat.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          level.push(selection.selectionSet);
        } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
          spreads.add(selection.name.value);
        } else {
          const responseName = (selection.alias ?? selection.name).value;
          const seen = responseNames.get(responseName) ?? 0;
          pairs += seen;
          responseNames.set(responseName, seen + 1);
          fields += 1;
          if (selection.selectionSet) sets.push(selection.selectionSet);
        }
      }
    }
    pairs += fields * spreads.size + (spreads.size * (spreads.size - 1)) / 2;
  }
  return pairs;
}
