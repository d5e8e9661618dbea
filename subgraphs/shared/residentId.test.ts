import fc from 'fast-check';
import { checkCharacter, maskResidentId, residentIdProblem } from './residentId';

/** Builds a valid number from its parts so tests never depend on a real person's number. */
function residentId(address: string, birth: string, sequence: string): string {
  const first17 = `${address}${birth}${sequence}`;
  return first17 + checkCharacter(first17);
}

const today = new Date('2026-11-23T00:00:00Z');

describe('residentIdProblem', () => {
  test.each([
    ['11010519491231002X', null], // the standard's own worked example
    [residentId('430702', '19800101', '123'), null],
    [residentId('350102', '20000229', '001'), null],
    ['11010519491231002x', 'FORMAT'], // callers normalise first
    ['1101051949123100', 'FORMAT'],
    ['01010519491231002X', 'FORMAT'],
    ['110105194912310021', 'CHECK_DIGIT'],
    [residentId('430702', '19800230', '123'), 'BIRTH_DATE'],
    [residentId('430702', '19001301', '123'), 'BIRTH_DATE'],
    [residentId('430702', '20270101', '123'), 'BIRTH_DATE'],
    [residentId('430702', '18700101', '123'), 'BIRTH_DATE'],
  ])('%s -> %p', (idNumber, problem) => {
    expect(residentIdProblem(idNumber, today)).toBe(problem);
  });

  test('any single changed digit is caught', () => {
    const valid = residentId('532301', '19750615', '042');
    fc.assert(
      fc.property(fc.integer({ min: 14, max: 16 }), fc.integer({ min: 1, max: 9 }), (position, delta) => {
        const digit = (Number(valid[position]) + delta) % 10;
        const changed = valid.slice(0, position) + digit + valid.slice(position + 1);
        return residentIdProblem(changed, today) === 'CHECK_DIGIT';
      }),
    );
  });
});

test('maskResidentId keeps the first and last four characters', () => {
  expect(maskResidentId('11010519491231002X')).toBe('1101**********002X');
});
