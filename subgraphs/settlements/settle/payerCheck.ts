import type { AccountsClient } from '../../shared/accountsClient';
import type { PersonSummary } from '../../shared/contracts/persons';
import type { FamilyClient } from '../../shared/familyClient';
import { regionOfKnownId } from '../../shared/ids';
import type { PolicyVersions } from '../../shared/policy/versions';
import { refusedAtPaymentNote } from '../waterfall/explain';
import { bindingOf, payerRefusal, payingAccountOf, type PlanStep } from '../waterfall/waterfall';
import type { SettlementRecord } from './records';

/** A binding pays only while its authorizer is ACTIVE and still has a personal account. */
export function isPayingAuthorizer(person: PersonSummary | undefined): boolean {
  return person !== undefined && person.status === 'ACTIVE' && person.hasPersonalAccount;
}

/** The plan's steps as decided just before money moves, and when. */
export interface PayingDecision {
  steps: PlanStep[];
  checkedAt: Date;
}

/**
 * Just before money moves, every binding the plan lets pay is checked again at this instant —
 * still ACTIVE, its authorizer ACTIVE, both regions' policies in force now allowing the purpose and
 * (across provinces) cross-province aid — by the waterfall's own rule (payerRefusal). A step that may
 * no longer pay becomes cash and its note says why. The saga stores the decision before it calls the
 * ledger, once (the first completion to store it wins), so every later completion sends the ledger
 * the same request under the key and a retry can never become a second, different debit.
 */
export class PayerCheck {
  constructor(
    /** Read again here: this may run long after the request's own refresh (a request that waited on a lock, the recovery pass). */
    private readonly versions: PolicyVersions,
    private readonly accounts: AccountsClient,
    private readonly family: FamilyClient,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The decision for an intent whose plan lets a relative pay; null when there is nothing to check (or it was decided). */
  async atPayment(record: SettlementRecord, requestId: string): Promise<PayingDecision | null> {
    const paying = record.plan.steps.filter((step) => step.source === 'MUTUAL_AID' && step.amountFen > 0);
    if (paying.length === 0 || record.payingCheckedAt) return null;
    const policies = await this.versions.fresh();
    const now = this.clock();
    const [payers, authorizers] = await Promise.all([
      this.family.payers([record.patientId], now, requestId),
      this.accounts.persons([...new Set(paying.map(payingAccountOf))], requestId),
    ]);
    const active = new Set((payers.get(record.patientId) ?? []).map((payer) => payer.bindingId));
    const patientRegion = regionOfKnownId(record.patientId);
    const patientPolicy = policies.knownPolicyAt(patientRegion, now);
    const steps = record.plan.steps.map((step): PlanStep => {
      if (step.source !== 'MUTUAL_AID' || step.amountFen === 0) return step;
      const authorizerId = payingAccountOf(step);
      const bindingId = bindingOf(step);
      const authorizerRegion = regionOfKnownId(authorizerId);
      const refusal = payerRefusal(
        {
          bindingId,
          relationship: step.relationship,
          authorizerId,
          authorizerRegion,
          authorizerActive: isPayingAuthorizer(authorizers.get(authorizerId)),
          bindingActive: active.has(bindingId),
          balanceFen: 0,
          policy: policies.knownPolicyAt(authorizerRegion, now),
        },
        patientRegion,
        patientPolicy,
        record.purpose,
      );
      if (!refusal) return step;
      const refused: PlanStep = {
        ...step,
        amountFen: 0,
        limitedBy: refusal.limitedBy,
        region: refusal.region,
        policyVersion: refusal.policyVersion,
      };
      return { ...refused, note: refusedAtPaymentNote(refused, record.purpose, step.amountFen) };
    });
    return { steps, checkedAt: now };
  }
}
