import type { Outcome } from '../../shared/errors';
import type { MutualAidPolicy } from '../../shared/policy/policy';
import type { EnrollmentStatus, Relationship, Scheme } from '../../shared/policy/vocabulary';
import { FamilyError } from '../errors';

/**
 * Who may bind whom (DESIGN.md, Rules → Bindings; seeds: 共济对象, 办理流程), as a pure function of
 * the two persons and the policies in force. The first rule broken is the answer, with a message
 * that tells the user what to do.
 */
export interface Party {
  id: string;
  regionCode: string;
  provinceCode: string;
  scheme: Scheme;
  status: EnrollmentStatus;
  hasPersonalAccount: boolean;
}

export interface BindingRequest {
  authorizer: Party;
  beneficiary: Party;
  relationship: Relationship;
  commitmentAccepted: boolean;
  evidence: readonly string[];
  authorizerPolicy: MutualAidPolicy;
  beneficiaryPolicy: MutualAidPolicy;
}

export function bindingRefusal(request: BindingRequest): Outcome | null {
  const { authorizer, beneficiary, relationship, authorizerPolicy, beneficiaryPolicy } = request;
  if (authorizer.id === beneficiary.id) return FamilyError.bindingOneself;
  if (authorizer.scheme !== 'EMPLOYEE' || !authorizer.hasPersonalAccount) return FamilyError.authorizerWithoutAccount;
  if (authorizer.status !== 'ACTIVE') return FamilyError.authorizerNotInsured;
  if (beneficiary.status !== 'ACTIVE') return FamilyError.beneficiaryNotInsured;
  if (!authorizerPolicy.allowedRelationships.includes(relationship)) {
    return FamilyError.relationshipNotAllowed(authorizer.regionCode, relationship, authorizerPolicy.allowedRelationships);
  }
  if (authorizer.provinceCode !== beneficiary.provinceCode && !(authorizerPolicy.crossProvince && beneficiaryPolicy.crossProvince)) {
    return FamilyError.crossProvinceNotOpen(authorizer.regionCode, beneficiary.regionCode);
  }
  if (!request.commitmentAccepted) return FamilyError.commitmentNotAccepted;
  if (authorizerPolicy.requiresReview && request.evidence.length === 0) return FamilyError.evidenceRequired;
  return null;
}
