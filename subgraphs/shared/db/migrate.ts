import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { isDuplicateKey, isRetryable } from './transaction';

/**
 * Several replicas may start at once. The one whose INSERT of the single lease row succeeds runs the
 * migrations; the others wait until the row is gone or its expiry passed (a holder that crashed).
 * A row lease rather than GET_LOCK or a held transaction: DDL commits implicitly and GET_LOCK does
 * not work on Galera. On Galera two replicas' INSERTs through two nodes both succeed locally and the
 * loser's fails at COMMIT with a certification conflict (errno 1213) rather than a duplicate key: it
 * waits the same way.
 */
const LEASE_MS = 120_000;

export async function migrateUnderLease(dataSource: DataSource, holder: string): Promise<void> {
  await dataSource.query(
    'CREATE TABLE IF NOT EXISTS migration_lease (id TINYINT PRIMARY KEY, holder VARCHAR(100) NOT NULL, expires_at BIGINT NOT NULL)',
  );
  for (;;) {
    try {
      await dataSource.query('INSERT INTO migration_lease (id, holder, expires_at) VALUES (1, ?, ?)', [holder, Date.now() + LEASE_MS]);
      break;
    } catch (error) {
      if (!isDuplicateKey(error) && !isRetryable(error)) throw error;
      await dataSource.query('DELETE FROM migration_lease WHERE id = 1 AND expires_at < ?', [Date.now()]);
      await sleep(100 + Math.random() * 200);
    }
  }
  try {
    await dataSource.runMigrations({ transaction: 'none' });
  } finally {
    await dataSource.query('DELETE FROM migration_lease WHERE id = 1 AND holder = ?', [holder]);
  }
}
