import type { ProvinceBackends } from '../../shared/db/backends';
import { provinceOfKnownId } from '../../shared/db/routing';
import { isDuplicateKey, query, type Sql } from '../../shared/db/transaction';
import { must } from '../../shared/must';
import type { Scheme } from '../../shared/policy/vocabulary';
import type { Plan } from '../waterfall/waterfall';
import { debitGroups } from './ledger';
import type { PayingDecision } from './payerCheck';
import type { SettleInput } from './planning';
import {
  SETTLEMENT_COLUMNS,
  toKeyRecord,
  type KeyRecord,
  type KeyRow,
  type PaymentRecord,
  type RefundKind,
  type SettlementReads,
  type SettlementRecord,
  type SettlementState,
  type StoredPlan,
} from './records';

/**
 * The saga's rows (records.ts describes their states), written only by the saga: an intent, a spent
 * key, the paying decision, the outcome of each step, and every move between states. Each write is
 * conditional on the state it leaves, so of two completions racing only one records anything.
 */
export interface Intent {
  id: string;
  input: SettleInput;
  /** The patient's scheme as the plan saw it: statistics group by it without asking accounts about every patient. */
  patientScheme: Scheme;
  requestHash: string;
  plan: Plan;
  fundYear: number;
  fundSeq: number;
  createdAt: Date;
}

/** Who takes a settlement out and under which key: `actor` is who asked ("ADMIN sub", "TERMINAL sub"), `reason` the ADMIN's. */
export interface RefundRequest {
  idempotencyKey: string;
  kind: RefundKind;
  actor: string;
  reason: string | null;
}

export class SettlementStore {
  constructor(
    private readonly backends: ProvinceBackends,
    private readonly reads: SettlementReads,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private async update(id: string, sql: string, params: unknown[]): Promise<boolean> {
    const province = provinceOfKnownId(id);
    return (await query<{ affectedRows: number }>(this.backends.get(province), province, sql, params)).affectedRows === 1;
  }

  /** What the patient's province holds under (institution, key): an intent, a settlement, a spent key, or nothing. */
  async byKey(province: string, institutionId: string, key: string): Promise<KeyRecord | undefined> {
    const rows = await query<KeyRow[]>(
      this.backends.get(province),
      province,
      `SELECT ${SETTLEMENT_COLUMNS} FROM settlements WHERE institution_id = ? AND idempotency_key = ?`,
      [institutionId, key],
    );
    if (!rows[0]) return undefined;
    const found = toKeyRecord(rows[0]);
    return found.state === 'KEY_SPENT' ? found : this.reload(found.id);
  }

  /** What a row under (institution, key) holds, where the key's unique index has just said that one committed. */
  async committedByKey(province: string, institutionId: string, key: string): Promise<KeyRecord> {
    return must(await this.byKey(province, institutionId, key), `a row under key ${key} has committed`);
  }

  /** The settlement as stored now, with its payments. */
  async reload(id: string): Promise<SettlementRecord> {
    return must((await this.reads.load([id])).get(id), `settlement ${id} has been written`);
  }

  /** The PENDING row of a settlement about to be paid, with its plan; in the transaction that charged the year's fund use. */
  async insertIntent(sql: Sql, intent: Intent): Promise<void> {
    const { input, plan } = intent;
    const stored: StoredPlan = { steps: plan.steps, debits: debitGroups(plan.steps) };
    await sql.query(
      `INSERT INTO settlements (id, institution_id, idempotency_key, request_hash, patient_id, patient_scheme, purpose, status, in_scope_fen, out_of_scope_fen, total_fen, fund_fen, deductible_applied_fen, fund_year, fund_seq, plan, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        intent.id,
        input.institutionId,
        input.idempotencyKey,
        intent.requestHash,
        input.patientId,
        intent.patientScheme,
        input.purpose,
        input.inScopeFen,
        input.outOfScopeFen,
        plan.totalFen,
        plan.fundFen,
        plan.deductibleAppliedFen,
        intent.fundYear,
        intent.fundSeq,
        JSON.stringify(stored),
        intent.createdAt,
      ],
    );
  }

  /**
   * Spends a key no intent holds: a KEY_SPENT row under its unique index. False when a concurrent
   * intent (or 冲正) won the index instead.
   */
  async spendKey(
    province: string,
    id: string,
    key: { institutionId: string; idempotencyKey: string; patientId: string },
    fundYear: number,
    at: Date,
  ): Promise<boolean> {
    try {
      await query(
        this.backends.get(province),
        province,
        `INSERT INTO settlements (id, institution_id, idempotency_key, request_hash, patient_id, purpose, status, in_scope_fen, out_of_scope_fen, total_fen, fund_fen, deductible_applied_fen, fund_year, plan, created_at, voided_at)
         VALUES (?, ?, ?, NULL, ?, NULL, 'KEY_SPENT', 0, 0, 0, 0, 0, ?, '{"steps":[],"debits":[]}', ?, ?)`,
        [id, key.institutionId, key.idempotencyKey, key.patientId, fundYear, at, at],
      );
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return false;
    }
  }

  /** Stores the paying decision once (the first completion to store it wins) and answers the row as it now is. */
  async storePayingDecision(record: SettlementRecord, decision: PayingDecision): Promise<SettlementRecord> {
    await this.update(
      record.id,
      "UPDATE settlements SET plan = ?, paying_checked_at = ? WHERE id = ? AND status = 'PENDING' AND paying_checked_at IS NULL",
      [JSON.stringify({ steps: decision.steps, debits: debitGroups(decision.steps) } satisfies StoredPlan), decision.checkedAt, record.id],
    );
    return this.reload(record.id);
  }

  /** PENDING → SETTLED with what was paid from where; false when the row left PENDING meanwhile. */
  async markSettled(sql: Sql, id: string, paid: { ownFen: number; mutualFen: number; cashFen: number }): Promise<boolean> {
    const result = (await sql.query(
      "UPDATE settlements SET status = 'SETTLED', own_fen = ?, mutual_fen = ?, cash_fen = ?, settled_at = ? WHERE id = ? AND status = 'PENDING'",
      [paid.ownFen, paid.mutualFen, paid.cashFen, this.clock(), id],
    )) as { affectedRows: number };
    return result.affectedRows === 1;
  }

  /** What was paid; a MUTUAL_AID payment keeps its binding's relationship (from its plan step) for statistics. */
  async insertPayments(sql: Sql, record: SettlementRecord, payments: readonly PaymentRecord[]): Promise<void> {
    if (payments.length === 0) return;
    await sql.query(
      `INSERT INTO settlement_payments (settlement_id, seq, source, account_id, binding_id, relationship, amount_fen, transfer_id) VALUES ${payments.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      payments.flatMap((payment) => [
        record.id,
        payment.seq,
        payment.source,
        payment.accountId,
        payment.bindingId,
        record.plan.steps[payment.seq].relationship ?? null,
        payment.amountFen,
        payment.transferId,
      ]),
    );
  }

  /** `from` → `to` (a refund or 冲正 taking the row), with who asked; false when the row is no longer in `from`. */
  async move(sql: Sql, id: string, from: SettlementState, to: SettlementState, refund: RefundRequest | null): Promise<boolean> {
    const moved = (await sql.query(
      'UPDATE settlements SET status = ?, refund_key = ?, refund_kind = ?, refund_actor = ?, refund_reason = ? WHERE id = ? AND status = ?',
      [to, refund?.idempotencyKey ?? null, refund?.kind ?? null, refund?.actor ?? null, refund?.reason ?? null, id, from],
    )) as { affectedRows: number };
    return moved.affectedRows === 1;
  }

  /** REFUNDING → REFUNDED; false when another completion recorded it first. */
  markRefunded(id: string): Promise<boolean> {
    return this.update(id, "UPDATE settlements SET status = 'REFUNDED', refunded_at = ? WHERE id = ? AND status = 'REFUNDING'", [
      this.clock(),
      id,
    ]);
  }

  /** VOIDING → VOIDED; false when another completion recorded it first. */
  markVoided(id: string): Promise<boolean> {
    return this.update(id, "UPDATE settlements SET status = 'VOIDED', voided_at = ? WHERE id = ? AND status = 'VOIDING'", [
      this.clock(),
      id,
    ]);
  }

  /** Ids of the rows of one province left open (PENDING, REFUNDING, VOIDING) since before `before`, oldest first, at most 100. */
  async open(province: string, before: Date): Promise<string[]> {
    const rows = await query<Array<{ id: string }>>(
      this.backends.get(province),
      province,
      "SELECT id FROM settlements WHERE status IN ('PENDING', 'REFUNDING', 'VOIDING') AND created_at < ? ORDER BY created_at LIMIT 100",
      [before],
    );
    return rows.map((row) => row.id);
  }
}
