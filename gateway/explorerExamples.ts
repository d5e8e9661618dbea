import type { Role } from '../subgraphs/shared/identity';

/**
 * Example operations the explorer opens as tabs, one group per kind of caller (DESIGN.md, Callers),
 * so an analyst or a newcomer starts from a working operation instead of an empty editor. The explorer
 * opens the group of the role picked (explorer.ts); each tab carries the headers its role needs, the
 * token put in by the sign-in bar. The ids and dates are placeholders to replace.
 * explorerExamples.test.ts validates every operation against the composed schema and checks that its
 * role may use every field it selects.
 */
export interface ExplorerExample {
  /** null: an anonymous caller's (the public part of the graph). */
  role: Role | null;
  /** The operation's name, as the tab shows it. */
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Extra headers besides the role's token (a counter's X-Insurance-Credential). */
  headers?: Record<string, string>;
}

/** How to make each role's token outside development (the sign-in bar shows it). */
export const TOKEN_COMMANDS: Record<Role, string> = {
  ANALYST: 'npm run -s token -- --role ANALYST',
  ADMIN: 'npm run -s token -- --role ADMIN --region 350100',
  INSURED: 'npm run -s token -- --role INSURED --person-id <your person id>',
  TERMINAL: 'npm run -s token -- --role TERMINAL --institution-id H35010001',
  PARTNER: 'npm run -s token -- --role PARTNER --partner-code HSHMB',
};

/** The placeholder person of the app's examples; the explorer puts a signed-in insured person's own id in its place. */
export const EXAMPLE_PERSON_ID = '350100-01K0000000000000000000000';
const PERSON = EXAMPLE_PERSON_ID;
const CARD = '<the patient card token, read from the card>';
/** One pharmacy bill, quoted and then settled with the same input (a quote does not use the key). */
const BILL = {
  idempotencyKey: 'H35010001-20261127-000042',
  patientId: PERSON,
  institutionId: 'H35010001',
  purpose: 'PHARMACY',
  inScopeAmount: '800.00',
  outOfScopeAmount: '0.00',
};

export const EXPLORER_EXAMPLES: readonly ExplorerExample[] = [
  {
    role: null,
    name: 'RegionPolicies',
    query: `# 公开：各统筹区现行的家庭共济政策，无需登录。Anyone: each region's mutual-aid policy in force, no token needed.
query RegionPolicies {
  regions {
    code name provinceCode
    policy { version effectiveFrom allowedRelationships retainedFloor allowedPurposes crossProvince requiresReview requiresBeneficiaryConsent }
  }
}`,
  },
  {
    role: 'ANALYST',
    name: 'MonthlyStatistics',
    query: `# 分析人员：按统筹区和月份（北京时间）统计家庭共济支付；少于 10 名患者的格子不公布，只计数。
# Analyst: mutual aid by region and month (China Standard Time); cells of fewer than 10 patients are withheld and counted.
query MonthlyStatistics($from: DateTime!, $to: DateTime!, $regionCode: ID) {
  mutualAidStatistics(groupBy: [REGION, MONTH], from: $from, to: $to, regionCode: $regionCode) {
    cells { key patients settlements amount }
    suppressedCells
  }
}`,
    variables: { from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' },
  },
  {
    role: 'ANALYST',
    name: 'ByRelationshipAndScheme',
    query: `# Analyst: who pays for whom (the binding's relationship) and the patients' schemes, per purpose.
query ByRelationshipAndScheme($from: DateTime!, $to: DateTime!) {
  mutualAidStatistics(groupBy: [RELATIONSHIP, PATIENT_SCHEME, PURPOSE], from: $from, to: $to) {
    cells { key patients settlements amount }
    suppressedCells
  }
  regions { code name }
}`,
    variables: { from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' },
  },
  {
    role: 'ANALYST',
    name: 'RegionSummary',
    query: `# Analyst: one region's totals over a period.
query RegionSummary($regionCode: ID!, $from: DateTime, $to: DateTime) {
  mutualAidSummary(regionCode: $regionCode, from: $from, to: $to) { activeBindings settlements refunded amountShared }
}`,
    variables: { regionCode: '350100', from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' },
  },
  {
    role: 'TERMINAL',
    name: 'PatientByCredential',
    query: `# 柜台：读卡识别患者（人员信息获取 1101）。Counter: who the card says the patient is.
query PatientByCredential {
  patientByCredential { id name maskedIdNumber scheme status settlementSuspended }
}`,
    headers: { 'X-Insurance-Credential': CARD },
  },
  {
    role: 'TERMINAL',
    name: 'Quote',
    query: `# 柜台：预结算，不扣款。Counter: what settle would pay now; nothing is written.
query Quote($input: SettleInput!) {
  quoteSettlement(input: $input) {
    totalAmount fundPaid ownAccountPaid mutualAidPaid cashPaid
    steps { source amount account { name } note }
  }
}`,
    variables: { input: BILL },
    headers: { 'X-Insurance-Credential': CARD },
  },
  {
    role: 'TERMINAL',
    name: 'Settle',
    query: `# 柜台：结算。超时请用同一流水号重试或冲正。Counter: settle; on timeout retry with the same key, or void it.
mutation Settle($input: SettleInput!) {
  settle(input: $input) {
    id status totalAmount fundPaid ownAccountPaid mutualAidPaid cashPaid
    mutualAidPayments { amount authorizer { name maskedIdNumber } }
    steps { source amount note }
  }
}`,
    variables: { input: BILL },
    headers: { 'X-Insurance-Credential': CARD },
  },
  {
    role: 'TERMINAL',
    name: 'Void',
    query: `# 柜台：冲正。结算结果不明（超时、崩溃）时，撤销该流水号的一切。Counter: void a settle whose outcome is unknown; idempotent.
mutation Void($input: VoidSettlementInput!) {
  voidSettlement(input: $input) { outcome settlement { id status refundedAt } }
}`,
    variables: { input: { institutionId: BILL.institutionId, idempotencyKey: BILL.idempotencyKey, patientId: PERSON } },
    headers: { 'X-Insurance-Credential': CARD },
  },
  {
    role: 'TERMINAL',
    name: 'Refund',
    query: `# 柜台：全额退费，原路返回。Counter: full refund, every yuan back to the account it came from.
mutation Refund($settlementId: ID!, $idempotencyKey: String!) {
  refundSettlement(settlementId: $settlementId, idempotencyKey: $idempotencyKey) { id status refundedAt totalAmount }
}`,
    variables: { settlementId: '<the settlement id>', idempotencyKey: 'H35010001-20261127-000042-R' },
    headers: { 'X-Insurance-Credential': CARD },
  },
  {
    role: 'TERMINAL',
    name: 'InstitutionDay',
    query: `# 柜台：本机构某日（北京时间）的结算汇总。Counter: its institution's totals for one day.
query InstitutionDay($institutionId: String!, $date: String!) {
  institutionDay(institutionId: $institutionId, date: $date) { settlements refunded fundPaid ownAccountPaid mutualAidPaid cashPaid }
}`,
    variables: { institutionId: BILL.institutionId, date: '2026-11-27' },
  },
  {
    role: 'TERMINAL',
    name: 'ReconcileDay',
    query: `# 柜台对账：报送本机构当日汇总，与系统核对。Counter 对账: send the day's totals, compare with the system's.
mutation ReconcileDay($input: ReconcileInput!) {
  reconcileInstitutionDay(input: $input) { matched missingAtInstitution unknownToSystem system { settlements fundPaid ownAccountPaid mutualAidPaid cashPaid } }
}`,
    variables: {
      input: {
        institutionId: BILL.institutionId,
        date: '2026-11-27',
        settlements: 1,
        fundPaid: '0.00',
        ownAccountPaid: '800.00',
        mutualAidPaid: '0.00',
        cashPaid: '0.00',
      },
    },
  },
  {
    role: 'INSURED',
    name: 'MyAccount',
    query: `# 参保人：我的个人账户与共济关系。App: my account, its latest entries and my bindings.
query MyAccount($me: ID!) {
  person(id: $me) {
    name
    personalAccount { balance shareableBalance entries(first: 10) { nodes { amount balanceAfter kind createdAt beneficiary { name } } } }
    bindingsAsAuthorizer { id relationship status beneficiary { name maskedIdNumber } }
    bindingsAsBeneficiary { id relationship status authorizer { name maskedIdNumber } }
  }
}`,
    variables: { me: PERSON },
  },
  {
    role: 'INSURED',
    name: 'WhatMyFamilyCanPay',
    query: `# 参保人：家人的账户现在能为我支付多少。App: what each relative's account could pay for me now.
query WhatMyFamilyCanPay($me: ID!) {
  person(id: $me) {
    pharmacy: mutualAidSources(purpose: PHARMACY) { available binding { relationship authorizer { name } } }
    outpatient: mutualAidSources(purpose: OUTPATIENT) { available binding { relationship authorizer { name } } }
  }
}`,
    variables: { me: PERSON },
  },
  {
    role: 'INSURED',
    name: 'BindRelative',
    query: `# 参保人：绑定近亲属（福州需经审核）。App: bind a relative (Fuzhou reviews it).
mutation BindRelative($input: RequestBindingInput!) {
  requestFamilyBinding(input: $input) { id status relationship }
}`,
    variables: {
      input: {
        authorizerId: PERSON,
        beneficiaryId: '350100-01K0000000000000000000001',
        relationship: 'CHILD',
        commitmentAccepted: true,
        evidence: ['出生证明 M350100-2020-001'],
      },
    },
  },
  {
    role: 'INSURED',
    name: 'MyUsage',
    query: `# 参保人：共济记录，我的账户为家人支付了什么。App: what my account paid for relatives, newest first.
query MyUsage($me: ID!, $from: DateTime, $to: DateTime) {
  person(id: $me) {
    personalAccount {
      usage(from: $from, to: $to, first: 20) { nodes { amount kind reference createdAt beneficiary { name maskedIdNumber } } hasNextPage endCursor }
    }
  }
}`,
    variables: { me: PERSON, from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' },
  },
  {
    role: 'INSURED',
    name: 'BindByIdNumber',
    query: `# 参保人：按身份证号和姓名绑定亲属（湖南需对方接受）。App: bind a relative by id number and name (Hunan: she accepts first).
mutation BindByIdNumber($input: RequestBindingByIdNumberInput!) {
  requestFamilyBindingByIdNumber(input: $input) { id status relationship }
}`,
    variables: {
      input: {
        authorizerId: PERSON,
        beneficiaryIdNumber: '<her 18-character resident id number>',
        beneficiaryName: '<her name>',
        relationship: 'PARENT',
        commitmentAccepted: true,
      },
    },
  },
  {
    role: 'INSURED',
    name: 'AcceptBinding',
    query: `# 参保人（被授权人）：接受绑定。App, the beneficiary: accept a binding that waits for her consent.
mutation AcceptBinding($id: ID!) {
  acceptFamilyBinding(id: $id) { id status relationship effectiveAt }
}`,
    variables: { id: '430700-01K0000000000000000000003' },
  },
  {
    role: 'ADMIN',
    name: 'ReviewQueue',
    query: `# 经办机构：待审核的绑定，最早的在前。Bureau: bindings waiting for review, oldest first, with their evidence.
query ReviewQueue($regionCode: ID!) {
  pendingFamilyBindings(regionCode: $regionCode, first: 20) {
    nodes { id relationship createdAt evidence authorizer { name maskedIdNumber } beneficiary { name maskedIdNumber } }
    hasNextPage
    endCursor
  }
}`,
    variables: { regionCode: '350100' },
  },
  {
    role: 'ADMIN',
    name: 'ReviewBinding',
    query: `# 经办机构：审核绑定申请。Bureau: review a binding and read its history.
mutation ReviewBinding($id: ID!) {
  reviewFamilyBinding(id: $id, approve: true, note: "材料齐全") { id status effectiveAt history { action fromStatus toStatus actorRole at } }
}`,
    variables: { id: '350100-01K0000000000000000000002' },
  },
  {
    role: 'ADMIN',
    name: 'SchedulePolicy',
    query: `# 经办机构：发布新版本的统筹区政策（须在将来生效）。Bureau: schedule a region's next policy version (effective in the future).
mutation SchedulePolicy($input: RegionPolicyInput!) {
  scheduleRegionPolicy(input: $input) { version effectiveFrom allowedRelationships retainedFloor allowedPurposes requiresReview }
}`,
    variables: {
      input: {
        regionCode: '350100',
        effectiveFrom: '2027-01-01T00:00:00+08:00',
        allowedRelationships: ['SPOUSE', 'PARENT', 'CHILD'],
        retainedFloor: '0.00',
        allowedPurposes: ['OUTPATIENT', 'INPATIENT', 'PHARMACY'],
        coversOutOfScope: false,
        crossProvince: true,
        requiresReview: true,
      },
    },
  },
  {
    role: 'ADMIN',
    name: 'LiftSuspension',
    query: `# 经办机构：解除参保人的联网结算暂停（冒名就医核查之后）。Bureau: lift a person's suspended network settlement after review.
mutation LiftSuspension($personId: ID!) {
  liftSettlementSuspension(personId: $personId) { id name settlementSuspended }
}`,
    variables: { personId: PERSON },
  },
  {
    role: 'ADMIN',
    name: 'CredentialRefusals',
    query: `# Bureau: refused presentations of cards (冒名就医 attempts), newest first.
query CredentialRefusals {
  credentialRefusals(first: 20) { nodes { at code institutionId operationName claimedPatientCount } hasNextPage endCursor }
}`,
  },
  {
    role: 'PARTNER',
    name: 'PremiumPayments',
    query: `# 合作方（惠民保）：本产品的缴费记录。Partner: premium payments for its own product.
query PremiumPayments($productCode: String!) {
  premiumPayments(productCode: $productCode, first: 20) { nodes { id amount createdAt payer { name } beneficiary { name } } hasNextPage endCursor }
}`,
    variables: { productCode: 'HSHMB-2026' },
  },
  {
    role: 'PARTNER',
    name: 'MyProducts',
    query: `# 合作方：我的产品。Partner: its own products.
query MyProducts { insuranceProducts { code name partnerCode regionCodes year } }`,
  },
  {
    role: 'PARTNER',
    name: 'Eligibility',
    query: `# 合作方：此人现在能否用个人账户缴纳本产品保费（只回答能或原因）。Partner: may this person pay from a personal account now?
query Eligibility($productCode: ID!, $idNumber: String!, $name: String!) {
  productEligibility(productCode: $productCode, idNumber: $idNumber, name: $name) { eligible reason }
}`,
    variables: { productCode: 'HSHMB-2026', idNumber: '<resident id number>', name: '<name>' },
  },
  {
    role: 'PARTNER',
    name: 'PartnerDay',
    query: `# 合作方对账：某一天（北京时间）的缴费与退费。Partner 对账: one day's payments and refunds, by transaction day.
query PartnerDay($productCode: ID!, $date: String!) {
  partnerDay(productCode: $productCode, date: $date) { productCode date payments refunds amount }
}`,
    variables: { productCode: 'HSHMB-2026', date: '2026-11-27' },
  },
];

/** One GraphiQL tab: its operation, variables and headers as the editors show them (JSON text). */
export interface ExplorerTab {
  query: string;
  variables?: string;
  headers: string;
}

/** The key of the anonymous caller's tabs. */
export const ANONYMOUS = 'ANONYMOUS';

/**
 * The tabs of each role (and ANONYMOUS), with an empty Authorization header the sign-in bar fills
 * with the caller's token: empty, the caller is anonymous and sees the public part of the graph.
 */
export function explorerTabs(examples: readonly ExplorerExample[] = EXPLORER_EXAMPLES): Record<string, ExplorerTab[]> {
  const tabs: Record<string, ExplorerTab[]> = {};
  for (const example of examples) {
    const key = example.role ?? ANONYMOUS;
    tabs[key] = [
      ...(tabs[key] ?? []),
      {
        query: example.query,
        ...(example.variables ? { variables: JSON.stringify(example.variables, null, 2) } : {}),
        headers: JSON.stringify({ Authorization: '', ...example.headers }, null, 2),
      },
    ];
  }
  return tabs;
}
