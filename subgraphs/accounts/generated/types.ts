import { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import { PersonParent } from '../persons/visibility';
import { Region as RegionRecord, MutualAidPolicy as PolicyRecord, PoolingRule as PoolingRuleRecord } from '../../shared/policy/policy';
import { AccountParent, EntryRecord, EntryPage } from '../ledger/reads';
import { CredentialRecord, RefusalRecord, RefusalPage } from '../credentials/service';
import { PersonAuditRecord, AuditPage } from '../persons/audit';
import { AccountsContext } from '../context';
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

/** A card or e-voucher token. The token is shown once, when issued; only its hash is stored. */
export type Credential = {
  __typename?: 'Credential';
  holder: Person;
  /** The id under which the bureau names this credential (audit, suspension). */
  id: Scalars['ID']['output'];
  token: Scalars['String']['output'];
};

/** A card or e-voucher as the bureau sees it; the token itself is never stored. */
export type CredentialInfo = {
  __typename?: 'CredentialInfo';
  id: Scalars['ID']['output'];
  issuedAt: Scalars['DateTime']['output'];
  revokedAt: Maybe<Scalars['DateTime']['output']>;
  /** When its holder's network settlement was suspended (repeated mismatches with any of his credentials); null when it is not. The suspension is the person's: it covers every credential he holds, including later ones. */
  suspendedAt: Maybe<Scalars['DateTime']['output']>;
};

/** A refused presentation of a credential at a counter (audit of 冒名就医 attempts and bad credentials). */
export type CredentialRefusal = {
  __typename?: 'CredentialRefusal';
  at: Scalars['DateTime']['output'];
  /** How many distinct patients the operation named; claimedPatientIds lists at most 10 of them. */
  claimedPatientCount: Scalars['Int']['output'];
  /** The patients the operation named, at most the first 10 (distinct, in the order named; settlement ids are shown as their patients). */
  claimedPatientIds: Array<Scalars['ID']['output']>;
  /** CREDENTIAL_REQUIRED, CREDENTIAL_INVALID, CREDENTIAL_SUSPENDED or CREDENTIAL_MISMATCH. */
  code: Scalars['String']['output'];
  /** null when the credential was missing or unknown. */
  credentialId: Maybe<Scalars['ID']['output']>;
  /** The credential's holder; null when the credential was missing or unknown. */
  holder: Maybe<Person>;
  id: Scalars['ID']['output'];
  institutionId: Maybe<Scalars['String']['output']>;
  operationName: Maybe<Scalars['String']['output']>;
  /** The counter's token subject. */
  terminal: Scalars['String']['output'];
};

export type CredentialRefusalConnection = {
  __typename?: 'CredentialRefusalConnection';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  nodes: Array<CredentialRefusal>;
};

export type CreditAccountInput = {
  /** Positive amount to credit: at most 1000000000.00, and the balance after it at most 10000000000.00 (else BAD_USER_INPUT naming the limit). */
  amount: Scalars['Money']['input'];
  /** A retry with the same key returns the same entry; the same key with other content is IDEMPOTENCY_CONFLICT. */
  idempotencyKey: Scalars['String']['input'];
  memo?: InputMaybe<Scalars['String']['input']>;
  personId: Scalars['ID']['input'];
};

export type EnrollmentStatus =
  | 'ACTIVE'
  | 'SUSPENDED'
  | 'TERMINATED';

export type InsuranceScheme =
  /** 职工基本医疗保险: has a personal account */
  | 'EMPLOYEE'
  /** 城乡居民基本医疗保险: no personal account */
  | 'RESIDENT';

/** One append-only change of a personal account's balance. */
export type LedgerEntry = {
  __typename?: 'LedgerEntry';
  /** Positive for money in, negative for money out. */
  amount: Scalars['Money']['output'];
  balanceAfter: Scalars['Money']['output'];
  /** For mutual-aid debits: whose costs were paid. */
  beneficiary: Maybe<Person>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** CREDIT, OWN_ACCOUNT_PAYMENT, MUTUAL_AID_PAYMENT, PREMIUM_PAYMENT, REFUND or REVERSAL. */
  kind: Scalars['String']['output'];
  /** Settlement, premium payment or credit that caused the entry. */
  reference: Scalars['String']['output'];
};

/** A page of ledger entries, newest first. */
export type LedgerEntryConnection = {
  __typename?: 'LedgerEntryConnection';
  /** Pass as `after` for the next page. */
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  nodes: Array<LedgerEntry>;
};

/** The bureau's daily check of one region's ledgers (China Standard Time): every entry counts on the day it was written (a refund on its own day, not its payment's), so a past day never changes. Sums are exact, however large. */
export type LedgerReconciliation = {
  __typename?: 'LedgerReconciliation';
  accountsChecked: Scalars['Int']['output'];
  /** True when no account is mismatched. */
  balanced: Scalars['Boolean']['output'];
  /** Monthly transfers into the region's personal accounts that day. */
  credits: Scalars['Money']['output'];
  /** YYYY-MM-DD */
  date: Scalars['String']['output'];
  /** What the region's accounts paid that day, by purpose (own care, relatives' care, premiums). */
  debitsByPurpose: Array<PurposeAmount>;
  /** Accounts whose balance differs from the sum of their ledger entries (or hold more than they have). */
  mismatchedAccounts: Array<Scalars['ID']['output']>;
  /** What the region's accounts paid for relatives that day, by relationship. */
  mutualAidByRelationship: Array<RelationshipAmount>;
  regionCode: Scalars['ID']['output'];
  /** Refunds and reversals back into the region's accounts that day, by purpose. */
  returnsByPurpose: Array<PurposeAmount>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** ADMIN: monthly transfer into a personal account (划入). */
  creditPersonalAccount: LedgerEntry;
  /** ADMIN: issue a card / e-voucher token to its holder. */
  issueCredential: Credential;
  /** ADMIN of the holder's region: lift the suspension of the holder's network settlement (the person's, as liftSettlementSuspension does); answers the credential as it is now. */
  liftCredentialSuspension: CredentialInfo;
  /** ADMIN of the person's region: lift a suspension of network settlement. */
  liftSettlementSuspension: Person;
  /** ADMIN: enrol a person (the enrolment system's feed). */
  registerInsured: Person;
  /** ADMIN of the holder's region: revoke a card or e-voucher; it never settles again, on any replica, from this call on. False when the token is unknown or already revoked. */
  revokeCredential: Scalars['Boolean']['output'];
  /** ADMIN of that region: schedule a new policy version. */
  scheduleRegionPolicy: MutualAidPolicy;
  /** ADMIN: suspend, terminate or reactivate an enrolment. */
  setEnrollmentStatus: Person;
};


export type MutationCreditPersonalAccountArgs = {
  input: CreditAccountInput;
};


export type MutationIssueCredentialArgs = {
  personId: Scalars['ID']['input'];
};


export type MutationLiftCredentialSuspensionArgs = {
  credentialId: Scalars['ID']['input'];
};


export type MutationLiftSettlementSuspensionArgs = {
  personId: Scalars['ID']['input'];
};


export type MutationRegisterInsuredArgs = {
  input: RegisterInsuredInput;
};


export type MutationRevokeCredentialArgs = {
  token: Scalars['String']['input'];
};


export type MutationScheduleRegionPolicyArgs = {
  input: RegionPolicyInput;
};


export type MutationSetEnrollmentStatusArgs = {
  personId: Scalars['ID']['input'];
  status: EnrollmentStatus;
};

/** A region's rules for sharing personal-account funds with relatives: one version of them. */
export type MutualAidPolicy = {
  __typename?: 'MutualAidPolicy';
  /** What relatives' costs the shared funds may pay for. */
  allowedPurposes: Array<PaymentPurpose>;
  /** Which relatives an authorizer of this region may bind. */
  allowedRelationships: Array<Relationship>;
  /** Whether personal-account funds of this region (the patient's own and relatives') may pay costs outside the insurance catalogue (自费). */
  coversOutOfScope: Scalars['Boolean']['output'];
  /** Whether beneficiaries insured in another province may be bound. */
  crossProvince: Scalars['Boolean']['output'];
  /** From this instant on, this version decides bindings and settlements in its region. */
  effectiveFrom: Scalars['DateTime']['output'];
  /** How the pooled fund shares in-catalogue costs while this version is in force; a settlement keeps the rules of the version it was made under. */
  poolingRules: Array<PoolingRule>;
  /** Whether a new binding waits for the beneficiary's acceptance before review or activation (Hunan: 接受绑定). */
  requiresBeneficiaryConsent: Scalars['Boolean']['output'];
  /** Whether a new binding waits for a reviewer before it is ACTIVE. */
  requiresReview: Scalars['Boolean']['output'];
  /** Balance the authorizer always keeps; only the part above it may be used by relatives (Fuzhou: 2000.00). */
  retainedFloor: Scalars['Money']['output'];
  /** 1 for the version from config at first start, then +1 for each version scheduled in the region. */
  version: Scalars['Int']['output'];
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

/** An insured person, enrolled in one region. */
export type Person = {
  __typename?: 'Person';
  /** ADMIN of the person's region: what was recorded about this person for audit (enrolment, status, credentials, suspension), newest first; first is at most 100. */
  auditTrail: PersonAuditEventConnection;
  /** Cards and e-vouchers issued to this person, newest first: the person himself or an ADMIN of his region. */
  credentials: Array<CredentialInfo>;
  /** <6-digit region>-<ULID>; never contains the resident id number. */
  id: Scalars['ID']['output'];
  /** Resident ID number with all but the first 4 and last 4 characters masked. */
  maskedIdNumber: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** null for RESIDENT scheme */
  personalAccount: Maybe<PersonalAccount>;
  /** The region of enrolment. */
  region: Region;
  scheme: InsuranceScheme;
  /** Network settlement is suspended for this person (冒名就医), on every credential, until an ADMIN lifts it. */
  settlementSuspended: Scalars['Boolean']['output'];
  status: EnrollmentStatus;
};


/** An insured person, enrolled in one region. */
export type PersonAuditTrailArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** One recorded change of a person, with who made it. */
export type PersonAuditEvent = {
  __typename?: 'PersonAuditEvent';
  /** REGISTER, SET_STATUS, ISSUE_CREDENTIAL, REVOKE_CREDENTIAL, SUSPEND_SETTLEMENT or LIFT_SETTLEMENT_SUSPENSION. */
  action: Scalars['String']['output'];
  /** The caller's role; null when the system acted itself (a suspension after repeated mismatches). */
  actorRole: Maybe<Scalars['String']['output']>;
  /** The caller's token subject, or "system". */
  actorSub: Scalars['String']['output'];
  at: Scalars['DateTime']['output'];
  /** What changed, e.g. "ACTIVE -> SUSPENDED", or the reason given. */
  detail: Scalars['String']['output'];
  id: Scalars['ID']['output'];
};

/** A page of audit events, newest first. */
export type PersonAuditEventConnection = {
  __typename?: 'PersonAuditEventConnection';
  /** Pass as `after` for the next page. */
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  nodes: Array<PersonAuditEvent>;
};

/** An employee's personal account (个人账户); its balance always equals the sum of its ledger entries. */
export type PersonalAccount = {
  __typename?: 'PersonalAccount';
  balance: Scalars['Money']['output'];
  /** Newest first; first is at most 100. */
  entries: LedgerEntryConnection;
  /** What relatives may use now: balance minus the region's retained floor, never below 0.00. */
  shareableBalance: Scalars['Money']['output'];
  /** The account's owner or ADMIN: mutual-aid and premium payments this account made for relatives, newest first, filterable. */
  usage: LedgerEntryConnection;
};


/** An employee's personal account (个人账户); its balance always equals the sum of its ledger entries. */
export type PersonalAccountEntriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** An employee's personal account (个人账户); its balance always equals the sum of its ledger entries. */
export type PersonalAccountUsageArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  beneficiaryId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

/** fundPaid = min(annualCap - fund already paid this year, floor((inScope - deductible not yet used this year, never below 0) * ratePercent / 100)), computed in fen. */
export type PoolingRule = {
  __typename?: 'PoolingRule';
  annualCap: Scalars['Money']['output'];
  annualDeductible: Scalars['Money']['output'];
  purpose: PaymentPurpose;
  ratePercent: Scalars['Int']['output'];
  scheme: InsuranceScheme;
};

/** One pooling rule of a scheduled version: at most one per scheme and purpose; only care purposes have a fund share. */
export type PoolingRuleInput = {
  /** Not negative. */
  annualCap: Scalars['Money']['input'];
  /** Not negative. */
  annualDeductible: Scalars['Money']['input'];
  purpose: PaymentPurpose;
  /** 0 to 100. */
  ratePercent: Scalars['Int']['input'];
  scheme: InsuranceScheme;
};

/** An amount per payment purpose. */
export type PurposeAmount = {
  __typename?: 'PurposeAmount';
  amount: Scalars['Money']['output'];
  /** A PaymentPurpose, or UNSPECIFIED for entries written before purposes were recorded. */
  purpose: Scalars['String']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** ADMIN: refused card presentations, newest first (limited to the ADMIN's region where set); first is at most 100. regionCode: only refusals of that region's credentials (an ADMIN of another region: FORBIDDEN). */
  credentialRefusals: CredentialRefusalConnection;
  /** ADMIN of the region: the day's ledger reconciliation. `npm run reconcile` prints the same for every region. */
  ledgerReconciliation: LedgerReconciliation;
  /**
   * 人员信息获取: TERMINAL only; the person whose own card or e-voucher is in X-Insurance-Credential
   * (refused exactly as settle refuses: CREDENTIAL_REQUIRED, CREDENTIAL_INVALID, CREDENTIAL_SUSPENDED).
   * The counter learns the patient id from the card, never from the patient's word.
   */
  patientByCredential: Person;
  /** A person by id; null when unknown. A person the caller may not see is null with FORBIDDEN. */
  person: Maybe<Person>;
  /** A region and its public policy; null when unknown. */
  region: Maybe<Region>;
  /** Every configured region. */
  regions: Array<Region>;
};


export type QueryCredentialRefusalsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  regionCode?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryLedgerReconciliationArgs = {
  date: Scalars['String']['input'];
  regionCode: Scalars['ID']['input'];
};


export type QueryPersonArgs = {
  id: Scalars['ID']['input'];
};


export type QueryRegionArgs = {
  code: Scalars['ID']['input'];
};

/** A pooling region (统筹区) and its public mutual-aid policy. */
export type Region = {
  __typename?: 'Region';
  /** 6-digit administrative division code of the pooling region (统筹区), e.g. 430700 */
  code: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** The policy version in force now. */
  policy: MutualAidPolicy;
  /** Every version, oldest first, including those not yet in force. `policy` is the one in force now. */
  policyHistory: Array<MutualAidPolicy>;
  /** How the pooled fund (统筹基金) shares each purpose's in-catalogue cost in this region: the rules of the policy version in force now. */
  poolingRules: Array<PoolingRule>;
  /** 2-digit province code, e.g. 43 */
  provinceCode: Scalars['String']['output'];
};

export type RegionPolicyInput = {
  allowedPurposes: Array<PaymentPurpose>;
  allowedRelationships: Array<Relationship>;
  coversOutOfScope: Scalars['Boolean']['input'];
  crossProvince: Scalars['Boolean']['input'];
  /** Must lie in the future by at least the configured lead time (default 2 seconds); never in the past. */
  effectiveFrom: Scalars['DateTime']['input'];
  /** The region's pooling rules from this version on; omitted: the previous version's. */
  poolingRules?: InputMaybe<Array<PoolingRuleInput>>;
  regionCode: Scalars['ID']['input'];
  /** Default false. */
  requiresBeneficiaryConsent?: InputMaybe<Scalars['Boolean']['input']>;
  requiresReview: Scalars['Boolean']['input'];
  retainedFloor: Scalars['Money']['input'];
};

export type RegisterInsuredInput = {
  /** 18-character resident ID number (GB 11643 check digit is verified) */
  idNumber: Scalars['String']['input'];
  name: Scalars['String']['input'];
  regionCode: Scalars['ID']['input'];
  scheme: InsuranceScheme;
};

/** What the beneficiary is to the authorizer. */
export type Relationship =
  | 'CHILD'
  /** 外孙子女 */
  | 'MATERNAL_GRANDCHILD'
  /** 外祖父母 */
  | 'MATERNAL_GRANDPARENT'
  | 'PARENT'
  /** 孙子女 */
  | 'PATERNAL_GRANDCHILD'
  /** 祖父母 */
  | 'PATERNAL_GRANDPARENT'
  | 'SIBLING'
  | 'SPOUSE';

/** An amount per relationship of beneficiary to authorizer. */
export type RelationshipAmount = {
  __typename?: 'RelationshipAmount';
  amount: Scalars['Money']['output'];
  relationship: Scalars['String']['output'];
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
  Credential: ResolverTypeWrapper<Omit<Credential, 'holder'> & { holder: ResolversTypes['Person'] }>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  CredentialInfo: ResolverTypeWrapper<CredentialRecord>;
  CredentialRefusal: ResolverTypeWrapper<RefusalRecord>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  CredentialRefusalConnection: ResolverTypeWrapper<RefusalPage>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CreditAccountInput: CreditAccountInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  EnrollmentStatus: EnrollmentStatus;
  InsuranceScheme: InsuranceScheme;
  LedgerEntry: ResolverTypeWrapper<EntryRecord>;
  LedgerEntryConnection: ResolverTypeWrapper<EntryPage>;
  LedgerReconciliation: ResolverTypeWrapper<LedgerReconciliation>;
  Money: ResolverTypeWrapper<Scalars['Money']['output']>;
  Mutation: ResolverTypeWrapper<{}>;
  MutualAidPolicy: ResolverTypeWrapper<PolicyRecord>;
  PaymentPurpose: PaymentPurpose;
  Person: ResolverTypeWrapper<PersonParent>;
  PersonAuditEvent: ResolverTypeWrapper<PersonAuditRecord>;
  PersonAuditEventConnection: ResolverTypeWrapper<AuditPage>;
  PersonalAccount: ResolverTypeWrapper<AccountParent>;
  PoolingRule: ResolverTypeWrapper<PoolingRuleRecord>;
  PoolingRuleInput: PoolingRuleInput;
  PurposeAmount: ResolverTypeWrapper<PurposeAmount>;
  Query: ResolverTypeWrapper<{}>;
  Region: ResolverTypeWrapper<RegionRecord>;
  RegionPolicyInput: RegionPolicyInput;
  RegisterInsuredInput: RegisterInsuredInput;
  Relationship: Relationship;
  RelationshipAmount: ResolverTypeWrapper<RelationshipAmount>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Credential: Omit<Credential, 'holder'> & { holder: ResolversParentTypes['Person'] };
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  CredentialInfo: CredentialRecord;
  CredentialRefusal: RefusalRecord;
  Int: Scalars['Int']['output'];
  CredentialRefusalConnection: RefusalPage;
  Boolean: Scalars['Boolean']['output'];
  CreditAccountInput: CreditAccountInput;
  DateTime: Scalars['DateTime']['output'];
  LedgerEntry: EntryRecord;
  LedgerEntryConnection: EntryPage;
  LedgerReconciliation: LedgerReconciliation;
  Money: Scalars['Money']['output'];
  Mutation: {};
  MutualAidPolicy: PolicyRecord;
  Person: PersonParent;
  PersonAuditEvent: PersonAuditRecord;
  PersonAuditEventConnection: AuditPage;
  PersonalAccount: AccountParent;
  PoolingRule: PoolingRuleRecord;
  PoolingRuleInput: PoolingRuleInput;
  PurposeAmount: PurposeAmount;
  Query: {};
  Region: RegionRecord;
  RegionPolicyInput: RegionPolicyInput;
  RegisterInsuredInput: RegisterInsuredInput;
  RelationshipAmount: RelationshipAmount;
}>;

export type OwnCardDirectiveArgs = { };

export type OwnCardDirectiveResolver<Result, Parent, ContextType = AccountsContext, Args = OwnCardDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CredentialResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['Credential'] = ResolversParentTypes['Credential']> = ResolversObject<{
  holder?: Resolver<ResolversTypes['Person'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type CredentialInfoResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['CredentialInfo'] = ResolversParentTypes['CredentialInfo']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  issuedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  suspendedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type CredentialRefusalResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['CredentialRefusal'] = ResolversParentTypes['CredentialRefusal']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  claimedPatientCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  claimedPatientIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  credentialId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  holder?: Resolver<Maybe<ResolversTypes['Person']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  institutionId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  operationName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  terminal?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type CredentialRefusalConnectionResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['CredentialRefusalConnection'] = ResolversParentTypes['CredentialRefusalConnection']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['CredentialRefusal']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type LedgerEntryResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['LedgerEntry'] = ResolversParentTypes['LedgerEntry']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  balanceAfter?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  beneficiary?: Resolver<Maybe<ResolversTypes['Person']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reference?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type LedgerEntryConnectionResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['LedgerEntryConnection'] = ResolversParentTypes['LedgerEntryConnection']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['LedgerEntry']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type LedgerReconciliationResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['LedgerReconciliation'] = ResolversParentTypes['LedgerReconciliation']> = ResolversObject<{
  accountsChecked?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  balanced?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  credits?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  date?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  debitsByPurpose?: Resolver<Array<ResolversTypes['PurposeAmount']>, ParentType, ContextType>;
  mismatchedAccounts?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  mutualAidByRelationship?: Resolver<Array<ResolversTypes['RelationshipAmount']>, ParentType, ContextType>;
  regionCode?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  returnsByPurpose?: Resolver<Array<ResolversTypes['PurposeAmount']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export interface MoneyScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Money'], any> {
  name: 'Money';
}

export type MutationResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  creditPersonalAccount?: Resolver<ResolversTypes['LedgerEntry'], ParentType, ContextType, RequireFields<MutationCreditPersonalAccountArgs, 'input'>>;
  issueCredential?: Resolver<ResolversTypes['Credential'], ParentType, ContextType, RequireFields<MutationIssueCredentialArgs, 'personId'>>;
  liftCredentialSuspension?: Resolver<ResolversTypes['CredentialInfo'], ParentType, ContextType, RequireFields<MutationLiftCredentialSuspensionArgs, 'credentialId'>>;
  liftSettlementSuspension?: Resolver<ResolversTypes['Person'], ParentType, ContextType, RequireFields<MutationLiftSettlementSuspensionArgs, 'personId'>>;
  registerInsured?: Resolver<ResolversTypes['Person'], ParentType, ContextType, RequireFields<MutationRegisterInsuredArgs, 'input'>>;
  revokeCredential?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRevokeCredentialArgs, 'token'>>;
  scheduleRegionPolicy?: Resolver<ResolversTypes['MutualAidPolicy'], ParentType, ContextType, RequireFields<MutationScheduleRegionPolicyArgs, 'input'>>;
  setEnrollmentStatus?: Resolver<ResolversTypes['Person'], ParentType, ContextType, RequireFields<MutationSetEnrollmentStatusArgs, 'personId' | 'status'>>;
}>;

export type MutualAidPolicyResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['MutualAidPolicy'] = ResolversParentTypes['MutualAidPolicy']> = ResolversObject<{
  allowedPurposes?: Resolver<Array<ResolversTypes['PaymentPurpose']>, ParentType, ContextType>;
  allowedRelationships?: Resolver<Array<ResolversTypes['Relationship']>, ParentType, ContextType>;
  coversOutOfScope?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  crossProvince?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  effectiveFrom?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  poolingRules?: Resolver<Array<ResolversTypes['PoolingRule']>, ParentType, ContextType>;
  requiresBeneficiaryConsent?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  requiresReview?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  retainedFloor?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type PersonResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['Person'] = ResolversParentTypes['Person']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Person']>, { __typename: 'Person' } & GraphQLRecursivePick<ParentType, {"id":true}>, ContextType>;
  auditTrail?: Resolver<ResolversTypes['PersonAuditEventConnection'], ParentType, ContextType, RequireFields<PersonAuditTrailArgs, 'first'>>;
  credentials?: Resolver<Array<ResolversTypes['CredentialInfo']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  maskedIdNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  personalAccount?: Resolver<Maybe<ResolversTypes['PersonalAccount']>, ParentType, ContextType>;
  region?: Resolver<ResolversTypes['Region'], ParentType, ContextType>;
  scheme?: Resolver<ResolversTypes['InsuranceScheme'], ParentType, ContextType>;
  settlementSuspended?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['EnrollmentStatus'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type PersonAuditEventResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['PersonAuditEvent'] = ResolversParentTypes['PersonAuditEvent']> = ResolversObject<{
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actorRole?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  actorSub?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  detail?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type PersonAuditEventConnectionResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['PersonAuditEventConnection'] = ResolversParentTypes['PersonAuditEventConnection']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['PersonAuditEvent']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type PersonalAccountResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['PersonalAccount'] = ResolversParentTypes['PersonalAccount']> = ResolversObject<{
  balance?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  entries?: Resolver<ResolversTypes['LedgerEntryConnection'], ParentType, ContextType, RequireFields<PersonalAccountEntriesArgs, 'first'>>;
  shareableBalance?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  usage?: Resolver<ResolversTypes['LedgerEntryConnection'], ParentType, ContextType, RequireFields<PersonalAccountUsageArgs, 'first'>>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type PoolingRuleResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['PoolingRule'] = ResolversParentTypes['PoolingRule']> = ResolversObject<{
  annualCap?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  annualDeductible?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  purpose?: Resolver<ResolversTypes['PaymentPurpose'], ParentType, ContextType>;
  ratePercent?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  scheme?: Resolver<ResolversTypes['InsuranceScheme'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type PurposeAmountResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['PurposeAmount'] = ResolversParentTypes['PurposeAmount']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  purpose?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  credentialRefusals?: Resolver<ResolversTypes['CredentialRefusalConnection'], ParentType, ContextType, RequireFields<QueryCredentialRefusalsArgs, 'first'>>;
  ledgerReconciliation?: Resolver<ResolversTypes['LedgerReconciliation'], ParentType, ContextType, RequireFields<QueryLedgerReconciliationArgs, 'date' | 'regionCode'>>;
  patientByCredential?: Resolver<ResolversTypes['Person'], ParentType, ContextType>;
  person?: Resolver<Maybe<ResolversTypes['Person']>, ParentType, ContextType, RequireFields<QueryPersonArgs, 'id'>>;
  region?: Resolver<Maybe<ResolversTypes['Region']>, ParentType, ContextType, RequireFields<QueryRegionArgs, 'code'>>;
  regions?: Resolver<Array<ResolversTypes['Region']>, ParentType, ContextType>;
}>;

export type RegionResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['Region'] = ResolversParentTypes['Region']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Region']>, { __typename: 'Region' } & GraphQLRecursivePick<ParentType, {"code":true}>, ContextType>;
  code?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  policy?: Resolver<ResolversTypes['MutualAidPolicy'], ParentType, ContextType>;
  policyHistory?: Resolver<Array<ResolversTypes['MutualAidPolicy']>, ParentType, ContextType>;
  poolingRules?: Resolver<Array<ResolversTypes['PoolingRule']>, ParentType, ContextType>;
  provinceCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type RelationshipAmountResolvers<ContextType = AccountsContext, ParentType extends ResolversParentTypes['RelationshipAmount'] = ResolversParentTypes['RelationshipAmount']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  relationship?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type Resolvers<ContextType = AccountsContext> = ResolversObject<{
  Credential?: CredentialResolvers<ContextType>;
  CredentialInfo?: CredentialInfoResolvers<ContextType>;
  CredentialRefusal?: CredentialRefusalResolvers<ContextType>;
  CredentialRefusalConnection?: CredentialRefusalConnectionResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  LedgerEntry?: LedgerEntryResolvers<ContextType>;
  LedgerEntryConnection?: LedgerEntryConnectionResolvers<ContextType>;
  LedgerReconciliation?: LedgerReconciliationResolvers<ContextType>;
  Money?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  MutualAidPolicy?: MutualAidPolicyResolvers<ContextType>;
  Person?: PersonResolvers<ContextType>;
  PersonAuditEvent?: PersonAuditEventResolvers<ContextType>;
  PersonAuditEventConnection?: PersonAuditEventConnectionResolvers<ContextType>;
  PersonalAccount?: PersonalAccountResolvers<ContextType>;
  PoolingRule?: PoolingRuleResolvers<ContextType>;
  PurposeAmount?: PurposeAmountResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Region?: RegionResolvers<ContextType>;
  RelationshipAmount?: RelationshipAmountResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = AccountsContext> = ResolversObject<{
  ownCard?: OwnCardDirectiveResolver<any, any, ContextType>;
}>;
