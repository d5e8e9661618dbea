import type { Connection } from 'mysql2/promise';
import { provinceOfKnownId } from '../subgraphs/shared/db/routing';

export interface OpenHolds {
  /** PENDING holds with a step on one of the accounts. */
  pending: number;
  /** What the accounts' held_fen still reserves. */
  heldFen: number;
}

/**
 * What two-phase holds still reserve on a test's own accounts, read where the ledger keeps them (each
 * account's province). Other tests' holds on the same databases never count: a test asserts its own.
 */
export async function openHolds(connect: (province: string) => Promise<Connection>, accountIds: readonly string[]): Promise<OpenHolds> {
  const provinceOf = provinceOfKnownId;
  const open: OpenHolds = { pending: 0, heldFen: 0 };
  for (const province of new Set(accountIds.map(provinceOf))) {
    const mine = accountIds.filter((id) => provinceOf(id) === province);
    const connection = await connect(province);
    try {
      const [holds] = await connection.query(
        `SELECT COUNT(*) AS n FROM ledger_holds WHERE status = 'PENDING' AND (${mine.map(() => 'steps LIKE ?').join(' OR ')})`,
        mine.map((id) => `%"accountId":"${id}"%`),
      );
      const [held] = await connection.query('SELECT COALESCE(SUM(held_fen), 0) AS n FROM personal_accounts WHERE person_id IN (?)', [mine]);
      open.pending += Number((holds as Array<{ n: string }>)[0].n);
      open.heldFen += Number((held as Array<{ n: string }>)[0].n);
    } finally {
      await connection.end();
    }
  }
  return open;
}
