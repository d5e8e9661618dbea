import fc from 'fast-check';
import { formatMoney, MAX_AMOUNT_FEN, parseMoney } from './money';

describe('parseMoney', () => {
  test.each([
    ['0', 0],
    ['0.00', 0],
    ['0.01', 1],
    ['12.3', 1230],
    ['12.30', 1230],
    ['2000.00', 200000],
    ['1000000000000.00', MAX_AMOUNT_FEN],
  ])('accepts %s as %d fen', (text, fen) => {
    expect(parseMoney(text)).toBe(fen);
  });

  test.each([
    ['-0.01'], ['0.001'], ['1e3'], ['NaN'], ['Infinity'], [''], [' 1.00'], ['1.00 '], ['01.00'], ['1.'], ['.5'],
    ['1,000.00'], ['+1.00'], ['1000000000000.01'], ['99999999999999'], ['０.５０'],
  ])('rejects %j', (text) => {
    expect(() => parseMoney(text)).toThrow(/Money/);
  });

  test.each([[12.3], [NaN], [null], [undefined], [1230n]])('rejects the non-string %p', (value) => {
    expect(() => parseMoney(value)).toThrow(/string/);
  });

  test('round-trips every amount in range through formatMoney', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: MAX_AMOUNT_FEN }), (fen) => parseMoney(formatMoney(fen)) === fen));
  });
});

describe('formatMoney', () => {
  test.each([
    [0, '0.00'], [1, '0.01'], [10, '0.10'], [200000, '2000.00'], [-50000, '-500.00'], [-1, '-0.01'],
  ])('%d fen is %s', (fen, text) => {
    expect(formatMoney(fen)).toBe(text);
  });

  test('refuses a non-integer', () => {
    expect(() => formatMoney(0.5)).toThrow();
  });
});
