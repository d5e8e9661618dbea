import { createHash } from 'node:crypto';

/**
 * The 18-character resident identity number of GB 11643-1999: 6-digit address code, 8-digit birth
 * date, 3-digit sequence, and an ISO 7064 MOD 11-2 check character (0-9 or X).
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
const SHAPE = /^[1-9][0-9]{16}[0-9X]$/;

export type ResidentIdProblem = 'FORMAT' | 'BIRTH_DATE' | 'CHECK_DIGIT';

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

/** Upper-cases a trailing x, the only normalisation the standard allows. */
export function normalizeResidentId(raw: string): string {
  return raw.trim().toUpperCase();
}

/** Returns what is wrong with a (normalised) number, or null when it is valid on `today`. */
export function residentIdProblem(idNumber: string, today: Date = new Date()): ResidentIdProblem | null {
  if (!SHAPE.test(idNumber)) return 'FORMAT';
  const year = Number(idNumber.slice(6, 10));
  const month = Number(idNumber.slice(10, 12));
  const day = Number(idNumber.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  const isRealDate = birth.getUTCFullYear() === year && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
  if (!isRealDate || year < 1880 || birth.getTime() > today.getTime()) return 'BIRTH_DATE';
  if (checkCharacter(idNumber.slice(0, 17)) !== idNumber[17]) return 'CHECK_DIGIT';
  return null;
}

/** First 4 and last 4 characters kept, `*` between: the only form of the number ever served. */
export function maskResidentId(idNumber: string): string {
  return `${idNumber.slice(0, 4)}${'*'.repeat(idNumber.length - 8)}${idNumber.slice(-4)}`;
}

/** The key of the nationwide uniqueness registry; the number itself is never stored. */
export function residentIdHash(idNumber: string): string {
  return createHash('sha256').update(`gb11643:${idNumber}`).digest('hex');
}
