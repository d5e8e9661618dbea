import { DomainError } from '../../shared/errors';
import { checkStatisticsRequest, mergeCells, suppressSmallCells, type Cell } from './cells';

const codeOf = (run: () => void) => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'none';
};
const cell = (key: string[], patients: number, settlements = patients, amountFen = 100n): Cell => ({
  key,
  patients,
  settlements,
  amountFen,
});
const jan = new Date('2026-01-01T00:00:00+08:00');

describe('what a statistics request may ask', () => {
  test.each([
    ['no dimension', { groupBy: [], from: jan, to: new Date('2026-02-01T00:00:00+08:00') }],
    ['a dimension twice', { groupBy: ['MONTH', 'REGION', 'MONTH'] as const, from: jan, to: new Date('2026-02-01T00:00:00+08:00') }],
    ['an empty period', { groupBy: ['MONTH'] as const, from: jan, to: jan }],
    ['from after to', { groupBy: ['MONTH'] as const, from: jan, to: new Date(jan.getTime() - 1) }],
    ['more than 366 days', { groupBy: ['MONTH'] as const, from: jan, to: new Date(jan.getTime() + 366 * 86_400_000 + 1) }],
  ])('%s is BAD_USER_INPUT', (_name, request) => {
    expect(codeOf(() => checkStatisticsRequest(request))).toBe('BAD_USER_INPUT');
  });

  test('any ordered subset of the dimensions over up to 366 days', () => {
    const to = new Date(jan.getTime() + 366 * 86_400_000);
    expect(codeOf(() => checkStatisticsRequest({ groupBy: ['PATIENT_SCHEME', 'MONTH'], from: jan, to }))).toBe('none');
    expect(
      codeOf(() => checkStatisticsRequest({ groupBy: ['REGION', 'MONTH', 'PURPOSE', 'RELATIONSHIP', 'PATIENT_SCHEME'], from: jan, to })),
    ).toBe('none');
  });
});

describe('cells of several provinces and small-cell suppression', () => {
  test('the same key from two provinces is one cell: patients, settlements and amounts add up', () => {
    const merged = mergeCells([
      cell(['2026-03', 'PHARMACY'], 6, 7, 1_000n),
      cell(['2026-03', 'OUTPATIENT'], 3),
      cell(['2026-03', 'PHARMACY'], 6, 9, 2_500n),
    ]);
    expect(merged).toEqual([cell(['2026-03', 'OUTPATIENT'], 3), cell(['2026-03', 'PHARMACY'], 12, 16, 3_500n)]);
  });

  test('suppression comes after merging: 6 + 6 patients are shown at a minimum of 10', () => {
    const merged = mergeCells([cell(['2026-03'], 6), cell(['2026-03'], 6)]);
    expect(suppressSmallCells(merged, 10)).toEqual({ cells: [cell(['2026-03'], 12, 12, 200n)], suppressedCells: 0 });
  });

  test('at the edge: 10 patients are shown, 9 are withheld and counted', () => {
    const { cells, suppressedCells } = suppressSmallCells([cell(['430700'], 10), cell(['350100'], 9), cell(['650100'], 1)], 10);
    expect(cells.map((shown) => shown.key)).toEqual([['430700']]);
    expect(suppressedCells).toBe(2);
  });

  test('cells come ordered by their key, value by value', () => {
    const merged = mergeCells([cell(['2026-04', 'A'], 1), cell(['2026-03', 'B'], 1), cell(['2026-03', 'A'], 1)]);
    expect(merged.map((one) => one.key)).toEqual([
      ['2026-03', 'A'],
      ['2026-03', 'B'],
      ['2026-04', 'A'],
    ]);
  });
});
