import type { AccountsClient } from '../../shared/accountsClient';
import type { PersonSummary } from '../../shared/contracts/persons';
import { chinaYear } from '../../shared/chinaTime';
import type { ProvinceBackends } from '../../shared/db/backends';
import { provinceOfId } from '../../shared/db/routing';
import { fail } from '../../shared/errors';
import { SettlementsError } from '../errors';
import type { Payer } from '../../shared/contracts/bindings';
import type { FamilyClient } from '../../shared/familyClient';
import type { PoolingRule } from '../../shared/policy/policy';
import type { PolicyVersions } from '../../shared/policy/versions';
import { CARE_PURPOSES, type Purpose } from '../../shared/policy/vocabulary';
import { explainPlan } from '../waterfall/explain';
import { planSettlement, type FundUse, type Plan } from '../waterfall/waterfall';
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
   * Everything the waterfall needs besides the year's fund use, read at `now`: the patient, the
   * bindings that pay for him in order, their authorizers and every balance involved (each with its
   * person: two rounds of calls, one without relatives).
   */
  async gather(input: SettleInput, now: Date, requestId: string): Promise<Gathered> {
    // A patient who declines family funds does not need them looked up (nor their backends up).
    const [patients, payers] = await Promise.all([
      this.accounts.persons([input.patientId], requestId),
      input.useMutualAid ? this.family.payers([input.patientId], now, requestId) : new Map<string, Payer[]>(),
    ]);
    const patient = patients.get(input.patientId);
    if (!patient) fail(SettlementsError.patientNotFound(input.patientId));
    if (patient.status !== 'ACTIVE') fail(SettlementsError.patientNotInsured);
    const bindings = payers.get(input.patientId) ?? [];
    const authorizerIds = [...new Set(bindings.map((binding) => binding.authorizerId))];
    const authorizers = await this.accounts.persons(authorizerIds, requestId);
    const balances = new Map<string, number>();
    for (const person of [patient, ...authorizers.values()]) if (person.balanceFen !== null) balances.set(person.id, person.balanceFen);
    return { patient, bindings, authorizers, balances, now };
  }

  /** The one waterfall both `quote` and `settle` use: the same data gives the same plan. */
  plan(input: SettleInput, gathered: Gathered, fundUse: FundUse): Plan {
    const { patient, bindings, authorizers, balances, now } = gathered;
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
        patientPolicy: this.policies.knownPolicyAt(patient.regionCode, now),
        poolingRule: this.policies.poolingRule(patient.regionCode, patient.scheme, input.purpose),
        fundUse,
        payers: bindings.map((binding) => ({
          bindingId: binding.bindingId,
          relationship: binding.relationship,
          authorizerId: binding.authorizerId,
          authorizerRegion: binding.authorizerRegion,
          authorizerActive: isPayingAuthorizer(authorizers.get(binding.authorizerId)),
          bindingActive: true,
          balanceFen: balances.get(binding.authorizerId) ?? 0,
          policy: this.policies.knownPolicyAt(binding.authorizerRegion, now),
        })),
      }),
      input.purpose,
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

  /** The pooling rule a settlement's fund share was computed by (a person's scheme does not change). */
  async poolingRuleOf(record: SettlementRecord, requestId: string): Promise<PoolingRule | undefined> {
    const patient = (await this.accounts.persons([record.patientId], requestId)).get(record.patientId);
    return patient && this.policies.poolingRule(patient.regionCode, patient.scheme, record.purpose);
  }
}
