import { olderThan, pageOf } from './cursor';

// Lists read LIMIT first + 1 rows: the extra row says only that more follow, and is never shown.
test.each([
  ['fewer rows than asked', ['a', 'b'], 3, ['a', 'b'], false, 'b'],
  ['exactly as many rows as asked', ['a', 'b', 'c'], 3, ['a', 'b', 'c'], false, 'c'],
  ['one row more than asked', ['a', 'b', 'c', 'd'], 3, ['a', 'b', 'c'], true, 'c'],
  ['no rows', [], 3, [], false, null],
  ['first: 0 with rows behind it', ['a'], 0, [], true, null],
])('a page of %s', (_name, rows, first, nodes, hasNextPage, endCursor) => {
  expect(pageOf(rows, first, (last) => last)).toEqual({ nodes, hasNextPage, endCursor });
});

test('olderThan: the rows after a position in a newest-first page, on the column asked', () => {
  const createdAt = new Date('2026-11-27T08:00:00Z');
  expect(olderThan({ createdAt, id: 'B' })).toEqual({
    sql: '(created_at < ? OR (created_at = ? AND id < ?))',
    params: [createdAt, createdAt, 'B'],
  });
  expect(olderThan({ createdAt, id: 'B' }, 'refunded_at').sql).toBe('(refunded_at < ? OR (refunded_at = ? AND id < ?))');
});
