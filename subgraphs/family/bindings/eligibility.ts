import type { ErrorCode } from '../../shared/errors';
import type { MutualAidPolicy } from '../../shared/policy/policy';
import type { EnrollmentStatus, Relationship, Scheme } from '../../shared/policy/vocabulary';

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

export interface Refusal {
  code: ErrorCode;
  zh: string;
  en: string;
}

const RELATIONSHIP_NAMES: Record<Relationship, string> = {
  SPOUSE: '配偶',
  PARENT: '父母',
  CHILD: '子女',
  SIBLING: '兄弟姐妹',
  PATERNAL_GRANDPARENT: '祖父母',
  MATERNAL_GRANDPARENT: '外祖父母',
  PATERNAL_GRANDCHILD: '孙子女',
  MATERNAL_GRANDCHILD: '外孙子女',
};

export function bindingRefusal(request: BindingRequest): Refusal | null {
  const { authorizer, beneficiary, relationship, authorizerPolicy, beneficiaryPolicy } = request;
  if (authorizer.id === beneficiary.id) {
    return { code: 'BAD_USER_INPUT', zh: '不能与本人建立共济关系', en: 'A person cannot bind himself; choose a relative as beneficiary' };
  }
  if (authorizer.scheme !== 'EMPLOYEE' || !authorizer.hasPersonalAccount) {
    return {
      code: 'NOT_ELIGIBLE',
      zh: '授权人须为有个人账户的职工医保参保人',
      en: 'The authorizer must be employee-insured with a personal account',
    };
  }
  if (authorizer.status !== 'ACTIVE') {
    return {
      code: 'NOT_INSURED',
      zh: '授权人当前未正常参保，请先恢复参保',
      en: 'The authorizer is not actively insured; restore the enrolment first',
    };
  }
  if (beneficiary.status !== 'ACTIVE') {
    return {
      code: 'NOT_INSURED',
      zh: '共济对象当前未正常参保，请先参加基本医保',
      en: 'The beneficiary is not actively insured; he must enrol in basic medical insurance first',
    };
  }
  if (!authorizerPolicy.allowedRelationships.includes(relationship)) {
    const allowed = authorizerPolicy.allowedRelationships.map((name) => RELATIONSHIP_NAMES[name]).join('、');
    return {
      code: 'RELATIONSHIP_NOT_ALLOWED',
      zh: `授权人所在统筹区（${authorizer.regionCode}）不允许共济给${RELATIONSHIP_NAMES[relationship]}，可共济对象：${allowed}`,
      en: `Region ${authorizer.regionCode} does not allow binding a ${relationship}; allowed: ${authorizerPolicy.allowedRelationships.join(', ')}`,
    };
  }
  if (authorizer.provinceCode !== beneficiary.provinceCode && !(authorizerPolicy.crossProvince && beneficiaryPolicy.crossProvince)) {
    return {
      code: 'CROSS_PROVINCE_NOT_ALLOWED',
      zh: `${authorizer.regionCode} 与 ${beneficiary.regionCode} 之间尚未开通跨省共济`,
      en: `Cross-province mutual aid between ${authorizer.regionCode} and ${beneficiary.regionCode} is not open; both regions must allow it`,
    };
  }
  if (!request.commitmentAccepted) {
    return {
      code: 'BAD_USER_INPUT',
      zh: '请先阅读并签署共济承诺书',
      en: 'The authorizer must read and accept the commitment letter (commitmentAccepted: true)',
    };
  }
  if (authorizerPolicy.requiresReview && request.evidence.length === 0) {
    return {
      code: 'BAD_USER_INPUT',
      zh: '本统筹区须提交亲属关系证明（户口簿、出生证明或结婚证）',
      en: 'This region reviews bindings: attach evidence of the relationship (household register, birth or marriage certificate)',
    };
  }
  return null;
}
