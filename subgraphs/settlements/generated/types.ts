import { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import { SettlementRecord, SettlementPage, AdminRefundRecord, AdminRefundPage } from '../settle/records';
import { QuoteRecord, MutualAidSource as MutualAidSourceRecord } from '../settle/planning';
import { ReceiptStep } from '../settle/steps';
import { PremiumRecord, PremiumPage } from '../premiums/service';
import { InstitutionDayFigures, ReconciliationOutcome, ReconciliationAttempt as AttemptRecord, AttemptPage } from '../settle/institutionDay';
import { PartnerDayFigures } from '../premiums/partnerDay';
import { Product } from '../premiums/products';
import { Cell } from '../statistics/cells';
import { MutualAidStatistics as StatisticsRecord } from '../statistics/service';
import { SettlementsContext } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** ISO-8601 timestamp in UTC. */
  DateTime: { input: Date; output: Date; }
  /** Amount in yuan as a decimal string with exactly two fraction digits, e.g. "2000.00". Input also accepts up to two fraction digits. Never a float. */
  Money: { input: bigint; output: number | bigint; }
  _FieldSet: { input: any; output: any; }
};

/** A refund the bureau made without the patient's card (adminRefundSettlement), with who asked and why. */
export type AdminRefund = {
  __typename?: 'AdminRefund';
  /** Who asked: the role and token subject of the ADMIN. */
  actor: Scalars['String']['output'];
  /** The reason the ADMIN gave (card lost, patient deceased, …). */
  reason: Scalars['String']['output'];
  settlement: Settlement;
};

/** A page of the bureau's refunds, newest first. */
export type AdminRefundConnection = {
  __typename?: 'AdminRefundConnection';
  /** Pass as `after` for the next page. */
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  nodes: Array<AdminRefund>;
};

export type FamilyBinding = {
  __typename?: 'FamilyBinding';
  id: Scalars['ID']['output'];
};

/**
 * One institution's transactions on one calendar day in China Standard Time (UTC+8), counted on the day
 * each happened (as the national platform's 对账 does): a settlement on the day it was made, a refund or
 * void on the day it was made. A day's figures never change once the day is over.
 */
export type InstitutionDay = {
  __typename?: 'InstitutionDay';
  cashPaid: Scalars['Money']['output'];
  /** YYYY-MM-DD */
  date: Scalars['String']['output'];
  /** Each money field: paid by that day's settlements minus returned by that day's refunds (negative on a day of refunds only). Exact, however large. */
  fundPaid: Scalars['Money']['output'];
  institutionId: Scalars['String']['output'];
  mutualAidPaid: Scalars['Money']['output'];
  ownAccountPaid: Scalars['Money']['output'];
  /** Refunds (and voids that refunded) made that day, whatever day their settlement was made. */
  refunded: Scalars['Int']['output'];
  /** Settlements made that day (including those refunded later). */
  settlements: Scalars['Int']['output'];
};

/** A commercial health insurance product connected to basic insurance (惠民保), owned by one partner. */
export type InsuranceProduct = {
  __typename?: 'InsuranceProduct';
  code: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  partnerCode: Scalars['String']['output'];
  /** Regions whose personal accounts may pay its premium. */
  regionCodes: Array<Scalars['ID']['output']>;
  year: Scalars['Int']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** ADMIN of the patient's region: full refund without the patient's card (card lost, patient absent). Audited with the reason. */
  adminRefundSettlement: Settlement;
  /** INSURED payer (the account owner) or ADMIN. Paid in full from the payer's account, or refused with INSUFFICIENT_BALANCE. */
  payPremium: PremiumPayment;
  /** 对账: TERMINAL of that institution, or ADMIN. */
  reconcileInstitutionDay: ReconciliationResult;
  /**
   * ADMIN of the payer's region: refund a premium in full to the account that paid it, with a reason (退保,
   * paid twice). Idempotent by key; a premium is refunded once (another key: INVALID_STATE).
   */
  refundPremium: PremiumPayment;
  /** TERMINAL of the same institution; X-Insurance-Credential must belong to the settlement's patient. Full refund: every yuan goes back to the account it came from. */
  refundSettlement: Settlement;
  /** ADMIN: register a partner's product (config provides the first ones); an ADMIN of one region only for products of that region. */
  registerInsuranceProduct: InsuranceProduct;
  /** TERMINAL at a designated institution; X-Insurance-Credential must belong to input.patientId. */
  settle: Settlement;
  /**
   * 冲正: TERMINAL of that institution, with the patient's own card. Undo whatever became of a settle
   * request: refund it if it was made (or completes meanwhile), otherwise spend the key so that it never
   * pays. Idempotent: calling it again answers the same outcome and moves nothing more.
   */
  voidSettlement: VoidSettlementResult;
};


export type MutationAdminRefundSettlementArgs = {
  idempotencyKey: Scalars['String']['input'];
  reason: Scalars['String']['input'];
  settlementId: Scalars['ID']['input'];
};


export type MutationPayPremiumArgs = {
  input: PayPremiumInput;
};


export type MutationReconcileInstitutionDayArgs = {
  input: ReconcileInput;
};


export type MutationRefundPremiumArgs = {
  idempotencyKey: Scalars['String']['input'];
  premiumId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


export type MutationRefundSettlementArgs = {
  idempotencyKey: Scalars['String']['input'];
  settlementId: Scalars['ID']['input'];
};


export type MutationRegisterInsuranceProductArgs = {
  input: RegisterProductInput;
};


export type MutationSettleArgs = {
  input: SettleInput;
};


export type MutationVoidSettlementArgs = {
  input: VoidSettlementInput;
};

/** What one relative's account paid towards a settlement. */
export type MutualAidPayment = {
  __typename?: 'MutualAidPayment';
  amount: Scalars['Money']['output'];
  authorizer: Person;
  binding: FamilyBinding;
  /** Version of the authorizer's region policy that limited this payment. */
  policyVersion: Scalars['Int']['output'];
};

/** One relative's account as a source for me, as the waterfall would use it now. */
export type MutualAidSource = {
  __typename?: 'MutualAidSource';
  /** What this account could pay for me now for the purpose: above the floor, under both regions' policies in force. The same figure a quote would use. */
  available: Scalars['Money']['output'];
  binding: FamilyBinding;
};

export type MutualAidStatistics = {
  __typename?: 'MutualAidStatistics';
  /** Only cells with at least the minimum number of distinct patients (config, default 10). */
  cells: Array<StatisticsCell>;
  /** How many cells were withheld for having fewer patients than the minimum. */
  suppressedCells: Scalars['Int']['output'];
};

/**
 * Aggregates of one region's mutual aid; no personal data. Counted by transaction time, as 对账 is: a
 * settlement at the instant it was made, a refund (or a void that refunded) at the instant it was made,
 * so a period that is over never changes.
 */
export type MutualAidSummary = {
  __typename?: 'MutualAidSummary';
  /** ACTIVE bindings whose authorizer is in the region, now. */
  activeBindings: Scalars['Int']['output'];
  /** Paid by relatives' accounts in the period's settlements minus returned by the period's refunds. Exact, however large. */
  amountShared: Scalars['Money']['output'];
  /** Refunds of such settlements made in the period, whenever their settlement was made. */
  refunded: Scalars['Int']['output'];
  regionCode: Scalars['ID']['output'];
  /** Settlements of patients of the region made in the period (including those refunded later). */
  settlements: Scalars['Int']['output'];
};

/** A partner's product on one calendar day in China Standard Time, counted by transaction day. */
export type PartnerDay = {
  __typename?: 'PartnerDay';
  /** Paid that day minus refunded that day (negative on a day of refunds only). Exact, however large. */
  amount: Scalars['Money']['output'];
  /** YYYY-MM-DD */
  date: Scalars['String']['output'];
  /** Premiums paid that day (including those refunded later). */
  payments: Scalars['Int']['output'];
  productCode: Scalars['ID']['output'];
  /** Refunds made that day, whatever day their premium was paid. */
  refunds: Scalars['Int']['output'];
};

export type PayPremiumInput = {
  /** At most 1000000000.00. */
  amount: Scalars['Money']['input'];
  beneficiaryId: Scalars['ID']['input'];
  /** Scoped to the payer: a retry returns the same payment. */
  idempotencyKey: Scalars['String']['input'];
  payerId: Scalars['ID']['input'];
  /**
   * COMMERCIAL_HEALTH_INSURANCE: a registered partner product (NOT_FOUND otherwise) whose regions include the
   * payer's; a partner's product is paid only for that purpose. One premium per beneficiary, product and
   * year (the product's, else the year it is paid in): another is INVALID_STATE naming the first.
   */
  productCode: Scalars['String']['input'];
  /** RESIDENT_PREMIUM (only for an ACTIVE beneficiary of the RESIDENT scheme), LONG_TERM_CARE_PREMIUM or COMMERCIAL_HEALTH_INSURANCE; the beneficiary must be ACTIVE. */
  purpose: PaymentPurpose;
};

export type PaymentPurpose =
  /** 与基本医保衔接的商业健康保险 (惠民保) */
  | 'COMMERCIAL_HEALTH_INSURANCE'
  /** 健康体检 */
  | 'HEALTH_CHECK'
  /** 住院 */
  | 'INPATIENT'
  /** 长期护理保险个人缴费 */
  | 'LONG_TERM_CARE_PREMIUM'
  /** 门诊 */
  | 'OUTPATIENT'
  /** 定点药店购药、医疗器械、医用耗材 */
  | 'PHARMACY'
  /** 城乡居民医保个人缴费 */
  | 'RESIDENT_PREMIUM'
  /** 非免疫规划疫苗 */
  | 'VACCINE';

/** An insured person; the settlements subgraph adds his settlements as patient. */
export type Person = {
  __typename?: 'Person';
  id: Scalars['ID']['output'];
  /**
   * The person himself or an ADMIN of his region: every ACTIVE binding that pays for this person, in
   * waterfall order (oldest effectiveAt first), each with what it could pay now for the purpose; a
   * binding that may not pay for it (purpose, cross-province, relationship under a later policy) is
   * listed with 0.00. Empty while the person is not actively insured (nothing pays for him then).
   */
  mutualAidSources: Array<MutualAidSource>;
  /** Settlements where this person is the patient, newest first. The person himself or an ADMIN of his region; first is at most 100. */
  settlements: SettlementConnection;
};


/** An insured person; the settlements subgraph adds his settlements as patient. */
export type PersonMutualAidSourcesArgs = {
  purpose: PaymentPurpose;
};


/** An insured person; the settlements subgraph adds his settlements as patient. */
export type PersonSettlementsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A premium paid from a personal account (居民医保个人缴费, 长护险, 惠民保). */
export type PremiumPayment = {
  __typename?: 'PremiumPayment';
  amount: Scalars['Money']['output'];
  beneficiary: Person;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  idempotencyKey: Scalars['String']['output'];
  /** Whose account paid: the beneficiary himself or an authorizer bound to him. */
  payer: Person;
  productCode: Scalars['String']['output'];
  purpose: PaymentPurpose;
  refundedAt: Maybe<Scalars['DateTime']['output']>;
  /** PAID, or REFUNDED once refundPremium returned it in full to the paying account. */
  status: PremiumPaymentStatus;
};

export type PremiumPaymentConnection = {
  __typename?: 'PremiumPaymentConnection';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  nodes: Array<PremiumPayment>;
};

export type PremiumPaymentStatus =
  | 'PAID'
  | 'REFUNDED';

/**
 * May this person pay the product's premium from a personal account now (his own, or a bound relative's
 * that the rules let pay it)? Nothing else about the person. Balances are not considered.
 */
export type ProductEligibility = {
  __typename?: 'ProductEligibility';
  eligible: Scalars['Boolean']['output'];
  /**
   * Why not, as a stable code; null when eligible. NOT_INSURED (no enrolment matches the id number and
   * name, or it ended), SUSPENDED, ALREADY_PAID (paid for this product's year), NO_PERSONAL_ACCOUNT
   * (no account of his own and no bound relative's), REGION_NOT_ALLOWED (no paying account in the
   * product's regions), PURPOSE_NOT_ALLOWED, RELATIONSHIP_NOT_ALLOWED, CROSS_PROVINCE_NOT_ALLOWED (a
   * relative's account may not pay it under the regions' policies).
   */
  reason: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /** ADMIN of the region: refunds the bureau made for the region's patients (adminRefundSettlement), newest first by the instant the money was back; first is at most 100. */
  adminRefunds: AdminRefundConnection;
  /** TERMINAL of that institution, or ADMIN. */
  institutionDay: InstitutionDay;
  /** PARTNER: its own products; ADMIN: all. */
  insuranceProducts: Array<InsuranceProduct>;
  /**
   * ANALYST (every region, or regionCode's), or ADMIN (its own region; an ADMIN of every region as
   * ANALYST): mutual-aid payments over [from, to), at most 366 days, grouped by a non-empty ordered list
   * of distinct dimensions, counted by transaction day; cells of fewer distinct patients than the
   * minimum are withheld and counted.
   */
  mutualAidStatistics: MutualAidStatistics;
  /** Aggregates for analysts; no personal data. ANALYST, or ADMIN of the region. The period is [from, to). */
  mutualAidSummary: MutualAidSummary;
  /** PARTNER owning the product, or ADMIN (of a region: its payers' premiums): the product's premium payments of one day, for the partner's own 对账. */
  partnerDay: PartnerDay;
  /** PARTNER: payments for the products it owns only (each product has exactly one owner; any other code is FORBIDDEN). ADMIN: any. Newest first; first is at most 100. */
  premiumPayments: PremiumPaymentConnection;
  /** PARTNER owning the product: may this person pay its premium from a personal account now? Nothing else about the person is revealed. */
  productEligibility: ProductEligibility;
  /** TERMINAL; X-Insurance-Credential must belong to input.patientId, as for settle. The idempotency key is not consumed. */
  quoteSettlement: SettlementQuote;
  /** ADMIN: an institution's recorded 对账 calls, newest first; an ADMIN limited to a region reads only those made for its region's patients. First is at most 100. */
  reconciliationAttempts: ReconciliationAttemptConnection;
  /** A settlement: the counter of its institution, the patient, an authorizer who paid in it, or an ADMIN of the patient's region. null when unknown. */
  settlement: Maybe<Settlement>;
};


export type QueryAdminRefundsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  regionCode: Scalars['ID']['input'];
};


export type QueryInstitutionDayArgs = {
  date: Scalars['String']['input'];
  institutionId: Scalars['String']['input'];
};


export type QueryMutualAidStatisticsArgs = {
  from: Scalars['DateTime']['input'];
  groupBy: Array<StatisticsDimension>;
  regionCode?: InputMaybe<Scalars['ID']['input']>;
  to: Scalars['DateTime']['input'];
};


export type QueryMutualAidSummaryArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  regionCode: Scalars['ID']['input'];
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryPartnerDayArgs = {
  date: Scalars['String']['input'];
  productCode: Scalars['ID']['input'];
};


export type QueryPremiumPaymentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  productCode: Scalars['String']['input'];
};


export type QueryProductEligibilityArgs = {
  idNumber: Scalars['String']['input'];
  name: Scalars['String']['input'];
  productCode: Scalars['ID']['input'];
};


export type QueryQuoteSettlementArgs = {
  input: SettleInput;
};


export type QueryReconciliationAttemptsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  institutionId: Scalars['String']['input'];
};


export type QuerySettlementArgs = {
  id: Scalars['ID']['input'];
};

export type ReconcileInput = {
  cashPaid: Scalars['Money']['input'];
  /** YYYY-MM-DD, China Standard Time */
  date: Scalars['String']['input'];
  /** Each money field as InstitutionDay's: paid that day minus returned that day; negative on a day of refunds only. */
  fundPaid: Scalars['Money']['input'];
  institutionId: Scalars['String']['input'];
  mutualAidPaid: Scalars['Money']['input'];
  ownAccountPaid: Scalars['Money']['input'];
  /** The institution's own list of settlement ids for the day (those made that day, refunded since or not), for a detailed comparison. */
  settlementIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Settlements made that day, as InstitutionDay.settlements. */
  settlements: Scalars['Int']['input'];
};

/** One 对账 call as recorded, with who made it: what was compared, not the figures themselves. */
export type ReconciliationAttempt = {
  __typename?: 'ReconciliationAttempt';
  actorRole: Scalars['String']['output'];
  actorSub: Scalars['String']['output'];
  at: Scalars['DateTime']['output'];
  /** YYYY-MM-DD, China Standard Time */
  date: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  institutionId: Scalars['String']['output'];
  matched: Scalars['Boolean']['output'];
  /** How many settlements the system made that day that the institution did not list. */
  missingAtInstitution: Scalars['Int']['output'];
  /** The region whose patients were reconciled (a call by an ADMIN limited to a region); null: every region. */
  regionCode: Maybe<Scalars['ID']['output']>;
  /** How many ids the institution listed that the system did not make that day. */
  unknownToSystem: Scalars['Int']['output'];
};

/** A page of 对账 calls, newest first. */
export type ReconciliationAttemptConnection = {
  __typename?: 'ReconciliationAttemptConnection';
  /** Pass as `after` for the next page. */
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  nodes: Array<ReconciliationAttempt>;
};

export type ReconciliationResult = {
  __typename?: 'ReconciliationResult';
  /** True when the institution's figures equal the system's (and, where ids were sent, the same settlements). */
  matched: Scalars['Boolean']['output'];
  /** Settlements the system made that day that the institution did not list. */
  missingAtInstitution: Array<Scalars['ID']['output']>;
  system: InstitutionDay;
  /** Ids the institution listed that the system did not make that day. */
  unknownToSystem: Array<Scalars['ID']['output']>;
};

export type RegisterProductInput = {
  /** 1 to 64 letters, digits, _ or -; registered once (the same registration again returns the product). */
  code: Scalars['ID']['input'];
  name: Scalars['String']['input'];
  /** The one partner that owns the product (its PARTNER tokens' partnerCode). */
  partnerCode: Scalars['String']['input'];
  /** Configured regions, at least one. */
  regionCodes: Array<Scalars['ID']['input']>;
  /** 2000 to 2100. */
  year: Scalars['Int']['input'];
};

export type SettleInput = {
  /** The institution's own transaction number: a retry with the same key returns the same settlement; the same key with other content is an IDEMPOTENCY_CONFLICT error. */
  idempotencyKey: Scalars['String']['input'];
  /** Cost inside the insurance catalogue (目录内). The bill (in + out of catalogue) is one payment: at most 1000000000.00. */
  inScopeAmount: Scalars['Money']['input'];
  institutionId: Scalars['String']['input'];
  /** Cost outside the catalogue (自费). */
  outOfScopeAmount: Scalars['Money']['input'];
  patientId: Scalars['ID']['input'];
  purpose: PaymentPurpose;
  /** The patient may decline family funds for this settlement. */
  useMutualAid?: InputMaybe<Scalars['Boolean']['input']>;
};

/** One settlement at a counter (结算): the payment waterfall applied to one bill. */
export type Settlement = {
  __typename?: 'Settlement';
  /** Left for the patient to pay in cash. */
  cashPaid: Scalars['Money']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** 统筹基金支付 */
  fundPaid: Scalars['Money']['output'];
  /** <patient's region>-<ULID> */
  id: Scalars['ID']['output'];
  /** The institution's own transaction number. */
  idempotencyKey: Scalars['String']['output'];
  inScopeAmount: Scalars['Money']['output'];
  institutionId: Scalars['String']['output'];
  mutualAidPaid: Scalars['Money']['output'];
  /** Payments from relatives' accounts, in the order they paid. */
  mutualAidPayments: Array<MutualAidPayment>;
  outOfScopeAmount: Scalars['Money']['output'];
  /** Paid from the patient's own personal account. */
  ownAccountPaid: Scalars['Money']['output'];
  patient: Person;
  purpose: PaymentPurpose;
  refundedAt: Maybe<Scalars['DateTime']['output']>;
  status: SettlementStatus;
  /** The waterfall as applied, in order, with why each step paid no more: the text a counter prints on the receipt. Stored with the settlement. */
  steps: Array<SettlementStep>;
  totalAmount: Scalars['Money']['output'];
};

export type SettlementConnection = {
  __typename?: 'SettlementConnection';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  nodes: Array<Settlement>;
};

/** 预结算: what settle would do now with the same input. Nothing is written. */
export type SettlementQuote = {
  __typename?: 'SettlementQuote';
  cashPaid: Scalars['Money']['output'];
  fundPaid: Scalars['Money']['output'];
  mutualAidPaid: Scalars['Money']['output'];
  mutualAidPayments: Array<MutualAidPayment>;
  ownAccountPaid: Scalars['Money']['output'];
  patient: Person;
  purpose: PaymentPurpose;
  steps: Array<SettlementStep>;
  totalAmount: Scalars['Money']['output'];
};

/** Where a step of the waterfall takes its money from. */
export type SettlementSource =
  | 'CASH'
  | 'FUND'
  | 'MUTUAL_AID'
  | 'OWN_ACCOUNT';

export type SettlementStatus =
  | 'REFUNDED'
  | 'SETTLED';

/** One step of the waterfall, in the order applied. The steps' amounts add up to totalAmount. */
export type SettlementStep = {
  __typename?: 'SettlementStep';
  /** The person whose account paid (OWN_ACCOUNT, MUTUAL_AID); null for FUND and CASH. */
  account: Maybe<Person>;
  amount: Scalars['Money']['output'];
  /** Why the step paid this much and not more, naming the rule and its figures, in Chinese and English (e.g. the region's retained floor 2000.00). */
  note: Scalars['String']['output'];
  source: SettlementSource;
};

export type StatisticsCell = {
  __typename?: 'StatisticsCell';
  /** Paid by relatives' accounts in the period minus returned by the period's refunds. Exact, however large. */
  amount: Scalars['Money']['output'];
  /** The grouped dimensions' values, in the order asked, e.g. ["430700", "2026-11"]. */
  key: Array<Scalars['String']['output']>;
  /** Distinct patients in the cell. */
  patients: Scalars['Int']['output'];
  /** Settlements made in the period with mutual aid in the cell. */
  settlements: Scalars['Int']['output'];
};

export type StatisticsDimension =
  /** YYYY-MM in China Standard Time */
  | 'MONTH'
  /** The patient's scheme when the money moved. */
  | 'PATIENT_SCHEME'
  | 'PURPOSE'
  /** The patient's region. */
  | 'REGION'
  /** The binding's relationship (the beneficiary as the authorizer's …). */
  | 'RELATIONSHIP';

/** What became of a settle request the counter voided (冲正). */
export type VoidOutcome =
  /** No settlement had been made with the key; the key is now spent and a later settle with it moves nothing. */
  | 'KEY_VOIDED'
  /** The settlement made with the key is refunded in full (every fen back where it came from). */
  | 'REFUNDED';

export type VoidSettlementInput = {
  /** The key of the settle request whose outcome the counter does not know (timeout, crash). */
  idempotencyKey: Scalars['String']['input'];
  institutionId: Scalars['String']['input'];
  /** The patient of that request; X-Insurance-Credential must belong to this person. */
  patientId: Scalars['ID']['input'];
};

export type VoidSettlementResult = {
  __typename?: 'VoidSettlementResult';
  outcome: VoidOutcome;
  /** The refunded settlement; null for KEY_VOIDED. */
  settlement: Maybe<Settlement>;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = {}, TContext = {}, TArgs = {}> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = {}, TContext = {}, TArgs = {}> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = {}, TContext = {}> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = {}, TContext = {}> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = {}, TParent = {}, TContext = {}, TArgs = {}> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AdminRefund: ResolverTypeWrapper<AdminRefundRecord>;
  AdminRefundConnection: ResolverTypeWrapper<AdminRefundPage>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  FamilyBinding: ResolverTypeWrapper<{ id: string }>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  InstitutionDay: ResolverTypeWrapper<InstitutionDayFigures>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  InsuranceProduct: ResolverTypeWrapper<Product>;
  Money: ResolverTypeWrapper<Scalars['Money']['output']>;
  Mutation: ResolverTypeWrapper<{}>;
  MutualAidPayment: ResolverTypeWrapper<Omit<MutualAidPayment, 'authorizer' | 'binding'> & { authorizer: ResolversTypes['Person'], binding: ResolversTypes['FamilyBinding'] }>;
  MutualAidSource: ResolverTypeWrapper<MutualAidSourceRecord>;
  MutualAidStatistics: ResolverTypeWrapper<StatisticsRecord>;
  MutualAidSummary: ResolverTypeWrapper<MutualAidSummary>;
  PartnerDay: ResolverTypeWrapper<PartnerDayFigures>;
  PayPremiumInput: PayPremiumInput;
  PaymentPurpose: PaymentPurpose;
  Person: ResolverTypeWrapper<{ id: string }>;
  PremiumPayment: ResolverTypeWrapper<PremiumRecord>;
  PremiumPaymentConnection: ResolverTypeWrapper<PremiumPage>;
  PremiumPaymentStatus: PremiumPaymentStatus;
  ProductEligibility: ResolverTypeWrapper<ProductEligibility>;
  Query: ResolverTypeWrapper<{}>;
  ReconcileInput: ReconcileInput;
  ReconciliationAttempt: ResolverTypeWrapper<AttemptRecord>;
  ReconciliationAttemptConnection: ResolverTypeWrapper<AttemptPage>;
  ReconciliationResult: ResolverTypeWrapper<ReconciliationOutcome>;
  RegisterProductInput: RegisterProductInput;
  SettleInput: SettleInput;
  Settlement: ResolverTypeWrapper<SettlementRecord>;
  SettlementConnection: ResolverTypeWrapper<SettlementPage>;
  SettlementQuote: ResolverTypeWrapper<QuoteRecord>;
  SettlementSource: SettlementSource;
  SettlementStatus: SettlementStatus;
  SettlementStep: ResolverTypeWrapper<ReceiptStep>;
  StatisticsCell: ResolverTypeWrapper<Cell>;
  StatisticsDimension: StatisticsDimension;
  VoidOutcome: VoidOutcome;
  VoidSettlementInput: VoidSettlementInput;
  VoidSettlementResult: ResolverTypeWrapper<Omit<VoidSettlementResult, 'settlement'> & { settlement?: Maybe<ResolversTypes['Settlement']> }>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AdminRefund: AdminRefundRecord;
  AdminRefundConnection: AdminRefundPage;
  Boolean: Scalars['Boolean']['output'];
  DateTime: Scalars['DateTime']['output'];
  FamilyBinding: { id: string };
  ID: Scalars['ID']['output'];
  InstitutionDay: InstitutionDayFigures;
  Int: Scalars['Int']['output'];
  InsuranceProduct: Product;
  Money: Scalars['Money']['output'];
  Mutation: {};
  MutualAidPayment: Omit<MutualAidPayment, 'authorizer' | 'binding'> & { authorizer: ResolversParentTypes['Person'], binding: ResolversParentTypes['FamilyBinding'] };
  MutualAidSource: MutualAidSourceRecord;
  MutualAidStatistics: StatisticsRecord;
  MutualAidSummary: MutualAidSummary;
  PartnerDay: PartnerDayFigures;
  PayPremiumInput: PayPremiumInput;
  Person: { id: string };
  PremiumPayment: PremiumRecord;
  PremiumPaymentConnection: PremiumPage;
  ProductEligibility: ProductEligibility;
  Query: {};
  ReconcileInput: ReconcileInput;
  ReconciliationAttempt: AttemptRecord;
  ReconciliationAttemptConnection: AttemptPage;
  ReconciliationResult: ReconciliationOutcome;
  RegisterProductInput: RegisterProductInput;
  SettleInput: SettleInput;
  Settlement: SettlementRecord;
  SettlementConnection: SettlementPage;
  SettlementQuote: QuoteRecord;
  SettlementStep: ReceiptStep;
  StatisticsCell: Cell;
  VoidSettlementInput: VoidSettlementInput;
  VoidSettlementResult: Omit<VoidSettlementResult, 'settlement'> & { settlement?: Maybe<ResolversParentTypes['Settlement']> };
  String: Scalars['String']['output'];
}>;

export type PatientDirectiveArgs = {
  via?: Maybe<Scalars['String']['input']>;
};

export type PatientDirectiveResolver<Result, Parent, ContextType = SettlementsContext, Args = PatientDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AdminRefundResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['AdminRefund'] = ResolversParentTypes['AdminRefund']> = ResolversObject<{
  actor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  settlement?: Resolver<ResolversTypes['Settlement'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type AdminRefundConnectionResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['AdminRefundConnection'] = ResolversParentTypes['AdminRefundConnection']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['AdminRefund']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type FamilyBindingResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['FamilyBinding'] = ResolversParentTypes['FamilyBinding']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['FamilyBinding']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type InstitutionDayResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['InstitutionDay'] = ResolversParentTypes['InstitutionDay']> = ResolversObject<{
  cashPaid?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  date?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  fundPaid?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  institutionId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  mutualAidPaid?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  ownAccountPaid?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  refunded?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  settlements?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type InsuranceProductResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['InsuranceProduct'] = ResolversParentTypes['InsuranceProduct']> = ResolversObject<{
  code?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  partnerCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  regionCodes?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  year?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export interface MoneyScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Money'], any> {
  name: 'Money';
}

export type MutationResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  adminRefundSettlement?: Resolver<ResolversTypes['Settlement'], ParentType, ContextType, RequireFields<MutationAdminRefundSettlementArgs, 'idempotencyKey' | 'reason' | 'settlementId'>>;
  payPremium?: Resolver<ResolversTypes['PremiumPayment'], ParentType, ContextType, RequireFields<MutationPayPremiumArgs, 'input'>>;
  reconcileInstitutionDay?: Resolver<ResolversTypes['ReconciliationResult'], ParentType, ContextType, RequireFields<MutationReconcileInstitutionDayArgs, 'input'>>;
  refundPremium?: Resolver<ResolversTypes['PremiumPayment'], ParentType, ContextType, RequireFields<MutationRefundPremiumArgs, 'idempotencyKey' | 'premiumId' | 'reason'>>;
  refundSettlement?: Resolver<ResolversTypes['Settlement'], ParentType, ContextType, RequireFields<MutationRefundSettlementArgs, 'idempotencyKey' | 'settlementId'>>;
  registerInsuranceProduct?: Resolver<ResolversTypes['InsuranceProduct'], ParentType, ContextType, RequireFields<MutationRegisterInsuranceProductArgs, 'input'>>;
  settle?: Resolver<ResolversTypes['Settlement'], ParentType, ContextType, RequireFields<MutationSettleArgs, 'input'>>;
  voidSettlement?: Resolver<ResolversTypes['VoidSettlementResult'], ParentType, ContextType, RequireFields<MutationVoidSettlementArgs, 'input'>>;
}>;

export type MutualAidPaymentResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['MutualAidPayment'] = ResolversParentTypes['MutualAidPayment']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  authorizer?: Resolver<ResolversTypes['Person'], ParentType, ContextType>;
  binding?: Resolver<ResolversTypes['FamilyBinding'], ParentType, ContextType>;
  policyVersion?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type MutualAidSourceResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['MutualAidSource'] = ResolversParentTypes['MutualAidSource']> = ResolversObject<{
  available?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  binding?: Resolver<ResolversTypes['FamilyBinding'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type MutualAidStatisticsResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['MutualAidStatistics'] = ResolversParentTypes['MutualAidStatistics']> = ResolversObject<{
  cells?: Resolver<Array<ResolversTypes['StatisticsCell']>, ParentType, ContextType>;
  suppressedCells?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type MutualAidSummaryResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['MutualAidSummary'] = ResolversParentTypes['MutualAidSummary']> = ResolversObject<{
  activeBindings?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  amountShared?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  refunded?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  regionCode?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  settlements?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type PartnerDayResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['PartnerDay'] = ResolversParentTypes['PartnerDay']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  date?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  payments?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  productCode?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  refunds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type PersonResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['Person'] = ResolversParentTypes['Person']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Person']>, { __typename: 'Person' } & GraphQLRecursivePick<ParentType, {"id":true}>, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mutualAidSources?: Resolver<Array<ResolversTypes['MutualAidSource']>, ParentType, ContextType, RequireFields<PersonMutualAidSourcesArgs, 'purpose'>>;
  settlements?: Resolver<ResolversTypes['SettlementConnection'], ParentType, ContextType, RequireFields<PersonSettlementsArgs, 'first'>>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type PremiumPaymentResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['PremiumPayment'] = ResolversParentTypes['PremiumPayment']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  beneficiary?: Resolver<ResolversTypes['Person'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  idempotencyKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  payer?: Resolver<ResolversTypes['Person'], ParentType, ContextType>;
  productCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  purpose?: Resolver<ResolversTypes['PaymentPurpose'], ParentType, ContextType>;
  refundedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PremiumPaymentStatus'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type PremiumPaymentConnectionResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['PremiumPaymentConnection'] = ResolversParentTypes['PremiumPaymentConnection']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['PremiumPayment']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ProductEligibilityResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['ProductEligibility'] = ResolversParentTypes['ProductEligibility']> = ResolversObject<{
  eligible?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  adminRefunds?: Resolver<ResolversTypes['AdminRefundConnection'], ParentType, ContextType, RequireFields<QueryAdminRefundsArgs, 'first' | 'regionCode'>>;
  institutionDay?: Resolver<ResolversTypes['InstitutionDay'], ParentType, ContextType, RequireFields<QueryInstitutionDayArgs, 'date' | 'institutionId'>>;
  insuranceProducts?: Resolver<Array<ResolversTypes['InsuranceProduct']>, ParentType, ContextType>;
  mutualAidStatistics?: Resolver<ResolversTypes['MutualAidStatistics'], ParentType, ContextType, RequireFields<QueryMutualAidStatisticsArgs, 'from' | 'groupBy' | 'to'>>;
  mutualAidSummary?: Resolver<ResolversTypes['MutualAidSummary'], ParentType, ContextType, RequireFields<QueryMutualAidSummaryArgs, 'regionCode'>>;
  partnerDay?: Resolver<ResolversTypes['PartnerDay'], ParentType, ContextType, RequireFields<QueryPartnerDayArgs, 'date' | 'productCode'>>;
  premiumPayments?: Resolver<ResolversTypes['PremiumPaymentConnection'], ParentType, ContextType, RequireFields<QueryPremiumPaymentsArgs, 'first' | 'productCode'>>;
  productEligibility?: Resolver<ResolversTypes['ProductEligibility'], ParentType, ContextType, RequireFields<QueryProductEligibilityArgs, 'idNumber' | 'name' | 'productCode'>>;
  quoteSettlement?: Resolver<ResolversTypes['SettlementQuote'], ParentType, ContextType, RequireFields<QueryQuoteSettlementArgs, 'input'>>;
  reconciliationAttempts?: Resolver<ResolversTypes['ReconciliationAttemptConnection'], ParentType, ContextType, RequireFields<QueryReconciliationAttemptsArgs, 'first' | 'institutionId'>>;
  settlement?: Resolver<Maybe<ResolversTypes['Settlement']>, ParentType, ContextType, RequireFields<QuerySettlementArgs, 'id'>>;
}>;

export type ReconciliationAttemptResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['ReconciliationAttempt'] = ResolversParentTypes['ReconciliationAttempt']> = ResolversObject<{
  actorRole?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actorSub?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  date?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  institutionId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  matched?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  missingAtInstitution?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  regionCode?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  unknownToSystem?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ReconciliationAttemptConnectionResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['ReconciliationAttemptConnection'] = ResolversParentTypes['ReconciliationAttemptConnection']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['ReconciliationAttempt']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ReconciliationResultResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['ReconciliationResult'] = ResolversParentTypes['ReconciliationResult']> = ResolversObject<{
  matched?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  missingAtInstitution?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  system?: Resolver<ResolversTypes['InstitutionDay'], ParentType, ContextType>;
  unknownToSystem?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type SettlementResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['Settlement'] = ResolversParentTypes['Settlement']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Settlement']>, { __typename: 'Settlement' } & GraphQLRecursivePick<ParentType, {"id":true}>, ContextType>;
  cashPaid?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  fundPaid?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  idempotencyKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  inScopeAmount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  institutionId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  mutualAidPaid?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  mutualAidPayments?: Resolver<Array<ResolversTypes['MutualAidPayment']>, ParentType, ContextType>;
  outOfScopeAmount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  ownAccountPaid?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  patient?: Resolver<ResolversTypes['Person'], ParentType, ContextType>;
  purpose?: Resolver<ResolversTypes['PaymentPurpose'], ParentType, ContextType>;
  refundedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['SettlementStatus'], ParentType, ContextType>;
  steps?: Resolver<Array<ResolversTypes['SettlementStep']>, ParentType, ContextType>;
  totalAmount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type SettlementConnectionResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['SettlementConnection'] = ResolversParentTypes['SettlementConnection']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Settlement']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type SettlementQuoteResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['SettlementQuote'] = ResolversParentTypes['SettlementQuote']> = ResolversObject<{
  cashPaid?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  fundPaid?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  mutualAidPaid?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  mutualAidPayments?: Resolver<Array<ResolversTypes['MutualAidPayment']>, ParentType, ContextType>;
  ownAccountPaid?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  patient?: Resolver<ResolversTypes['Person'], ParentType, ContextType>;
  purpose?: Resolver<ResolversTypes['PaymentPurpose'], ParentType, ContextType>;
  steps?: Resolver<Array<ResolversTypes['SettlementStep']>, ParentType, ContextType>;
  totalAmount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type SettlementStepResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['SettlementStep'] = ResolversParentTypes['SettlementStep']> = ResolversObject<{
  account?: Resolver<Maybe<ResolversTypes['Person']>, ParentType, ContextType>;
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  note?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['SettlementSource'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type StatisticsCellResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['StatisticsCell'] = ResolversParentTypes['StatisticsCell']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  key?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  patients?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  settlements?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type VoidSettlementResultResolvers<ContextType = SettlementsContext, ParentType extends ResolversParentTypes['VoidSettlementResult'] = ResolversParentTypes['VoidSettlementResult']> = ResolversObject<{
  outcome?: Resolver<ResolversTypes['VoidOutcome'], ParentType, ContextType>;
  settlement?: Resolver<Maybe<ResolversTypes['Settlement']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type Resolvers<ContextType = SettlementsContext> = ResolversObject<{
  AdminRefund?: AdminRefundResolvers<ContextType>;
  AdminRefundConnection?: AdminRefundConnectionResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  FamilyBinding?: FamilyBindingResolvers<ContextType>;
  InstitutionDay?: InstitutionDayResolvers<ContextType>;
  InsuranceProduct?: InsuranceProductResolvers<ContextType>;
  Money?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  MutualAidPayment?: MutualAidPaymentResolvers<ContextType>;
  MutualAidSource?: MutualAidSourceResolvers<ContextType>;
  MutualAidStatistics?: MutualAidStatisticsResolvers<ContextType>;
  MutualAidSummary?: MutualAidSummaryResolvers<ContextType>;
  PartnerDay?: PartnerDayResolvers<ContextType>;
  Person?: PersonResolvers<ContextType>;
  PremiumPayment?: PremiumPaymentResolvers<ContextType>;
  PremiumPaymentConnection?: PremiumPaymentConnectionResolvers<ContextType>;
  ProductEligibility?: ProductEligibilityResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ReconciliationAttempt?: ReconciliationAttemptResolvers<ContextType>;
  ReconciliationAttemptConnection?: ReconciliationAttemptConnectionResolvers<ContextType>;
  ReconciliationResult?: ReconciliationResultResolvers<ContextType>;
  Settlement?: SettlementResolvers<ContextType>;
  SettlementConnection?: SettlementConnectionResolvers<ContextType>;
  SettlementQuote?: SettlementQuoteResolvers<ContextType>;
  SettlementStep?: SettlementStepResolvers<ContextType>;
  StatisticsCell?: StatisticsCellResolvers<ContextType>;
  VoidSettlementResult?: VoidSettlementResultResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = SettlementsContext> = ResolversObject<{
  patient?: PatientDirectiveResolver<any, any, ContextType>;
}>;
