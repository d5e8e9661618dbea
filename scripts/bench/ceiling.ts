import { createPool, type Pool } from 'mysql2/promise';
import { errnoOf } from '../../subgraphs/shared/db/transaction';

/**
 * The database's own ceiling for the minimal settle transaction, on scratch tables of the bench's
 * database server: two conditional UPDATEs of balances (the patient's own account and an
 * authorizer's), two ledger rows (one INSERT), one settlement row, COMMIT — prepared statements over mysql2 at the
 * bench's concurrency. Spread: every transaction touches two accounts of many. Hot: every one
 * debits the same authorizer, as settle does for one hot authorizer's beneficiaries.
 */
export interface CeilingResult {
  transactionsPerSecond: number;
  transactions: number;
  /** Conditional updates that matched no row: must be 0 (balances are set far above what a run takes). */
  refused: number;
  /** Transactions rolled back on a deadlock (not counted in `transactions`). */
  deadlocks: number;
}

const ACCOUNTS = 10_000;
const DEADLOCK = 1213;
const DEBIT = 'UPDATE accounts SET balance_fen = balance_fen - ? WHERE id = ? AND balance_fen >= ?';
const START_BALANCE_FEN = 1_000_000_000;

async function createScratch(pool: Pool, database: string): Promise<void> {
  await pool.query(`CREATE DATABASE IF NOT EXISTS \`${database}\``);
  await pool.query(`CREATE TABLE \`${database}\`.accounts (id INT NOT NULL PRIMARY KEY, balance_fen BIGINT NOT NULL) ENGINE=InnoDB`);
  await pool.query(`CREATE TABLE \`${database}\`.entries (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, account_id INT NOT NULL, settlement_id BIGINT NOT NULL,
    amount_fen BIGINT NOT NULL, created_at DATETIME(3) NOT NULL) ENGINE=InnoDB`);
  await pool.query(`CREATE TABLE \`${database}\`.settlements (
    id BIGINT NOT NULL PRIMARY KEY, patient_id INT NOT NULL, total_fen BIGINT NOT NULL, created_at DATETIME(3) NOT NULL) ENGINE=InnoDB`);
  const values = Array.from({ length: ACCOUNTS }, (_, id) => [id, START_BALANCE_FEN]);
  for (let start = 0; start < ACCOUNTS; start += 1000) {
    await pool.query(`INSERT INTO \`${database}\`.accounts (id, balance_fen) VALUES ?`, [values.slice(start, start + 1000)]);
  }
}

/** Runs the minimal settle transaction with `connections` workers for `seconds`; `hot` makes every transaction debit account 0. */
export async function measureCeiling(
  mysqlUrl: string,
  database: string,
  options: { connections: number; seconds: number; hot: boolean },
): Promise<CeilingResult> {
  const pool = createPool({ uri: mysqlUrl, connectionLimit: options.connections, timezone: 'Z' });
  try {
    await pool.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await createScratch(pool, database);
    const deadline = Date.now() + options.seconds * 1000;
    let transactions = 0;
    let refused = 0;
    let deadlocks = 0;
    let nextSettlement = 0;
    const worker = async (lane: number) => {
      const connection = await pool.getConnection();
      try {
        await connection.query(`USE \`${database}\``);
        for (let turn = 0; Date.now() < deadline; turn += 1) {
          nextSettlement += 1;
          const settlementId = nextSettlement;
          // Patient and authorizer differ; spread picks both from many accounts, hot always pays from account 0.
          const patient = 1 + ((lane * 7919 + turn * 104_729) % (ACCOUNTS - 1));
          const authorizer = options.hot ? 0 : 1 + ((patient + ACCOUNTS / 2) % (ACCOUNTS - 1));
          const now = new Date();
          // The authorizer's row is locked last, just before COMMIT: the shortest hold a hot row can have.
          await connection.query('START TRANSACTION');
          try {
            const [own] = await connection.execute(DEBIT, [1, patient, 1]);
            await connection.execute(
              'INSERT INTO entries (account_id, settlement_id, amount_fen, created_at) VALUES (?, ?, ?, ?), (?, ?, ?, ?)',
              [patient, settlementId, -1, now, authorizer, settlementId, -1, now],
            );
            await connection.execute('INSERT INTO settlements (id, patient_id, total_fen, created_at) VALUES (?, ?, ?, ?)', [
              settlementId,
              patient,
              2,
              now,
            ]);
            const [aid] = await connection.execute(DEBIT, [1, authorizer, 1]);
            await connection.query('COMMIT');
            transactions += 1;
            refused += 2 - (own as { affectedRows: number }).affectedRows - (aid as { affectedRows: number }).affectedRows;
          } catch (error) {
            // A deadlock is what a real settle retries too: roll back, count it, go on.
            if (errnoOf(error) !== DEADLOCK) throw error;
            await connection.query('ROLLBACK');
            deadlocks += 1;
          }
        }
      } finally {
        connection.release();
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: options.connections }, (_, lane) => worker(lane)));
    const seconds = (performance.now() - started) / 1000;
    await pool.query(`DROP DATABASE \`${database}\``);
    return { transactionsPerSecond: transactions / seconds, transactions, refused, deadlocks };
  } finally {
    await pool.end();
  }
}
