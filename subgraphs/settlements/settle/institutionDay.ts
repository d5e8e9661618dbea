import type { DataSource } from 'typeorm';
import { chinaDay } from '../../shared/chinaTime';
import type { ProvinceBackends } from '../../shared/db/backends';
import { query } from '../../shared/db/transaction';
import type { Identity } from '../../shared/identity';
import { newId } from '../../shared/ids';
import { sumFromColumn } from '../../shared/money';
import { decodeTimeCursor, encodeTimeCursor, pageOf, type Page, type TimeCursor, olderThan } from '../../shared/cursor';

/**
 * 对账: one institution's day (China Standard Time) from the stored settlements themselves — no
 * second counter that could drift — and its comparison with the institution's own figures.
 *
 * Every transaction counts on the day it was made, as the national platform's 对账 does: a
 * settlement on the day it was created, a refund (or a void that refunded) on the day it was
 * finished, whatever day its settlement was made. So a day's figures never change once it is over.
 * Money is paid by the day's settlements minus returned by the day's refunds (negative on a day
 * of refunds only), summed exactly as bigint.
 *
 * One statement per province, each half through its own index: ix_settlements_institution_day
 * (institution_id, created_at) and ix_settlements_institution_refunds (institution_id, refunded_at),
 * so an institution with 100,000 settlements a day reads only that day's rows. The hints are there
 * because the optimizer otherwise prefers the (institution_id, idempotency_key) unique key, which
 * reads every day the institution ever had. `cash_fen IS NOT NULL` marks a settlement whose outcome
 * is recorded: an open intent is not a transaction yet.
 */
export interface InstitutionDayFigures {
  institutionId: string;
  date: string;
  settlements: number;
  refunded: number;
  fundFen: bigint;
  ownFen: bigint;
  mutualFen: bigint;
  cashFen: bigint;
}

export interface InstitutionFigures {
  institutionId: string;
  date: string;
  settlements: number;
  fundFen: bigint;
  ownFen: bigint;
  mutualFen: bigint;
  cashFen: bigint;
  settlementIds?: string[] | null;
}

export interface ReconciliationOutcome {
  matched: boolean;
  system: InstitutionDayFigures;
  missingAtInstitution: string[];
  unknownToSystem: string[];
}

const MONEY_COLUMNS = 'SUM(fund_fen) AS fund, SUM(own_fen) AS own, SUM(mutual_fen) AS mutual, SUM(cash_fen) AS cash';
const MADE = (regionFilter: string) => `FROM settlements FORCE INDEX (ix_settlements_institution_day)
  WHERE institution_id = ? AND created_at >= ? AND created_at < ? AND cash_fen IS NOT NULL${regionFilter}`;
const REFUNDED = (regionFilter: string) => `FROM settlements FORCE INDEX (ix_settlements_institution_refunds)
  WHERE institution_id = ? AND refunded_at >= ? AND refunded_at < ? AND cash_fen IS NOT NULL${regionFilter}`;
const PATIENT_REGION = ' AND patient_id LIKE ?';

/** The day's statement: the settlements made that day, then the refunds made that day. */
function institutionDaySql(byPatientRegion: boolean): string {
  const filter = byPatientRegion ? PATIENT_REGION : '';
  return `SELECT 'MADE' AS kind, COUNT(*) AS n, ${MONEY_COLUMNS} ${MADE(filter)}
  UNION ALL SELECT 'REFUNDED' AS kind, COUNT(*) AS n, ${MONEY_COLUMNS} ${REFUNDED(filter)}`;
}

export const INSTITUTION_DAY_SQL = institutionDaySql(false);

type DayRow = {
  kind: 'MADE' | 'REFUNDED';
  n: string | number;
  fund: string | null;
  own: string | null;
  mutual: string | null;
  cash: string | null;
};

/** Stored audit rows keep sums as decimal strings of fen (JSON has no bigint). */
const jsonWithBigints = (value: unknown) =>
  JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? field.toString() : field));

export class InstitutionDays {
  constructor(
    private readonly backends: ProvinceBackends,
    private readonly national: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** `patientRegion` limits an ADMIN of one region to the settlements of its patients. */
  async day(institutionId: string, date: string, patientRegion?: string): Promise<InstitutionDayFigures> {
    const { start, end } = chinaDay(date);
    const region = patientRegion ? [`${patientRegion}-%`] : [];
    const rows = (
      await Promise.all(
        this.backends
          .provinces()
          .map((province) =>
            query<DayRow[]>(this.backends.get(province), province, institutionDaySql(patientRegion !== undefined), [
              institutionId,
              start,
              end,
              ...region,
              institutionId,
              start,
              end,
              ...region,
            ]),
          ),
      )
    ).flat();
    const figures: InstitutionDayFigures = {
      institutionId,
      date,
      settlements: 0,
      refunded: 0,
      fundFen: 0n,
      ownFen: 0n,
      mutualFen: 0n,
      cashFen: 0n,
    };
    for (const row of rows) {
      const sign = row.kind === 'MADE' ? 1n : -1n;
      if (row.kind === 'MADE') figures.settlements += Number(row.n);
      else figures.refunded += Number(row.n);
      figures.fundFen += sign * sumFromColumn(row.fund);
      figures.ownFen += sign * sumFromColumn(row.own);
      figures.mutualFen += sign * sumFromColumn(row.mutual);
      figures.cashFen += sign * sumFromColumn(row.cash);
    }
    return figures;
  }

  /** Ids of the settlements made that day, refunded since or not: what the institution's own list holds. */
  private async madeIds(institutionId: string, date: string, patientRegion?: string): Promise<string[]> {
    const { start, end } = chinaDay(date);
    const filter = patientRegion ? PATIENT_REGION : '';
    const rows = (
      await Promise.all(
        this.backends
          .provinces()
          .map((province) =>
            query<Array<{ id: string }>>(this.backends.get(province), province, `SELECT id ${MADE(filter)}`, [
              institutionId,
              start,
              end,
              ...(patientRegion ? [`${patientRegion}-%`] : []),
            ]),
          ),
      )
    ).flat();
    return rows.map((row) => row.id).sort();
  }

  /** An ADMIN limited to a region reconciles the settlements of that region's patients only. */
  async reconcile(submitted: InstitutionFigures, actor: Identity): Promise<ReconciliationOutcome> {
    const patientRegion = actor.role === 'ADMIN' ? actor.region : undefined;
    const system = await this.day(submitted.institutionId, submitted.date, patientRegion);
    let missingAtInstitution: string[] = [];
    let unknownToSystem: string[] = [];
    if (submitted.settlementIds) {
      const known = await this.madeIds(submitted.institutionId, submitted.date, patientRegion);
      const listed = new Set(submitted.settlementIds);
      const made = new Set(known);
      missingAtInstitution = known.filter((id) => !listed.has(id));
      unknownToSystem = [...listed].filter((id) => !made.has(id)).sort();
    }
    const matched =
      submitted.settlements === system.settlements &&
      submitted.fundFen === system.fundFen &&
      submitted.ownFen === system.ownFen &&
      submitted.mutualFen === system.mutualFen &&
      submitted.cashFen === system.cashFen &&
      missingAtInstitution.length === 0 &&
      unknownToSystem.length === 0;
    await query(
      this.national,
      'national',
      `INSERT INTO institution_reconciliations (id, institution_id, day, patient_region, matched, submitted, system_figures, missing_at_institution, unknown_to_system, actor_role, actor_sub, request_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        newId('100000'),
        submitted.institutionId,
        submitted.date,
        patientRegion ?? null,
        matched,
        jsonWithBigints({ ...submitted, settlementIds: submitted.settlementIds?.length ?? null }),
        jsonWithBigints(system),
        missingAtInstitution.length,
        unknownToSystem.length,
        actor.role ?? 'NONE',
        actor.sub ?? '',
        actor.requestId,
        this.clock(),
      ],
    );
    return { matched, system, missingAtInstitution, unknownToSystem };
  }

  /**
   * The recorded 对账 calls of an institution, newest first. `region`: an ADMIN limited to a region
   * reads only the calls made for that region's patients, never figures of other regions.
   */
  async attempts(institutionId: string, region: string | undefined, first: number, after: TimeCursor | null): Promise<AttemptPage> {
    const conditions = ['institution_id = ?'];
    const params: unknown[] = [institutionId];
    if (region) {
      conditions.push('patient_region = ?');
      params.push(region);
    }
    if (after) {
      const older = olderThan(after);
      conditions.push(older.sql);
      params.push(...older.params);
    }
    const rows = await query<
      Array<{
        id: string;
        institution_id: string;
        day: string;
        patient_region: string | null;
        matched: number;
        missing_at_institution: number;
        unknown_to_system: number;
        actor_role: string;
        actor_sub: string;
        created_at: Date;
      }>
    >(
      this.national,
      'national',
      `SELECT id, institution_id, day, patient_region, matched, missing_at_institution, unknown_to_system, actor_role, actor_sub, created_at
       FROM institution_reconciliations FORCE INDEX (ix_institution_reconciliations_time) WHERE ${conditions.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`,
      [...params, first + 1],
    );
    const attempts = rows.map(
      (row): ReconciliationAttempt => ({
        id: row.id,
        institutionId: row.institution_id,
        date: row.day,
        regionCode: row.patient_region,
        matched: row.matched === 1,
        missingAtInstitution: row.missing_at_institution,
        unknownToSystem: row.unknown_to_system,
        actorRole: row.actor_role,
        actorSub: row.actor_sub,
        createdAt: row.created_at,
      }),
    );
    return pageOf(attempts, first, (last) => encodeTimeCursor(ATTEMPT_CURSOR, last));
  }
}

/** One 对账 call as recorded (institution_reconciliations). */
export interface ReconciliationAttempt {
  id: string;
  institutionId: string;
  date: string;
  /** The region whose patients were reconciled; null: every region. */
  regionCode: string | null;
  matched: boolean;
  missingAtInstitution: number;
  unknownToSystem: number;
  actorRole: string;
  actorSub: string;
  createdAt: Date;
}

export type AttemptPage = Page<ReconciliationAttempt>;

const ATTEMPT_CURSOR = 'reconciliation';

export function decodeAttemptCursor(cursor: string): TimeCursor {
  return decodeTimeCursor(ATTEMPT_CURSOR, cursor);
}
