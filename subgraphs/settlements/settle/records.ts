import { decodeTimeCursor, encodeTimeCursor, pageOf, type Page, type TimeCursor, olderThan } from '../../shared/cursor';
import type { ProvinceBackends } from '../../shared/db/backends';
import { idsByProvince, placeholders } from '../../shared/db/routing';
import { query } from '../../shared/db/transaction';
import { fenFromColumn } from '../../shared/money';
import { must } from '../../shared/must';
import type { Purpose } from '../../shared/policy/vocabulary';
import type { PlanStep } from '../waterfall/waterfall';

/**
 * Settlements as stored, and the reads the resolvers need, batched per province. A row is an intent
 * (PENDING) until the ledger paid (SETTLED); a refund goes REFUNDING then REFUNDED; a 冲正 of an
 * intent goes VOIDING then VOIDED (every fen the ledger took under its key returned, the key spent).
 * Only SETTLED, REFUNDING and REFUNDED rows are settlements a client sees.
 */
export type SettlementState = 'PENDING' | 'SETTLED' | 'REFUNDING' | 'REFUNDED' | 'VOIDING' | 'VOIDED';

/** The states of a settlement that was made (the others are intents, or intents undone). */
export const MADE_STATES: readonly SettlementState[] = ['SETTLED', 'REFUNDING', 'REFUNDED'];

export function wasMade(record: SettlementRecord): boolean {
  return MADE_STATES.includes(record.state);
}

/** Who took a settlement out: its counter, the bureau without the card, or a 冲正. */
export type RefundKind = 'COUNTER' | 'ADMIN' | 'VOID';

export interface PaymentRecord {
  seq: number;
  source: 'OWN_ACCOUNT' | 'MUTUAL_AID';
  accountId: string;
  bindingId: string | null;
  amountFen: number;
  transferId: string;
}

/** One ledger call of a settlement: the steps of one province, in waterfall order. */
export interface DebitGroup {
  province: string;
  stepIndexes: number[];
}

export interface StoredPlan {
  steps: PlanStep[];
  debits: DebitGroup[];
}

export interface SettlementRecord {
  id: string;
  institutionId: string;
  idempotencyKey: string;
  requestHash: string;
  patientId: string;
  purpose: Purpose;
  state: SettlementState;
  inScopeFen: number;
  outOfScopeFen: number;
  totalFen: number;
  fundFen: number;
  deductibleAppliedFen: number;
  fundYear: number;
  ownFen: number;
  mutualFen: number;
  cashFen: number;
  plan: StoredPlan;
  refundKey: string | null;
  refundKind: RefundKind | null;
  createdAt: Date;
  refundedAt: Date | null;
  /** When the saga re-checked the paying bindings, just before moving money (null: not yet). */
  payingCheckedAt: Date | null;
  voidedAt: Date | null;
  payments: PaymentRecord[];
}

/**
 * What an (institution, key) may hold besides a settlement: a key a 冲正 spent before any settle used
 * it. It has no bill and paid nothing; it only keeps the key's unique index so that a late settle
 * with the key cannot write an intent.
 */
export interface SpentKey {
  state: 'KEY_SPENT';
  id: string;
  patientId: string;
}

export type KeyRecord = SettlementRecord | SpentKey;

export type SettlementPage = Page<SettlementRecord>;

/** A refund the bureau made (adminRefundSettlement), with who asked and why. */
export interface AdminRefundRecord {
  settlement: SettlementRecord;
  actor: string;
  reason: string;
}

export type AdminRefundPage = Page<AdminRefundRecord>;

/** Newest first by the instant the money was back: cursors carry (refundedAt, id). */
const ADMIN_REFUND_CURSOR = 'adminrefund';

export function decodeAdminRefundCursor(cursor: string): TimeCursor {
  return decodeTimeCursor(ADMIN_REFUND_CURSOR, cursor);
}

/**
 * A page of the ADMIN refunds of one region's patients (in its province): through
 * ix_settlements_admin_refunds, whose hidden last column is the id, so the region (the id's prefix)
 * and the cursor are checked on the index.
 */
export function adminRefundsSql(regionCode: string, first: number, after: TimeCursor | null): { sql: string; params: unknown[] } {
  return {
    sql: `SELECT ${SETTLEMENT_COLUMNS}, refund_actor, refund_reason FROM settlements FORCE INDEX (ix_settlements_admin_refunds)
      WHERE refund_kind = 'ADMIN' AND refunded_at IS NOT NULL AND id LIKE ?${after ? ` AND ${olderThan(after, 'refunded_at').sql}` : ''}
      ORDER BY refunded_at DESC, id DESC LIMIT ?`,
    params: [`${regionCode}-%`, ...(after ? olderThan(after, 'refunded_at').params : []), first + 1],
  };
}

export interface SettlementPageKey {
  patientId: string;
  first: number;
  after: TimeCursor | null;
}

export const SETTLEMENT_COLUMNS =
  'id, institution_id, idempotency_key, request_hash, patient_id, purpose, status, in_scope_fen, out_of_scope_fen, total_fen, fund_fen, deductible_applied_fen, fund_year, own_fen, mutual_fen, cash_fen, plan, refund_key, refund_kind, created_at, refunded_at, paying_checked_at, voided_at';

export type SettlementRow = {
  id: string;
  institution_id: string;
  idempotency_key: string;
  request_hash: string;
  patient_id: string;
  purpose: Purpose;
  status: SettlementState;
  in_scope_fen: string;
  out_of_scope_fen: string;
  total_fen: string;
  fund_fen: string;
  deductible_applied_fen: string;
  fund_year: number;
  own_fen: string | null;
  mutual_fen: string | null;
  cash_fen: string | null;
  plan: string;
  refund_key: string | null;
  refund_kind: RefundKind | null;
  created_at: Date;
  refunded_at: Date | null;
  paying_checked_at: Date | null;
  voided_at: Date | null;
};

/** A row read by its (institution, key), which may be a spent key rather than a settlement. */
export type KeyRow = Omit<SettlementRow, 'status' | 'purpose' | 'request_hash'> & {
  status: SettlementState | 'KEY_SPENT';
  purpose: Purpose | null;
  request_hash: string | null;
};

export function toKeyRecord(row: KeyRow): KeyRecord {
  if (row.status === 'KEY_SPENT') return { state: 'KEY_SPENT', id: row.id, patientId: row.patient_id };
  return toSettlement(row as SettlementRow);
}

export function toSettlement(row: SettlementRow, payments: PaymentRecord[] = []): SettlementRecord {
  const fen = (value: string | null) => (value === null ? 0 : fenFromColumn(value));
  return {
    id: row.id,
    institutionId: row.institution_id,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    patientId: row.patient_id,
    purpose: row.purpose,
    state: row.status,
    inScopeFen: fen(row.in_scope_fen),
    outOfScopeFen: fen(row.out_of_scope_fen),
    totalFen: fen(row.total_fen),
    fundFen: fen(row.fund_fen),
    deductibleAppliedFen: fen(row.deductible_applied_fen),
    fundYear: row.fund_year,
    ownFen: fen(row.own_fen),
    mutualFen: fen(row.mutual_fen),
    cashFen: fen(row.cash_fen),
    plan: JSON.parse(row.plan) as StoredPlan,
    refundKey: row.refund_key,
    refundKind: row.refund_kind,
    createdAt: row.created_at,
    refundedAt: row.refunded_at,
    payingCheckedAt: row.paying_checked_at,
    voidedAt: row.voided_at,
    payments,
  };
}

export class SettlementReads {
  constructor(private readonly backends: ProvinceBackends) {}

  private async withPayments(province: string, rows: SettlementRow[]): Promise<SettlementRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const paymentRows = await query<
      Array<{
        settlement_id: string;
        seq: number;
        source: PaymentRecord['source'];
        account_id: string;
        binding_id: string | null;
        amount_fen: string;
        transfer_id: string;
      }>
    >(
      this.backends.get(province),
      province,
      `SELECT settlement_id, seq, source, account_id, binding_id, amount_fen, transfer_id FROM settlement_payments WHERE settlement_id IN (${placeholders(ids)}) ORDER BY settlement_id, seq`,
      ids,
    );
    const bySettlement = new Map<string, PaymentRecord[]>();
    for (const row of paymentRows) {
      const list = bySettlement.get(row.settlement_id) ?? [];
      list.push({
        seq: row.seq,
        source: row.source,
        accountId: row.account_id,
        bindingId: row.binding_id,
        amountFen: fenFromColumn(row.amount_fen),
        transferId: row.transfer_id,
      });
      bySettlement.set(row.settlement_id, list);
    }
    return rows.map((row) => toSettlement(row, bySettlement.get(row.id) ?? []));
  }

  /** Settlements and intents by id with their payments (never a spent key): two statements per province. */
  async load(ids: readonly string[]): Promise<Map<string, SettlementRecord>> {
    const found = new Map<string, SettlementRecord>();
    await Promise.all(
      [...idsByProvince(this.backends, ids)].map(async ([province, group]) => {
        const rows = await query<SettlementRow[]>(
          this.backends.get(province),
          province,
          `SELECT ${SETTLEMENT_COLUMNS} FROM settlements WHERE id IN (${placeholders(group)}) AND status <> 'KEY_SPENT'`,
          group,
        );
        for (const record of await this.withPayments(province, rows)) found.set(record.id, record);
      }),
    );
    return found;
  }

  /** The bureau's refunds of a region's patients, newest first, each with its settlement and payments. */
  async adminRefunds(province: string, regionCode: string, first: number, after: TimeCursor | null): Promise<AdminRefundPage> {
    const { sql, params } = adminRefundsSql(regionCode, first, after);
    const rows = await query<Array<SettlementRow & { refund_actor: string; refund_reason: string }>>(
      this.backends.get(province),
      province,
      sql,
      params,
    );
    const settlements = await this.withPayments(province, rows);
    const refunds = rows.map((row, index) => ({ settlement: settlements[index], actor: row.refund_actor, reason: row.refund_reason }));
    return pageOf(refunds, first, (last) =>
      encodeTimeCursor(ADMIN_REFUND_CURSOR, {
        createdAt: must(last.settlement.refundedAt, 'an ADMIN refund read has its instant'),
        id: last.settlement.id,
      }),
    );
  }

  /**
   * Pages of finished settlements (not intents) of many patients, newest first: one UNION ALL of an
   * index-ordered LIMIT per patient, plus one statement for their payments, per province.
   */
  async pages(keys: readonly SettlementPageKey[]): Promise<SettlementPage[]> {
    const keyOf = (key: SettlementPageKey) => `${key.patientId}|${key.first}|${key.after?.createdAt.getTime()}|${key.after?.id}`;
    const byKey = new Map<string, SettlementRecord[]>();
    await Promise.all(
      [
        ...idsByProvince(
          this.backends,
          keys.map((key) => key.patientId),
        ),
      ].map(async ([province, patients]) => {
        const wanted = keys.filter((key) => patients.includes(key.patientId) && key.first > 0);
        if (wanted.length === 0) return;
        const parts = wanted.map(
          (key) =>
            `(SELECT ${SETTLEMENT_COLUMNS}, ? AS page_key FROM settlements WHERE patient_id = ? AND status IN ('SETTLED', 'REFUNDING', 'REFUNDED')${key.after ? ` AND ${olderThan(key.after).sql}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?)`,
        );
        const params = wanted.flatMap((key) => [
          keyOf(key),
          key.patientId,
          ...(key.after ? olderThan(key.after).params : []),
          key.first + 1,
        ]);
        const rows = await query<Array<SettlementRow & { page_key: string }>>(
          this.backends.get(province),
          province,
          parts.join(' UNION ALL '),
          params,
        );
        const records = await this.withPayments(province, rows);
        rows.forEach((row, index) => {
          byKey.set(row.page_key, [...(byKey.get(row.page_key) ?? []), records[index]]);
        });
      }),
    );
    return keys.map((key) => {
      const rows = (byKey.get(keyOf(key)) ?? []).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
      return pageOf(rows, key.first, (last) => encodeTimeCursor('settlement', last));
    });
  }
}
