import type { ProvinceBackends } from '../../shared/db/backends';
import { query } from '../../shared/db/transaction';
import { provinceOfRegion } from '../../shared/ids';
import { sumFromColumn } from '../../shared/money';
import { mergeCells, suppressSmallCells, type Cell, type Dimension } from './cells';

/**
 * mutualAidStatistics: the money relatives' accounts paid for patients, grouped as asked, with
 * nothing about any person. Counted by transaction day as 对账 and mutualAidSummary are
 * (settle/institutionDay.ts): a settlement's mutual-aid payments at the instant it was made, their
 * return at the instant its refund (counter, ADMIN or 冲正) finished, so a period that is over never
 * changes. A cell's amount is paid minus returned; its patients are the distinct patients with a
 * payment or a return in it; its settlements are those made in the period.
 *
 * REGION is the patient's region (settlements live in the patient's province), MONTH the calendar
 * month in China Standard Time, RELATIONSHIP the binding's and PATIENT_SCHEME the patient's when the
 * money moved (recorded then, migration 1764806400300); rows from before that record have UNKNOWN.
 *
 * One statement per province backend asked: its two halves range over ix_settlements_mutual_made
 * (created_at, …) and ix_settlements_mutual_refunded (refunded_at, …), which hold every settlements
 * column read, so a year of a province reads the period's index entries and, for those with mutual
 * aid, their payments by primary key; only the grouping itself uses a temporary table.
 */
const DIMENSION_SQL: Record<Dimension, string> = {
  REGION: 'LEFT(e.patient_id, 6)',
  // Stored instants are UTC (the pool's timezone 'Z'); China Standard Time has no daylight saving.
  MONTH: "DATE_FORMAT(e.at + INTERVAL 8 HOUR, '%Y-%m')",
  PURPOSE: 'e.purpose',
  RELATIONSHIP: "COALESCE(e.relationship, 'UNKNOWN')",
  PATIENT_SCHEME: "COALESCE(e.patient_scheme, 'UNKNOWN')",
};

/** One half: the period's settlements (MADE) or refunds, one row per mutual-aid payment, returns negative. */
function half(made: boolean, byRegion: boolean): string {
  const at = made ? 'created_at' : 'refunded_at';
  return `SELECT ${made ? 1 : 0} AS made, s.id, s.patient_id, s.purpose, s.patient_scheme, s.${at} AS at, p.relationship, ${made ? '' : '-'}p.amount_fen AS amount_fen
    FROM settlements s FORCE INDEX (${made ? 'ix_settlements_mutual_made' : 'ix_settlements_mutual_refunded'})
    JOIN settlement_payments p ON p.settlement_id = s.id AND p.source = 'MUTUAL_AID'
    WHERE s.${at} >= ? AND s.${at} < ? AND s.mutual_fen > 0${byRegion ? ' AND s.patient_id LIKE ?' : ''}`;
}

/** The statement for one province; its parameters are [from, to, (region pattern)] twice (statisticsParams). */
export function statisticsSql(groupBy: readonly Dimension[], byRegion: boolean): string {
  const keys = groupBy.map((dimension, index) => `${DIMENSION_SQL[dimension]} AS k${index}`);
  return `SELECT ${keys.join(', ')}, COUNT(DISTINCT e.patient_id) AS patients,
    COUNT(DISTINCT CASE WHEN e.made = 1 THEN e.id END) AS settlements, SUM(e.amount_fen) AS amount
  FROM (${half(true, byRegion)}
    UNION ALL ${half(false, byRegion)}) e
  GROUP BY ${groupBy.map((_dimension, index) => `k${index}`).join(', ')}`;
}

export function statisticsParams(from: Date, to: Date, regionCode: string | null): unknown[] {
  const period = [from, to, ...(regionCode ? [`${regionCode}-%`] : [])];
  return [...period, ...period];
}

type CellRow = Record<string, unknown> & { patients: string | number; settlements: string | number; amount: string | null };

export interface MutualAidStatistics {
  cells: Cell[];
  suppressedCells: number;
}

export class Statistics {
  constructor(
    private readonly backends: ProvinceBackends,
    /** Cells with fewer distinct patients are withheld (STATISTICS_MIN_PATIENTS). */
    private readonly minPatients: number,
  ) {}

  /** `regionCode` null: every province backend, one statement each; otherwise only the region's province. */
  async read(groupBy: readonly Dimension[], from: Date, to: Date, regionCode: string | null): Promise<MutualAidStatistics> {
    const provinces = regionCode
      ? [provinceOfRegion(regionCode)].filter((province) => this.backends.has(province))
      : this.backends.provinces();
    const sql = statisticsSql(groupBy, regionCode !== null);
    const params = statisticsParams(from, to, regionCode);
    const rows = (
      await Promise.all(provinces.map((province) => query<CellRow[]>(this.backends.get(province), province, sql, params)))
    ).flat();
    const cells = rows.map((row) => ({
      key: groupBy.map((_dimension, index) => String(row[`k${index}`])),
      patients: Number(row.patients),
      settlements: Number(row.settlements),
      amountFen: sumFromColumn(row.amount),
    }));
    return suppressSmallCells(mergeCells(cells), this.minPatients);
  }
}
