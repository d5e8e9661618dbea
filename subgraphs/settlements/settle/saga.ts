import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
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
import type { PoolingRule } from '../../shared/policy/policy';
import type { PolicyVersions } from '../../shared/policy/versions';
import { CARE_PURPOSES, type Purpose, type Scheme } from '../../shared/policy/vocabulary';
import { explainPlan, refusedAtPaymentNote } from '../waterfall/explain';
import { settlementsToRefundFirst, type FundedSettlement } from '../waterfall/fundOrder';
import { payerRefusal, planSettlement, type FundUse, type Plan, type PlanStep } from '../waterfall/waterfall';
import {
  SETTLEMENT_COLUMNS, toKeyRecord, type DebitGroup, type KeyRecord, type KeyRow, type PaymentRecord, type RefundKind, type SettlementReads,
  type SettlementRecord, type SettlementRow, type SettlementState, type StoredPlan,
} from './records';

/**
 * `settle`, `refundSettlement`, `adminRefundSettlement` and `voidSettlement` as sagas keyed by the
 * institution's idempotency key (DESIGN.md, Regional backends and Decisions of the second round).
 *
 * settle: (1) claim (institution, key) in the national database, so the key is one transaction
 * nationwide whatever province the patient is in; (2) write the intent in the patient's province,
 * with its plan and the year's fund use, in one local transaction; (3) re-check the paying bindings
 * and both regions' policies at that instant and record the decision; (4) call the ledger with the
 * settlement id as key (once per province of the paying accounts); (5) record what the ledger paid.
 * Whoever finds an intent open — a concurrent retry, a later retry, the recovery pass — completes
 * it the same way, so every crash ends in exactly one effect.
 *
 * 冲正 undoes whatever became of a key, and every interleaving with a settle ends in one outcome:
 * - no intent yet: the void writes a KEY_SPENT row under the key's unique index in the patient's
 *   province; a settle that comes later (or was in flight) cannot write its intent and moves nothing;
 * - an intent (PENDING): the void takes it to VOIDING (so nothing completes it as a settlement),
 *   then asks the ledger to void the key in each province — reversing what a debit or hold under it
 *   did, or spending the key so that a late one moves nothing — and ends VOIDED;
 * - a settlement (SETTLED): refunded by the one refund path.
 * Taking a settlement out (refund, admin refund, 冲正) never lets the fund pay more than its rule
 * (waterfall/fundOrder.ts): the year's counters are given back in the same transaction that takes
 * it out, under the lock that serialises the fund shares.
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

export interface VoidInput {
  institutionId: string;
  idempotencyKey: string;
  patientId: string;
}

export interface VoidRecord {
  outcome: 'KEY_VOIDED' | 'REFUNDED';
  settlement: SettlementRecord | null;
}

/** A refund of any kind; `actor` is who asked ("ADMIN sub", "TERMINAL sub"), `reason` the ADMIN's. */
export interface RefundRequest {
  idempotencyKey: string;
  kind: RefundKind;
  actor: string;
  reason: string | null;
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

/** The national claim of one (institution, operation, key). */
interface KeyClaim {
  settlementId: string;
  patientId: string;
  /** The settle request's content; null when a 冲正 spent the key first. */
  requestHash: string | null;
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

function failVoided(): never {
  fail('INVALID_STATE', '该交易流水号已冲正，未用其支付任何款项；如需结算请使用新的流水号', 'This idempotencyKey was voided (冲正): nothing was paid with it; settle again with a new key');
}

export class Settlements {
  constructor(
    private readonly backends: ProvinceBackends,
    private readonly national: DataSource,
    private readonly reads: SettlementReads,
    /** Fresh for each request by the subgraph shell; refreshed again where money moves later (see checkPayers). */
    private readonly versions: PolicyVersions,
    private readonly accounts: AccountsClient,
    private readonly family: FamilyClient,
    private readonly observability: Observability,
    private readonly holdTimeoutMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private get policies() {
    return this.versions.book;
  }

  private province(patientId: string): string {
    const province = provinceOfId(patientId);
    if (!province || !this.backends.has(province)) fail('NOT_FOUND', `参保人不存在：${patientId}`, `No such patient: ${patientId}`);
    return province;
  }

  /**
   * Claims (institution, operation, key) nationwide, or answers the claim already made. One insert
   * on the national database; a concurrent claim waits on the primary key for the first.
   */
  private async claim(institutionId: string, operation: 'SETTLE' | 'REFUND', key: string, wanted: KeyClaim): Promise<KeyClaim> {
    try {
      await query(this.national, 'national',
        'INSERT INTO idempotency_claims (institution_id, operation, idempotency_key, settlement_id, patient_id, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [institutionId, operation, key, wanted.settlementId, wanted.patientId, wanted.requestHash, this.clock()]);
      return wanted;
    } catch (error) {
      if (errnoOf(error) !== DUPLICATE_KEY) throw error;
      const [row] = await query<Array<{ settlement_id: string; patient_id: string; request_hash: string | null }>>(this.national, 'national',
        'SELECT settlement_id, patient_id, request_hash FROM idempotency_claims WHERE institution_id = ? AND operation = ? AND idempotency_key = ?', [institutionId, operation, key]);
      return { settlementId: row.settlement_id, patientId: row.patient_id, requestHash: row.request_hash };
    }
  }

  /** What the patient's province holds under (institution, key): an intent, a settlement, a spent key, or nothing. */
  private async byKey(province: string, institutionId: string, key: string): Promise<KeyRecord | undefined> {
    const rows = await query<KeyRow[]>(this.backends.get(province), province,
      `SELECT ${SETTLEMENT_COLUMNS} FROM settlements WHERE institution_id = ? AND idempotency_key = ?`, [institutionId, key]);
    if (!rows[0]) return undefined;
    const found = toKeyRecord(rows[0]);
    return found.state === 'KEY_SPENT' ? found : this.reload(found.id);
  }

  /** The settlement as stored now, with its payments. */
  private async reload(id: string): Promise<SettlementRecord> {
    return (await this.reads.load([id])).get(id)!;
  }

  /**
   * A row already under this key: the same request gets its result (completed first), another
   * request a conflict, and a voided key the coded answer that names the 冲正.
   */
  private async existing(found: KeyRecord, hash: string, requestId: string): Promise<SettlementRecord> {
    if (found.state === 'KEY_SPENT') failVoided();
    if (found.requestHash !== hash && !isVoided(found)) {
      fail('IDEMPOTENCY_CONFLICT', '该交易流水号已用于内容不同的结算', 'This idempotencyKey was already used for a settlement with different content');
    }
    const record = await this.complete(found, requestId);
    if (isVoided(record)) failVoided();
    return record;
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

  private poolingRule(regionCode: string, scheme: Scheme, purpose: Purpose): PoolingRule | undefined {
    return this.policies.region(regionCode)?.poolingRules.find((rule) => rule.scheme === scheme && rule.purpose === purpose);
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
      poolingRule: this.poolingRule(patient.regionCode, patient.scheme, input.purpose),
      fundUse,
      payers: bindings.map((binding) => ({
        bindingId: binding.bindingId,
        relationship: binding.relationship,
        authorizerId: binding.authorizerId,
        authorizerRegion: binding.authorizerRegion,
        authorizerActive: isPayingAuthorizer(authorizers.get(binding.authorizerId)),
        bindingActive: true,
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
    const fresh = newId(regionOfId(input.patientId)!);
    const claim = await this.claim(input.institutionId, 'SETTLE', input.idempotencyKey, { settlementId: fresh, patientId: input.patientId, requestHash: hash });
    if (claim.requestHash !== hash) {
      // A voided key answers so whatever the content: the key is spent.
      const claimed = claim.requestHash === null ? undefined : await this.byKey(this.province(claim.patientId), input.institutionId, input.idempotencyKey);
      if (claim.requestHash === null || (claimed && isVoided(claimed))) failVoided();
      fail('IDEMPOTENCY_CONFLICT', '该交易流水号已用于内容不同的结算（可能是另一位患者）', 'This idempotencyKey of the institution was already used for another settlement (maybe another patient)');
    }
    if (claim.settlementId !== fresh) {
      // Claimed before: the first request made (or is making) the intent, or died before writing it.
      const earlier = await this.byKey(province, input.institutionId, input.idempotencyKey);
      if (earlier) return this.existing(earlier, hash, requestId);
    }

    const gathered = await this.gather(input, this.clock(), requestId);
    const id = claim.settlementId;
    const fundYear = fundYearOf(gathered.now);
    try {
      await inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
        const use = await this.lockFundUse(sql, input.patientId, fundYear, input.purpose);
        const plan = this.plan(input, gathered, use);
        await sql.query('UPDATE fund_usage SET deductible_used_fen = deductible_used_fen + ?, fund_paid_fen = fund_paid_fen + ?, last_seq = last_seq + 1 WHERE patient_id = ? AND fund_year = ? AND purpose = ?',
          [plan.deductibleAppliedFen, plan.fundFen, input.patientId, fundYear, input.purpose]);
        const stored: StoredPlan = { steps: plan.steps, debits: debitGroups(plan.steps) };
        await sql.query(
          `INSERT INTO settlements (id, institution_id, idempotency_key, request_hash, patient_id, purpose, status, in_scope_fen, out_of_scope_fen, total_fen, fund_fen, deductible_applied_fen, fund_year, fund_seq, plan, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [id, input.institutionId, input.idempotencyKey, hash, input.patientId, input.purpose, input.inScopeFen, input.outOfScopeFen, plan.totalFen, plan.fundFen, plan.deductibleAppliedFen, fundYear, use.lastSeq + 1, JSON.stringify(stored), gathered.now],
        );
      });
    } catch (error) {
      if (errnoOf(error) !== DUPLICATE_KEY) throw error;
      // A concurrent request with the same key (or a 冲正 of it) committed first: answer by what it wrote.
      return this.existing((await this.byKey(province, input.institutionId, input.idempotencyKey))!, hash, requestId);
    }
    return this.existing(await this.reload(id), hash, requestId);
  }

  /** The row of the year's fund use, created at zero if new, locked for this transaction. */
  private async lockFundUse(sql: Sql, patientId: string, fundYear: number, purpose: Purpose): Promise<FundUse & { lastSeq: number }> {
    await sql.query('INSERT INTO fund_usage (patient_id, fund_year, purpose, deductible_used_fen, fund_paid_fen) VALUES (?, ?, ?, 0, 0) ON DUPLICATE KEY UPDATE patient_id = patient_id',
      [patientId, fundYear, purpose]);
    const [row] = await sql.query('SELECT deductible_used_fen, fund_paid_fen, last_seq FROM fund_usage WHERE patient_id = ? AND fund_year = ? AND purpose = ? FOR UPDATE',
      [patientId, fundYear, purpose]) as Array<{ deductible_used_fen: string; fund_paid_fen: string; last_seq: string }>;
    return { deductibleUsedFen: Number(row.deductible_used_fen), fundPaidFen: Number(row.fund_paid_fen), lastSeq: Number(row.last_seq) };
  }

  /** Drives an open row (PENDING, REFUNDING, VOIDING) to its end; a finished one is returned as it is. */
  async complete(record: SettlementRecord, requestId: string): Promise<SettlementRecord> {
    if (record.state === 'PENDING') await this.finishSettle(record, requestId);
    else if (record.state === 'REFUNDING') await this.finishRefund(record, requestId);
    else if (record.state === 'VOIDING') await this.finishVoid(record, requestId);
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
   * Just before money moves, every binding the plan lets pay is checked again at this instant —
   * still ACTIVE, its authorizer ACTIVE, both regions' policies in force now allowing the purpose and
   * (across provinces) cross-province aid — by the waterfall's own rule. A step that may no longer
   * pay becomes cash and its note says why. The decision is stored before the ledger is called, once
   * (the first completion to store it wins), so every later completion sends the ledger the same
   * request under the key and a retry can never become a second, different debit.
   */
  private async checkPayers(record: SettlementRecord, requestId: string): Promise<SettlementRecord> {
    const paying = record.plan.steps.filter((step) => step.source === 'MUTUAL_AID' && step.amountFen > 0);
    if (paying.length === 0 || record.payingCheckedAt) return record;
    // This may run long after the request's own refresh (a request that waited on a lock, the recovery
    // pass): read the versions again so that the version in force now is known.
    await this.versions.fresh();
    const now = this.clock();
    const [payers, authorizers] = await Promise.all([
      this.family.payers([record.patientId], now, requestId),
      this.accounts.persons([...new Set(paying.map((step) => step.accountId!))], requestId),
    ]);
    const active = new Set((payers.get(record.patientId) ?? []).map((payer) => payer.bindingId));
    const patientRegion = regionOfId(record.patientId)!;
    const patientPolicy = this.policies.policyAt(patientRegion, now)!;
    const steps = record.plan.steps.map((step): PlanStep => {
      if (step.source !== 'MUTUAL_AID' || step.amountFen === 0) return step;
      const authorizerRegion = regionOfId(step.accountId!)!;
      const refusal = payerRefusal({
        bindingId: step.bindingId!, relationship: step.relationship, authorizerId: step.accountId!, authorizerRegion,
        authorizerActive: isPayingAuthorizer(authorizers.get(step.accountId!)), bindingActive: active.has(step.bindingId!), balanceFen: 0,
        policy: this.policies.policyAt(authorizerRegion, now)!,
      }, patientRegion, patientPolicy, record.purpose);
      if (!refusal) return step;
      const refused: PlanStep = { ...step, amountFen: 0, limitedBy: refusal.limitedBy, region: refusal.region, policyVersion: refusal.policyVersion };
      return { ...refused, note: refusedAtPaymentNote(refused, record.purpose, step.amountFen) };
    });
    const province = provinceOfId(record.id)!;
    await query(this.backends.get(province), province,
      "UPDATE settlements SET plan = ?, paying_checked_at = ? WHERE id = ? AND status = 'PENDING' AND paying_checked_at IS NULL",
      [JSON.stringify({ steps, debits: debitGroups(steps) } satisfies StoredPlan), now, record.id]);
    return this.reload(record.id);
  }

  /**
   * Executes the stored plan through the ledger. The ledger re-checks every balance as it debits,
   * so what it actually paid is recorded and the rest is cash: a plan is never a promise. The row
   * becomes SETTLED only from PENDING: an intent a 冲正 took meanwhile records nothing.
   */
  private async finishSettle(pending: SettlementRecord, requestId: string): Promise<void> {
    const record = await this.checkPayers(pending, requestId);
    if (record.state !== 'PENDING') return;
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

  /** Every paying account in one province: one local ledger transaction. A key voided meanwhile pays nothing. */
  private async onePhase(record: SettlementRecord, requestId: string): Promise<Array<DebitResult | null>> {
    const results: Array<DebitResult | null> = [];
    for (const group of record.plan.debits) {
      try {
        results.push(await this.accounts.debit(this.debitRequest(record, group), requestId));
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'INVALID_STATE') throw error;
        results.push(null);
      }
    }
    return results;
  }

  /**
   * Accounts in several provinces (cross-province mutual aid): hold on every province, then post
   * all, or void all when a hold is refused. Holds and posts are idempotent by the settlement id, so
   * whoever completes the intent repeats the same steps; a hold that expired (or was voided by a
   * 冲正) before it was posted pays nothing (its share becomes cash), so no fen is taken twice or lost.
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

  /**
   * Takes a standing row out of the year's fund use — SETTLED to REFUNDING, or PENDING to VOIDING —
   * if the fund's rule allows it (waterfall/fundOrder.ts), giving the year's counters back in the same
   * transaction, under the lock that serialises every fund share of this patient, year and purpose.
   * False when the row is no longer in `from` (someone else moved it first).
   */
  private async withdraw(record: SettlementRecord, from: SettlementState, to: SettlementState, refund: RefundRequest | null, requestId: string): Promise<boolean> {
    // Removing a settlement that took no fund share and no deductible changes no other's share, so
    // the rule (and the patient's scheme it depends on) is looked up only when it could matter.
    const touchesFund = record.fundFen > 0 || record.deductibleAppliedFen > 0;
    const rule = touchesFund ? await this.patientRule(record, requestId) : undefined;
    const province = provinceOfId(record.id)!;
    return inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      await this.lockFundUse(sql, record.patientId, record.fundYear, record.purpose);
      if (touchesFund) {
        const standing = (await sql.query(
          `SELECT id, in_scope_fen, fund_fen, deductible_applied_fen FROM settlements
           WHERE patient_id = ? AND fund_year = ? AND purpose = ? AND status IN ('PENDING', 'SETTLED') ORDER BY COALESCE(fund_seq, 0), created_at, id`,
          [record.patientId, record.fundYear, record.purpose]) as Array<{ id: string; in_scope_fen: string; fund_fen: string; deductible_applied_fen: string }>)
          .map((row): FundedSettlement => ({ id: row.id, inScopeFen: Number(row.in_scope_fen), fundFen: Number(row.fund_fen), deductibleAppliedFen: Number(row.deductible_applied_fen) }));
        if (!standing.some((settlement) => settlement.id === record.id)) return false;
        const first = settlementsToRefundFirst(standing, record.id, rule);
        if (first.length > 0) {
          fail('INVALID_STATE', `统筹基金按结算顺序计算：请先退后面的结算（从最新的开始）：${first.join('，')}`,
            `The fund's share follows the order of settlements: refund these later settlements first, latest first: ${first.join(', ')}`);
        }
      }
      const moved = await sql.query('UPDATE settlements SET status = ?, refund_key = ?, refund_kind = ?, refund_actor = ?, refund_reason = ? WHERE id = ? AND status = ?',
        [to, refund?.idempotencyKey ?? null, refund?.kind ?? null, refund?.actor ?? null, refund?.reason ?? null, record.id, from]) as { affectedRows: number };
      if (moved.affectedRows !== 1) return false;
      await sql.query('UPDATE fund_usage SET deductible_used_fen = deductible_used_fen - ?, fund_paid_fen = fund_paid_fen - ? WHERE patient_id = ? AND fund_year = ? AND purpose = ?',
        [record.deductibleAppliedFen, record.fundFen, record.patientId, record.fundYear, record.purpose]);
      return true;
    });
  }

  /** The pooling rule a settlement's fund share was computed by (a person's scheme does not change). */
  private async patientRule(record: SettlementRecord, requestId: string): Promise<PoolingRule | undefined> {
    const patient = (await this.accounts.persons([record.patientId], requestId)).get(record.patientId);
    return patient && this.poolingRule(patient.regionCode, patient.scheme, record.purpose);
  }

  /**
   * Full refund: every fen back to the account it came from, the year's fund use given back. Once:
   * the same request again returns the refunded settlement; another is INVALID_STATE. A counter's
   * refund key is one refund of its institution nationwide.
   */
  async refund(record: SettlementRecord, request: RefundRequest, requestId: string): Promise<SettlementRecord> {
    if (request.kind === 'COUNTER') {
      const claim = await this.claim(record.institutionId, 'REFUND', request.idempotencyKey, { settlementId: record.id, patientId: record.patientId, requestHash: null });
      if (claim.settlementId !== record.id) fail('IDEMPOTENCY_CONFLICT', '该退费流水号已用于另一笔结算的退费', 'This refund idempotencyKey was already used to refund another settlement');
    }
    const claimed = await this.withdraw(record, 'SETTLED', 'REFUNDING', request, requestId);
    const current = await this.reload(record.id);
    if (!claimed && !(current.refundKey === request.idempotencyKey && current.refundKind === request.kind)) {
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
    const finished = await query<{ affectedRows: number }>(this.backends.get(province), province,
      "UPDATE settlements SET status = 'REFUNDED', refunded_at = ? WHERE id = ? AND status = 'REFUNDING'", [this.clock(), record.id]);
    if (finished.affectedRows !== 1) return;
    this.observability.events.labels('refund', record.purpose).inc();
    this.observability.moneyMovedFen.labels('refund', 'RETURNED_TO_ACCOUNTS').inc(record.ownFen + record.mutualFen);
  }

  /**
   * 冲正 (the national interface 2601) of (institution, key) for the patient the counter names (and
   * whose card it read). Claims the key nationwide like a settle, then undoes whatever the patient's
   * province holds under it (see the class comment). Idempotent: again, the same outcome, nothing moved.
   */
  async void(input: VoidInput, actor: string, requestId: string): Promise<VoidRecord> {
    const province = this.province(input.patientId);
    const claim = await this.claim(input.institutionId, 'SETTLE', input.idempotencyKey, { settlementId: newId(regionOfId(input.patientId)!), patientId: input.patientId, requestHash: null });
    if (claim.patientId !== input.patientId) fail('IDEMPOTENCY_CONFLICT', '该交易流水号属于另一位患者的结算', 'This idempotencyKey belongs to another patient\'s settlement');
    // States only move forward (PENDING → SETTLED or VOIDING, SETTLED → REFUNDING), so a row that
    // moved under us is looked at again at most a few times.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const found = (await this.byKey(province, input.institutionId, input.idempotencyKey)) ?? (await this.spendKey(province, claim.settlementId, input));
      if (found.patientId !== input.patientId) fail('IDEMPOTENCY_CONFLICT', '该交易流水号属于另一位患者的结算', 'This idempotencyKey belongs to another patient\'s settlement');
      const outcome = await this.undo(found, { idempotencyKey: input.idempotencyKey, kind: 'VOID', actor, reason: null }, requestId);
      if (outcome) return outcome;
    }
    fail('SERVICE_UNAVAILABLE', '冲正未能完成，请用同一流水号重试', 'The void did not finish; retry it with the same key');
  }

  /** Spends a key no intent holds: a KEY_SPENT row under its unique index. A concurrent intent wins the index instead. */
  private async spendKey(province: string, id: string, input: VoidInput): Promise<KeyRecord> {
    const now = this.clock();
    try {
      await query(this.backends.get(province), province,
        `INSERT INTO settlements (id, institution_id, idempotency_key, request_hash, patient_id, purpose, status, in_scope_fen, out_of_scope_fen, total_fen, fund_fen, deductible_applied_fen, fund_year, plan, created_at, voided_at)
         VALUES (?, ?, ?, NULL, ?, NULL, 'KEY_SPENT', 0, 0, 0, 0, 0, ?, '{"steps":[],"debits":[]}', ?, ?)`,
        [id, input.institutionId, input.idempotencyKey, input.patientId, fundYearOf(now), now, now]);
      this.observability.events.labels('void', 'KEY_SPENT').inc();
      return { state: 'KEY_SPENT', id, patientId: input.patientId };
    } catch (error) {
      if (errnoOf(error) !== DUPLICATE_KEY) throw error;
      return (await this.byKey(province, input.institutionId, input.idempotencyKey))!;
    }
  }

  /** One step of a 冲正 on what the key holds; null when the row moved meanwhile and must be read again. */
  private async undo(found: KeyRecord, refund: RefundRequest, requestId: string): Promise<VoidRecord | null> {
    switch (found.state) {
      case 'KEY_SPENT':
      case 'VOIDED':
        return { outcome: 'KEY_VOIDED', settlement: null };
      case 'VOIDING':
        await this.complete(found, requestId);
        return { outcome: 'KEY_VOIDED', settlement: null };
      case 'PENDING':
        if (!(await this.withdraw(found, 'PENDING', 'VOIDING', null, requestId))) return null;
        await this.complete(await this.reload(found.id), requestId);
        return { outcome: 'KEY_VOIDED', settlement: null };
      case 'SETTLED':
        if (!(await this.withdraw(found, 'SETTLED', 'REFUNDING', refund, requestId))) return null;
        return { outcome: 'REFUNDED', settlement: await this.complete(await this.reload(found.id), requestId) };
      case 'REFUNDING':
      case 'REFUNDED':
        return { outcome: 'REFUNDED', settlement: await this.complete(found, requestId) };
    }
  }

  /**
   * Ends a 冲正 of an intent: in each province of its plan the ledger voids the key (a debit or hold
   * made under it is undone, or the key is spent so that one arriving later moves nothing), then the
   * row is VOIDED. The year's fund use was given back when the intent was taken.
   */
  private async finishVoid(record: SettlementRecord, requestId: string): Promise<void> {
    let returnedFen = 0;
    for (const group of record.plan.debits) {
      const accountId = record.plan.steps[group.stepIndexes[0]].accountId!;
      returnedFen += (await this.accounts.voidKey({ scope: 'settlement', idempotencyKey: record.id, accountId, reference: record.id }, requestId)).returnedFen;
    }
    const province = provinceOfId(record.id)!;
    const finished = await query<{ affectedRows: number }>(this.backends.get(province), province,
      "UPDATE settlements SET status = 'VOIDED', voided_at = ? WHERE id = ? AND status = 'VOIDING'", [this.clock(), record.id]);
    if (finished.affectedRows !== 1) return;
    this.observability.events.labels('void', record.purpose).inc();
    this.observability.moneyMovedFen.labels('void', 'RETURNED_TO_ACCOUNTS').inc(returnedFen);
  }

  /** Completes every row left open for longer than `olderThanMs` (a crash, a lost connection); never completes a voided key. */
  async recover(olderThanMs: number, requestId: string): Promise<number> {
    let completed = 0;
    for (const province of this.backends.available()) {
      const rows = await query<SettlementRow[]>(this.backends.get(province), province,
        `SELECT ${SETTLEMENT_COLUMNS} FROM settlements WHERE status IN ('PENDING', 'REFUNDING', 'VOIDING') AND created_at < ? ORDER BY created_at LIMIT 100`,
        [new Date(this.clock().getTime() - olderThanMs)]);
      for (const row of rows) {
        await this.reload(row.id).then((record) => this.complete(record, requestId)).then(() => { completed += 1; }, (error: unknown) => {
          this.observability.logger.warn({ requestId, settlementId: row.id, err: error }, 'recovery could not complete a settlement yet');
        });
      }
    }
    return completed;
  }
}

/** A key a 冲正 took: spent before any intent, or an intent being (or already) undone. */
function isVoided(found: KeyRecord): boolean {
  return found.state === 'KEY_SPENT' || found.state === 'VOIDING' || found.state === 'VOIDED';
}

/** A binding pays only while its authorizer is ACTIVE and still has a personal account. */
function isPayingAuthorizer(person: PersonSummary | undefined): boolean {
  return person !== undefined && person.status === 'ACTIVE' && person.hasPersonalAccount;
}

/** The plan's paying steps grouped by the province of their account: one ledger call each. */
export function debitGroups(steps: readonly PlanStep[]): DebitGroup[] {
  const groups = new Map<string, number[]>();
  steps.forEach((step, index) => {
    if ((step.source !== 'OWN_ACCOUNT' && step.source !== 'MUTUAL_AID') || step.amountFen === 0) return;
    const province = provinceOfRegion(regionOfId(step.accountId!)!);
    groups.set(province, [...(groups.get(province) ?? []), index]);
  });
  return [...groups].map(([province, stepIndexes]) => ({ province, stepIndexes }));
}
