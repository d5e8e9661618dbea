import type { ProvinceBackends } from '../shared/db/backends';
import { query } from '../shared/db/transaction';
import { provinceOfRegion } from '../shared/ids';
import { sumFromColumn } from '../shared/money';
import { must } from '../shared/must';

/**
 * Aggregates of a region's settlements over [from, to): counts and sums only, nothing per person.
 * Like 对账, each transaction counts at the instant it was made (a settlement when created, a
 * refund when finished), so a period that is over never changes; sums are exact (bigint).
 */
export interface SettlementTotals {
  /** Settlements made in the period, refunded since or not. */
  settlements: number;
  /** Refunds made in the period, whenever their settlement was made. */
  refunded: number;
  /** Paid by relatives' accounts in the period's settlements minus returned by the period's refunds. */
  amountSharedFen: bigint;
}

function period(column: 'created_at' | 'refunded_at', from: Date | null, to: Date | null): { sql: string; params: Date[] } {
  const conditions = [...(from ? [`${column} >= ?`] : []), ...(to ? [`${column} < ?`] : [])];
  return { sql: conditions.map((condition) => ` AND ${condition}`).join(''), params: [...(from ? [from] : []), ...(to ? [to] : [])] };
}

export async function settlementTotals(
  backends: ProvinceBackends,
  regionCode: string,
  from: Date | null,
  to: Date | null,
): Promise<SettlementTotals> {
  const province = provinceOfRegion(regionCode);
  if (!backends.has(province)) return { settlements: 0, refunded: 0, amountSharedFen: 0n };
  const made = period('created_at', from, to);
  const refunded = period('refunded_at', from, to);
  const patients = `${regionCode}-%`;
  const rows = await query<Array<{ kind: 'MADE' | 'REFUNDED'; n: string | number; shared: string | null }>>(
    backends.get(province),
    province,
    `SELECT 'MADE' AS kind, COUNT(*) AS n, SUM(mutual_fen) AS shared FROM settlements WHERE patient_id LIKE ? AND cash_fen IS NOT NULL${made.sql}
     UNION ALL SELECT 'REFUNDED' AS kind, COUNT(*) AS n, SUM(mutual_fen) AS shared FROM settlements WHERE patient_id LIKE ? AND cash_fen IS NOT NULL AND refunded_at IS NOT NULL${refunded.sql}`,
    [patients, ...made.params, patients, ...refunded.params],
  );
  const row = (kind: 'MADE' | 'REFUNDED') =>
    must(
      rows.find((candidate) => candidate.kind === kind),
      `the ${kind} count answers one row`,
    );
  return {
    settlements: Number(row('MADE').n),
    refunded: Number(row('REFUNDED').n),
    amountSharedFen: sumFromColumn(row('MADE').shared) - sumFromColumn(row('REFUNDED').shared),
  };
}
