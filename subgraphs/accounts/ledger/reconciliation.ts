import type { ProvinceBackends } from '../../shared/db/backends';
import { query } from '../../shared/db/transaction';
import { chinaDay } from '../../shared/chinaTime';
import { provinceOfRegion } from '../../shared/ids';
import { sumFromColumn } from '../../shared/money';

/**
 * The bureau's own daily check of one region's ledgers (not 对账 with institutions): what came in,
 * what went out by purpose, what relatives' accounts paid by relationship, and whether every
 * account's balance still equals the sum of its entries. Days are China Standard Time, and every
 * entry counts on the day it was written (a refund on its own day, not its payment's), so a past day
 * never changes. Sums are exact bigints: a region's day may pass 2^53 fen.
 */
export interface ReconciliationReport {
  regionCode: string;
  date: string;
  creditsFen: bigint;
  debitsByPurpose: Array<{ purpose: string; amountFen: bigint }>;
  returnsByPurpose: Array<{ purpose: string; amountFen: bigint }>;
  mutualAidByRelationship: Array<{ relationship: string; amountFen: bigint }>;
  accountsChecked: number;
  mismatchedAccounts: string[];
  balanced: boolean;
}

export async function reconcileRegionDay(backends: ProvinceBackends, regionCode: string, date: string): Promise<ReconciliationReport> {
  const { start, end } = chinaDay(date);
  const province = provinceOfRegion(regionCode);
  const dataSource = backends.get(province);
  const accounts = `${regionCode}-%`;
  const grouped = async (column: 'purpose' | 'relationship', kinds: string[], sign: 1n | -1n) => {
    const rows = await query<Array<{ label: string | null; total: string }>>(
      dataSource,
      province,
      `SELECT ${column} AS label, SUM(amount_fen) AS total FROM ledger_entries
       WHERE account_id LIKE ? AND kind IN (${kinds.map(() => '?').join(', ')}) AND created_at >= ? AND created_at < ? GROUP BY ${column} ORDER BY ${column}`,
      [accounts, ...kinds, start, end],
    );
    return rows.map((row) => ({ label: row.label ?? 'UNSPECIFIED', amountFen: sign * sumFromColumn(row.total) }));
  };
  const [[credits], debits, returns, mutualAid, [checked], mismatched] = await Promise.all([
    query<Array<{ total: string | null }>>(
      dataSource,
      province,
      "SELECT SUM(amount_fen) AS total FROM ledger_entries WHERE account_id LIKE ? AND kind = 'CREDIT' AND created_at >= ? AND created_at < ?",
      [accounts, start, end],
    ),
    grouped('purpose', ['OWN_ACCOUNT_PAYMENT', 'MUTUAL_AID_PAYMENT', 'PREMIUM_PAYMENT'], -1n),
    grouped('purpose', ['REFUND', 'REVERSAL'], 1n),
    grouped('relationship', ['MUTUAL_AID_PAYMENT'], -1n),
    query<Array<{ total: string }>>(dataSource, province, 'SELECT COUNT(*) AS total FROM personal_accounts WHERE person_id LIKE ?', [
      accounts,
    ]),
    query<Array<{ person_id: string }>>(
      dataSource,
      province,
      `SELECT a.person_id FROM personal_accounts a
       LEFT JOIN (SELECT account_id, SUM(amount_fen) AS total FROM ledger_entries WHERE account_id LIKE ? GROUP BY account_id) e ON e.account_id = a.person_id
       WHERE a.person_id LIKE ? AND (a.balance_fen <> COALESCE(e.total, 0) OR a.held_fen > a.balance_fen) ORDER BY a.person_id`,
      [accounts, accounts],
    ),
  ]);
  const mismatchedAccounts = mismatched.map((row) => row.person_id);
  return {
    regionCode,
    date,
    creditsFen: sumFromColumn(credits.total),
    debitsByPurpose: debits.map((row) => ({ purpose: row.label, amountFen: row.amountFen })),
    returnsByPurpose: returns.map((row) => ({ purpose: row.label, amountFen: row.amountFen })),
    mutualAidByRelationship: mutualAid.map((row) => ({ relationship: row.label, amountFen: row.amountFen })),
    accountsChecked: Number(checked.total),
    mismatchedAccounts,
    balanced: mismatchedAccounts.length === 0,
  };
}
