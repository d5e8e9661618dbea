import { fail, SharedError } from './errors';

/** Days of the bureau and its institutions are calendar days in China Standard Time (UTC+8). */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const CST_OFFSET_MS = 8 * 3_600_000;

/** [start, end) in UTC of a calendar day in China Standard Time. */
export function chinaDay(date: string): { start: Date; end: Date } {
  const match = DAY.exec(date);
  const start = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) - CST_OFFSET_MS) : new Date(NaN);
  if (!match || Number.isNaN(start.getTime()) || new Date(start.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10) !== date) {
    fail(SharedError.dayMalformed);
  }
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

export function chinaToday(now = new Date()): string {
  return new Date(now.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The calendar year in China Standard Time, which fund use (deductibles, caps) is counted by. */
export function chinaYear(at: Date): number {
  return new Date(at.getTime() + CST_OFFSET_MS).getUTCFullYear();
}
