import { fail } from '../../shared/errors';
import { SettlementsError } from '../errors';

/**
 * The rules of mutualAidStatistics that need no database: what a request may ask, how the cells of
 * several province backends become one answer, and small-cell suppression (statistical offices
 * withhold a cell of fewer than N persons, so that nobody can be picked out of a table).
 */
export const DIMENSIONS = ['REGION', 'MONTH', 'PURPOSE', 'RELATIONSHIP', 'PATIENT_SCHEME'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** A year, leap day included: longer periods are asked as several calls (each one statement per province). */
export const MAX_PERIOD_DAYS = 366;
const DAY_MS = 86_400_000;

export interface StatisticsRequest {
  groupBy: readonly Dimension[];
  from: Date;
  to: Date;
}

/** Coded refusals for a request no statement should run for. */
export function checkStatisticsRequest({ groupBy, from, to }: StatisticsRequest): void {
  if (groupBy.length === 0) fail(SettlementsError.groupByEmpty);
  const repeated = groupBy.find((dimension, index) => groupBy.indexOf(dimension) !== index);
  if (repeated) fail(SettlementsError.groupByRepeated(repeated));
  if (from.getTime() >= to.getTime()) fail(SettlementsError.periodEmpty);
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) fail(SettlementsError.periodTooLong(MAX_PERIOD_DAYS));
}

/** One cell as a province backend (or the merged answer) has it: key values in the order asked. */
export interface Cell {
  key: string[];
  patients: number;
  settlements: number;
  amountFen: bigint;
}

/**
 * The cells of every province as one table. A patient's settlements all live in his own province
 * (ids route by the patient's region, DESIGN.md, Regional backends), so no patient is counted by
 * two provinces and adding their distinct-patient counts per key is exact; so are settlements
 * (each lives once) and amounts. Suppression must come after this: two provinces' cells of 6
 * patients each are one cell of 12.
 */
export function mergeCells(cells: readonly Cell[]): Cell[] {
  const merged = new Map<string, Cell>();
  for (const cell of cells) {
    const id = JSON.stringify(cell.key);
    const known = merged.get(id);
    if (known) {
      known.patients += cell.patients;
      known.settlements += cell.settlements;
      known.amountFen += cell.amountFen;
    } else merged.set(id, { ...cell, key: [...cell.key] });
  }
  return [...merged.values()].sort((a, b) => compareKeys(a.key, b.key));
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let index = 0; index < a.length; index++) {
    if (a[index] !== b[index]) return a[index] < b[index] ? -1 : 1;
  }
  return 0;
}

/** Cells of at least `minPatients` distinct patients are shown; the others are only counted. */
export function suppressSmallCells(cells: readonly Cell[], minPatients: number): { cells: Cell[]; suppressedCells: number } {
  const shown = cells.filter((cell) => cell.patients >= minPatients);
  return { cells: shown, suppressedCells: cells.length - shown.length };
}
