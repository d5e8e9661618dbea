import { fail, messageOf, type Outcome, SharedError } from './errors';

/**
 * Money is an integer number of fen inside the system; a `Money` string ("12.30", yuan with two
 * fraction digits) exists only at the GraphQL edge. No floats ever touch an amount.
 *
 * Amounts are bounded by their role (DESIGN.md, second round): a single credit or payment is at
 * most 10^9 yuan and a balance at most 10^10 yuan, so every amount and balance is a safe JS integer
 * with a wide margin. Sums over many rows (reports) are not bounded: they travel as bigint from the
 * database's exact SUM to the Money scalar, never through a JS number that could pass 2^53.
 */

/** 10^9 yuan: the largest single credit or payment. */
export const MAX_PAYMENT_FEN = 100_000_000_000;
/** 10^10 yuan: the largest balance a credit may leave on an account. */
export const MAX_BALANCE_FEN = 1_000_000_000_000;

/**
 * Any Money input: optionally negative (a reconciled day of refunds is), at most 18 integer digits,
 * which no report of the system comes near. What each input may be is decided by its role.
 */
const MONEY_INPUT = /^(-?)(0|[1-9][0-9]{0,17})(?:\.([0-9]{1,2}))?$/;

/** A Money string that is not one: the scalar turns it into a GraphQL error with the outcome's code. */
export class MoneyFormatError extends Error {
  constructor(readonly outcome: Outcome) {
    super(messageOf(outcome));
  }
}

/** Parses a yuan string with up to two fraction digits into fen, exactly. */
export function parseMoney(text: unknown): bigint {
  if (typeof text !== 'string') throw new MoneyFormatError(SharedError.moneyNotString);
  const match = MONEY_INPUT.exec(text);
  if (!match) throw new MoneyFormatError(SharedError.moneyMalformed(text));
  const fen = BigInt(match[2]) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' ? -fen : fen;
}

export type AmountRole = 'PAYMENT' | 'BALANCE';

const LIMITS: Record<AmountRole, { fen: number; zh: string; en: string }> = {
  PAYMENT: { fen: MAX_PAYMENT_FEN, zh: '单笔金额', en: 'a single credit or payment' },
  BALANCE: { fen: MAX_BALANCE_FEN, zh: '账户余额', en: 'a balance' },
};

/** A Money input checked for its role: not negative, within the role's limit, then a safe integer of fen. */
export function boundedFen(fen: bigint, role: AmountRole, field: string): number {
  const limit = LIMITS[role];
  if (fen < 0n) fail(SharedError.amountNegative(field));
  if (fen > BigInt(limit.fen)) fail(SharedError.amountOverLimit(field, limit, formatMoney(limit.fen)));
  return Number(fen);
}

/** Formats fen (possibly negative, e.g. a debit entry or a day of refunds) as yuan with exactly two fraction digits. */
export function formatMoney(fen: number | bigint): string {
  if (typeof fen === 'number') assertFen(fen);
  const value = BigInt(fen);
  const abs = value < 0n ? -value : value;
  return `${value < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export function assertFen(fen: number): void {
  if (!Number.isSafeInteger(fen)) throw new Error(`not an integer amount of fen: ${fen}`);
}

/** BIGINT columns arrive as strings; convert once, at the repository edge. */
export function fenFromColumn(value: unknown): number {
  const fen = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(fen)) throw new Error(`BIGINT column outside the safe integer range: ${String(value)}`);
  return fen;
}

/** A SQL SUM of fen (an exact DECIMAL string, or NULL over no rows) as a bigint: never rounded. */
export function sumFromColumn(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  const text = String(value);
  if (!/^-?[0-9]+$/.test(text)) throw new Error(`not a whole number of fen: ${text}`);
  return BigInt(text);
}

/** The sum of some amounts of fen (the steps of a plan, the payments of a settlement). */
export function sumFen(items: ReadonlyArray<{ amountFen: number }>): number {
  return items.reduce((sum, item) => sum + item.amountFen, 0);
}
