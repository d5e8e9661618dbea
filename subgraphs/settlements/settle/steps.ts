import { noteFor, paidLessNote } from '../waterfall/explain';
import type { PlanStep, Source } from '../waterfall/waterfall';
import type { SettlementRecord } from './records';

/** One printed line of a receipt: where the money came from, who paid, how much, and why not more. */
export interface ReceiptStep {
  source: Source;
  amountFen: number;
  accountId: string | null;
  note: string;
  policyVersion: number | null;
}

/** A plan's steps as a quote shows them. */
export function quotedSteps(steps: readonly PlanStep[], purpose: SettlementRecord['purpose']): ReceiptStep[] {
  return steps.map((step) => ({
    source: step.source,
    amountFen: step.amountFen,
    accountId: step.accountId ?? null,
    note: step.note ?? noteFor(step, purpose),
    policyVersion: step.policyVersion ?? null,
  }));
}

/**
 * A settlement's steps: the stored plan with what was actually paid. An account that paid less than
 * planned (its balance changed before the ledger debited it) says so; the difference is in cash.
 */
export function settledSteps(record: SettlementRecord): ReceiptStep[] {
  return quotedSteps(record.plan.steps, record.purpose).map((step, index) => {
    if (step.source === 'CASH')
      return {
        ...step,
        amountFen: record.cashFen,
        note: noteFor({ ...record.plan.steps[index], amountFen: record.cashFen }, record.purpose),
      };
    if (step.source === 'FUND') return step;
    const paidFen = record.payments.find((payment) => payment.seq === index)?.amountFen ?? 0;
    return paidFen < step.amountFen ? { ...step, amountFen: paidFen, note: paidLessNote(step.note, step.amountFen, paidFen) } : step;
  });
}
