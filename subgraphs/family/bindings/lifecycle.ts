import type { Outcome } from '../../shared/errors';
import type { MutualAidPolicy } from '../../shared/policy/policy';
import { FamilyError } from '../errors';

/**
 * The states a binding moves through, as pure rules (seeds 000 and 001: 申请 → 接受绑定 → 审核 → 生效):
 *
 *   REQUEST → PENDING_CONSENT  where the authorizer's region asks the beneficiary to accept
 *           → PENDING_REVIEW   else where the region reviews bindings
 *           → ACTIVE           else
 *   PENDING_CONSENT  ACCEPT → PENDING_REVIEW or ACTIVE (the same review rule, at acceptance) · DECLINE → DECLINED
 *   PENDING_REVIEW   APPROVE → ACTIVE · REJECT → REJECTED
 *   any open status  REVOKE → REVOKED
 *
 * Only ACTIVE pays. Open statuses hold the pair's unique keys, so a pair has one open binding at most.
 */
export type BindingStatus = 'PENDING_CONSENT' | 'PENDING_REVIEW' | 'ACTIVE' | 'DECLINED' | 'REJECTED' | 'REVOKED';
export type BindingAction = 'REQUEST' | 'ACCEPT' | 'DECLINE' | 'APPROVE' | 'REJECT' | 'REVOKE';

export const OPEN_STATUSES: readonly BindingStatus[] = ['PENDING_CONSENT', 'PENDING_REVIEW', 'ACTIVE'];

/** The statuses each action may move a binding out of. */
const MOVES_FROM: Readonly<Record<Exclude<BindingAction, 'REQUEST'>, readonly BindingStatus[]>> = {
  ACCEPT: ['PENDING_CONSENT'],
  DECLINE: ['PENDING_CONSENT'],
  APPROVE: ['PENDING_REVIEW'],
  REJECT: ['PENDING_REVIEW'],
  REVOKE: OPEN_STATUSES,
};

export function isOpen(status: BindingStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/**
 * Where a binding goes after its request, or after the beneficiary accepted it, under the
 * authorizer's region policy in force at that instant.
 */
export function statusAfter(
  step: 'REQUEST' | 'ACCEPT',
  policy: Pick<MutualAidPolicy, 'requiresBeneficiaryConsent' | 'requiresReview'>,
): BindingStatus {
  if (step === 'REQUEST' && policy.requiresBeneficiaryConsent) return 'PENDING_CONSENT';
  return policy.requiresReview ? 'PENDING_REVIEW' : 'ACTIVE';
}

/** Why `action` may not move a binding in `status`, or null when it may. */
export function transitionRefusal(action: Exclude<BindingAction, 'REQUEST'>, status: BindingStatus): Outcome | null {
  if (MOVES_FROM[action].includes(status)) return null;
  switch (action) {
    case 'REVOKE':
      return FamilyError.bindingNotOpen(status);
    case 'ACCEPT':
    case 'DECLINE':
      return FamilyError.bindingNotAwaitingConsent(status);
    default:
      // A reviewer sees a binding only once its beneficiary has accepted it.
      return status === 'PENDING_CONSENT' ? FamilyError.reviewAwaitsConsent : FamilyError.bindingNotPending(status);
  }
}
