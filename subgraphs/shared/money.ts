/**
 * Money is an integer number of fen inside the system; a `Money` string ("12.30", yuan with two
 * fraction digits) exists only at the GraphQL edge. No floats ever touch an amount.
 */

/** 10^12 yuan: the largest amount any input may carry. */
export const MAX_AMOUNT_FEN = 100_000_000_000_000;

const MONEY_INPUT = /^(0|[1-9][0-9]{0,12})(?:\.([0-9]{1,2}))?$/;

export class MoneyFormatError extends Error {}

/** Parses a non-negative yuan string with up to two fraction digits into fen. */
export function parseMoney(text: unknown): number {
  if (typeof text !== 'string') throw new MoneyFormatError('金额必须是字符串，如 "12.30" / Money must be a string such as "12.30"');
  const match = MONEY_INPUT.exec(text);
  if (!match) throw new MoneyFormatError(`金额格式错误：${JSON.stringify(text.slice(0, 40))} / Money must look like "12.30" (yuan, at most two decimals, not negative)`);
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (fen > MAX_AMOUNT_FEN) throw new MoneyFormatError('金额超过上限 1000000000000.00 元 / Money above the limit of 1000000000000.00 yuan');
  return fen;
}

/** Formats fen (possibly negative, e.g. a debit entry) as yuan with exactly two fraction digits. */
export function formatMoney(fen: number): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
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
