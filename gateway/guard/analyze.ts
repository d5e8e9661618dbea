import {
  getNamedType, getNullableType, isListType, isObjectType, Kind, valueFromAST,
  type FieldNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLNamedType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import type { Role } from '../../subgraphs/shared/identity';
import { allows, ruleFor } from './rules';

/**
 * What an operation asks for, computed from its document before anything runs: how deep it goes,
 * what it may cost, and which fields the caller's role may not use. Aliases and fragments are
 * counted as what they expand to; a list costs its page size (`first`) or a fixed estimate.
 */
export const LIST_ESTIMATE = 10;
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

export interface Analysis {
  depth: number;
  cost: number;
  /** Fields the role may not use, as Type.field, in document order. */
  refused: string[];
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  role: Role | null;
  refused: string[];
}

function multiplier(field: GraphQLField<unknown, unknown>, node: FieldNode, walk: Walk): number {
  const first = field.args.find((arg) => arg.name === 'first');
  if (first) {
    const given = node.arguments?.find((arg) => arg.name.value === 'first');
    const value = given ? valueFromAST(given.value, first.type, walk.variables) : first.defaultValue;
    return typeof value === 'number' && value > 0 ? value : 1;
  }
  return isListType(getNullableType(field.type)) && field.name !== 'nodes' ? LIST_ESTIMATE : 1;
}

function walkSelections(selectionSet: SelectionSetNode, parent: GraphQLNamedType, walk: Walk, seenFragments: ReadonlySet<string>): { depth: number; cost: number } {
  let depth = 0;
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
      let fragmentType = parent;
      let set: SelectionSetNode;
      let seen = seenFragments;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = walk.fragments[selection.name.value];
        if (!fragment || seenFragments.has(selection.name.value)) continue;
        seen = new Set([...seenFragments, selection.name.value]);
        set = fragment.selectionSet;
        fragmentType = walk.schema.getType(fragment.typeCondition.name.value) ?? parent;
      } else {
        set = selection.selectionSet;
        if (selection.typeCondition) fragmentType = walk.schema.getType(selection.typeCondition.name.value) ?? parent;
      }
      const inner = walkSelections(set, fragmentType, walk, seen);
      depth = Math.max(depth, inner.depth);
      cost += inner.cost;
      continue;
    }
    const name = selection.name.value;
    if (name === '__typename') continue;
    if (!isObjectType(parent) || parent.name.startsWith('__')) continue;
    if (!allows(ruleFor(parent.name, name), walk.role)) walk.refused.push(`${parent.name}.${name}`);
    // Introspection is allowed or refused as a whole by its root field; its inner shape is not priced.
    if (INTROSPECTION_ROOTS.has(name)) continue;
    const field = parent.getFields()[name];
    if (!field) continue;
    const inner = selection.selectionSet ? walkSelections(selection.selectionSet, getNamedType(field.type), walk, seenFragments) : { depth: 0, cost: 0 };
    depth = Math.max(depth, 1 + inner.depth);
    cost += 1 + multiplier(field, selection, walk) * inner.cost;
  }
  return { depth, cost };
}

export function analyzeOperation(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>, role: Role | null): Analysis {
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  const walk: Walk = { schema, fragments, variables, role, refused: [] };
  if (!root) return { depth: 0, cost: 0, refused: [] };
  const { depth, cost } = walkSelections(operation.selectionSet, root, walk, new Set());
  return { depth, cost, refused: walk.refused };
}
