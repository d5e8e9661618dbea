import { createHash } from 'node:crypto';
import type { DebitRequest, DebitResult, HoldResult } from '../../accounts/ledger/service';
import type { AccountsClient, PersonSummary } from '../../shared/accountsClient';
import type { ProvinceBackends } from '../../shared/db/backends';
import { provinceOfId } from '../../shared/db/routing';
import { errnoOf, inTransaction, query, type Sql } from '../../shared/db/transaction';
import { DomainError, fail } from '../../shared/errors';
import type { Payer } from '../../family/bindings/service';
import type { FamilyClient } from '../../shared/familyClient';
import { newId, provinceOfRegion, regionOfId } from '../../shared/ids';
import type { Observability } from '../../shared/observability';
import type { PolicyBook } from '../../shared/policy/policy';
import { CARE_PURPOSES, type Purpose } from '../../shared/policy/vocabulary';
import { explainPlan } from '../waterfall/explain';
import { planSettlement, type FundUse, type Plan } from '../waterfall/waterfall';
import { SETTLEMENT_COLUMNS, toSettlement, type DebitGroup, type PaymentRecord, type SettlementReads, type SettlementRecord, type SettlementRow, type StoredPlan } from './records';

/**
 * `settle` and `refundSettlement` as sagas keyed by the institution's idempotency key (DESIGN.md,
 * Regional backends). A settlement row is written first as a durable intent carrying its plan and
 * the year's fund use, in one local transaction; then the ledger is called with the settlement id as
 * its key (one call per province of the paying accounts); then the row records what the ledger paid.
 * Whoever finds an intent open — a concurrent retry, a later retry, the recovery pass — completes it
 * the same way, so every crash ends in exactly one effect.
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

const DUPLICATE_KEY = 1062;

interface Gathered {
  patient: PersonSummary;
  bindings: Payer[];
  authorizers: Map<string, PersonSummary>;
  balances: Map<string, number>;
  now: Date;
}

/** A pre-settlement: the plan `settle` would execute, nothing written. */
export interface QuoteRecord {
  patientId: string;
  purpose: Purpose;
  plan: Plan;
}
const CHINA_STANDARD_TIME_OFFSET_MS = 8 * 3_600_000;

/** The calendar year in China Standard Time, which fund use is counted by. */
export function fundYearOf(at: Date): number {
  return new Date(at.getTime() + CHINA_STANDARD_TIME_OFFSET_MS).getUTCFullYear();
}

function settleHash(input: SettleInput): string {
  const { idempotencyKey: _key, ...content } = input;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

export class Settlements {
  constructor(
    private readonly backends: ProvinceBackends,
    private readonly reads: SettlementReads,
    private readonly policies: PolicyBook,
    private readonly accounts: AccountsClient,
    private readonly family: FamilyClient,
    private readonly observability: Observability,
    private readonly holdTimeoutMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private province(patientId: string): string {
    const province = provinceOfId(patientId);
    if (!province || !this.backends.has(province)) fail('NOT_FOUND', `参保人不存在：${patientId}`, `No such patient: ${patientId}`);
    return province;
  }

  private async byKey(province: string, institutionId: string, key: string): Promise<SettlementRecord | undefined> {
    const rows = await query<SettlementRow[]>(this.backends.get(province), province,
      `SELECT ${SETTLEMENT_COLUMNS} FROM settlements WHERE institution_id = ? AND idempotency_key = ?`, [institutionId, key]);
    return rows[0] && toSettlement(rows[0]);
  }

  /** The settlement as stored now, with its payments. */
  private async reload(id: string): Promise<SettlementRecord> {
    return (await this.reads.load([id])).get(id)!;
  }

  /** A settlement already under this key: the same request gets its result, another request a conflict. */
  private async existing(found: SettlementRecord, hash: string, requestId: string): Promise<SettlementRecord> {
    if (found.requestHash !== hash) {
      fail('IDEMPOTENCY_CONFLICT', '该交易流水号已用于内容不同的结算', 'This idempotencyKey was already used for a settlement with different content');
    }
    return this.complete(found, requestId);
  }

  private validate(input: SettleInput): string {
    if (!(CARE_PURPOSES as readonly string[]).includes(input.purpose)) {
      fail('PURPOSE_NOT_ALLOWED', '结算只用于就医购药；缴费请用 payPremium', `settle is for care purposes (${CARE_PURPOSES.join(', ')}); premiums go through payPremium`);
    }
    if (input.inScopeFen + input.outOfScopeFen <= 0) fail('BAD_USER_INPUT', '结算金额必须大于 0', 'A settlement must have a positive total');
    return this.province(input.patientId);
  }

  /**
   * Everything the waterfall needs besides the year's fund use, read at `now`: the patient, the
   * bindings that pay for him in order, their authorizers and every balance involved.
   */
  private async gather(input: SettleInput, now: Date, requestId: string): Promise<Gathered> {
    // A patient who declines family funds does not need them looked up (nor their backends up).
    const [patients, payers] = await Promise.all([
      this.accounts.persons([input.patientId], requestId),
      input.useMutualAid ? this.family.payers([input.patientId], now, requestId) : new Map<string, Payer[]>(),
    ]);
    const patient = patients.get(input.patientId);
    if (!patient) fail('NOT_FOUND', `参保人不存在：${input.patientId}`, `No such patient: ${input.patientId}`);
    if (patient.status !== 'ACTIVE') fail('NOT_INSURED', '患者当前未正常参保，不能医保结算', 'The patient is not actively insured; settle in cash');
    const bindings = payers.get(input.patientId) ?? [];
    const authorizerIds = [...new Set(bindings.map((binding) => binding.authorizerId))];
    const [authorizers, balances] = await Promise.all([
      this.accounts.persons(authorizerIds, requestId),
      this.accounts.balances([input.patientId, ...authorizerIds], requestId),
    ]);
    return { patient, bindings, authorizers, balances, now };
  }

  /** The one waterfall both `quote` and `settle` use: the same data gives the same plan. */
  private plan(input: SettleInput, gathered: Gathered, fundUse: FundUse): Plan {
    const { patient, bindings, authorizers, balances, now } = gathered;
    return explainPlan(planSettlement({
      bill: { purpose: input.purpose, inScopeFen: input.inScopeFen, outOfScopeFen: input.outOfScopeFen, useMutualAid: input.useMutualAid },
      patientId: patient.id,
      patientRegion: patient.regionCode,
      patientBalanceFen: patient.hasPersonalAccount ? balances.get(patient.id) ?? 0 : null,
      patientPolicy: this.policies.policyAt(patient.regionCode, now)!,
      poolingRule: this.policies.region(patient.regionCode)?.poolingRules.find((rule) => rule.scheme === patient.scheme && rule.purpose === input.purpose),
      fundUse,
      payers: bindings.map((binding) => ({
        bindingId: binding.bindingId,
        relationship: binding.relationship,
        authorizerId: binding.authorizerId,
        authorizerRegion: binding.authorizerRegion,
        authorizerActive: isPayingAuthorizer(authorizers.get(binding.authorizerId)),
        balanceFen: balances.get(binding.authorizerId) ?? 0,
        policy: this.policies.policyAt(binding.authorizerRegion, now)!,
      })),
    }), input.purpose);
  }

  /**
   * 预结算: what `settle` would do now with the same input, written nowhere: no intent, no fund
   * counter, no ledger entry, and the idempotency key stays unused.
   */
  async quote(input: SettleInput, requestId: string): Promise<QuoteRecord> {
    const province = this.validate(input);
    const gathered = await this.gather(input, this.clock(), requestId);
    const [row] = await query<Array<{ deductible_used_fen: string; fund_paid_fen: string }>>(this.backends.get(province), province,
      'SELECT deductible_used_fen, fund_paid_fen FROM fund_usage WHERE patient_id = ? AND fund_year = ? AND purpose = ?', [input.patientId, fundYearOf(gathered.now), input.purpose]);
    const plan = this.plan(input, gathered, { deductibleUsedFen: Number(row?.deductible_used_fen ?? 0), fundPaidFen: Number(row?.fund_paid_fen ?? 0) });
    return { patientId: input.patientId, purpose: input.purpose, plan };
  }

  async settle(input: SettleInput, requestId: string): Promise<SettlementRecord> {
    const province = this.validate(input);
    const hash = settleHash(input);
    const earlier = await this.byKey(province, input.institutionId, input.idempotencyKey);
    if (earlier) return this.existing(earlier, hash, requestId);

    const gathered = await this.gather(input, this.clock(), requestId);
    const id = newId(gathered.patient.regionCode);
    const fundYear = fundYearOf(gathered.now);
    try {
      await inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
        const plan = this.plan(input, gathered, await this.lockFundUse(sql, input.patientId, fundYear, input.purpose));
        await sql.query('UPDATE fund_usage SET deductible_used_fen = deductible_used_fen + ?, fund_paid_fen = fund_paid_fen + ? WHERE patient_id = ? AND fund_year = ? AND purpose = ?',
          [plan.deductibleAppliedFen, plan.fundFen, input.patientId, fundYear, input.purpose]);
        const stored: StoredPlan = { steps: plan.steps, debits: debitGroups(plan) };
        await sql.query(
          `INSERT INTO settlements (id, institution_id, idempotency_key, request_hash, patient_id, purpose, status, in_scope_fen, out_of_scope_fen, total_fen, fund_fen, deductible_applied_fen, fund_year, plan, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?)`,
          [id, input.institutionId, input.idempotencyKey, hash, input.patientId, input.purpose, input.inScopeFen, input.outOfScopeFen, plan.totalFen, plan.fundFen, plan.deductibleAppliedFen, fundYear, JSON.stringify(stored), gathered.now],
        );
      });
    } catch (error) {
      if (errnoOf(error) !== DUPLICATE_KEY) throw error;
      // A concurrent request with the same key committed its intent first: finish and return that one.
      return this.existing((await this.byKey(province, input.institutionId, input.idempotencyKey))!, hash, requestId);
    }
    return this.complete(await this.reload(id), requestId);
  }

  /** The row of the year's fund use, created at zero if new, locked for this transaction. */
  private async lockFundUse(sql: Sql, patientId: string, fundYear: number, purpose: Purpose): Promise<{ deductibleUsedFen: number; fundPaidFen: number }> {
    await sql.query('INSERT INTO fund_usage (patient_id, fund_year, purpose, deductible_used_fen, fund_paid_fen) VALUES (?, ?, ?, 0, 0) ON DUPLICATE KEY UPDATE patient_id = patient_id',
      [patientId, fundYear, purpose]);
    const [row] = await sql.query('SELECT deductible_used_fen, fund_paid_fen FROM fund_usage WHERE patient_id = ? AND fund_year = ? AND purpose = ? FOR UPDATE',
      [patientId, fundYear, purpose]) as Array<{ deductible_used_fen: string; fund_paid_fen: string }>;
    return { deductibleUsedFen: Number(row.deductible_used_fen), fundPaidFen: Number(row.fund_paid_fen) };
  }

  /** Drives an open settlement (PENDING or REFUNDING) to its end; a finished one is returned as it is. */
  async complete(record: SettlementRecord, requestId: string): Promise<SettlementRecord> {
    if (record.state === 'PENDING') await this.finishSettle(record, requestId);
    else if (record.state === 'REFUNDING') await this.finishRefund(await this.reload(record.id), requestId);
    return this.reload(record.id);
  }

  private debitRequest(record: SettlementRecord, group: DebitGroup): DebitRequest {
    const steps = group.stepIndexes.map((index) => record.plan.steps[index]);
    return {
      scope: 'settlement',
      idempotencyKey: record.id,
      reference: record.id,
      amountFen: steps.reduce((sum, step) => sum + step.amountFen, 0),
      mode: 'UP_TO',
      purpose: record.purpose,
      steps: steps.map((step) => ({
        accountId: step.accountId!,
        floorFen: step.floorFen ?? 0,
        limitFen: step.amountFen,
        kind: step.source === 'OWN_ACCOUNT' ? 'OWN_ACCOUNT_PAYMENT' : 'MUTUAL_AID_PAYMENT',
        ...(step.source === 'MUTUAL_AID' ? { beneficiaryId: record.patientId, relationship: step.relationship } : {}),
      })),
    };
  }

  /**
   * Executes the stored plan through the ledger. The ledger re-checks every balance as it debits,
   * so what it actually paid is recorded and the rest is cash: a plan is never a promise.
   */
  private async finishSettle(record: SettlementRecord, requestId: string): Promise<void> {
    const results = record.plan.debits.length > 1 ? await this.twoPhase(record, requestId) : await this.onePhase(record, requestId);
    const payments: PaymentRecord[] = [];
    record.plan.debits.forEach((group, groupIndex) => {
      const result = results[groupIndex];
      if (!result) return;
      group.stepIndexes.forEach((stepIndex, position) => {
        const step = record.plan.steps[stepIndex];
        const paidFen = result.steps[position].paidFen;
        if (paidFen > 0) payments.push({ seq: stepIndex, source: step.source as PaymentRecord['source'], accountId: step.accountId!, bindingId: step.bindingId ?? null, amountFen: paidFen, transferId: result.transferId });
      });
    });
    payments.sort((a, b) => a.seq - b.seq);
    const ownFen = payments.filter((payment) => payment.source === 'OWN_ACCOUNT').reduce((sum, payment) => sum + payment.amountFen, 0);
    const mutualFen = payments.filter((payment) => payment.source === 'MUTUAL_AID').reduce((sum, payment) => sum + payment.amountFen, 0);
    const cashFen = record.totalFen - record.fundFen - ownFen - mutualFen;
    const province = provinceOfId(record.id)!;
    await inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      const result = await sql.query("UPDATE settlements SET status = 'SETTLED', own_fen = ?, mutual_fen = ?, cash_fen = ?, settled_at = ? WHERE id = ? AND status = 'PENDING'",
        [ownFen, mutualFen, cashFen, this.clock(), record.id]) as { affectedRows: number };
      if (result.affectedRows !== 1) return;
      this.countSettled(record, { FUND: record.fundFen, OWN_ACCOUNT: ownFen, MUTUAL_AID: mutualFen, CASH: cashFen });
      if (payments.length === 0) return;
      await sql.query(`INSERT INTO settlement_payments (settlement_id, seq, source, account_id, binding_id, amount_fen, transfer_id) VALUES ${payments.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        payments.flatMap((payment) => [record.id, payment.seq, payment.source, payment.accountId, payment.bindingId, payment.amountFen, payment.transferId]));
    });
  }

  /** Every paying account in one province: one local ledger transaction. */
  private async onePhase(record: SettlementRecord, requestId: string): Promise<Array<DebitResult | null>> {
    const results: Array<DebitResult | null> = [];
    for (const group of record.plan.debits) results.push(await this.accounts.debit(this.debitRequest(record, group), requestId));
    return results;
  }

  /**
   * Accounts in several provinces (cross-province mutual aid): hold on every province, then post
   * all, or void all when a hold is refused. Holds and posts are idempotent by the settlement id, so
   * whoever completes the intent repeats the same steps; a hold that expired before it was posted
   * pays nothing (its share becomes cash), so no fen is taken twice or lost.
   */
  private async twoPhase(record: SettlementRecord, requestId: string): Promise<Array<DebitResult | null>> {
    const holds: Array<HoldResult | null> = [];
    for (const group of record.plan.debits) {
      try {
        holds.push(await this.accounts.hold({ ...this.debitRequest(record, group), timeoutMs: this.holdTimeoutMs }, requestId));
      } catch (error) {
        if (!(error instanceof DomainError) || error.code === 'SERVICE_UNAVAILABLE') throw error;
        holds.push(null);
      }
    }
    if (holds.includes(null)) {
      for (const hold of holds) if (hold) await this.accounts.void(hold.holdId, requestId);
      return holds.map(() => null);
    }
    const results: Array<DebitResult | null> = [];
    for (const hold of holds) {
      try {
        results.push(await this.accounts.post(hold!.holdId, requestId));
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'INVALID_STATE') throw error;
        results.push(null);
      }
    }
    return results;
  }

  /** Counted once, by whoever finished the settlement (metrics may lag a crash, never double). */
  private countSettled(record: SettlementRecord, bySource: Record<string, number>): void {
    this.observability.events.labels('settlement', record.purpose).inc();
    for (const [source, fen] of Object.entries(bySource)) this.observability.moneyMovedFen.labels(`settlement_${record.purpose}`, source).inc(fen);
  }

  /** Full refund: every fen back to the account it came from, the year's fund use restored. Once. */
  async refund(record: SettlementRecord, idempotencyKey: string, requestId: string): Promise<SettlementRecord> {
    const province = provinceOfId(record.id)!;
    const claimed = await query<{ affectedRows: number }>(this.backends.get(province), province,
      "UPDATE settlements SET status = 'REFUNDING', refund_key = ? WHERE id = ? AND status = 'SETTLED'", [idempotencyKey, record.id]);
    const current = await this.reload(record.id);
    if (claimed.affectedRows !== 1 && current.refundKey !== idempotencyKey) {
      if (current.state === 'PENDING') fail('INVALID_STATE', '该结算尚未完成，请先用原交易流水号重试结算', 'This settlement is not finished; retry settle with its key first');
      fail('INVALID_STATE', '该结算已经退款', 'This settlement was already refunded under another key');
    }
    return this.complete(current, requestId);
  }

  private async finishRefund(record: SettlementRecord, requestId: string): Promise<void> {
    for (const transferId of [...new Set(record.payments.map((payment) => payment.transferId))]) {
      await this.accounts.reverse({ scope: 'refund', idempotencyKey: record.id, transferId, kind: 'REFUND', reference: record.id }, requestId);
    }
    const province = provinceOfId(record.id)!;
    await inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      const result = await sql.query("UPDATE settlements SET status = 'REFUNDED', refunded_at = ? WHERE id = ? AND status = 'REFUNDING'", [this.clock(), record.id]) as { affectedRows: number };
      if (result.affectedRows !== 1) return;
      this.observability.events.labels('refund', record.purpose).inc();
      this.observability.moneyMovedFen.labels('refund', 'RETURNED_TO_ACCOUNTS').inc(record.ownFen + record.mutualFen);
      await sql.query('UPDATE fund_usage SET deductible_used_fen = deductible_used_fen - ?, fund_paid_fen = fund_paid_fen - ? WHERE patient_id = ? AND fund_year = ? AND purpose = ?',
        [record.deductibleAppliedFen, record.fundFen, record.patientId, record.fundYear, record.purpose]);
    });
  }

  /** Completes every intent left open for longer than `olderThanMs` (a crash, a lost connection). */
  async recover(olderThanMs: number, requestId: string): Promise<number> {
    let completed = 0;
    for (const province of this.backends.available()) {
      const rows = await query<SettlementRow[]>(this.backends.get(province), province,
        `SELECT ${SETTLEMENT_COLUMNS} FROM settlements WHERE status IN ('PENDING', 'REFUNDING') AND created_at < ? ORDER BY created_at LIMIT 100`,
        [new Date(this.clock().getTime() - olderThanMs)]);
      for (const row of rows) {
        await this.complete(toSettlement(row), requestId).then(() => { completed += 1; }, (error: unknown) => {
          this.observability.logger.warn({ requestId, settlementId: row.id, err: error }, 'recovery could not complete a settlement yet');
        });
      }
    }
    return completed;
  }
}

/** A binding pays only while its authorizer is ACTIVE and still has a personal account. */
function isPayingAuthorizer(person: PersonSummary | undefined): boolean {
  return person !== undefined && person.status === 'ACTIVE' && person.hasPersonalAccount;
}

/** The plan's paying steps grouped by the province of their account: one ledger call each. */
export function debitGroups(plan: Plan): DebitGroup[] {
  const groups = new Map<string, number[]>();
  plan.steps.forEach((step, index) => {
    if ((step.source !== 'OWN_ACCOUNT' && step.source !== 'MUTUAL_AID') || step.amountFen === 0) return;
    const province = provinceOfRegion(regionOfId(step.accountId!)!);
    groups.set(province, [...(groups.get(province) ?? []), index]);
  });
  return [...groups].map(([province, stepIndexes]) => ({ province, stepIndexes }));
}

