import type { DataSource } from 'typeorm';
import { migrateUnderLease } from './migrate';

/**
 * A data source whose lease INSERT fails as the cluster makes it fail `failures` times, then succeeds;
 * records what ran. On Galera two replicas' INSERTs of the lease row on two nodes both succeed locally
 * and one fails at COMMIT with a certification conflict (errno 1213), not with a duplicate key.
 */
function clusterDataSource(failure: () => Error, failures: number) {
  const ran: string[] = [];
  let inserts = 0;
  const dataSource = {
    query: async (sql: string) => {
      if (sql.startsWith('INSERT INTO migration_lease')) {
        inserts += 1;
        if (inserts <= failures) throw failure();
      }
      ran.push(sql.split(' ').slice(0, 3).join(' '));
      return [];
    },
    runMigrations: async () => {
      ran.push('migrations');
      return [];
    },
  } as unknown as DataSource;
  return { dataSource, ran, inserts: () => inserts };
}

test('a certification conflict on the lease row (Galera, errno 1213) is waited out like a lease held elsewhere', async () => {
  const cluster = clusterDataSource(() => Object.assign(new Error('Deadlock found when trying to get lock'), { errno: 1213 }), 2);
  await migrateUnderLease(cluster.dataSource, 'replica-a');
  expect(cluster.inserts()).toBe(3);
  expect(cluster.ran.filter((step) => step === 'migrations')).toHaveLength(1);
  expect(cluster.ran.at(-1)).toBe('DELETE FROM migration_lease');
});

test('a duplicate lease row (another replica migrating) is waited out', async () => {
  const cluster = clusterDataSource(() => Object.assign(new Error('Duplicate entry'), { errno: 1062 }), 1);
  await migrateUnderLease(cluster.dataSource, 'replica-b');
  expect(cluster.ran.filter((step) => step === 'migrations')).toHaveLength(1);
});

test('any other failure stops the start', async () => {
  const cluster = clusterDataSource(() => Object.assign(new Error('Access denied'), { errno: 1045 }), 1);
  await expect(migrateUnderLease(cluster.dataSource, 'replica-c')).rejects.toThrow('Access denied');
  expect(cluster.ran).not.toContain('migrations');
});
