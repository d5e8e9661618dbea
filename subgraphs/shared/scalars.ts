import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { formatMoney, MoneyFormatError, parseMoney } from './money';

/**
 * Money is fen inside resolvers and a yuan string on the wire; this scalar is the only converter.
 * Input arrives as an exact bigint of fen, any sign: each resolver bounds it by its role
 * (boundedFen). Output is a safe integer of fen or, for sums, a bigint, written without loss.
 */
function moneyInput(value: unknown): bigint {
  try {
    return parseMoney(value);
  } catch (error) {
    if (error instanceof MoneyFormatError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
    throw error;
  }
}

export const MoneyScalar = new GraphQLScalarType<bigint, string>({
  name: 'Money',
  serialize: (fen) => formatMoney(fen as number | bigint),
  parseValue: moneyInput,
  parseLiteral: (ast) => moneyInput(ast.kind === Kind.STRING ? ast.value : undefined),
});

function dateTimeInput(value: unknown): Date {
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new GraphQLError('时间格式应为 ISO-8601 / DateTime must be an ISO-8601 timestamp', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: dateTimeInput,
  parseLiteral: (ast) => dateTimeInput(ast.kind === Kind.STRING ? ast.value : undefined),
});
