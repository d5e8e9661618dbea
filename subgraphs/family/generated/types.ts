import { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import { BindingRecord, BindingEvent as BindingEventRecord } from '../bindings/service';
import { FamilyContext } from '../context';
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
  _FieldSet: { input: any; output: any; }
};

/** One recorded change of a binding (audit). */
export type BindingEvent = {
  __typename?: 'BindingEvent';
  /** REQUEST, ACCEPT, DECLINE, APPROVE, REJECT or REVOKE. */
  action: Scalars['String']['output'];
  actorRole: Scalars['String']['output'];
  actorSub: Scalars['String']['output'];
  at: Scalars['DateTime']['output'];
  fromStatus: Maybe<BindingStatus>;
  note: Maybe<Scalars['String']['output']>;
  toStatus: BindingStatus;
};

export type BindingStatus =
  /** The authorizer's account pays for the beneficiary. */
  | 'ACTIVE'
  /** The beneficiary declined. */
  | 'DECLINED'
  /** Waits for the beneficiary to accept (接受绑定) where the authorizer's region requires it. */
  | 'PENDING_CONSENT'
  /** Waiting for an ADMIN of the authorizer's region (regions that review bindings). */
  | 'PENDING_REVIEW'
  /** Refused by the reviewer; see reviewNote. */
  | 'REJECTED'
  /** Ended by the authorizer, the beneficiary or an ADMIN; kept as history. */
  | 'REVOKED';

/** A family mutual-aid binding (家庭共济关系): the authorizer's personal account may pay the beneficiary's costs. */
export type FamilyBinding = {
  __typename?: 'FamilyBinding';
  /** False when the policy version in force now no longer allows this relationship in the authorizer's region: the binding stays (history is kept) but pays nothing until a later version allows it again. */
  allowedByPolicy: Scalars['Boolean']['output'];
  authorizer: Person;
  beneficiary: Person;
  createdAt: Scalars['DateTime']['output'];
  /** When the binding became ACTIVE; bindings pay oldest effectiveAt first. */
  effectiveAt: Maybe<Scalars['DateTime']['output']>;
  /** ADMIN only: the references to proof of the relationship given with the request (户口簿, 出生证明, 结婚证), for the reviewer. */
  evidence: Array<Scalars['String']['output']>;
  /** ADMIN only: every state change, oldest first, with who made it. */
  history: Array<BindingEvent>;
  /** <authorizer's region>-<ULID>: bindings live in the authorizer's province. */
  id: Scalars['ID']['output'];
  relationship: Relationship;
  /** The reviewer's note, if any. */
  reviewNote: Maybe<Scalars['String']['output']>;
  revokedAt: Maybe<Scalars['DateTime']['output']>;
  status: BindingStatus;
};

/** A page of bindings. */
export type FamilyBindingConnection = {
  __typename?: 'FamilyBindingConnection';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  nodes: Array<FamilyBinding>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** The beneficiary himself, or an ADMIN of his region at the bureau counter: accept a PENDING_CONSENT binding. */
  acceptFamilyBinding: FamilyBinding;
  /** The beneficiary himself, or an ADMIN of his region: decline a PENDING_CONSENT binding. */
  declineFamilyBinding: FamilyBinding;
  /** INSURED (the authorizer himself) or ADMIN. */
  requestFamilyBinding: FamilyBinding;
  /** INSURED (the authorizer himself) or ADMIN: bind a relative named by id number and name. */
  requestFamilyBindingByIdNumber: FamilyBinding;
  /** ADMIN reviewer of the authorizer's region. */
  reviewFamilyBinding: FamilyBinding;
  /** The authorizer, the beneficiary, or ADMIN. */
  revokeFamilyBinding: FamilyBinding;
};


export type MutationAcceptFamilyBindingArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeclineFamilyBindingArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRequestFamilyBindingArgs = {
  input: RequestBindingInput;
};


export type MutationRequestFamilyBindingByIdNumberArgs = {
  input: RequestBindingByIdNumberInput;
};


export type MutationReviewFamilyBindingArgs = {
  approve: Scalars['Boolean']['input'];
  id: Scalars['ID']['input'];
  note?: InputMaybe<Scalars['String']['input']>;
};


export type MutationRevokeFamilyBindingArgs = {
  id: Scalars['ID']['input'];
};

/** An insured person; the family subgraph adds his bindings. */
export type Person = {
  __typename?: 'Person';
  /** Bindings in which this person's account pays for a relative, newest first. The person himself or an ADMIN of his region. */
  bindingsAsAuthorizer: Array<FamilyBinding>;
  /** Bindings in which a relative's account pays for this person, newest first. The person himself or an ADMIN of his region. */
  bindingsAsBeneficiary: Array<FamilyBinding>;
  id: Scalars['ID']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** A binding by id: its authorizer, its beneficiary, or an ADMIN of either's region. null when unknown. */
  familyBinding: Maybe<FamilyBinding>;
  /** ADMIN of that region: bindings waiting for review, oldest first. */
  pendingFamilyBindings: FamilyBindingConnection;
};


export type QueryFamilyBindingArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPendingFamilyBindingsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  regionCode: Scalars['ID']['input'];
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

export type RequestBindingByIdNumberInput = {
  authorizerId: Scalars['ID']['input'];
  /** The relative's 18-character resident id number and name, as the app asks for them; both must match one enrolment. */
  beneficiaryIdNumber: Scalars['String']['input'];
  beneficiaryName: Scalars['String']['input'];
  commitmentAccepted: Scalars['Boolean']['input'];
  evidence?: InputMaybe<Array<Scalars['String']['input']>>;
  relationship: Relationship;
};

export type RequestBindingInput = {
  authorizerId: Scalars['ID']['input'];
  beneficiaryId: Scalars['ID']['input'];
  /** The authorizer has read and signed the commitment letter (承诺书); must be true. */
  commitmentAccepted: Scalars['Boolean']['input'];
  /** References to proof of relationship (户口簿, 出生证明, 结婚证) where the region reviews bindings. */
  evidence?: InputMaybe<Array<Scalars['String']['input']>>;
  relationship: Relationship;
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
  BindingEvent: ResolverTypeWrapper<BindingEventRecord>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  BindingStatus: BindingStatus;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  FamilyBinding: ResolverTypeWrapper<BindingRecord>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  FamilyBindingConnection: ResolverTypeWrapper<Omit<FamilyBindingConnection, 'nodes'> & { nodes: Array<ResolversTypes['FamilyBinding']> }>;
  Mutation: ResolverTypeWrapper<{}>;
  Person: ResolverTypeWrapper<{ id: string }>;
  Query: ResolverTypeWrapper<{}>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Relationship: Relationship;
  RequestBindingByIdNumberInput: RequestBindingByIdNumberInput;
  RequestBindingInput: RequestBindingInput;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  BindingEvent: BindingEventRecord;
  String: Scalars['String']['output'];
  DateTime: Scalars['DateTime']['output'];
  FamilyBinding: BindingRecord;
  Boolean: Scalars['Boolean']['output'];
  ID: Scalars['ID']['output'];
  FamilyBindingConnection: Omit<FamilyBindingConnection, 'nodes'> & { nodes: Array<ResolversParentTypes['FamilyBinding']> };
  Mutation: {};
  Person: { id: string };
  Query: {};
  Int: Scalars['Int']['output'];
  RequestBindingByIdNumberInput: RequestBindingByIdNumberInput;
  RequestBindingInput: RequestBindingInput;
}>;

export type BindingEventResolvers<ContextType = FamilyContext, ParentType extends ResolversParentTypes['BindingEvent'] = ResolversParentTypes['BindingEvent']> = ResolversObject<{
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actorRole?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actorSub?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  fromStatus?: Resolver<Maybe<ResolversTypes['BindingStatus']>, ParentType, ContextType>;
  note?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  toStatus?: Resolver<ResolversTypes['BindingStatus'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type FamilyBindingResolvers<ContextType = FamilyContext, ParentType extends ResolversParentTypes['FamilyBinding'] = ResolversParentTypes['FamilyBinding']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['FamilyBinding']>, { __typename: 'FamilyBinding' } & GraphQLRecursivePick<ParentType, {"id":true}>, ContextType>;
  allowedByPolicy?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  authorizer?: Resolver<ResolversTypes['Person'], ParentType, ContextType>;
  beneficiary?: Resolver<ResolversTypes['Person'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  effectiveAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  evidence?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  history?: Resolver<Array<ResolversTypes['BindingEvent']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  relationship?: Resolver<ResolversTypes['Relationship'], ParentType, ContextType>;
  reviewNote?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['BindingStatus'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type FamilyBindingConnectionResolvers<ContextType = FamilyContext, ParentType extends ResolversParentTypes['FamilyBindingConnection'] = ResolversParentTypes['FamilyBindingConnection']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['FamilyBinding']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = FamilyContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  acceptFamilyBinding?: Resolver<ResolversTypes['FamilyBinding'], ParentType, ContextType, RequireFields<MutationAcceptFamilyBindingArgs, 'id'>>;
  declineFamilyBinding?: Resolver<ResolversTypes['FamilyBinding'], ParentType, ContextType, RequireFields<MutationDeclineFamilyBindingArgs, 'id'>>;
  requestFamilyBinding?: Resolver<ResolversTypes['FamilyBinding'], ParentType, ContextType, RequireFields<MutationRequestFamilyBindingArgs, 'input'>>;
  requestFamilyBindingByIdNumber?: Resolver<ResolversTypes['FamilyBinding'], ParentType, ContextType, RequireFields<MutationRequestFamilyBindingByIdNumberArgs, 'input'>>;
  reviewFamilyBinding?: Resolver<ResolversTypes['FamilyBinding'], ParentType, ContextType, RequireFields<MutationReviewFamilyBindingArgs, 'approve' | 'id'>>;
  revokeFamilyBinding?: Resolver<ResolversTypes['FamilyBinding'], ParentType, ContextType, RequireFields<MutationRevokeFamilyBindingArgs, 'id'>>;
}>;

export type PersonResolvers<ContextType = FamilyContext, ParentType extends ResolversParentTypes['Person'] = ResolversParentTypes['Person']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Person']>, { __typename: 'Person' } & GraphQLRecursivePick<ParentType, {"id":true}>, ContextType>;
  bindingsAsAuthorizer?: Resolver<Array<ResolversTypes['FamilyBinding']>, ParentType, ContextType>;
  bindingsAsBeneficiary?: Resolver<Array<ResolversTypes['FamilyBinding']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = FamilyContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  familyBinding?: Resolver<Maybe<ResolversTypes['FamilyBinding']>, ParentType, ContextType, RequireFields<QueryFamilyBindingArgs, 'id'>>;
  pendingFamilyBindings?: Resolver<ResolversTypes['FamilyBindingConnection'], ParentType, ContextType, RequireFields<QueryPendingFamilyBindingsArgs, 'first' | 'regionCode'>>;
}>;

export type Resolvers<ContextType = FamilyContext> = ResolversObject<{
  BindingEvent?: BindingEventResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  FamilyBinding?: FamilyBindingResolvers<ContextType>;
  FamilyBindingConnection?: FamilyBindingConnectionResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Person?: PersonResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
}>;

