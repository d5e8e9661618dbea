import { requireAdminOf, requireRole } from '../shared/auth';
import { fail } from '../shared/errors';
import { FamilyError } from './errors';
import { regionOfId, regionOfKnownId } from '../shared/ids';
import { DateTimeScalar } from '../shared/scalars';
import type { FamilyContext } from './context';
import type { Resolvers } from './generated/types';
import type { BindingRecord } from './bindings/service';
import { canSeeBinding, canSeeBindingsOf, canSeeBindingThroughRecord, canSeeHistory } from './bindings/visibility';

/** Resolvers stay thin: check who may ask, load through the request's loaders, call the service. */
async function loadBinding(context: FamilyContext, id: string): Promise<BindingRecord> {
  const binding = await context.loaders.binding.load(id);
  if (!binding) fail(FamilyError.bindingNotFound(id));
  return binding;
}

function requireSeeBindingsOf(context: FamilyContext, personId: string): void {
  requireRole(context.identity, 'INSURED', 'ADMIN');
  if (!canSeeBindingsOf(context.identity, personId)) fail(FamilyError.bindingsOfOthersHidden);
}

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,

  Query: {
    familyBinding: async (_root, { id }, context) => {
      requireRole(context.identity, 'INSURED', 'ADMIN');
      const binding = await context.loaders.binding.load(id);
      if (!binding) return null;
      if (!canSeeBinding(context.identity, binding)) fail(FamilyError.bindingHidden);
      return binding;
    },
  },

  Person: {
    bindingsAsAuthorizer: ({ id }, _args, context) => {
      requireSeeBindingsOf(context, id);
      return context.loaders.asAuthorizer.load(id);
    },
    bindingsAsBeneficiary: ({ id }, _args, context) => {
      requireSeeBindingsOf(context, id);
      return context.loaders.asBeneficiary.load(id);
    },
  },

  FamilyBinding: {
    __resolveReference: async ({ id }, context) => {
      const binding = await context.loaders.binding.load(id);
      if (binding && !canSeeBindingThroughRecord(context.identity, binding)) fail(FamilyError.bindingHidden);
      return binding;
    },
    authorizer: (binding) => ({ __typename: 'Person', id: binding.authorizerId }),
    allowedByPolicy: (binding, _args, context) =>
      context.services.policies
        .policyAt(regionOfKnownId(binding.authorizerId), new Date())
        ?.allowedRelationships.includes(binding.relationship) ?? false,
    beneficiary: (binding) => ({ __typename: 'Person', id: binding.beneficiaryId }),
    history: (binding, _args, context) => {
      if (!canSeeHistory(context.identity, binding)) fail(FamilyError.historyForAdmin);
      return context.loaders.history.load(binding.id);
    },
  },

  BindingEvent: {
    at: (event) => event.at,
  },

  Mutation: {
    requestFamilyBinding: async (_root, { input }, context) => {
      requireRole(context.identity, 'INSURED', 'ADMIN');
      if (context.identity.role === 'INSURED' && context.identity.personId !== input.authorizerId) {
        fail(FamilyError.requestOnlyByAuthorizer);
      }
      const authorizerRegion = regionOfId(input.authorizerId);
      if (!authorizerRegion) fail(FamilyError.authorizerNotFound(input.authorizerId));
      if (context.identity.role === 'ADMIN') requireAdminOf(context.identity, authorizerRegion);
      return context.services.bindings.request(input, context.identity);
    },
    reviewFamilyBinding: async (_root, { id, approve, note }, context) => {
      requireRole(context.identity, 'ADMIN');
      const binding = await loadBinding(context, id);
      requireAdminOf(context.identity, regionOfKnownId(binding.authorizerId));
      return context.services.bindings.review(binding, approve, note ?? null, context.identity);
    },
    revokeFamilyBinding: async (_root, { id }, context) => {
      requireRole(context.identity, 'INSURED', 'ADMIN');
      const binding = await loadBinding(context, id);
      if (!canSeeBinding(context.identity, binding)) fail(FamilyError.revokeOnlyByParties);
      return context.services.bindings.revoke(binding, context.identity);
    },
  },
};
