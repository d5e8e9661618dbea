import fc from 'fast-check';
import { DomainError } from './errors';
import { boundedFen, formatMoney, MAX_BALANCE_FEN, MAX_PAYMENT_FEN, parseMoney, sumFromColumn } from './money';

describe('parseMoney', () => {
  test.each([
    ['0', 0n],
    ['0.00', 0n],
    ['0.01', 1n],
    ['12.3', 1230n],
    ['12.30', 1230n],
    ['2000.00', 200000n],
    ['-12.30', -1230n],
    ['-0.01', -1n],
    ['1000000000.00', 100000000000n],
    ['999999999999999999.99', 99999999999999999999n],
  ])('accepts %s as %d fen', (text, fen) => {
    expect(parseMoney(text)).toBe(fen);
  });

  test.each([
    ['0.001'],
    ['1e3'],
    ['NaN'],
    ['Infinity'],
    [''],
    [' 1.00'],
    ['1.00 '],
    ['01.00'],
    ['1.'],
    ['.5'],
    ['--1'],
    ['-'],
    ['-01.00'],
    ['1,000.00'],
    ['+1.00'],
    ['1000000000000000000.00'],
    ['０.５０'],
  ])('rejects %j', (text) => {
    expect(() => parseMoney(text)).toThrow(/Money/);
  });

  test.each([[12.3], [NaN], [null], [undefined], [1230n]])('rejects the non-string %p', (value) => {
    expect(() => parseMoney(value)).toThrow(/string/);
  });

  test('round-trips every amount, beyond 2^53 fen included, through formatMoney', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 20n) + 1n, max: 10n ** 20n - 1n }), (fen) => parseMoney(formatMoney(fen)) === fen));
  });
});

describe('boundedFen: each amount bounded by its role', () => {
  test.each([
    ['PAYMENT', 0n, 0],
    ['PAYMENT', BigInt(MAX_PAYMENT_FEN), MAX_PAYMENT_FEN],
    ['BALANCE', BigInt(MAX_BALANCE_FEN), MAX_BALANCE_FEN],
  ] as const)('%s accepts %d fen', (role, fen, expected) => {
    expect(boundedFen(fen, role, 'amount')).toBe(expected);
  });

  test.each([
    ['PAYMENT', BigInt(MAX_PAYMENT_FEN) + 1n, /1000000000\.00/],
    ['BALANCE', BigInt(MAX_BALANCE_FEN) + 1n, /10000000000\.00/],
    ['PAYMENT', -1n, /negative/],
    ['BALANCE', -1n, /negative/],
  ] as const)('%s refuses %d fen with BAD_USER_INPUT naming the field and the limit', (role, fen, message) => {
    let caught: unknown;
    try {
      boundedFen(fen, role, 'inScopeAmount');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).code).toBe('BAD_USER_INPUT');
    expect((caught as DomainError).message).toMatch(message);
    expect((caught as DomainError).message).toContain('inScopeAmount');
  });
});

describe('formatMoney', () => {
  test.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [200000, '2000.00'],
    [-50000, '-500.00'],
    [-1, '-0.01'],
    [9009999999999999n, '90099999999999.99'],
    [-9009999999999999n, '-90099999999999.99'],
  ])('%d fen is %s', (fen, text) => {
    expect(formatMoney(fen)).toBe(text);
  });

  test('refuses a number that is not a safe integer (a sum must arrive as a bigint)', () => {
    expect(() => formatMoney(0.5)).toThrow();
    expect(() => formatMoney(2 ** 53)).toThrow();
  });
});

describe('sumFromColumn', () => {
  test.each([
    [null, 0n],
    ['0', 0n],
    ['-5', -5n],
    ['9009999999999999', 9009999999999999n],
    [12, 12n],
  ])('SUM %p is %d fen, exactly', (value, fen) => {
    expect(sumFromColumn(value)).toBe(fen);
  });

  test('refuses what is not a whole number of fen', () => {
    expect(() => sumFromColumn('1.5')).toThrow();
  });
});
