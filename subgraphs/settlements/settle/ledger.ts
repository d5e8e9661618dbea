import type { DebitRequest, DebitResult } from '../../shared/contracts/ledger';
import type { AccountsClient } from '../../shared/accountsClient';
import { unlessRefused } from '../../shared/errors';
import { provinceOfKnownId } from '../../shared/db/routing';
import { sumFen } from '../../shared/money';
import { payingAccountOf, type PlanStep } from '../waterfall/waterfall';
import { payAcrossProvinces } from './crossProvince';
import type { DebitGroup, PaymentRecord, SettlementRecord } from './records';

/**
 * A settlement's calls to the ledger (the accounts subgraph's internal API), every one under the
 * settlement id as key, so whoever completes the saga repeats the same calls and the ledger answers
 * the first result: pay the stored plan, return what it paid (refund), or void the key (冲正).
 */

/** The plan's paying steps grouped by the province of their account: one ledger call each. */
export function debitGroups(steps: readonly PlanStep[]): DebitGroup[] {
  const groups = new Map<string, number[]>();
  steps.forEach((step, index) => {
    if ((step.source !== 'OWN_ACCOUNT' && step.source !== 'MUTUAL_AID') || step.amountFen === 0) return;
    const province = provinceOfKnownId(payingAccountOf(step));
    groups.set(province, [...(groups.get(province) ?? []), index]);
  });
  return [...groups].map(([province, stepIndexes]) => ({ province, stepIndexes }));
}

/** One province's share of the plan as an ordered debit: each step up to what it planned, above its floor. */
function debitRequest(record: SettlementRecord, group: DebitGroup): DebitRequest {
  const steps = group.stepIndexes.map((index) => record.plan.steps[index]);
  return {
    scope: 'settlement',
    idempotencyKey: record.id,
    reference: record.id,
    amountFen: sumFen(steps),
    mode: 'UP_TO',
    purpose: record.purpose,
    steps: steps.map((step) => ({
      accountId: payingAccountOf(step),
      floorFen: step.floorFen ?? 0,
      limitFen: step.amountFen,
      kind: step.source === 'OWN_ACCOUNT' ? 'OWN_ACCOUNT_PAYMENT' : 'MUTUAL_AID_PAYMENT',
      ...(step.source === 'MUTUAL_AID' ? { beneficiaryId: record.patientId, relationship: step.relationship } : {}),
    })),
  };
}

/** What the ledger actually paid, step by step in waterfall order (a debit group it refused paid nothing). */
export function paymentsFrom(record: SettlementRecord, results: ReadonlyArray<DebitResult | null>): PaymentRecord[] {
  const payments: PaymentRecord[] = [];
  record.plan.debits.forEach((group, groupIndex) => {
    const result = results[groupIndex];
    if (!result) return;
    group.stepIndexes.forEach((stepIndex, position) => {
      const step = record.plan.steps[stepIndex];
      const paidFen = result.steps[position].paidFen;
      if (paidFen > 0)
        payments.push({
          seq: stepIndex,
          source: step.source as PaymentRecord['source'],
          accountId: payingAccountOf(step),
          bindingId: step.bindingId ?? null,
          amountFen: paidFen,
          transferId: result.transferId,
        });
    });
  });
  return payments.sort((a, b) => a.seq - b.seq);
}

export class SettlementLedger {
  constructor(
    private readonly accounts: AccountsClient,
    private readonly pendingTimeoutMs: number,
  ) {}

  /**
   * Pays the stored plan, one result per debit group (null: that group paid nothing). Every paying
   * account in one province is one local ledger transaction; several provinces go through
   * crossProvince.ts. The ledger re-checks every balance as it debits, so a plan is never a promise.
   */
  async pay(record: SettlementRecord, requestId: string): Promise<Array<DebitResult | null>> {
    const requests = record.plan.debits.map((group) => debitRequest(record, group));
    if (requests.length > 1) return payAcrossProvinces(this.accounts, requests, this.pendingTimeoutMs, requestId);
    const results: Array<DebitResult | null> = [];
    // INVALID_STATE: a 冲正 spent the key meanwhile, so it pays nothing.
    for (const request of requests)
      results.push(await unlessRefused(this.accounts.debit(request, requestId), (code) => code === 'INVALID_STATE'));
    return results;
  }

  /** Returns every fen a settlement paid to the account it came from: each transfer reversed, once. */
  async returnPayments(record: SettlementRecord, requestId: string): Promise<void> {
    for (const transferId of [...new Set(record.payments.map((payment) => payment.transferId))]) {
      await this.accounts.reverse(
        { scope: 'refund', idempotencyKey: record.id, transferId, kind: 'REFUND', reference: record.id },
        requestId,
      );
    }
  }

  /**
   * 冲正 of an intent: in each province of its plan the ledger voids the key (a debit or pending
   * transfer made under it is undone, or the key is spent so that one arriving later moves nothing).
   * Answers what went back to the accounts.
   */
  async voidKey(record: SettlementRecord, requestId: string): Promise<number> {
    let returnedFen = 0;
    for (const group of record.plan.debits) {
      const accountId = payingAccountOf(record.plan.steps[group.stepIndexes[0]]);
      returnedFen += (
        await this.accounts.voidKey({ scope: 'settlement', idempotencyKey: record.id, accountId, reference: record.id }, requestId)
      ).returnedFen;
    }
    return returnedFen;
  }
}
