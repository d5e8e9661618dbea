import { decodeTimeCursor, encodeTimeCursor, newestFirst, pageOf, type Page, type TimeCursor, olderThan } from '../../shared/cursor';
import type { ProvinceBackends } from '../../shared/db/backends';
import { query } from '../../shared/db/transaction';
import { fail, SharedError } from '../../shared/errors';
import { fenFromColumn } from '../../shared/money';
import { idsByProvince, queryByIds } from '../../shared/db/routing';
import type { EntryKind } from './service';

export interface AccountRecord {
  personId: string;
  balanceFen: number;
}

/** An account as the resolvers carry it: with its owner's region, for the floor in force. */
export type AccountParent = AccountRecord & { regionCode: string };

export interface EntryRecord {
  id: string;
  accountId: string;
  seq: number;
  amountFen: number;
  balanceAfterFen: number;
  kind: EntryKind;
  reference: string;
  beneficiaryId: string | null;
  createdAt: Date;
}

export type EntryPage = Page<EntryRecord>;

export interface EntryPageKey {
  accountId: string;
  first: number;
  /** Entries with a sequence number below this one (exclusive); null for the newest. */
  beforeSeq: number | null;
}

/** A page of an account's payments for relatives (PersonalAccount.usage), newest first. */
export interface UsagePageKey {
  accountId: string;
  first: number;
  /** [from, to) on the entry's instant; null: unbounded. */
  from: Date | null;
  to: Date | null;
  /** Only payments for this relative; null: for any. */
  beneficiaryId: string | null;
  /** Entries before this one in the order (createdAt, id) descending; null for the newest. */
  after: TimeCursor | null;
}

const USAGE_CURSOR = 'usage';

export function decodeUsageCursor(cursor: string): TimeCursor {
  return decodeTimeCursor(USAGE_CURSOR, cursor);
}

/**
 * One account's page of usage: the mutual-aid and premium payments it made for someone else, read
 * through the index that leads with the account (and the relative, when one is asked for) and then
 * the instant, so a period and a page read only their own rows, in order. The entry id, the primary
 * key, ends every InnoDB secondary index, so (created_at, id) is index order too.
 */
export function usagePageSql(key: UsagePageKey): { sql: string; params: unknown[] } {
  const conditions = ['account_id = ?', "kind IN ('MUTUAL_AID_PAYMENT', 'PREMIUM_PAYMENT')", 'beneficiary_id <> account_id'];
  const params: unknown[] = [key.accountId];
  if (key.beneficiaryId !== null) {
    conditions.push('beneficiary_id = ?');
    params.push(key.beneficiaryId);
  }
  if (key.from !== null) {
    conditions.push('created_at >= ?');
    params.push(key.from);
  }
  if (key.to !== null) {
    conditions.push('created_at < ?');
    params.push(key.to);
  }
  if (key.after !== null) {
    const older = olderThan(key.after);
    conditions.push(older.sql);
    params.push(...older.params);
  }
  const index = key.beneficiaryId === null ? 'ix_ledger_entries_usage' : 'ix_ledger_entries_usage_beneficiary';
  return {
    sql: `SELECT * FROM ledger_entries FORCE INDEX (${index}) WHERE ${conditions.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`,
    params: [...params, key.first + 1],
  };
}

export function usageKeyOf(key: UsagePageKey): string {
  return [
    key.accountId,
    key.first,
    key.from?.getTime(),
    key.to?.getTime(),
    key.beneficiaryId,
    key.after?.createdAt.getTime(),
    key.after?.id,
  ].join('|');
}

/** Cursors are opaque to clients: the entry's per-account sequence number, encoded. */
export function encodeEntryCursor(seq: number): string {
  return Buffer.from(`entry:${seq}`).toString('base64url');
}

export function decodeEntryCursor(cursor: string): number {
  const match = /^entry:([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) fail(SharedError.cursorInvalid);
  return Number(match[1]);
}

type EntryRow = {
  id: string;
  account_id: string;
  seq: string;
  amount_fen: string;
  balance_after_fen: string;
  kind: EntryKind;
  reference: string;
  beneficiary_id: string | null;
  created_at: Date;
};

function toEntry(row: EntryRow): EntryRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    seq: fenFromColumn(row.seq),
    amountFen: fenFromColumn(row.amount_fen),
    balanceAfterFen: fenFromColumn(row.balance_after_fen),
    kind: row.kind,
    reference: row.reference,
    beneficiaryId: row.beneficiary_id,
    createdAt: row.created_at,
  };
}

export class AccountReads {
  constructor(private readonly backends: ProvinceBackends) {}

  async accounts(personIds: readonly string[]): Promise<Map<string, AccountRecord>> {
    const rows = await queryByIds<{ person_id: string; balance_fen: string }>(
      this.backends,
      personIds,
      (list) => `SELECT person_id, balance_fen FROM personal_accounts WHERE person_id IN (${list})`,
    );
    return new Map(rows.map((row) => [row.person_id, { personId: row.person_id, balanceFen: fenFromColumn(row.balance_fen) }]));
  }

  /**
   * Pages of entries for many accounts in one statement per province: a UNION ALL of one
   * index-ordered LIMIT per account, so each account reads only its page.
   */
  async entryPages(keys: readonly EntryPageKey[]): Promise<EntryPage[]> {
    const keyOf = (key: EntryPageKey) => `${key.accountId}|${key.first}|${key.beforeSeq}`;
    const rowsByKey = await this.pageRows(keys, keyOf, (key) => ({
      sql: `SELECT * FROM ledger_entries WHERE account_id = ?${key.beforeSeq === null ? '' : ' AND seq < ?'} ORDER BY seq DESC LIMIT ?`,
      params: [key.accountId, ...(key.beforeSeq === null ? [] : [key.beforeSeq]), key.first + 1],
    }));
    return keys.map((key) => {
      const rows = (rowsByKey.get(keyOf(key)) ?? []).sort((a, b) => b.seq - a.seq);
      return pageOf(rows, key.first, (last) => encodeEntryCursor(last.seq));
    });
  }

  /** Pages of usage for many accounts in one statement per province: a UNION ALL of one page each. */
  async usagePages(keys: readonly UsagePageKey[]): Promise<EntryPage[]> {
    const rowsByKey = await this.pageRows(keys, usageKeyOf, usagePageSql);
    return keys.map((key) =>
      pageOf(newestFirst(rowsByKey.get(usageKeyOf(key)) ?? []), key.first, (last) => encodeTimeCursor(USAGE_CURSOR, last)),
    );
  }

  /**
   * The rows of many accounts' pages, by page key: per province one UNION ALL of each page's own
   * `SELECT * …` (whose LIMIT keeps it to its page), each row tagged with the page it belongs to.
   */
  private async pageRows<Key extends { accountId: string; first: number }>(
    keys: readonly Key[],
    keyOf: (key: Key) => string,
    pageSql: (key: Key) => { sql: string; params: unknown[] },
  ): Promise<Map<string, EntryRecord[]>> {
    const rowsByKey = new Map<string, EntryRecord[]>();
    await Promise.all(
      [
        ...idsByProvince(
          this.backends,
          keys.map((key) => key.accountId),
        ),
      ].map(async ([province, accountIds]) => {
        const wanted = keys.filter((key) => accountIds.includes(key.accountId) && key.first > 0);
        if (wanted.length === 0) return;
        const parts = wanted.map(pageSql);
        const rows = await query<Array<EntryRow & { page_key: string }>>(
          this.backends.get(province),
          province,
          parts.map((part) => `(${part.sql.replace('SELECT *', 'SELECT *, ? AS page_key')})`).join(' UNION ALL '),
          wanted.flatMap((key, index) => [keyOf(key), ...parts[index].params]),
        );
        for (const row of rows) rowsByKey.set(row.page_key, [...(rowsByKey.get(row.page_key) ?? []), toEntry(row)]);
      }),
    );
    return rowsByKey;
  }

  async entries(ids: readonly string[]): Promise<Map<string, EntryRecord>> {
    const rows = await queryByIds<EntryRow>(this.backends, ids, (list) => `SELECT * FROM ledger_entries WHERE id IN (${list})`);
    return new Map(rows.map((row) => [row.id, toEntry(row)]));
  }
}
