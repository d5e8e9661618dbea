import type { Catalogue } from '../shared/errors';
import { formatMoney } from '../shared/money';

/**
 * Every outcome the accounts subgraph raises beyond SharedError's (subgraphs/shared/errors.ts says
 * how a catalogue is written): persons, credentials, policy versions and the ledger.
 */
export const AccountsError = {
  // Persons and what may be seen of them.
  personNotFound: (personId: string) => ({ code: 'NOT_FOUND', zh: `参保人不存在：${personId}`, en: `No such person: ${personId}` }),
  personHidden: { code: 'FORBIDDEN', zh: '无权查看该参保人', en: 'You may not see this person' },
  personFieldHidden: { code: 'FORBIDDEN', zh: '无权查看该参保人的此项信息', en: 'You may not see this information about this person' },
  auditHidden: {
    code: 'FORBIDDEN',
    zh: '只有参保地管理员可以查看审计记录',
    en: "Only an ADMIN of the person's region may read the audit trail",
  },
  usagePeriodReversed: { code: 'BAD_USER_INPUT', zh: '起始时间晚于结束时间', en: '`from` is after `to`' },
  usageHidden: {
    code: 'FORBIDDEN',
    zh: '只有账户本人或管理员可以查看共济记录',
    en: "Only the account's owner or an ADMIN may read its usage for relatives",
  },
  credentialsHidden: {
    code: 'FORBIDDEN',
    zh: '只有本人或管理员可以查看凭证',
    en: 'Only the person himself or an ADMIN may list credentials',
  },
  enrolmentTerminated: { code: 'NOT_INSURED', zh: '该参保人已终止参保', en: "This person's enrolment is terminated" },
  residentIdFormat: {
    code: 'BAD_USER_INPUT',
    zh: '身份证号码应为 18 位（最后一位可为 X）',
    en: 'The resident id number must have 18 characters (the last may be X)',
  },
  residentIdBirthDate: {
    code: 'BAD_USER_INPUT',
    zh: '身份证号码中的出生日期无效',
    en: 'The birth date inside the resident id number is not a real past date',
  },
  residentIdCheckDigit: {
    code: 'BAD_USER_INPUT',
    zh: '身份证号码校验位不符，请核对',
    en: 'The resident id number fails its check digit; please check it',
  },
  residentIdRegistered: {
    code: 'BAD_USER_INPUT',
    zh: '该身份证号码已登记参保，不能重复登记',
    en: 'This resident id number is already registered; a person is enrolled in one region at a time',
  },
  nameEmpty: { code: 'BAD_USER_INPUT', zh: '姓名不能为空', en: 'input.name must not be empty' },
  notSuspended: { code: 'INVALID_STATE', zh: '该参保人的联网结算未被暂停', en: 'Network settlement is not suspended for this person' },
  statusChangedMeanwhile: {
    code: 'INVALID_STATE',
    zh: '该参保人的参保状态已被他人修改，请刷新后重试',
    en: 'This person’s enrolment status was changed meanwhile; reload it',
  },
  credentialNotFound: (credentialId: string) => ({
    code: 'NOT_FOUND',
    zh: `凭证不存在：${credentialId}`,
    en: `No such credential: ${credentialId}`,
  }),

  // Policy versions (policy/service.ts).
  policyInvalid: (path: string, problem: string) => ({ code: 'BAD_USER_INPUT', zh: `政策参数无效：${path}`, en: `${path}: ${problem}` }),
  policyTooSoon: (leadTimeMs: number) => ({
    code: 'BAD_USER_INPUT',
    zh: `生效时间至少须在 ${leadTimeMs} 毫秒之后`,
    en: `effectiveFrom must lie at least ${leadTimeMs} ms in the future`,
  }),
  policyNotAfterLast: (lastVersion: number, lastEffectiveFrom: Date) => ({
    code: 'BAD_USER_INPUT',
    zh: `生效时间须晚于第 ${lastVersion} 版`,
    en: `effectiveFrom must be later than version ${lastVersion}'s (${lastEffectiveFrom.toISOString()})`,
  }),
  policyScheduledMeanwhile: {
    code: 'INVALID_STATE',
    zh: '另一个版本刚刚被安排，请刷新后重试',
    en: 'Another version was scheduled at the same time; reload and try again',
  },

  // The ledger: accounts, claims of keys, transfers, pending transfers.
  accountNotFound: (accountId: string) => ({
    code: 'NOT_FOUND',
    zh: `个人账户不存在：${accountId}`,
    en: `No personal account for ${accountId}`,
  }),
  noPersonalAccount: {
    code: 'NOT_ELIGIBLE',
    zh: '该参保人没有个人账户（居民医保）',
    en: 'This person has no personal account (resident scheme)',
  },
  accountsInSeveralProvinces: {
    code: 'BAD_USER_INPUT',
    zh: '一次扣款的账户必须属于同一省份',
    en: 'The accounts of one debit must lie in one province',
  },
  debitNotPositive: { code: 'BAD_USER_INPUT', zh: '扣款金额必须为正', en: 'A debit amount must be positive' },
  debitWithoutSteps: { code: 'BAD_USER_INPUT', zh: '扣款至少需要一个账户', en: 'A debit needs at least one step' },
  creditNotPositive: { code: 'BAD_USER_INPUT', zh: '划入金额必须大于 0', en: 'A credit must be more than 0.00' },
  balanceCeiling: (ceilingFen: number) => ({
    code: 'BAD_USER_INPUT',
    zh: `划入后余额将超过上限 ${formatMoney(ceilingFen)} 元，未划入`,
    en: `The balance would pass its limit of ${formatMoney(ceilingFen)} yuan; nothing was credited`,
  }),
  insufficientBalance: {
    code: 'INSUFFICIENT_BALANCE',
    zh: '个人账户可用余额不足，未扣款',
    en: 'Not enough usable balance; nothing was debited',
  },
  keyConflict: {
    code: 'IDEMPOTENCY_CONFLICT',
    zh: '同一幂等键已用于内容不同的请求',
    en: 'This idempotency key was already used for a different request',
  },
  keyVoided: { code: 'INVALID_STATE', zh: '该流水号已冲正，不再扣款', en: 'This key was voided (冲正); nothing moves under it' },
  transferNotFound: (transferId: string) => ({
    code: 'NOT_FOUND',
    zh: `交易不存在：${transferId}`,
    en: `No such transfer: ${transferId}`,
  }),
  onlyDebitsReverse: { code: 'INVALID_STATE', zh: '只有扣款可以退回', en: 'Only a debit can be reversed' },
  alreadyReversed: {
    code: 'INVALID_STATE',
    zh: '该笔交易已经退回，不能再次退回',
    en: 'This transfer was already reversed under another key',
  },
  pendingNotFound: (pendingId: string) => ({ code: 'NOT_FOUND', zh: `预扣不存在：${pendingId}`, en: `No such hold: ${pendingId}` }),
  pendingVoided: { code: 'INVALID_STATE', zh: '预扣已作废（超时或撤销）', en: 'This hold was voided (it expired or was cancelled)' },
  pendingPosted: { code: 'INVALID_STATE', zh: '预扣已入账，不能作废', en: 'This hold was already posted; refund it instead' },
} satisfies Catalogue;
