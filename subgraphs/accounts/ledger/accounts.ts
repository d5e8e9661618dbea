import type { ProvinceBackends } from '../../shared/db/backends';
import { RetryableConflict, type Sql } from '../../shared/db/transaction';
import { fail } from '../../shared/errors';
import { AccountsError } from '../errors';
import { newId, provinceOfRegion, regionOfId, regionOfKnownId } from '../../shared/ids';
import { fenFromColumn } from '../../shared/money';
import { must } from '../../shared/must';
import type { AccountFunds } from './plan';
import type { EntryKind } from './service';

/**
 * The personal account rows as the ledger changes them. A balance changes only through
 * `applyEntries`: on rows locked in a fixed order, by one conditional update per account, and with
 * an appended entry carrying the balance after it, so a balance is always the sum of its entries.
 */

/** The one province whose backend holds a set of accounts: a single movement never spans provinces. */
export function provinceOfAccounts(backends: ProvinceBackends, accountIds: readonly string[]): string {
  const provinces = new Set(
    accountIds.map((id) => {
      const region = regionOfId(id);
      if (!region) fail(AccountsError.accountNotFound(id));
      return provinceOfRegion(region);
    }),
  );
  if (provinces.size !== 1) fail(AccountsError.accountsInSeveralProvinces);
  const [province] = provinces;
  if (!backends.has(province)) fail(AccountsError.accountNotFound(accountIds[0]));
  return province;
}

export interface LockedAccount extends AccountFunds {
  lastSeq: number;
}

export interface NewEntry {
  accountId: string;
  /** Signed: negative takes from the account, positive gives to it. */
  amountFen: number;
  kind: EntryKind;
  reference: string;
  beneficiaryId?: string | null;
  memo?: string | null;
  purpose?: string | null;
  relationship?: string | null;
}

/** What the conditional update of each account must still hold after the change. */
export interface Guards {
  /** The least each account may keep usable (balance − pending) after a debit; 0 where absent. */
  floorsFen?: ReadonlyMap<string, number>;
  /** What posting a pending transfer releases from each account's reservation as its debit is applied. */
  releasedFen?: ReadonlyMap<string, number>;
  /** The balance a credit may not pass. */
  ceilingFen?: number;
}

/** Locks the accounts in id order (a fixed order, so concurrent transfers cannot deadlock on each other). */
export async function lockAccounts(sql: Sql, accountIds: readonly string[]): Promise<Map<string, LockedAccount>> {
  const unique = [...new Set(accountIds)].sort();
  if (unique.length === 0) return new Map();
  const rows = (await sql.query(
    `SELECT person_id, balance_fen, held_fen, last_entry_seq FROM personal_accounts WHERE person_id IN (${unique.map(() => '?').join(', ')}) ORDER BY person_id FOR UPDATE`,
    unique,
  )) as Array<{ person_id: string; balance_fen: string; held_fen: string; last_entry_seq: string }>;
  return new Map(
    rows.map((row) => [
      row.person_id,
      { balanceFen: fenFromColumn(row.balance_fen), pendingFen: fenFromColumn(row.held_fen), lastSeq: fenFromColumn(row.last_entry_seq) },
    ]),
  );
}

/**
 * Applies signed amounts to locked accounts: one conditional update per account (guarded by the
 * sequence number, for debits by the floor and, for credits, by the balance limit) and one
 * multi-row insert of entries. Returns the id of each entry (null for an amount of 0).
 *
 * Posting a pending transfer releases its reservation as its debit is applied; the guard then keeps
 * what remains usable (balance − pending) at or above the floor. Returns (refunds, reversals) have
 * no guards: they give back what the account had, and are never refused.
 */
export async function applyEntries(
  sql: Sql,
  transferId: string,
  now: Date,
  locked: Map<string, LockedAccount>,
  entries: readonly NewEntry[],
  guards: Guards = {},
): Promise<Array<string | null>> {
  const { floorsFen = new Map<string, number>(), releasedFen = new Map<string, number>(), ceilingFen } = guards;
  const lockedAccount = (accountId: string) =>
    must(locked.get(accountId), `an entry applies only to an account its transfer locked: ${accountId}`);
  const rows: unknown[][] = [];
  const entryIds = entries.map((entry) => {
    if (entry.amountFen === 0) return null;
    const account = lockedAccount(entry.accountId);
    const id = newId(regionOfKnownId(entry.accountId));
    account.balanceFen += entry.amountFen;
    account.lastSeq += 1;
    rows.push([
      id,
      entry.accountId,
      account.lastSeq,
      transferId,
      entry.amountFen,
      account.balanceFen,
      entry.kind,
      entry.reference,
      entry.beneficiaryId ?? null,
      entry.memo ?? null,
      entry.purpose ?? null,
      entry.relationship ?? null,
      now,
    ]);
    return id;
  });
  const changes = new Map<string, { deltaFen: number; count: number }>();
  for (const entry of entries) {
    if (entry.amountFen === 0) continue;
    const change = changes.get(entry.accountId) ?? { deltaFen: 0, count: 0 };
    changes.set(entry.accountId, { deltaFen: change.deltaFen + entry.amountFen, count: change.count + 1 });
  }
  for (const [accountId, { deltaFen, count }] of changes) {
    const account = lockedAccount(accountId);
    const seqBefore = account.lastSeq - count;
    const releaseFen = releasedFen.get(accountId) ?? 0;
    account.pendingFen -= releaseFen;
    const result = (await sql.query(
      `UPDATE personal_accounts SET balance_fen = balance_fen + ?, held_fen = held_fen - ?, last_entry_seq = last_entry_seq + ?
       WHERE person_id = ? AND last_entry_seq = ? AND held_fen >= ? AND (balance_fen + ?) - (held_fen - ?) >= ?${ceilingFen === undefined ? '' : ' AND balance_fen + ? <= ?'}`,
      [
        deltaFen,
        releaseFen,
        count,
        accountId,
        seqBefore,
        releaseFen,
        deltaFen,
        releaseFen,
        floorsFen.get(accountId) ?? 0,
        ...(ceilingFen === undefined ? [] : [deltaFen, ceilingFen]),
      ],
    )) as { affectedRows: number };
    if (result.affectedRows !== 1) {
      if (ceilingFen !== undefined) await refuseAboveCeiling(sql, accountId, seqBefore, deltaFen, ceilingFen);
      // Under a cluster without global row locks a concurrent writer can slip in; the whole
      // transaction then runs again.
      throw new RetryableConflict('account changed under a transfer');
    }
  }
  if (rows.length > 0) {
    await sql.query(
      `INSERT INTO ledger_entries (id, account_id, seq, transfer_id, amount_fen, balance_after_fen, kind, reference, beneficiary_id, memo, purpose, relationship, created_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      rows.flat(),
    );
  }
  return entryIds;
}

/**
 * Explains a refused conditional update after the fact: when the row is as it was locked, the
 * balance limit refused it (the update itself is the check; this read only names the reason).
 */
async function refuseAboveCeiling(sql: Sql, accountId: string, seqBefore: number, deltaFen: number, ceilingFen: number): Promise<void> {
  const [row] = (await sql.query('SELECT balance_fen, last_entry_seq FROM personal_accounts WHERE person_id = ?', [accountId])) as Array<{
    balance_fen: string;
    last_entry_seq: string;
  }>;
  if (row && fenFromColumn(row.last_entry_seq) === seqBefore && fenFromColumn(row.balance_fen) + deltaFen > ceilingFen) {
    fail(AccountsError.balanceCeiling(ceilingFen));
  }
}
