import { ProvinceBackends } from '../subgraphs/shared/db/backends';
import { inTransaction } from '../subgraphs/shared/db/transaction';
import { readEnv } from '../subgraphs/shared/env';
import { createObservability } from '../subgraphs/shared/server/observability';
import { stack } from './client';

/**
 * Transactions no longer ask for READ COMMITTED each time (backends.ts sets it once per pooled
 * connection): every connection the pool opens, the first one included, must run at that level.
 */
test('every pooled connection runs its transactions READ COMMITTED, however many the pool opens', async () => {
  const env = readEnv({ ...process.env, MYSQL_URL: stack.mysqlUrl, DB_PREFIX: `${stack.prefix}_sessions` });
  const observability = createObservability('sessions-test', 'silent');
  const dataSource = await ProvinceBackends.openNational({ env, observability, owner: 'check', migrations: [] });
  try {
    // Twelve at once, each holding its connection a moment, so the pool opens ten (its limit) and queues the rest.
    const levels = await Promise.all(
      Array.from({ length: 12 }, () =>
        inTransaction(dataSource, 'national', observability, async (sql) => {
          const [row] = (await sql.query('SELECT @@tx_isolation AS level, SLEEP(0.05) AS pause')) as Array<{ level: string }>;
          return row.level;
        }),
      ),
    );
    expect(new Set(levels)).toEqual(new Set(['READ-COMMITTED']));
    // The pool really opened more than typeorm's first connection.
    const [{ n }] = (await dataSource.query('SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = DATABASE()')) as Array<{
      n: string;
    }>;
    expect(Number(n)).toBeGreaterThan(1);
  } finally {
    await dataSource.destroy();
  }
});
