import { adminCovers, requireAdminOf, requireRole } from '../shared/auth';
import { pageSize } from '../shared/cursor';
import { fail, SharedError } from '../shared/errors';
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

/** A binding is requested by the authorizer himself in the app, or by an ADMIN of his region. */
function requireMayRequestFor(context: FamilyContext, authorizerId: string): void {
  requireRole(context.identity, 'INSURED', 'ADMIN');
  if (context.identity.role === 'INSURED' && context.identity.personId !== authorizerId) {
    fail(FamilyError.requestOnlyByAuthorizer);
  }
  const authorizerRegion = regionOfId(authorizerId);
  if (!authorizerRegion) fail(FamilyError.authorizerNotFound(authorizerId));
  if (context.identity.role === 'ADMIN') requireAdminOf(context.identity, authorizerRegion);
}

/** 接受绑定 is the beneficiary's own act, or the bureau's for him at its counter (seed 001: the elderly). */
async function loadForConsent(context: FamilyContext, id: string): Promise<BindingRecord> {
  requireRole(context.identity, 'INSURED', 'ADMIN');
  const binding = await loadBinding(context, id);
  const { identity } = context;
  const mayConsent =
    identity.role === 'INSURED'
      ? identity.personId === binding.beneficiaryId
      : adminCovers(identity, regionOfKnownId(binding.beneficiaryId));
  if (!mayConsent) fail(FamilyError.consentOnlyByBeneficiary);
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
    pendingFamilyBindings: (_root, { regionCode, first, after }, context) => {
      requireRole(context.identity, 'ADMIN');
      if (!context.services.policies.region(regionCode)) fail(SharedError.unknownRegion(regionCode));
      if (!adminCovers(context.identity, regionCode)) fail(FamilyError.queueForAdminOfRegion);
      return context.services.bindings.pendingReview(regionCode, pageSize(first), after ?? null);
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
    // What the reviewer checks: audit material like the history, so the same readers.
    evidence: (binding, _args, context) => {
      if (!canSeeHistory(context.identity, binding)) fail(FamilyError.evidenceForAdmin);
      return binding.evidence;
    },
  },

  BindingEvent: {
    at: (event) => event.at,
  },

  Mutation: {
    requestFamilyBinding: (_root, { input }, context) => {
      requireMayRequestFor(context, input.authorizerId);
      return context.services.bindings.request(input, context.identity);
    },
    requestFamilyBindingByIdNumber: (_root, { input }, context) => {
      requireMayRequestFor(context, input.authorizerId);
      return context.services.bindings.requestByIdNumber(input, context.identity);
    },
    acceptFamilyBinding: async (_root, { id }, context) =>
      context.services.bindings.accept(await loadForConsent(context, id), context.identity),
    declineFamilyBinding: async (_root, { id }, context) =>
      context.services.bindings.decline(await loadForConsent(context, id), context.identity),
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
