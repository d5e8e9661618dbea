import type { DataSource } from 'typeorm';
import { chinaDay } from '../../shared/chinaTime';
import type { ProvinceBackends } from '../../shared/db/backends';
import { query } from '../../shared/db/transaction';
import type { Identity } from '../../shared/identity';
import { newId } from '../../shared/ids';
import { fenFromColumn } from '../../shared/money';

/**
 * 对账: one institution's day (China Standard Time) from the stored settlements themselves — no
 * second counter that could drift — and its comparison with the institution's own figures. The
 * statement per province uses ix_settlements_institution_day (institution_id, created_at), so an
 * institution with 100,000 settlements a day reads only its own rows of that day. The hint is there
 * because the optimizer otherwise prefers the (institution_id, idempotency_key) unique key, which
 * reads every day the institution ever had.
 */
export interface InstitutionDayFigures {
  institutionId: string;
  date: string;
  settlements: number;
  refunded: number;
  fundFen: number;
  ownFen: number;
  mutualFen: number;
  cashFen: number;
}

export interface InstitutionFigures {
  institutionId: string;
  date: string;
  settlements: number;
  fundFen: number;
  ownFen: number;
  mutualFen: number;
  cashFen: number;
  settlementIds?: string[] | null;
}

export interface ReconciliationOutcome {
  matched: boolean;
  system: InstitutionDayFigures;
  missingAtInstitution: string[];
  unknownToSystem: string[];
}

export const INSTITUTION_DAY_SQL = `SELECT status, COUNT(*) AS n, SUM(fund_fen) AS fund, SUM(own_fen) AS own, SUM(mutual_fen) AS mutual, SUM(cash_fen) AS cash
  FROM settlements FORCE INDEX (ix_settlements_institution_day) WHERE institution_id = ? AND created_at >= ? AND created_at < ? AND status IN ('SETTLED', 'REFUNDING', 'REFUNDED')`;

export class InstitutionDays {
  constructor(private readonly backends: ProvinceBackends, private readonly national: DataSource, private readonly clock: () => Date = () => new Date()) {}

  /** `patientRegion` limits an ADMIN of one region to the settlements of its patients. */
  async day(institutionId: string, date: string, patientRegion?: string): Promise<InstitutionDayFigures> {
    const { start, end } = chinaDay(date);
    const figures: InstitutionDayFigures = { institutionId, date, settlements: 0, refunded: 0, fundFen: 0, ownFen: 0, mutualFen: 0, cashFen: 0 };
    const regionFilter = patientRegion ? ' AND patient_id LIKE ?' : '';
    const rows = (await Promise.all(this.backends.provinces().map((province) => query<Array<{ status: string; n: string; fund: string | null; own: string | null; mutual: string | null; cash: string | null }>>(
      this.backends.get(province), province, `${INSTITUTION_DAY_SQL}${regionFilter} GROUP BY status`,
      [institutionId, start, end, ...(patientRegion ? [`${patientRegion}-%`] : [])])))).flat();
    for (const row of rows) {
      if (row.status === 'REFUNDED') {
        figures.refunded += Number(row.n);
        continue;
      }
      figures.settlements += Number(row.n);
      figures.fundFen += fenFromColumn(row.fund ?? 0);
      figures.ownFen += fenFromColumn(row.own ?? 0);
      figures.mutualFen += fenFromColumn(row.mutual ?? 0);
      figures.cashFen += fenFromColumn(row.cash ?? 0);
    }
    return figures;
  }

  private async settledIds(institutionId: string, date: string, patientRegion?: string): Promise<string[]> {
    const { start, end } = chinaDay(date);
    const regionFilter = patientRegion ? ' AND patient_id LIKE ?' : '';
    const rows = (await Promise.all(this.backends.provinces().map((province) => query<Array<{ id: string }>>(this.backends.get(province), province,
      `SELECT id FROM settlements FORCE INDEX (ix_settlements_institution_day) WHERE institution_id = ? AND created_at >= ? AND created_at < ? AND status IN ('SETTLED', 'REFUNDING')${regionFilter}`,
      [institutionId, start, end, ...(patientRegion ? [`${patientRegion}-%`] : [])])))).flat();
    return rows.map((row) => row.id).sort();
  }

  /** An ADMIN limited to a region reconciles the settlements of that region's patients only. */
  async reconcile(submitted: InstitutionFigures, actor: Identity): Promise<ReconciliationOutcome> {
    const patientRegion = actor.role === 'ADMIN' ? actor.region : undefined;
    const system = await this.day(submitted.institutionId, submitted.date, patientRegion);
    let missingAtInstitution: string[] = [];
    let unknownToSystem: string[] = [];
    if (submitted.settlementIds) {
      const known = await this.settledIds(submitted.institutionId, submitted.date, patientRegion);
      const listed = new Set(submitted.settlementIds);
      missingAtInstitution = known.filter((id) => !listed.has(id));
      unknownToSystem = [...listed].filter((id) => !known.includes(id)).sort();
    }
    const matched = submitted.settlements === system.settlements && submitted.fundFen === system.fundFen && submitted.ownFen === system.ownFen
      && submitted.mutualFen === system.mutualFen && submitted.cashFen === system.cashFen && missingAtInstitution.length === 0 && unknownToSystem.length === 0;
    await query(this.national, 'national',
      `INSERT INTO institution_reconciliations (id, institution_id, day, matched, submitted, system_figures, missing_at_institution, unknown_to_system, actor_role, actor_sub, request_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [newId('100000'), submitted.institutionId, submitted.date, matched, JSON.stringify({ ...submitted, settlementIds: submitted.settlementIds?.length ?? null }), JSON.stringify(system),
        missingAtInstitution.length, unknownToSystem.length, actor.role ?? 'NONE', actor.sub ?? '', actor.requestId, this.clock()]);
    return { matched, system, missingAtInstitution, unknownToSystem };
  }
}
