import { requireAdminOf, requireRole } from '../shared/auth';
import { fail } from '../shared/errors';
import { regionOfId, regionOfKnownId } from '../shared/ids';
import { DateTimeScalar } from '../shared/scalars';
import type { FamilyContext } from './context';
import type { Resolvers } from './generated/types';
import type { BindingRecord } from './bindings/service';
import { canSeeBinding, canSeeBindingsOf, canSeeBindingThroughRecord, canSeeHistory } from './bindings/visibility';

/** Resolvers stay thin: check who may ask, load through the request's loaders, call the service. */
async function loadBinding(context: FamilyContext, id: string): Promise<BindingRecord> {
  const binding = await context.loaders.binding.load(id);
  if (!binding) fail('NOT_FOUND', `共济关系不存在：${id}`, `No such binding: ${id}`);
  return binding;
}

function requireSeeBindingsOf(context: FamilyContext, personId: string): void {
  requireRole(context.identity, 'INSURED', 'ADMIN');
  if (!canSeeBindingsOf(context.identity, personId)) fail('FORBIDDEN', '无权查看他人的共济关系', "You may not see this person's bindings");
}

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,

  Query: {
    familyBinding: async (_root, { id }, context) => {
      requireRole(context.identity, 'INSURED', 'ADMIN');
      const binding = await context.loaders.binding.load(id);
      if (!binding) return null;
      if (!canSeeBinding(context.identity, binding)) fail('FORBIDDEN', '无权查看该共济关系', 'You may not see this binding');
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
      if (binding && !canSeeBindingThroughRecord(context.identity, binding))
        fail('FORBIDDEN', '无权查看该共济关系', 'You may not see this binding');
      return binding;
    },
    authorizer: (binding) => ({ __typename: 'Person', id: binding.authorizerId }),
    allowedByPolicy: (binding, _args, context) =>
      context.services.policies
        .policyAt(regionOfKnownId(binding.authorizerId), new Date())
        ?.allowedRelationships.includes(binding.relationship) ?? false,
    beneficiary: (binding) => ({ __typename: 'Person', id: binding.beneficiaryId }),
    history: (binding, _args, context) => {
      if (!canSeeHistory(context.identity, binding))
        fail('FORBIDDEN', '审计记录仅供管理员查看', 'The history of a binding is for ADMIN only');
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
        fail('FORBIDDEN', '只能由授权人本人申请共济', 'Only the authorizer himself may request a binding of his account');
      }
      const authorizerRegion = regionOfId(input.authorizerId);
      if (!authorizerRegion) fail('NOT_FOUND', `授权人不存在：${input.authorizerId}`, `No such authorizer: ${input.authorizerId}`);
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
      if (!canSeeBinding(context.identity, binding))
        fail(
          'FORBIDDEN',
          '只有授权人、共济对象或管理员可以解除',
          'Only the authorizer, the beneficiary or an ADMIN may revoke this binding',
        );
      return context.services.bindings.revoke(binding, context.identity);
    },
  },
};
