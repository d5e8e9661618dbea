import { formatMoney } from '../../shared/money';
import type { Purpose } from '../../shared/policy/vocabulary';
import type { Plan, PlanStep } from './waterfall';

/**
 * The receipt's explanation of each waterfall step: the rule that stopped it from paying more, with
 * its figures, in Chinese and English. Notes are written when the plan is made and stored with the
 * settlement, so a settlement read years later explains itself under the policy it was paid under.
 */
const PURPOSE_NAMES: Record<Purpose, string> = {
  OUTPATIENT: '门诊',
  INPATIENT: '住院',
  PHARMACY: '药店购药',
  VACCINE: '疫苗接种',
  HEALTH_CHECK: '健康体检',
  RESIDENT_PREMIUM: '居民医保缴费',
  LONG_TERM_CARE_PREMIUM: '长护险缴费',
  COMMERCIAL_HEALTH_INSURANCE: '惠民保',
};

const yuan = (fen: number | undefined) => formatMoney(fen ?? 0);

function policyOf(step: PlanStep): { zh: string; en: string } {
  return step.region
    ? { zh: `${step.region} 第 ${step.policyVersion} 版政策`, en: `region ${step.region}, policy version ${step.policyVersion}` }
    : { zh: '', en: '' };
}

export function noteFor(step: PlanStep, purpose: Purpose): string {
  const figures = step.figures;
  const policy = policyOf(step);
  switch (step.limitedBy) {
    case 'NO_FUND_RULE':
      return `${PURPOSE_NAMES[purpose]}无统筹基金支付 / No pooled-fund share for ${purpose}`;
    case 'FUND_RATE':
      return `统筹基金按 ${figures.ratePercent}% 支付，本次计入起付线 ${yuan(figures.deductibleAppliedFen)} 元 / The fund pays ${figures.ratePercent}% after the annual deductible (${yuan(figures.deductibleAppliedFen)} of it applied to this bill)`;
    case 'FUND_CAP':
      return `已达统筹基金年度最高支付限额 ${yuan(figures.annualCapFen)} 元（本年剩余 ${yuan(figures.capLeftFen)} 元） / The fund's annual cap of ${yuan(figures.annualCapFen)} is reached (${yuan(figures.capLeftFen)} was left this year)`;
    case 'NO_ACCOUNT':
      return '患者没有个人账户（城乡居民医保） / The patient has no personal account (resident scheme)';
    case 'BALANCE':
      return `个人账户余额 ${yuan(figures.balanceFen)} 元已全部使用 / The account's whole balance of ${yuan(figures.balanceFen)} was used`;
    case 'FLOOR':
      return `只可使用余额 ${yuan(figures.balanceFen)} 元中保留额 ${yuan(figures.floorFen)} 元以上部分（${policy.zh}） / Only the balance of ${yuan(figures.balanceFen)} above the retained floor of ${yuan(figures.floorFen)} may pay (${policy.en})`;
    case 'OUT_OF_SCOPE_NOT_COVERED':
      return `${step.region} 个人账户不支付目录外自费费用（${policy.zh}） / Self-pay (out-of-catalogue) cost is not covered in ${step.region} (${policy.en})`;
    case 'PURPOSE_NOT_ALLOWED':
      return `${step.region} 共济资金不能用于${PURPOSE_NAMES[purpose]}（${policy.zh}） / Purpose ${purpose} not allowed in ${step.region} (${policy.en})`;
    case 'RELATIONSHIP_NOT_ALLOWED':
      return `${step.region} 现行政策已不允许该亲属关系共济（${policy.zh}） / The relationship is no longer allowed in ${step.region} (${policy.en})`;
    case 'CROSS_PROVINCE_NOT_ALLOWED':
      return `${step.region} 不允许跨省家庭共济（${policy.zh}） / Cross-province mutual aid is not allowed in ${step.region} (${policy.en})`;
    case 'BINDING_NOT_ACTIVE':
      return '共济关系在付款前已解除，该账户未支付 / The binding was revoked before the payment; this account paid nothing';
    case 'AUTHORIZER_NOT_ACTIVE':
      return '授权人当前未正常参保，其账户不支付 / The authorizer is not actively insured; his account pays nothing';
    case 'DECLINED':
      return '患者本次不使用家庭共济资金 / Declined by the patient';
    case 'PAID_IN_FULL':
      return step.region ? `费用已付清（${policy.zh}） / Nothing was left to pay (${policy.en})` : '费用已付清 / Nothing was left to pay';
    case 'REMAINDER':
      return step.amountFen === 0
        ? '无需现金支付 / Nothing is left to pay in cash'
        : `统筹基金和个人账户未支付的 ${yuan(step.amountFen)} 元由患者现金支付 / ${yuan(step.amountFen)} no fund or account paid is paid in cash`;
  }
}

export function explainPlan(plan: Plan, purpose: Purpose): Plan {
  return { ...plan, steps: plan.steps.map((step) => ({ ...step, note: noteFor(step, purpose) })) };
}

/**
 * The note of a step that the plan let pay but that could no longer pay when the money moved (the
 * binding, the authorizer or a policy changed in between): the rule that refused it, and that it was
 * refused at payment.
 */
export function refusedAtPaymentNote(step: PlanStep, purpose: Purpose, plannedFen: number): string {
  const [zh, en] = noteFor(step, purpose).split(' / ');
  return `${zh}；付款时复核未通过，原计划 ${yuan(plannedFen)} 元改由现金支付 / ${en}; checked again when the money moved: the ${yuan(plannedFen)} planned is paid in cash`;
}

/** The note of a step whose account paid less at settlement than planned (its balance changed in between). */
export function paidLessNote(note: string, plannedFen: number, paidFen: number): string {
  const [zh, en] = note.split(' / ');
  return `${zh}；结算时余额已变化，实付 ${yuan(paidFen)} 元（预计 ${yuan(plannedFen)} 元） / ${en}; the balance changed before settlement: paid ${yuan(paidFen)} of ${yuan(plannedFen)} planned`;
}
