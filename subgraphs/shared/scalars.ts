import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { messageOf, type Outcome, SharedError } from './errors';
import { formatMoney, MoneyFormatError, parseMoney } from './money';

/**
 * Money is fen inside resolvers and a yuan string on the wire; this scalar is the only converter.
 * Input arrives as an exact bigint of fen, any sign: each resolver bounds it by its role
 * (boundedFen). Output is a safe integer of fen or, for sums, a bigint, written without loss.
 */
/** graphql-js keeps a GraphQLError a scalar throws as the error of the value it could not parse. */
function invalidInput(outcome: Outcome): GraphQLError {
  return new GraphQLError(messageOf(outcome), { extensions: { code: outcome.code } });
}

function moneyInput(value: unknown): bigint {
  try {
    return parseMoney(value);
  } catch (error) {
    if (error instanceof MoneyFormatError) throw invalidInput(error.outcome);
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
    throw invalidInput(SharedError.dateTimeMalformed);
  }
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: dateTimeInput,
  parseLiteral: (ast) => dateTimeInput(ast.kind === Kind.STRING ? ast.value : undefined),
});
