import type { Catalogue } from '../shared/errors';
import type { Relationship } from '../shared/policy/vocabulary';

/** How a relationship reads in a Chinese message; the English one names the contract's enum value. */
const RELATIONSHIP_NAMES: Readonly<Record<Relationship, string>> = {
  SPOUSE: '配偶',
  PARENT: '父母',
  CHILD: '子女',
  SIBLING: '兄弟姐妹',
  PATERNAL_GRANDPARENT: '祖父母',
  MATERNAL_GRANDPARENT: '外祖父母',
  PATERNAL_GRANDCHILD: '孙子女',
  MATERNAL_GRANDCHILD: '外孙子女',
};

/**
 * Every outcome the family subgraph raises beyond SharedError's (subgraphs/shared/errors.ts says
 * how a catalogue is written): who may see and change bindings, the binding rules
 * (bindings/eligibility.ts) and the states a binding moves through.
 */
export const FamilyError = {
  // Who may see and change a binding (resolvers.ts).
  bindingNotFound: (bindingId: string) => ({ code: 'NOT_FOUND', zh: `共济关系不存在：${bindingId}`, en: `No such binding: ${bindingId}` }),
  bindingHidden: { code: 'FORBIDDEN', zh: '无权查看该共济关系', en: 'You may not see this binding' },
  bindingsOfOthersHidden: { code: 'FORBIDDEN', zh: '无权查看他人的共济关系', en: "You may not see this person's bindings" },
  historyForAdmin: { code: 'FORBIDDEN', zh: '审计记录仅供管理员查看', en: 'The history of a binding is for ADMIN only' },
  evidenceForAdmin: { code: 'FORBIDDEN', zh: '证明材料仅供审核的经办机构查看', en: 'The evidence of a binding is for ADMIN only' },
  requestOnlyByAuthorizer: {
    code: 'FORBIDDEN',
    zh: '只能由授权人本人申请共济',
    en: 'Only the authorizer himself may request a binding of his account',
  },
  revokeOnlyByParties: {
    code: 'FORBIDDEN',
    zh: '只有授权人、共济对象或管理员可以解除',
    en: 'Only the authorizer, the beneficiary or an ADMIN may revoke this binding',
  },
  authorizerNotFound: (authorizerId: string) => ({
    code: 'NOT_FOUND',
    zh: `授权人不存在：${authorizerId}`,
    en: `No such authorizer: ${authorizerId}`,
  }),
  consentOnlyByBeneficiary: {
    code: 'FORBIDDEN',
    zh: '只有共济对象本人或其参保地经办机构可以接受或拒绝',
    en: "Only the beneficiary himself or an ADMIN of the beneficiary's region may accept or decline this binding",
  },
  queueForAdminOfRegion: {
    code: 'FORBIDDEN',
    zh: '待审核队列仅供本统筹区经办机构查看',
    en: 'The review queue is for an ADMIN of that region only',
  },
  // One answer for every mismatch, so that trying numbers tells nothing about who is enrolled.
  beneficiaryNotMatched: {
    code: 'NOT_FOUND',
    zh: '身份证号与姓名不匹配任何参保人，请核对后重试',
    en: 'The id number and name match no insured person; check both and try again',
  },
  matchAttemptsExhausted: (retryAfterSeconds: number) => ({
    code: 'RATE_LIMITED',
    zh: `身份证号与姓名核对失败次数过多，请 ${retryAfterSeconds} 秒后再试`,
    en: `Too many id numbers and names that matched nobody; try again in ${retryAfterSeconds} s`,
  }),
  beneficiaryNotFound: (beneficiaryId: string) => ({
    code: 'NOT_FOUND',
    zh: `共济对象不存在：${beneficiaryId}`,
    en: `No such beneficiary: ${beneficiaryId}`,
  }),

  // The binding rules, in the order bindings/eligibility.ts applies them.
  bindingOneself: {
    code: 'BAD_USER_INPUT',
    zh: '不能与本人建立共济关系',
    en: 'A person cannot bind himself; choose a relative as beneficiary',
  },
  authorizerWithoutAccount: {
    code: 'NOT_ELIGIBLE',
    zh: '授权人须为有个人账户的职工医保参保人',
    en: 'The authorizer must be employee-insured with a personal account',
  },
  authorizerNotInsured: {
    code: 'NOT_INSURED',
    zh: '授权人当前未正常参保，请先恢复参保',
    en: 'The authorizer is not actively insured; restore the enrolment first',
  },
  beneficiaryNotInsured: {
    code: 'NOT_INSURED',
    zh: '共济对象当前未正常参保，请先参加基本医保',
    en: 'The beneficiary is not actively insured; he must enrol in basic medical insurance first',
  },
  relationshipNotAllowed: (regionCode: string, relationship: Relationship, allowed: readonly Relationship[]) => ({
    code: 'RELATIONSHIP_NOT_ALLOWED',
    zh: `授权人所在统筹区（${regionCode}）不允许共济给${RELATIONSHIP_NAMES[relationship]}，可共济对象：${allowed.map((name) => RELATIONSHIP_NAMES[name]).join('、')}`,
    en: `Region ${regionCode} does not allow binding a ${relationship}; allowed: ${allowed.join(', ')}`,
  }),
  crossProvinceNotOpen: (authorizerRegion: string, beneficiaryRegion: string) => ({
    code: 'CROSS_PROVINCE_NOT_ALLOWED',
    zh: `${authorizerRegion} 与 ${beneficiaryRegion} 之间尚未开通跨省共济`,
    en: `Cross-province mutual aid between ${authorizerRegion} and ${beneficiaryRegion} is not open; both regions must allow it`,
  }),
  commitmentNotAccepted: {
    code: 'BAD_USER_INPUT',
    zh: '请先阅读并签署共济承诺书',
    en: 'The authorizer must read and accept the commitment letter (commitmentAccepted: true)',
  },
  evidenceRequired: {
    code: 'BAD_USER_INPUT',
    zh: '本统筹区须提交亲属关系证明（户口簿、出生证明或结婚证）',
    en: 'This region reviews bindings: attach evidence of the relationship (household register, birth or marriage certificate)',
  },
  evidenceMalformed: {
    code: 'BAD_USER_INPUT',
    zh: '证明材料最多 10 项，且每项不能为空',
    en: 'input.evidence: at most 10 references, none empty',
  },
  spouseAlreadyBound: {
    code: 'DUPLICATE_BINDING',
    zh: '授权人已有有效或待审核的配偶共济关系',
    en: 'The authorizer already has an active or pending SPOUSE binding',
  },
  pairAlreadyBound: {
    code: 'DUPLICATE_BINDING',
    zh: '双方已有有效或待审核的共济关系',
    en: 'These two persons already have an active or pending binding; revoke it before binding again',
  },

  // The states a binding moves through (bindings/service.ts).
  bindingNotPending: (status: string) => ({
    code: 'INVALID_STATE',
    zh: `只能处理待审核的共济关系（当前：${status}）`,
    en: `Only a binding that is PENDING_REVIEW can be changed so (it is ${status})`,
  }),
  bindingNotOpen: (status: string) => ({
    code: 'INVALID_STATE',
    zh: `只能处理有效、待确认或待审核的共济关系（当前：${status}）`,
    en: `Only a binding that is ACTIVE, PENDING_CONSENT or PENDING_REVIEW can be changed so (it is ${status})`,
  }),
  bindingNotAwaitingConsent: (status: string) => ({
    code: 'INVALID_STATE',
    zh: `只能接受或拒绝待确认的共济关系（当前：${status}）`,
    en: `Only a binding that is PENDING_CONSENT can be accepted or declined (it is ${status})`,
  }),
  reviewAwaitsConsent: {
    code: 'INVALID_STATE',
    zh: '共济对象尚未接受绑定，接受后方可审核',
    en: 'The beneficiary has not accepted this binding yet; review it once he has',
  },
  bindingChangedMeanwhile: { code: 'INVALID_STATE', zh: '该共济关系已被他人处理', en: 'This binding was changed meanwhile; reload it' },
} satisfies Catalogue;
