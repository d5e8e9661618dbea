import type { DataSource } from 'typeorm';
import { query, RetryableConflict, type Sql } from '../../shared/db/transaction';
import { fail } from '../../shared/errors';
import { SettlementsError } from '../errors';
import type { PoolingRule } from '../../shared/policy/policy';
import { settlementsToRefundFirst, type FundedSettlement } from '../waterfall/fundOrder';
import type { FundUse } from '../waterfall/waterfall';
import type { SettlementRecord } from './records';

/**
 * The year's fund use of one patient and purpose (fund_usage, in the patient's province): the
 * deductible used, what the fund paid, and the sequence that orders the fund shares. The year is the
 * calendar year in China Standard Time (shared/chinaTime.ts, chinaYear). Every change takes the row's
 * lock first, so the fund shares of one patient, year and purpose are computed one at a time, in the
 * order waterfall/fundOrder.ts relies on. The lock is only local to one database node (Galera, TiDB):
 * every change is therefore also conditional on the sequence read under it, and every change advances
 * it, so a change decided on a row another node changed meanwhile matches nothing and the whole
 * transaction runs again (RetryableConflict) instead of counting a share computed from stale counters.
 */
export type FundUseKey = Pick<SettlementRecord, 'patientId' | 'fundYear' | 'purpose'>;

/** What a quote plans with: the counters as they are, no lock, nothing created. */
export async function readFundUse(dataSource: DataSource, province: string, key: FundUseKey): Promise<FundUse> {
  const [row] = await query<Array<{ deductible_used_fen: string; fund_paid_fen: string }>>(
    dataSource,
    province,
    'SELECT deductible_used_fen, fund_paid_fen FROM fund_usage WHERE patient_id = ? AND fund_year = ? AND purpose = ?',
    [key.patientId, key.fundYear, key.purpose],
  );
  return { deductibleUsedFen: Number(row?.deductible_used_fen ?? 0), fundPaidFen: Number(row?.fund_paid_fen ?? 0) };
}

/** The year's fund use as read under its row lock: the counters and the sequence every change is conditional on. */
export interface LockedFundUse extends FundUse {
  key: FundUseKey;
  lastSeq: number;
}

/** The row of the year's fund use, created at zero if new, locked for this transaction. */
export async function lockFundUse(sql: Sql, key: FundUseKey): Promise<LockedFundUse> {
  await sql.query(
    'INSERT INTO fund_usage (patient_id, fund_year, purpose, deductible_used_fen, fund_paid_fen) VALUES (?, ?, ?, 0, 0) ON DUPLICATE KEY UPDATE patient_id = patient_id',
    [key.patientId, key.fundYear, key.purpose],
  );
  const [row] = (await sql.query(
    'SELECT deductible_used_fen, fund_paid_fen, last_seq FROM fund_usage WHERE patient_id = ? AND fund_year = ? AND purpose = ? FOR UPDATE',
    [key.patientId, key.fundYear, key.purpose],
  )) as Array<{ deductible_used_fen: string; fund_paid_fen: string; last_seq: string }>;
  return {
    key: { patientId: key.patientId, fundYear: key.fundYear, purpose: key.purpose },
    deductibleUsedFen: Number(row.deductible_used_fen),
    fundPaidFen: Number(row.fund_paid_fen),
    lastSeq: Number(row.last_seq),
  };
}

/**
 * Applies signed deltas to the locked row and advances its sequence, only while the sequence is the
 * one read under the lock; RetryableConflict when another writer changed the row meanwhile.
 */
async function changeFundUse(sql: Sql, locked: LockedFundUse, delta: { deductibleFen: number; fundFen: number }): Promise<void> {
  const { key } = locked;
  const result = (await sql.query(
    'UPDATE fund_usage SET deductible_used_fen = deductible_used_fen + ?, fund_paid_fen = fund_paid_fen + ?, last_seq = last_seq + 1 WHERE patient_id = ? AND fund_year = ? AND purpose = ? AND last_seq = ?',
    [delta.deductibleFen, delta.fundFen, key.patientId, key.fundYear, key.purpose, locked.lastSeq],
  )) as { affectedRows: number };
  if (result.affectedRows !== 1) throw new RetryableConflict('fund use changed under a settlement');
}

/** Counts a new fund share on the locked row; answers the share's sequence number (the settlement's fund_seq). */
export async function chargeFundUse(
  sql: Sql,
  locked: LockedFundUse,
  share: { deductibleAppliedFen: number; fundFen: number },
): Promise<number> {
  await changeFundUse(sql, locked, { deductibleFen: share.deductibleAppliedFen, fundFen: share.fundFen });
  return locked.lastSeq + 1;
}

/**
 * Gives a settlement's share back to the locked row, in the transaction that takes the settlement
 * out. It advances the sequence too: whether a settlement may leave was decided on the standing ones
 * (mayLeaveFundUse), and a share charged meanwhile must find the row changed.
 */
export async function giveBackFundUse(
  sql: Sql,
  locked: LockedFundUse,
  share: Pick<SettlementRecord, 'deductibleAppliedFen' | 'fundFen'>,
): Promise<void> {
  await changeFundUse(sql, locked, { deductibleFen: -share.deductibleAppliedFen, fundFen: -share.fundFen });
}

/**
 * Whether the settlement may leave the year's fund use under the fund's rule (waterfall/fundOrder.ts),
 * read under the row's lock: false when it no longer stands (someone took it out first); refused
 * (INVALID_STATE, naming them) while later standing settlements' shares depend on it.
 */
export async function mayLeaveFundUse(
  sql: Sql,
  record: SettlementRecord,
  ruleAt: (madeAt: Date) => PoolingRule | undefined,
): Promise<boolean> {
  const standing = (
    (await sql.query(
      `SELECT id, in_scope_fen, fund_fen, deductible_applied_fen, created_at FROM settlements
     WHERE patient_id = ? AND fund_year = ? AND purpose = ? AND status IN ('PENDING', 'SETTLED') ORDER BY COALESCE(fund_seq, 0), created_at, id`,
      [record.patientId, record.fundYear, record.purpose],
    )) as Array<{ id: string; in_scope_fen: string; fund_fen: string; deductible_applied_fen: string; created_at: Date }>
  ).map(
    (row): FundedSettlement => ({
      id: row.id,
      inScopeFen: Number(row.in_scope_fen),
      fundFen: Number(row.fund_fen),
      deductibleAppliedFen: Number(row.deductible_applied_fen),
      // A settlement's share was computed by the rule in force when it was made (a policy version
      // may change the rules within the year).
      rule: ruleAt(row.created_at),
    }),
  );
  if (!standing.some((settlement) => settlement.id === record.id)) return false;
  const first = settlementsToRefundFirst(standing, record.id);
  if (first.length > 0) fail(SettlementsError.refundLaterFirst(first));
  return true;
}
