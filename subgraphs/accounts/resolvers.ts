import { requireAdminOf, requireRole } from '../shared/auth';
import { fail, SharedError } from '../shared/errors';
import { AccountsError } from './errors';
import { regionOfCredentialToken } from '../shared/ids';
import { aboveFloorFen, type MutualAidPolicy, type PoolingRule, type Region } from '../shared/policy/policy';
import { boundedFen } from '../shared/money';
import { must } from '../shared/must';
import { CARD_REFUSALS } from '../shared/ownCard';
import { DateTimeScalar, MoneyScalar } from '../shared/scalars';
import { checkIdempotencyKey, checkText } from '../shared/text';
import type { AccountsContext } from './context';
import type { Resolvers } from './generated/types';
import type { RefusalRecord } from './credentials/service';
import { reconcileRegionDay } from './ledger/reconciliation';
import { pageSize } from '../shared/cursor';
import { decodeEntryCursor, decodeUsageCursor, type AccountParent, type EntryRecord } from './ledger/reads';
import type { PersonRecord } from './persons/service';
import { decodeAuditCursor, type PersonAuditRecord } from './persons/audit';
import { directView, referenceView, type PersonParent, type PersonView } from './persons/visibility';

/** Resolvers stay thin: check who may ask, load through the request's loaders, call a service. */

interface UsageArgs {
  from?: Date | null;
  to?: Date | null;
  beneficiaryId?: string | null;
  first: number;
  after?: string | null;
}

function withView(person: PersonRecord, view: PersonView): PersonParent {
  return { ...person, view };
}

function requireView(person: PersonParent, needed: 'RELATIVE' | 'FULL'): void {
  if (person.view === 'FULL' || (needed === 'RELATIVE' && person.view === 'RELATIVE')) return;
  fail(AccountsError.personFieldHidden);
}

/** A field's value, for a caller whose view of the person shows it (requireView). */
function shown<T>(person: PersonParent, needed: 'RELATIVE' | 'FULL', value: T): T {
  requireView(person, needed);
  return value;
}

async function loadPerson(context: AccountsContext, id: string): Promise<PersonRecord> {
  const person = await context.loaders.person.load(id);
  if (!person) fail(AccountsError.personNotFound(id));
  return person;
}

/** A person another record points at (an entity reference, a refusal's holder, an entry's beneficiary), as this caller may see him. */
async function referencedPerson(context: AccountsContext, id: string | null): Promise<PersonParent | null> {
  if (!id) return null;
  const person = await context.loaders.person.load(id);
  return person && withView(person, referenceView(context.identity, person));
}

function requireEnrolled(person: PersonRecord): void {
  if (person.status === 'TERMINATED') fail(AccountsError.enrolmentTerminated);
}

const regionFields = {
  provinceCode: (region: Region) => region.provinceCode,
  // Version 1 is in force from the beginning, so every configured region has a policy at any instant.
  policy: (region: Region, _args: unknown, context: AccountsContext) => context.services.policies.knownPolicyAt(region.code, context.now),
  poolingRules: (region: Region, _args: unknown, context: AccountsContext) =>
    context.services.policies.knownPolicyAt(region.code, context.now).poolingRules,
  policyHistory: (region: Region) => region.versions,
};

const personFields = {
  name: (person: PersonParent) => shown(person, 'RELATIVE', person.name),
  maskedIdNumber: (person: PersonParent) => shown(person, 'RELATIVE', person.maskedIdNumber),
  region: (person: PersonParent, _args: unknown, context: AccountsContext) =>
    shown(person, 'FULL', context.services.policies.knownRegion(person.regionCode)),
  scheme: (person: PersonParent) => shown(person, 'FULL', person.scheme),
  status: (person: PersonParent) => shown(person, 'FULL', person.status),
  personalAccount: async (person: PersonParent, _args: unknown, context: AccountsContext): Promise<AccountParent | null> => {
    requireView(person, 'FULL');
    if (person.scheme !== 'EMPLOYEE') return null;
    const account = await context.loaders.account.load(person.id);
    return account && { ...account, regionCode: person.regionCode };
  },
  credentials: (person: PersonParent, _args: unknown, context: AccountsContext) => {
    requireView(person, 'FULL');
    if (context.identity.role !== 'ADMIN' && context.identity.personId !== person.id) fail(AccountsError.credentialsHidden);
    return context.loaders.credentials.load(person.id);
  },
  settlementSuspended: (person: PersonParent) => shown(person, 'FULL', person.settlementSuspendedAt !== null),
  auditTrail: (person: PersonParent, { first, after }: { first: number; after?: string | null }, context: AccountsContext) => {
    requireView(person, 'FULL');
    // The bureau's record: not the person himself nor a counter, though both see the person.
    if (context.identity.role !== 'ADMIN') fail(AccountsError.auditHidden);
    requireAdminOf(context.identity, person.regionCode);
    return context.loaders.auditPage.load({ personId: person.id, first: pageSize(first), after: after ? decodeAuditCursor(after) : null });
  },
};

export const resolvers: Resolvers = {
  Money: MoneyScalar,
  DateTime: DateTimeScalar,

  Query: {
    regions: (_root, _args, context) => context.services.policies.regions(),
    region: (_root, { code }, context) => context.services.policies.region(code) ?? null,
    ledgerReconciliation: async (_root, { regionCode, date }, context) => {
      requireAdminOf(context.identity, regionCode);
      if (!context.services.policies.region(regionCode)) fail(SharedError.unknownRegion(regionCode));
      const report = await reconcileRegionDay(context.services.backends, regionCode, date);
      return {
        ...report,
        credits: report.creditsFen,
        debitsByPurpose: report.debitsByPurpose.map((row) => ({ purpose: row.purpose, amount: row.amountFen })),
        returnsByPurpose: report.returnsByPurpose.map((row) => ({ purpose: row.purpose, amount: row.amountFen })),
        mutualAidByRelationship: report.mutualAidByRelationship.map((row) => ({ relationship: row.relationship, amount: row.amountFen })),
      };
    },
    credentialRefusals: (_root, { regionCode, first, after }, context) => {
      requireRole(context.identity, 'ADMIN');
      if (regionCode) requireAdminOf(context.identity, regionCode);
      return context.services.credentials.refusals(pageSize(first), after ?? null, regionCode ?? context.identity.region);
    },
    patientByCredential: async (_root, _args, context) => {
      requireRole(context.identity, 'TERMINAL');
      // The gateway puts the holder here only for a valid, unsuspended card (the @ownCard rule); a call without one was not made through it.
      const holderId = context.identity.credentialHolderId;
      if (!holderId) fail(CARD_REFUSALS.CREDENTIAL_REQUIRED);
      return withView(await loadPerson(context, holderId), 'FULL');
    },
    person: async (_root, { id }, context) => {
      requireRole(context.identity, 'ADMIN', 'INSURED', 'TERMINAL');
      const person = await context.loaders.person.load(id);
      if (!person) return null;
      if (directView(context.identity, person) !== 'FULL') fail(AccountsError.personHidden);
      return withView(person, 'FULL');
    },
  },

  PersonAuditEvent: {
    at: (event: PersonAuditRecord) => event.createdAt,
  },

  CredentialRefusal: {
    at: (refusal: RefusalRecord) => refusal.createdAt,
    terminal: (refusal: RefusalRecord) => refusal.terminalSub,
    claimedPatientIds: (refusal: RefusalRecord) => refusal.claimedPatients,
    holder: (refusal: RefusalRecord, _args: unknown, context: AccountsContext) => referencedPerson(context, refusal.holderId),
  },

  // Amounts inside carry their unit; the contract's field names do not.
  MutualAidPolicy: {
    retainedFloor: (policy: MutualAidPolicy) => policy.retainedFloorFen,
  },

  PoolingRule: {
    annualDeductible: (rule: PoolingRule) => rule.annualDeductibleFen,
    annualCap: (rule: PoolingRule) => rule.annualCapFen,
  },

  Region: {
    __resolveReference: ({ code }, context) => context.services.policies.region(code) ?? null,
    ...regionFields,
  },

  Person: {
    __resolveReference: ({ id }, context) => referencedPerson(context, id),
    ...personFields,
  },

  PersonalAccount: {
    balance: (account: AccountParent) => account.balanceFen,
    shareableBalance: (account: AccountParent, _args: unknown, context: AccountsContext) =>
      aboveFloorFen(account.balanceFen, context.services.policies.knownPolicyAt(account.regionCode, context.now).retainedFloorFen),
    entries: (account: AccountParent, { first, after }: { first: number; after?: string | null }, context: AccountsContext) =>
      context.loaders.entryPage.load({
        accountId: account.personId,
        first: pageSize(first),
        beforeSeq: after ? decodeEntryCursor(after) : null,
      }),
    usage: (account: AccountParent, args: UsageArgs, context: AccountsContext) => {
      // The account's owner in his app, or the bureau: not a counter, which sees the person only for his own care.
      if (context.identity.role !== 'ADMIN' && !(context.identity.role === 'INSURED' && context.identity.personId === account.personId))
        fail(AccountsError.usageHidden);
      if (args.beneficiaryId) checkText('beneficiaryId', args.beneficiaryId, 'ID');
      if (args.from && args.to && args.from.getTime() > args.to.getTime()) fail(AccountsError.usagePeriodReversed);
      return context.loaders.usagePage.load({
        accountId: account.personId,
        first: pageSize(args.first),
        from: args.from ?? null,
        to: args.to ?? null,
        beneficiaryId: args.beneficiaryId ?? null,
        after: args.after ? decodeUsageCursor(args.after) : null,
      });
    },
  },

  LedgerEntry: {
    amount: (entry: EntryRecord) => entry.amountFen,
    balanceAfter: (entry: EntryRecord) => entry.balanceAfterFen,
    beneficiary: (entry: EntryRecord, _args: unknown, context: AccountsContext) => referencedPerson(context, entry.beneficiaryId),
  },

  Mutation: {
    registerInsured: async (_root, { input }, context) => {
      requireAdminOf(context.identity, input.regionCode);
      return withView(await context.services.persons.register(input, context.identity), 'FULL');
    },
    setEnrollmentStatus: async (_root, { personId, status }, context) => {
      requireRole(context.identity, 'ADMIN');
      const person = await loadPerson(context, personId);
      requireAdminOf(context.identity, person.regionCode);
      return withView(await context.services.persons.setStatus(person, status, context.identity), 'FULL');
    },
    creditPersonalAccount: async (_root, { input }, context) => {
      requireRole(context.identity, 'ADMIN');
      checkIdempotencyKey('input.idempotencyKey', input.idempotencyKey);
      if (input.memo) checkText('input.memo', input.memo);
      const person = await loadPerson(context, input.personId);
      requireAdminOf(context.identity, person.regionCode);
      requireEnrolled(person);
      const { entryId } = await context.services.ledger.credit({
        idempotencyKey: input.idempotencyKey,
        accountId: person.id,
        amountFen: boundedFen(input.amount, 'PAYMENT', 'amount'),
        memo: input.memo ?? undefined,
      });
      return must((await context.services.reads.entries([entryId])).get(entryId), 'the entry a credit has just written reads back');
    },
    issueCredential: async (_root, { personId }, context) => {
      requireRole(context.identity, 'ADMIN');
      const person = await loadPerson(context, personId);
      requireAdminOf(context.identity, person.regionCode);
      requireEnrolled(person);
      const token = await context.services.credentials.issue(person, context.identity);
      const [resolved] = await context.services.credentials.resolve([token]);
      return { token, id: must(resolved, 'a credential just issued resolves').credentialId, holder: withView(person, 'FULL') };
    },
    scheduleRegionPolicy: async (_root, { input }, context) => {
      requireAdminOf(context.identity, input.regionCode);
      const { retainedFloor, poolingRules, requiresBeneficiaryConsent, ...fields } = input;
      const policy = await context.services.regionPolicies.schedule(
        {
          ...fields,
          retainedFloorFen: boundedFen(retainedFloor, 'BALANCE', 'retainedFloor'),
          poolingRules: poolingRules?.map(({ annualDeductible, annualCap, ...rule }, index) => ({
            ...rule,
            annualDeductibleFen: boundedFen(annualDeductible, 'BALANCE', `poolingRules.${index}.annualDeductible`),
            annualCapFen: boundedFen(annualCap, 'BALANCE', `poolingRules.${index}.annualCap`),
          })),
          requiresBeneficiaryConsent: requiresBeneficiaryConsent ?? false,
        },
        context.services.policies,
        context.identity,
      );
      // This replica knows the new version at once; the others within half the lead time.
      await context.services.versions.reread();
      return policy;
    },
    liftCredentialSuspension: async (_root, { credentialId }, context) => {
      requireRole(context.identity, 'ADMIN');
      const credential = await context.services.credentials.byId(credentialId);
      if (!credential) fail(AccountsError.credentialNotFound(credentialId));
      requireAdminOf(context.identity, credential.holderId.slice(0, 6));
      return context.services.credentials.lift(credential, context.identity);
    },
    liftSettlementSuspension: async (_root, { personId }, context) => {
      requireRole(context.identity, 'ADMIN');
      const person = await loadPerson(context, personId);
      requireAdminOf(context.identity, person.regionCode);
      return withView(await context.services.persons.liftSettlementSuspension(person, context.identity, 'lifted by ADMIN'), 'FULL');
    },
    revokeCredential: async (_root, { token }, context) => {
      requireRole(context.identity, 'ADMIN');
      const region = regionOfCredentialToken(token);
      if (!region) return false;
      requireAdminOf(context.identity, region);
      return context.services.credentials.revoke(token, context.identity);
    },
  },
};
