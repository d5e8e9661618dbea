import type { AccountsClient } from '../../shared/accountsClient';
import type { PersonSummary } from '../../shared/contracts/persons';
import { chinaYear } from '../../shared/chinaTime';
import type { ProvinceBackends } from '../../shared/db/backends';
import { provinceOfId } from '../../shared/db/routing';
import { fail } from '../../shared/errors';
import { SettlementsError } from '../errors';
import type { Payer } from '../../shared/contracts/bindings';
import type { FamilyClient } from '../../shared/familyClient';
import { poolingRuleOf, type PoolingRule } from '../../shared/policy/policy';
import type { PolicyVersions } from '../../shared/policy/versions';
import { CARE_PURPOSES, type Purpose } from '../../shared/policy/vocabulary';
import { explainPlan } from '../waterfall/explain';
import { payerAvailability, planSettlement, type FundUse, type PayerState, type Plan } from '../waterfall/waterfall';
import { readFundUse } from './fundUse';
import { isPayingAuthorizer } from './payerCheck';
import type { SettlementRecord } from './records';

/**
 * What a settlement would pay, as the waterfall plans it: the one place where a bill, the persons,
 * bindings, balances and policies in force meet. `quoteSettlement` (预结算) is the plan alone;
 * `settle` plans the same way inside the transaction that locks the year's fund use (saga.ts).
 */
export interface SettleInput {
  idempotencyKey: string;
  patientId: string;
  institutionId: string;
  purpose: Purpose;
  inScopeFen: number;
  outOfScopeFen: number;
  useMutualAid: boolean;
}

/** A pre-settlement: the plan `settle` would execute, nothing written. */
export interface QuoteRecord {
  patientId: string;
  purpose: Purpose;
  plan: Plan;
}

/** One binding as a source for its beneficiary: what it could pay now for a purpose. */
export interface MutualAidSource {
  bindingId: string;
  availableFen: number;
}

/** Everything the waterfall needs besides the year's fund use, read at `now`. */
export interface Gathered {
  patient: PersonSummary;
  bindings: Payer[];
  authorizers: Map<string, PersonSummary>;
  balances: Map<string, number>;
  now: Date;
}

export class SettlementPlanner {
  constructor(
    private readonly backends: ProvinceBackends,
    /** Fresh for each request by the subgraph shell. */
    private readonly versions: PolicyVersions,
    private readonly accounts: AccountsClient,
    private readonly family: FamilyClient,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private get policies() {
    return this.versions.book;
  }

  /** The patient's province, where his settlements live. */
  province(patientId: string): string {
    const province = provinceOfId(patientId);
    if (!province || !this.backends.has(province)) fail(SettlementsError.patientNotFound(patientId));
    return province;
  }

  /** A bill `settle` may take: a care purpose, a positive total, a patient of ours; answers his province. */
  validate(input: SettleInput): string {
    if (!(CARE_PURPOSES as readonly string[]).includes(input.purpose)) fail(SettlementsError.notCarePurpose);
    if (input.inScopeFen + input.outOfScopeFen <= 0) fail(SettlementsError.totalNotPositive);
    return this.province(input.patientId);
  }

  /**
   * Everything the waterfall needs besides the year's fund use, read at `now`, for many patients at
   * once (one call per internal API): each patient found, the bindings that pay for him in order
   * (unless `withPayers` is false), their authorizers and every balance involved, each read with its
   * person (two rounds of calls, the second only when there are relatives).
   */
  private async gatherAll(
    patientIds: readonly string[],
    withPayers: boolean,
    now: Date,
    requestId: string,
  ): Promise<Map<string, Gathered>> {
    // A patient who declines family funds does not need them looked up (nor their backends up).
    const [patients, payers] = await Promise.all([
      this.accounts.persons([...patientIds], requestId),
      withPayers ? this.family.payers([...patientIds], now, requestId) : new Map<string, Payer[]>(),
    ]);
    const found = [...patients.values()];
    const authorizerIds = [...new Set(found.flatMap((patient) => (payers.get(patient.id) ?? []).map((binding) => binding.authorizerId)))];
    const authorizers = await this.accounts.persons(authorizerIds, requestId);
    const balances = new Map<string, number>();
    for (const person of [...found, ...authorizers.values()]) if (person.balanceFen !== null) balances.set(person.id, person.balanceFen);
    return new Map(found.map((patient) => [patient.id, { patient, bindings: payers.get(patient.id) ?? [], authorizers, balances, now }]));
  }

  /** What one bill needs: its patient must exist and be actively insured. */
  async gather(input: SettleInput, now: Date, requestId: string): Promise<Gathered> {
    const gathered = (await this.gatherAll([input.patientId], input.useMutualAid, now, requestId)).get(input.patientId);
    if (!gathered) fail(SettlementsError.patientNotFound(input.patientId));
    if (gathered.patient.status !== 'ACTIVE') fail(SettlementsError.patientNotInsured);
    return gathered;
  }

  /** The bindings as the waterfall weighs them, in its order, under the policies in force at `now`. */
  private payerStates({ bindings, authorizers, balances, now }: Gathered): PayerState[] {
    return bindings.map((binding) => ({
      bindingId: binding.bindingId,
      relationship: binding.relationship,
      authorizerId: binding.authorizerId,
      authorizerRegion: binding.authorizerRegion,
      authorizerActive: isPayingAuthorizer(authorizers.get(binding.authorizerId)),
      bindingActive: true,
      balanceFen: balances.get(binding.authorizerId) ?? 0,
      policy: this.policies.knownPolicyAt(binding.authorizerRegion, now),
    }));
  }

  /** The one waterfall both `quote` and `settle` use: the same data gives the same plan. */
  plan(input: SettleInput, gathered: Gathered, fundUse: FundUse): Plan {
    const { patient, balances, now } = gathered;
    const patientPolicy = this.policies.knownPolicyAt(patient.regionCode, now);
    return explainPlan(
      planSettlement({
        bill: {
          purpose: input.purpose,
          inScopeFen: input.inScopeFen,
          outOfScopeFen: input.outOfScopeFen,
          useMutualAid: input.useMutualAid,
        },
        patientId: patient.id,
        patientRegion: patient.regionCode,
        patientBalanceFen: patient.hasPersonalAccount ? (balances.get(patient.id) ?? 0) : null,
        patientPolicy,
        poolingRule: poolingRuleOf(patientPolicy, patient.scheme, input.purpose),
        fundUse,
        payers: this.payerStates(gathered),
      }),
      input.purpose,
    );
  }

  /**
   * Person.mutualAidSources: for each patient, every binding that pays for him in waterfall order
   * with what it could pay now for the purpose — gathered, ordered and weighed exactly as a quote
   * would (payerStates, payerAvailability). A patient unknown or not actively insured has none: the
   * waterfall would not run for him.
   */
  async sources(patientIds: readonly string[], purpose: Purpose, requestId: string): Promise<Map<string, MutualAidSource[]>> {
    const now = this.clock();
    const gathered = await this.gatherAll(patientIds, true, now, requestId);
    return new Map(
      patientIds.map((patientId) => {
        const one = gathered.get(patientId);
        if (one?.patient.status !== 'ACTIVE') return [patientId, []];
        const patientPolicy = this.policies.knownPolicyAt(one.patient.regionCode, now);
        return [
          patientId,
          this.payerStates(one).map((payer) => ({
            bindingId: payer.bindingId,
            availableFen: payerAvailability(payer, one.patient.regionCode, patientPolicy, purpose).availableFen,
          })),
        ];
      }),
    );
  }

  /**
   * 预结算: what `settle` would do now with the same input, written nowhere: no intent, no fund
   * counter, no ledger entry, and the idempotency key stays unused.
   */
  async quote(input: SettleInput, requestId: string): Promise<QuoteRecord> {
    const province = this.validate(input);
    const gathered = await this.gather(input, this.clock(), requestId);
    const fundUse = await readFundUse(this.backends.get(province), province, {
      patientId: input.patientId,
      fundYear: chinaYear(gathered.now),
      purpose: input.purpose,
    });
    return { patientId: input.patientId, purpose: input.purpose, plan: this.plan(input, gathered, fundUse) };
  }

  /**
   * The pooling rule of the patient's settlements for the record's purpose, by the instant a settlement
   * was made: the rule of the patient region's version in force then, which is the rule its fund share
   * was computed by (a person's scheme does not change, and versions never change once written).
   */
  async poolingRulesOf(record: SettlementRecord, requestId: string): Promise<(madeAt: Date) => PoolingRule | undefined> {
    const patient = (await this.accounts.persons([record.patientId], requestId)).get(record.patientId);
    return (madeAt) => patient && poolingRuleOf(this.policies.knownPolicyAt(patient.regionCode, madeAt), patient.scheme, record.purpose);
  }
}
