import type { ProvinceBackends } from '../shared/db/backends';
import { query } from '../shared/db/transaction';
import { fenFromColumn } from '../shared/money';
import { provinceOfRegion } from '../shared/ids';

/** Aggregates of a region's settlements over [from, to): counts and sums only, nothing per person. */
export async function settlementTotals(backends: ProvinceBackends, regionCode: string, from: Date | null, to: Date | null): Promise<{ settlements: number; amountSharedFen: number }> {
  const province = provinceOfRegion(regionCode);
  if (!backends.has(province)) return { settlements: 0, amountSharedFen: 0 };
  const conditions = ['patient_id LIKE ?', "status IN ('SETTLED', 'REFUNDING')"];
  const params: unknown[] = [`${regionCode}-%`];
  if (from) {
    conditions.push('created_at >= ?');
    params.push(from);
  }
  if (to) {
    conditions.push('created_at < ?');
    params.push(to);
  }
  const [row] = await query<Array<{ settlements: string; shared: string | null }>>(backends.get(province), province,
    `SELECT COUNT(*) AS settlements, SUM(mutual_fen) AS shared FROM settlements WHERE ${conditions.join(' AND ')}`, params);
  return { settlements: Number(row.settlements), amountSharedFen: row.shared === null ? 0 : fenFromColumn(row.shared) };
}
