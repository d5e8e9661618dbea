import { chinaDay, chinaToday, chinaYear } from './chinaTime';

test.each([
  ['2026-11-23', '2026-11-22T16:00:00.000Z', '2026-11-23T16:00:00.000Z'],
  ['2024-02-29', '2024-02-28T16:00:00.000Z', '2024-02-29T16:00:00.000Z'],
  ['2027-01-01', '2026-12-31T16:00:00.000Z', '2027-01-01T16:00:00.000Z'],
])('%s in China Standard Time is [%s, %s)', (date, start, end) => {
  const day = chinaDay(date);
  expect([day.start.toISOString(), day.end.toISOString()]).toEqual([start, end]);
});

test.each([['2026-02-30'], ['2026-13-01'], ['20261123'], ['2026-1-5'], ['']])('%j is refused', (date) => {
  expect(() => chinaDay(date)).toThrow(/YYYY-MM-DD/);
});

test('today in China begins at 16:00 UTC', () => {
  expect(chinaToday(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
  expect(chinaToday(new Date('2026-11-23T16:00:00Z'))).toBe('2026-11-24');
});

test('the year in China begins at 16:00 UTC on 31 December', () => {
  expect(chinaYear(new Date('2026-12-31T15:59:59.999Z'))).toBe(2026);
  expect(chinaYear(new Date('2026-12-31T16:00:00Z'))).toBe(2027);
});
