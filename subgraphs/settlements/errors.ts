import type { Catalogue } from '../shared/errors';
import { CARE_PURPOSES, PREMIUM_PURPOSES } from '../shared/policy/vocabulary';

/** The codes a premium through a binding gets when the waterfall's own rule refuses that binding. */
export type PayerRuleCode = 'PURPOSE_NOT_ALLOWED' | 'RELATIONSHIP_NOT_ALLOWED' | 'CROSS_PROVINCE_NOT_ALLOWED' | 'NOT_ELIGIBLE';

/**
 * Every outcome the settlements subgraph raises beyond SharedError's (subgraphs/shared/errors.ts
 * says how a catalogue is written): who may read and act, settle and its saga (refunds, 冲正, the
 * fund's order), premiums and 对账.
 */
export const SettlementsError = {
  // Who may read and act (resolvers.ts).
  settlementHidden: { code: 'FORBIDDEN', zh: '无权查看该结算', en: 'You may not see this settlement' },
  settlementsOfOthersHidden: { code: 'FORBIDDEN', zh: '无权查看他人的结算记录', en: "You may not see this person's settlements" },
  mutualAidSourcesOfOthersHidden: {
    code: 'FORBIDDEN',
    zh: '只能查看本人的家庭共济资金来源',
    en: 'Only the person himself or an ADMIN of his region may see what his family can pay for him',
  },
  otherInstitution: { code: 'FORBIDDEN', zh: '只能处理本机构的结算', en: 'A counter may act only for its own institution' },
  otherPartnersProduct: { code: 'FORBIDDEN', zh: '只能查询本机构的产品', en: 'A partner may use its own products only' },
  payOnlyFromOwnAccount: { code: 'FORBIDDEN', zh: '只能从本人账户缴费', en: 'An insured person may pay only from his own account' },
  institutionIdMalformed: { code: 'BAD_USER_INPUT', zh: '机构编码格式错误', en: 'institutionId: 1 to 64 letters, digits, _ or -' },
  reasonRequired: { code: 'BAD_USER_INPUT', zh: '退费原因必填', en: 'reason is required' },
  fromAfterTo: { code: 'BAD_USER_INPUT', zh: '起始时间晚于结束时间', en: '`from` is after `to`' },
  settlementNotFound: (settlementId: string) => ({
    code: 'NOT_FOUND',
    zh: `结算不存在：${settlementId}`,
    en: `No such settlement: ${settlementId}`,
  }),

  // A bill and its patient (settle/planning.ts).
  notCarePurpose: {
    code: 'PURPOSE_NOT_ALLOWED',
    zh: '结算只用于就医购药；缴费请用 payPremium',
    en: `settle is for care purposes (${CARE_PURPOSES.join(', ')}); premiums go through payPremium`,
  },
  totalNotPositive: { code: 'BAD_USER_INPUT', zh: '结算金额必须大于 0', en: 'A settlement must have a positive total' },
  patientNotFound: (patientId: string) => ({ code: 'NOT_FOUND', zh: `参保人不存在：${patientId}`, en: `No such patient: ${patientId}` }),
  patientNotInsured: {
    code: 'NOT_INSURED',
    zh: '患者当前未正常参保，不能医保结算',
    en: 'The patient is not actively insured; settle in cash',
  },

  // The saga's keys and states (settle/saga.ts, settle/fundUse.ts).
  keyUsedElsewhere: {
    code: 'IDEMPOTENCY_CONFLICT',
    zh: '该交易流水号已用于内容不同的结算（可能是另一位患者）',
    en: 'This idempotencyKey of the institution was already used for another settlement (maybe another patient)',
  },
  keyUsedForOtherContent: {
    code: 'IDEMPOTENCY_CONFLICT',
    zh: '该交易流水号已用于内容不同的结算',
    en: 'This idempotencyKey was already used for a settlement with different content',
  },
  keyOfAnotherPatient: {
    code: 'IDEMPOTENCY_CONFLICT',
    zh: '该交易流水号属于另一位患者的结算',
    en: "This idempotencyKey belongs to another patient's settlement",
  },
  keyVoided: {
    code: 'INVALID_STATE',
    zh: '该交易流水号已冲正，未用其支付任何款项；如需结算请使用新的流水号',
    en: 'This idempotencyKey was voided (冲正): nothing was paid with it; settle again with a new key',
  },
  refundKeyUsedElsewhere: {
    code: 'IDEMPOTENCY_CONFLICT',
    zh: '该退费流水号已用于另一笔结算的退费',
    en: 'This refund idempotencyKey was already used to refund another settlement',
  },
  settlementUnfinished: {
    code: 'INVALID_STATE',
    zh: '该结算尚未完成，请先用原交易流水号重试结算',
    en: 'This settlement is not finished; retry settle with its key first',
  },
  alreadyRefunded: { code: 'INVALID_STATE', zh: '该结算已经退款', en: 'This settlement was already refunded under another key' },
  voidUnfinished: {
    code: 'SERVICE_UNAVAILABLE',
    zh: '冲正未能完成，请用同一流水号重试',
    en: 'The void did not finish; retry it with the same key',
  },
  /** `settlementIds` latest first: the fund's share of each depends on the one being refunded (waterfall/fundOrder.ts). */
  refundLaterFirst: (settlementIds: readonly string[]) => ({
    code: 'INVALID_STATE',
    zh: `统筹基金按结算顺序计算：请先退后面的结算（从最新的开始）：${settlementIds.join('，')}`,
    en: `The fund's share follows the order of settlements: refund these later settlements first, latest first: ${settlementIds.join(', ')}`,
  }),

  // Premiums (premiums/service.ts).
  notPremiumPurpose: {
    code: 'PURPOSE_NOT_ALLOWED',
    zh: '缴费用途只能是居民医保、长护险或惠民保',
    en: `payPremium is for ${PREMIUM_PURPOSES.join(', ')}`,
  },
  productCodeMalformed: {
    code: 'BAD_USER_INPUT',
    zh: '产品代码为 1 到 64 位字母、数字、_ 或 -',
    en: 'productCode: 1 to 64 letters, digits, _ or -',
  },
  premiumNotPositive: { code: 'BAD_USER_INPUT', zh: '缴费金额必须大于 0', en: 'A premium must be more than 0.00' },
  premiumKeyConflict: {
    code: 'IDEMPOTENCY_CONFLICT',
    zh: '该幂等键已用于内容不同的缴费',
    en: 'This idempotencyKey was already used for a different premium payment',
  },
  payerNotFound: (payerId: string) => ({ code: 'NOT_FOUND', zh: `缴费人不存在：${payerId}`, en: `No such payer: ${payerId}` }),
  beneficiaryNotFound: (beneficiaryId: string) => ({
    code: 'NOT_FOUND',
    zh: `受益人不存在：${beneficiaryId}`,
    en: `No such beneficiary: ${beneficiaryId}`,
  }),
  payerWithoutAccount: { code: 'NOT_ELIGIBLE', zh: '缴费人没有个人账户', en: 'The payer has no personal account' },
  payerNotInsured: { code: 'NOT_INSURED', zh: '缴费人当前未正常参保', en: 'The payer is not actively insured' },
  payerNotBound: {
    code: 'NOT_ELIGIBLE',
    zh: '缴费人与受益人之间没有有效的共济关系',
    en: 'The payer has no ACTIVE binding to the beneficiary',
  },
  /** The binding may not pay this premium: the receipt's own note for that rule (waterfall/explain.ts) says why. */
  payerRefusedByRule: (code: PayerRuleCode, note: { zh: string; en: string }) => ({ code, zh: note.zh, en: note.en }),
  premiumUnpaid: {
    code: 'INSUFFICIENT_BALANCE',
    zh: '个人账户可用余额不足，未扣款',
    en: "Not enough usable balance in the payer's account; nothing was paid",
  },
  beneficiaryNotInsured: {
    code: 'NOT_INSURED',
    zh: '受益人当前未参保，不能为其缴费',
    en: 'The beneficiary is not insured; no premium can be paid for him',
  },
  beneficiarySuspended: {
    code: 'NOT_INSURED',
    zh: '受益人参保已暂停，恢复后再缴费',
    en: "The beneficiary's enrolment is suspended; pay once it is active again",
  },
  residentPremiumForResidents: {
    code: 'NOT_ELIGIBLE',
    zh: '居民医保个人缴费只能为城乡居民医保参保人缴纳',
    en: 'A RESIDENT_PREMIUM is paid only for a beneficiary of the RESIDENT scheme',
  },
  productRegionNotAllowed: (productCode: string, regionCode: string) => ({
    code: 'NOT_ELIGIBLE',
    zh: `${regionCode} 的个人账户不能缴纳 ${productCode} 的保费`,
    en: `Personal accounts of ${regionCode} may not pay the premium of ${productCode}`,
  }),
  /** One premium per beneficiary, product and year (premiums/claims.ts): the answer names the first. */
  premiumAlreadyPaid: (premiumId: string) => ({
    code: 'INVALID_STATE',
    zh: `该受益人本年度此产品已缴费（或正在缴费）：${premiumId}`,
    en: `This beneficiary's premium for this product and year is already paid (or being paid): ${premiumId}`,
  }),
  premiumNotFound: (premiumId: string) => ({
    code: 'NOT_FOUND',
    zh: `缴费记录不存在：${premiumId}`,
    en: `No such premium payment: ${premiumId}`,
  }),
  premiumNotPaid: { code: 'INVALID_STATE', zh: '该笔缴费未成功，无需退费', en: 'This premium was not paid; there is nothing to refund' },
  premiumAlreadyRefunded: {
    code: 'INVALID_STATE',
    zh: '该笔缴费已经退费',
    en: 'This premium was already refunded under another key',
  },
  productAlreadyRegistered: (productCode: string) => ({
    code: 'BAD_USER_INPUT',
    zh: `产品代码已登记为其他产品：${productCode}`,
    en: `Product code ${productCode} is already registered with other details`,
  }),
  /** registerInsuranceProduct's input broke the products file's own rule (premiums/products.ts) at `path`. */
  productInvalid: (path: string, rule: string) => ({
    code: 'BAD_USER_INPUT',
    zh: `产品登记信息有误：${path}：${rule}`,
    en: `Product registration: ${path}: ${rule}`,
  }),
  productNotRegistered: (productCode: string) => ({
    code: 'NOT_FOUND',
    zh: `未登记的惠民保产品：${productCode}`,
    en: `No partner product ${productCode} is registered`,
  }),
  partnerProductPurpose: (productCode: string) => ({
    code: 'BAD_USER_INPUT',
    zh: `${productCode} 是合作方的惠民保产品，用途应为 COMMERCIAL_HEALTH_INSURANCE`,
    en: `${productCode} is a partner product: pay it as COMMERCIAL_HEALTH_INSURANCE`,
  }),

  // Statistics (statistics/cells.ts).
  groupByEmpty: { code: 'BAD_USER_INPUT', zh: '请至少选择一个分组维度', en: 'groupBy needs at least one dimension' },
  groupByRepeated: (dimension: string) => ({
    code: 'BAD_USER_INPUT',
    zh: `分组维度重复：${dimension}`,
    en: `groupBy names ${dimension} more than once`,
  }),
  periodEmpty: { code: 'BAD_USER_INPUT', zh: '起始时间须早于结束时间', en: '`from` must be before `to`' },
  periodTooLong: (maxDays: number) => ({
    code: 'BAD_USER_INPUT',
    zh: `统计区间最长 ${maxDays} 天，请分段查询`,
    en: `The period may span at most ${maxDays} days; ask for it in parts`,
  }),

  // 对账 (reconcileInstitutionDay).
  countNegative: { code: 'BAD_USER_INPUT', zh: '笔数不能为负', en: 'settlements must not be negative' },
  tooManySettlementIds: { code: 'BAD_USER_INPUT', zh: '结算编号过多', en: 'At most 200000 settlement ids' },
} satisfies Catalogue;
