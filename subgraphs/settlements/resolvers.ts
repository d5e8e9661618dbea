import { adminCovers, requireAdminOf, requireRole } from '../shared/auth';
import { decodeTimeCursor, pageSize } from '../shared/cursor';
import { fail, SharedError } from '../shared/errors';
import { SettlementsError } from './errors';
import type { Identity } from '../shared/identity';
import { regionOfId } from '../shared/ids';
import { boundedFen } from '../shared/money';
import { must } from '../shared/must';
import { CARD_REFUSALS, ownCardRefusal } from '../shared/ownCard';
import { DateTimeScalar, MoneyScalar } from '../shared/scalars';
import { checkIdempotencyKey, checkText } from '../shared/text';
import type { MutationSettleArgs, Resolvers } from './generated/types';
import type { PartnerDayFigures } from './premiums/partnerDay';
import { parseProductInput, type Product, type Products } from './premiums/products';
import type { PremiumRecord } from './premiums/service';
import { decodeAdminRefundCursor, wasMade, type PaymentRecord, type SettlementRecord } from './settle/records';
import { isPatientOrHisAdmin, canReadProduct, canSeeSettlement } from './settle/visibility';
import type { MutualAidSource, QuoteRecord, SettleInput } from './settle/planning';
import { checkStatisticsRequest, type Cell } from './statistics/cells';
import { quotedSteps, settledSteps, type ReceiptStep } from './settle/steps';
import { decodeAttemptCursor, type InstitutionDayFigures, type ReconciliationAttempt } from './settle/institutionDay';
import { bindingOf, paidBy, payingAccountOf, type PlanStep } from './waterfall/waterfall';
import { settlementTotals } from './summary';

/** Resolvers stay thin: check who may ask, load through the request's loaders, call a service. */
const INSTITUTION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * 本人参保，本人享受, decided again behind the gateway by the same rule (shared/ownCard.ts) as a
 * backup: the gateway refuses first, and audits. The signed identity carries a holder only for a
 * valid, unsuspended card, so without one the answer here is CREDENTIAL_REQUIRED.
 */
function requireOwnCard(identity: Identity, patientId: string): void {
  const holderId = identity.credentialHolderId ?? null;
  const refusal = ownCardRefusal({ presented: holderId !== null, holderId, suspended: false }, [patientId]);
  if (refusal) fail(CARD_REFUSALS[refusal]);
}

/** Why the bureau refunds without the card: required, bounded, printable; it goes into the audit as written. */
function requireReason(reason: string): string {
  if (reason.trim().length === 0) fail(SettlementsError.reasonRequired);
  checkText('reason', reason);
  return reason;
}

/** Who did it, as audits record it. */
const actorOf = (identity: Identity) => `${identity.role} ${identity.sub ?? ''}`.trim();

function requireOwnInstitution(identity: Identity, institutionId: string): void {
  if (identity.institutionId !== institutionId) fail(SettlementsError.otherInstitution);
}

/**
 * A product's payments, day and eligibility: the partner that owns it, or ADMIN (any product). An
 * unregistered code has no owner, so a partner gets FORBIDDEN for it as for another's product: the
 * answer does not tell which codes exist. Answers the product (null: an ADMIN asked for an unknown code).
 */
async function requireProductReader(identity: Identity, productCode: string, products: Products): Promise<Product | null> {
  requireRole(identity, 'PARTNER', 'ADMIN');
  const product = await products.byCode(productCode);
  if (!canReadProduct(identity, product)) fail(SettlementsError.otherPartnersProduct);
  return product;
}

/** An institution's days: its own counters and the bureau. */
function requireInstitutionReader(identity: Identity, institutionId: string): void {
  requireRole(identity, 'TERMINAL', 'ADMIN');
  if (identity.role === 'TERMINAL') requireOwnInstitution(identity, institutionId);
}

const person = (id: string) => ({ __typename: 'Person', id });
const payments = (record: SettlementRecord, source: PaymentRecord['source']) =>
  record.payments.filter((payment) => payment.source === source);

type SettleArgs = MutationSettleArgs;

/** A counter acting on its own institution's key for the patient whose own card it read. */
function requireCounterFor(identity: Identity, input: { institutionId: string; idempotencyKey: string; patientId: string }): void {
  requireRole(identity, 'TERMINAL');
  requireOwnInstitution(identity, input.institutionId);
  checkIdempotencyKey('input.idempotencyKey', input.idempotencyKey);
  if (!INSTITUTION_ID.test(input.institutionId)) fail(SettlementsError.institutionIdMalformed);
  requireOwnCard(identity, input.patientId);
}

/** settle and quoteSettlement take the same input and the same checks: a counter, its institution, the patient's own card. */
function counterInput(identity: Identity, { input }: SettleArgs): SettleInput {
  requireCounterFor(identity, input);
  // The bill is one payment: each part and their total within the single-payment limit.
  const inScopeFen = boundedFen(input.inScopeAmount, 'PAYMENT', 'inScopeAmount');
  const outOfScopeFen = boundedFen(input.outOfScopeAmount, 'PAYMENT', 'outOfScopeAmount');
  boundedFen(input.inScopeAmount + input.outOfScopeAmount, 'PAYMENT', 'inScopeAmount + outOfScopeAmount');
  return {
    idempotencyKey: input.idempotencyKey,
    patientId: input.patientId,
    institutionId: input.institutionId,
    purpose: input.purpose,
    inScopeFen,
    outOfScopeFen,
    useMutualAid: input.useMutualAid !== false,
  };
}

/** A paying MUTUAL_AID step always names its binding, authorizer and the policy version that limited it. */
function mutualAidPayment(step: PlanStep, amountFen: number) {
  return {
    binding: { __typename: 'FamilyBinding', id: bindingOf(step) },
    authorizer: person(payingAccountOf(step)),
    amount: amountFen,
    policyVersion: step.policyVersion ?? 1,
  };
}

export const resolvers: Resolvers = {
  Money: MoneyScalar,
  DateTime: DateTimeScalar,

  ReconciliationAttempt: {
    at: (attempt: ReconciliationAttempt) => attempt.createdAt,
  },

  Query: {
    institutionDay: (_root, { institutionId, date }, context) => {
      requireInstitutionReader(context.identity, institutionId);
      return context.services.days.day(institutionId, date, context.identity.role === 'ADMIN' ? context.identity.region : undefined);
    },
    quoteSettlement: (_root, args: SettleArgs, context) =>
      context.services.planner.quote(counterInput(context.identity, args), context.requestId),
    settlement: async (_root, { id }, context) => {
      requireRole(context.identity, 'TERMINAL', 'INSURED', 'ADMIN');
      const record = await context.loaders.settlement.load(id);
      if (!record || !wasMade(record)) return null;
      if (!canSeeSettlement(context.identity, record)) fail(SettlementsError.settlementHidden);
      return record;
    },
    adminRefunds: (_root, { regionCode, first, after }, context) => {
      requireAdminOf(context.identity, regionCode);
      if (!context.services.policies.region(regionCode)) fail(SharedError.unknownRegion(regionCode));
      return context.services.reads.adminRefunds(
        context.services.policies.knownRegion(regionCode).provinceCode,
        regionCode,
        pageSize(first),
        after ? decodeAdminRefundCursor(after) : null,
      );
    },
    reconciliationAttempts: (_root, { institutionId, first, after }, context) => {
      requireRole(context.identity, 'ADMIN');
      checkText('institutionId', institutionId);
      return context.services.days.attempts(
        institutionId,
        context.identity.region,
        pageSize(first),
        after ? decodeAttemptCursor(after) : null,
      );
    },
    mutualAidSummary: async (_root, { regionCode, from, to }, context) => {
      requireRole(context.identity, 'ANALYST', 'ADMIN');
      if (context.identity.role === 'ADMIN') requireAdminOf(context.identity, regionCode);
      if (!context.services.policies.region(regionCode)) fail(SharedError.unknownRegion(regionCode));
      if (from && to && from.getTime() > to.getTime()) fail(SettlementsError.fromAfterTo);
      const [totals, activeBindings] = await Promise.all([
        settlementTotals(context.services.backends, regionCode, from ?? null, to ?? null),
        context.services.family.activeBindings(regionCode, context.requestId),
      ]);
      return {
        regionCode,
        activeBindings,
        settlements: totals.settlements,
        refunded: totals.refunded,
        amountShared: totals.amountSharedFen,
      };
    },
    mutualAidStatistics: (_root, { groupBy, from, to, regionCode }, context) => {
      requireRole(context.identity, 'ANALYST', 'ADMIN');
      // An ADMIN of one region reads that region only (asked or not); analysts and national ADMINs any.
      const region = regionCode ?? (context.identity.role === 'ADMIN' ? (context.identity.region ?? null) : null);
      if (context.identity.role === 'ADMIN' && context.identity.region !== undefined) requireAdminOf(context.identity, region ?? '');
      if (region !== null && !context.services.policies.region(region)) fail(SharedError.unknownRegion(region));
      checkStatisticsRequest({ groupBy, from, to });
      return context.services.statistics.read(groupBy, from, to, region);
    },
    premiumPayments: async (_root, { productCode, first, after }, context) => {
      await requireProductReader(context.identity, productCode, context.services.products);
      return context.services.premiums.byProduct(
        productCode,
        pageSize(first),
        after ?? null,
        context.identity.role === 'ADMIN' ? context.identity.region : undefined,
      );
    },
    insuranceProducts: (_root, _args, context) => {
      requireRole(context.identity, 'PARTNER', 'ADMIN');
      return context.services.products.list(context.identity.role === 'PARTNER' ? (context.identity.partnerCode ?? '') : null);
    },
    productEligibility: async (_root, { productCode, idNumber, name }, context) => {
      requireRole(context.identity, 'PARTNER');
      const product = await requireProductReader(context.identity, productCode, context.services.products);
      checkText('idNumber', idNumber);
      checkText('name', name);
      const reason = await context.services.premiums.eligibility(
        must(product, 'a partner reads only a registered product'),
        idNumber,
        name,
        context.requestId,
      );
      return { eligible: reason === null, reason };
    },
    partnerDay: async (_root, { productCode, date }, context) => {
      const product = await requireProductReader(context.identity, productCode, context.services.products);
      if (!product) fail(SettlementsError.productNotRegistered(productCode));
      return context.services.partnerDays.day(productCode, date, context.identity.role === 'ADMIN' ? context.identity.region : undefined);
    },
  },

  Person: {
    settlements: ({ id }, { first, after }, context) => {
      requireRole(context.identity, 'INSURED', 'ADMIN');
      if (!isPatientOrHisAdmin(context.identity, id)) fail(SettlementsError.settlementsOfOthersHidden);
      return context.loaders.page.load({
        patientId: id,
        first: pageSize(first),
        after: after ? decodeTimeCursor('settlement', after) : null,
      });
    },
    mutualAidSources: ({ id }, { purpose }, context) => {
      requireRole(context.identity, 'INSURED', 'ADMIN');
      if (!isPatientOrHisAdmin(context.identity, id)) fail(SettlementsError.mutualAidSourcesOfOthersHidden);
      return context.loaders.mutualAidSources.load({ patientId: id, purpose });
    },
  },

  MutualAidSource: {
    binding: (source: MutualAidSource) => ({ __typename: 'FamilyBinding', id: source.bindingId }),
    available: (source: MutualAidSource) => source.availableFen,
  },

  StatisticsCell: {
    amount: (cell: Cell) => cell.amountFen,
  },

  Settlement: {
    __resolveReference: async ({ id }, context) => {
      const record = await context.loaders.settlement.load(id);
      if (record && !canSeeSettlement(context.identity, record)) fail(SettlementsError.settlementHidden);
      return record;
    },
    patient: (record: SettlementRecord) => person(record.patientId),
    status: (record: SettlementRecord) => (record.state === 'REFUNDED' ? 'REFUNDED' : 'SETTLED'),
    inScopeAmount: (record: SettlementRecord) => record.inScopeFen,
    outOfScopeAmount: (record: SettlementRecord) => record.outOfScopeFen,
    totalAmount: (record: SettlementRecord) => record.totalFen,
    fundPaid: (record: SettlementRecord) => record.fundFen,
    ownAccountPaid: (record: SettlementRecord) => record.ownFen,
    mutualAidPaid: (record: SettlementRecord) => record.mutualFen,
    cashPaid: (record: SettlementRecord) => record.cashFen,
    mutualAidPayments: (record: SettlementRecord) =>
      payments(record, 'MUTUAL_AID').map((payment) => mutualAidPayment(record.plan.steps[payment.seq], payment.amountFen)),
    steps: (record: SettlementRecord) => settledSteps(record),
  },

  SettlementQuote: {
    patient: (quote: QuoteRecord) => person(quote.patientId),
    totalAmount: (quote: QuoteRecord) => quote.plan.totalFen,
    fundPaid: (quote: QuoteRecord) => quote.plan.fundFen,
    ownAccountPaid: (quote: QuoteRecord) => paidBy(quote.plan.steps, 'OWN_ACCOUNT'),
    mutualAidPaid: (quote: QuoteRecord) => paidBy(quote.plan.steps, 'MUTUAL_AID'),
    cashPaid: (quote: QuoteRecord) => paidBy(quote.plan.steps, 'CASH'),
    mutualAidPayments: (quote: QuoteRecord) =>
      quote.plan.steps
        .filter((step) => step.source === 'MUTUAL_AID' && step.amountFen > 0)
        .map((step) => mutualAidPayment(step, step.amountFen)),
    steps: (quote: QuoteRecord) => quotedSteps(quote.plan.steps, quote.purpose),
  },

  SettlementStep: {
    amount: (step: ReceiptStep) => step.amountFen,
    account: (step: ReceiptStep) => (step.accountId ? person(step.accountId) : null),
  },

  InstitutionDay: {
    fundPaid: (day: InstitutionDayFigures) => day.fundFen,
    ownAccountPaid: (day: InstitutionDayFigures) => day.ownFen,
    mutualAidPaid: (day: InstitutionDayFigures) => day.mutualFen,
    cashPaid: (day: InstitutionDayFigures) => day.cashFen,
  },

  PremiumPayment: {
    payer: (record: PremiumRecord) => person(record.payerId),
    beneficiary: (record: PremiumRecord) => person(record.beneficiaryId),
    amount: (record: PremiumRecord) => record.amountFen,
    // A refund under way has not returned the money yet: PAID until it has.
    status: (record: PremiumRecord) => (record.state === 'REFUNDED' ? 'REFUNDED' : 'PAID'),
  },

  PartnerDay: {
    amount: (day: PartnerDayFigures) => day.amountFen,
  },

  Mutation: {
    settle: (_root, args: SettleArgs, context) =>
      context.services.settlements.settle(counterInput(context.identity, args), context.requestId),
    refundSettlement: async (_root, { settlementId, idempotencyKey }, context) => {
      requireRole(context.identity, 'TERMINAL');
      checkIdempotencyKey('idempotencyKey', idempotencyKey);
      const record = await context.loaders.settlement.load(settlementId);
      if (!record || !wasMade(record)) fail(SettlementsError.settlementNotFound(settlementId));
      requireOwnInstitution(context.identity, record.institutionId);
      requireOwnCard(context.identity, record.patientId);
      return context.services.settlements.refund(
        record,
        { idempotencyKey, kind: 'COUNTER', actor: actorOf(context.identity), reason: null },
        context.requestId,
      );
    },
    adminRefundSettlement: async (_root, { settlementId, idempotencyKey, reason }, context) => {
      requireRole(context.identity, 'ADMIN');
      checkIdempotencyKey('idempotencyKey', idempotencyKey);
      const record = await context.loaders.settlement.load(settlementId);
      if (!record || !wasMade(record)) fail(SettlementsError.settlementNotFound(settlementId));
      requireAdminOf(context.identity, regionOfId(record.patientId) ?? '');
      return context.services.settlements.refund(
        record,
        { idempotencyKey, kind: 'ADMIN', actor: actorOf(context.identity), reason: requireReason(reason) },
        context.requestId,
      );
    },
    voidSettlement: (_root, { input }, context) => {
      requireCounterFor(context.identity, input);
      return context.services.settlements.void(input, actorOf(context.identity), context.requestId);
    },
    reconcileInstitutionDay: (_root, { input }, context) => {
      requireInstitutionReader(context.identity, input.institutionId);
      if (input.settlements < 0) fail(SettlementsError.countNegative);
      if ((input.settlementIds?.length ?? 0) > 200_000) fail(SettlementsError.tooManySettlementIds);
      return context.services.days.reconcile(
        {
          institutionId: input.institutionId,
          date: input.date,
          settlements: input.settlements,
          fundFen: input.fundPaid,
          ownFen: input.ownAccountPaid,
          mutualFen: input.mutualAidPaid,
          cashFen: input.cashPaid,
          settlementIds: input.settlementIds,
        },
        context.identity,
      );
    },
    payPremium: (_root, { input }, context) => {
      requireRole(context.identity, 'INSURED', 'ADMIN');
      checkIdempotencyKey('input.idempotencyKey', input.idempotencyKey);
      const payerRegion = regionOfId(input.payerId);
      if (context.identity.role === 'INSURED' && context.identity.personId !== input.payerId) fail(SettlementsError.payOnlyFromOwnAccount);
      if (context.identity.role === 'ADMIN' && !adminCovers(context.identity, payerRegion ?? ''))
        fail(SharedError.adminLimitedTo(context.identity.region));
      const { amount, ...fields } = input;
      return context.services.premiums.pay({ ...fields, amountFen: boundedFen(amount, 'PAYMENT', 'amount') }, context.requestId);
    },
    registerInsuranceProduct: (_root, { input }, context) => {
      requireRole(context.identity, 'ADMIN');
      checkText('input.name', input.name);
      const product = parseProductInput({ ...input, regionCodes: [...input.regionCodes] }, context.services.policies);
      for (const regionCode of product.regionCodes) requireAdminOf(context.identity, regionCode);
      return context.services.products.register(product);
    },
    refundPremium: async (_root, { premiumId, idempotencyKey, reason }, context) => {
      requireRole(context.identity, 'ADMIN');
      checkIdempotencyKey('idempotencyKey', idempotencyKey);
      const record = await context.services.premiums.byId(premiumId);
      if (!record) fail(SettlementsError.premiumNotFound(premiumId));
      requireAdminOf(context.identity, regionOfId(record.payerId) ?? '');
      return context.services.premiums.refund(
        record,
        { idempotencyKey, actor: actorOf(context.identity), reason: requireReason(reason) },
        context.requestId,
      );
    },
  },
};
