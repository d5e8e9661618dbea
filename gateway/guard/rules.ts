import type { Role } from '../../subgraphs/shared/identity';

/**
 * Who may use each field of the public graph (DESIGN.md, Callers). Every field of the API schema has
 * a rule here; a field without one is refused to everybody, so a new field is closed until someone
 * decides who may use it (test/access.test.ts lists the rules and fails on a missing or stale one).
 * These are role rules; which person or settlement a caller may see is decided by the subgraphs.
 */
export type FieldRule = 'ANYONE' | readonly Role[];

const ANYONE = 'ANYONE';
const ADMIN: readonly Role[] = ['ADMIN'];
const ANALYSTS: readonly Role[] = ['ANALYST', 'ADMIN'];
const APP_AND_ADMIN: readonly Role[] = ['INSURED', 'ADMIN'];
/** Roles that work with persons: the app, the counter (its patient) and the bureau. */
const PERSON_READERS: readonly Role[] = ['INSURED', 'TERMINAL', 'ADMIN'];
/** Person fields a partner sees on its premium payments: who paid, for whom. */
const NAME_READERS: readonly Role[] = ['INSURED', 'TERMINAL', 'ADMIN', 'PARTNER'];
const COUNTER: readonly Role[] = ['TERMINAL'];
const PREMIUM_READERS: readonly Role[] = ['INSURED', 'ADMIN', 'PARTNER'];
const PARTNERS: readonly Role[] = ['PARTNER', 'ADMIN'];
/** productEligibility: the partner owning the product asks about a person it names; nobody else needs to. */
const PARTNER_ONLY: readonly Role[] = ['PARTNER'];
/** An institution's days: its counters and the bureau. */
const INSTITUTION_READERS: readonly Role[] = ['TERMINAL', 'ADMIN'];

function all(rule: FieldRule, ...fields: string[]): Record<string, FieldRule> {
  return Object.fromEntries(fields.map((field) => [field, rule]));
}

export const FIELD_RULES: Record<string, Record<string, FieldRule>> = {
  Query: {
    regions: ANYONE,
    region: ANYONE,
    person: PERSON_READERS,
    familyBinding: APP_AND_ADMIN,
    pendingFamilyBindings: ADMIN,
    settlement: PERSON_READERS,
    quoteSettlement: COUNTER,
    patientByCredential: COUNTER,
    institutionDay: INSTITUTION_READERS,
    mutualAidSummary: ANALYSTS,
    mutualAidStatistics: ANALYSTS,
    premiumPayments: PARTNERS,
    insuranceProducts: PARTNERS,
    productEligibility: PARTNER_ONLY,
    partnerDay: PARTNERS,
    credentialRefusals: ADMIN,
    ledgerReconciliation: ADMIN,
    adminRefunds: ADMIN,
    reconciliationAttempts: ADMIN,
    // Answered from the caller's own part of the graph (roleSchema.ts), so anybody may ask.
    __schema: ANYONE,
    __type: ANYONE,
  },
  Mutation: {
    ...all(
      ADMIN,
      'scheduleRegionPolicy',
      'registerInsured',
      'setEnrollmentStatus',
      'creditPersonalAccount',
      'issueCredential',
      'revokeCredential',
      'liftCredentialSuspension',
      'liftSettlementSuspension',
      'reviewFamilyBinding',
    ),
    ...all(
      APP_AND_ADMIN,
      'requestFamilyBinding',
      'requestFamilyBindingByIdNumber',
      'acceptFamilyBinding',
      'declineFamilyBinding',
      'revokeFamilyBinding',
      'payPremium',
    ),
    ...all(COUNTER, 'settle', 'refundSettlement', 'voidSettlement'),
    adminRefundSettlement: ADMIN,
    registerInsuranceProduct: ADMIN,
    refundPremium: ADMIN,
    reconcileInstitutionDay: INSTITUTION_READERS,
  },
  Region: all(ANYONE, 'code', 'name', 'provinceCode', 'policy', 'poolingRules', 'policyHistory'),
  MutualAidPolicy: all(
    ANYONE,
    'version',
    'effectiveFrom',
    'allowedRelationships',
    'retainedFloor',
    'allowedPurposes',
    'coversOutOfScope',
    'crossProvince',
    'requiresReview',
    'poolingRules',
    'requiresBeneficiaryConsent',
  ),
  PoolingRule: all(ANYONE, 'scheme', 'purpose', 'annualDeductible', 'ratePercent', 'annualCap'),
  Person: {
    ...all(NAME_READERS, 'id', 'name', 'maskedIdNumber'),
    ...all(PERSON_READERS, 'region', 'scheme', 'status', 'personalAccount', 'settlementSuspended'),
    ...all(APP_AND_ADMIN, 'bindingsAsAuthorizer', 'bindingsAsBeneficiary', 'settlements', 'credentials', 'mutualAidSources'),
    auditTrail: ADMIN,
  },
  MutualAidSource: all(APP_AND_ADMIN, 'binding', 'available'),
  PersonAuditEventConnection: all(ADMIN, 'nodes', 'endCursor', 'hasNextPage'),
  PersonAuditEvent: all(ADMIN, 'id', 'at', 'action', 'actorRole', 'actorSub', 'detail'),
  PersonalAccount: { ...all(PERSON_READERS, 'balance', 'shareableBalance', 'entries'), usage: APP_AND_ADMIN },
  LedgerEntryConnection: all(PERSON_READERS, 'nodes', 'endCursor', 'hasNextPage'),
  LedgerEntry: all(PERSON_READERS, 'id', 'amount', 'balanceAfter', 'kind', 'reference', 'beneficiary', 'createdAt'),
  Credential: all(ADMIN, 'token', 'holder', 'id'),
  CredentialInfo: all(APP_AND_ADMIN, 'id', 'issuedAt', 'revokedAt', 'suspendedAt'),
  CredentialRefusalConnection: all(ADMIN, 'nodes', 'endCursor', 'hasNextPage'),
  CredentialRefusal: all(
    ADMIN,
    'id',
    'at',
    'code',
    'terminal',
    'institutionId',
    'operationName',
    'credentialId',
    'holder',
    'claimedPatientIds',
    'claimedPatientCount',
  ),
  FamilyBinding: {
    ...all(
      PERSON_READERS,
      'id',
      'authorizer',
      'beneficiary',
      'relationship',
      'status',
      'createdAt',
      'effectiveAt',
      'revokedAt',
      'reviewNote',
      'allowedByPolicy',
    ),
    ...all(ADMIN, 'history', 'evidence'),
  },
  FamilyBindingConnection: all(ADMIN, 'nodes', 'endCursor', 'hasNextPage'),
  BindingEvent: all(ADMIN, 'action', 'fromStatus', 'toStatus', 'actorRole', 'actorSub', 'note', 'at'),
  Settlement: all(
    PERSON_READERS,
    'id',
    'idempotencyKey',
    'patient',
    'institutionId',
    'purpose',
    'status',
    'inScopeAmount',
    'outOfScopeAmount',
    'totalAmount',
    'fundPaid',
    'ownAccountPaid',
    'mutualAidPayments',
    'mutualAidPaid',
    'cashPaid',
    'createdAt',
    'refundedAt',
    'steps',
  ),
  MutualAidPayment: all(PERSON_READERS, 'binding', 'authorizer', 'amount', 'policyVersion'),
  SettlementStep: all(PERSON_READERS, 'source', 'amount', 'account', 'note'),
  InstitutionDay: all(
    INSTITUTION_READERS,
    'institutionId',
    'date',
    'settlements',
    'refunded',
    'fundPaid',
    'ownAccountPaid',
    'mutualAidPaid',
    'cashPaid',
  ),
  ReconciliationResult: all(INSTITUTION_READERS, 'matched', 'system', 'missingAtInstitution', 'unknownToSystem'),
  SettlementQuote: all(
    COUNTER,
    'patient',
    'purpose',
    'totalAmount',
    'fundPaid',
    'ownAccountPaid',
    'mutualAidPayments',
    'mutualAidPaid',
    'cashPaid',
    'steps',
  ),
  VoidSettlementResult: all(COUNTER, 'outcome', 'settlement'),
  SettlementConnection: all(APP_AND_ADMIN, 'nodes', 'endCursor', 'hasNextPage'),
  AdminRefundConnection: all(ADMIN, 'nodes', 'endCursor', 'hasNextPage'),
  AdminRefund: all(ADMIN, 'settlement', 'actor', 'reason'),
  ReconciliationAttemptConnection: all(ADMIN, 'nodes', 'endCursor', 'hasNextPage'),
  ReconciliationAttempt: all(
    ADMIN,
    'id',
    'at',
    'institutionId',
    'date',
    'regionCode',
    'matched',
    'missingAtInstitution',
    'unknownToSystem',
    'actorRole',
    'actorSub',
  ),
  PremiumPayment: all(
    PREMIUM_READERS,
    'id',
    'idempotencyKey',
    'payer',
    'beneficiary',
    'purpose',
    'productCode',
    'amount',
    'createdAt',
    'status',
    'refundedAt',
  ),
  InsuranceProduct: all(PARTNERS, 'code', 'name', 'partnerCode', 'regionCodes', 'year'),
  ProductEligibility: all(PARTNER_ONLY, 'eligible', 'reason'),
  PartnerDay: all(PARTNERS, 'productCode', 'date', 'payments', 'refunds', 'amount'),
  PremiumPaymentConnection: all(PARTNERS, 'nodes', 'endCursor', 'hasNextPage'),
  MutualAidSummary: all(ANALYSTS, 'regionCode', 'activeBindings', 'settlements', 'refunded', 'amountShared'),
  MutualAidStatistics: all(ANALYSTS, 'cells', 'suppressedCells'),
  StatisticsCell: all(ANALYSTS, 'key', 'patients', 'settlements', 'amount'),
  LedgerReconciliation: all(
    ADMIN,
    'regionCode',
    'date',
    'credits',
    'debitsByPurpose',
    'returnsByPurpose',
    'mutualAidByRelationship',
    'accountsChecked',
    'mismatchedAccounts',
    'balanced',
  ),
  PurposeAmount: all(ADMIN, 'purpose', 'amount'),
  RelationshipAmount: all(ADMIN, 'relationship', 'amount'),
};

export function ruleFor(typeName: string, fieldName: string): FieldRule | undefined {
  return FIELD_RULES[typeName]?.[fieldName];
}

export function allows(rule: FieldRule | undefined, role: Role | null): boolean {
  if (rule === undefined) return false;
  if (rule === 'ANYONE') return true;
  return role !== null && rule.includes(role);
}

/** Every `Type.field` of the rule table the role may use, introspection aside, sorted: what its schema must list. */
export function fieldsAllowedTo(role: Role | null): string[] {
  return Object.entries(FIELD_RULES)
    .flatMap(([type, fields]) =>
      Object.entries(fields)
        .filter(([field, rule]) => !field.startsWith('__') && allows(rule, role))
        .map(([field]) => `${type}.${field}`),
    )
    .sort();
}
