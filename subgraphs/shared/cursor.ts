import { fail, SharedError } from './errors';

/**
 * Opaque cursors for lists ordered newest first by (createdAt, id). The label keeps a cursor of one
 * list from being accepted by another.
 */
export interface TimeCursor {
  createdAt: Date;
  id: string;
}

export function encodeTimeCursor(label: string, position: TimeCursor): string {
  return Buffer.from(`${label}:${position.createdAt.getTime()}:${position.id}`).toString('base64url');
}

export function decodeTimeCursor(label: string, cursor: string): TimeCursor {
  const match = /^([a-z]+):([0-9]{1,15}):([0-9A-Z-]{1,40})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || match[1] !== label) fail(SharedError.cursorInvalid);
  return { createdAt: new Date(Number(match[2])), id: match[3] };
}

/** The keyset condition for the rows after `position` in a page newest first by (column, id), with its parameters. */
export function olderThan(position: TimeCursor, column = 'created_at'): { sql: string; params: [Date, Date, string] } {
  return { sql: `(${column} < ? OR (${column} = ? AND id < ?))`, params: [position.createdAt, position.createdAt, position.id] };
}

/** Rows gathered from several statements (or a UNION ALL, which promises no order) in the order of a time cursor: (createdAt, id) descending. */
export function newestFirst<T extends TimeCursor>(rows: T[]): T[] {
  return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

export const MAX_PAGE_SIZE = 100;

export function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) fail(SharedError.pageSizeOutOfRange(MAX_PAGE_SIZE));
  return first;
}

/** One page of a list (a GraphQL connection): its nodes, the cursor after the last, and whether more follow. */
export interface Page<T> {
  nodes: T[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** The page `first` rows long out of `rows` read with LIMIT first + 1, its cursor made from its last node. */
export function pageOf<T>(rows: readonly T[], first: number, cursorOf: (last: T) => string): Page<T> {
  const nodes = rows.slice(0, first);
  return { nodes, hasNextPage: rows.length > first, endCursor: nodes.length > 0 ? cursorOf(nodes[nodes.length - 1]) : null };
}
