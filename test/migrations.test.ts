import { createConnection } from 'mysql2/promise';
import { DataSource, type MigrationInterface } from 'typeorm';
import { NATIONAL_MIGRATIONS, PROVINCE_MIGRATIONS } from '../subgraphs/accounts/migrations';
import { PersonSettlementSuspension1764547200000 } from '../subgraphs/accounts/migrations/1764547200000-PersonSettlementSuspension';
import { CredentialRefusalsByHolder1764547200001 } from '../subgraphs/accounts/migrations/1764547200001-CredentialRefusalsByHolder';
import { PROVINCE_MIGRATIONS as SETTLEMENT_PROVINCE_MIGRATIONS } from '../subgraphs/settlements/migrations';
import { MutualAidStatistics1764806400300 } from '../subgraphs/settlements/migrations/1764806400300-MutualAidStatistics';
import { PROVINCE_MIGRATIONS as FAMILY_MIGRATIONS } from '../subgraphs/family/migrations';
import { stack } from './client';

/**
 * The accounts migrations that move suspension from the credential to the person carry the data both
 * ways: up, a person with a suspended credential is suspended; down, every credential of a suspended
 * person is. Run on scratch databases of this run, never on the stack's own.
 */
/** A fresh database of this run (the stack's teardown drops every database of the run's prefix). */
type Migration = new () => MigrationInterface;

/** The migrations up to and including `last`, so that undoing the last one undoes it whatever comes later. */
const upTo = (migrations: Migration[], last: Migration) => migrations.slice(0, migrations.indexOf(last) + 1);

async function scratch(name: string, migrations: Migration[]): Promise<DataSource> {
  const database = `${stack.prefix}_scratch_${name}`;
  const server = await createConnection({ uri: stack.mysqlUrl });
  await server.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await server.query(`CREATE DATABASE \`${database}\``);
  await server.end();
  const dataSource = new DataSource({
    type: 'mysql',
    url: `${stack.mysqlUrl}/${database}`,
    migrations,
    migrationsTableName: 'schema_migrations',
    timezone: 'Z',
  });
  return dataSource.initialize();
}

async function drop(dataSource: DataSource): Promise<void> {
  const [{ name }] = await dataSource.query('SELECT DATABASE() AS name');
  await dataSource.query(`DROP DATABASE \`${name}\``);
  await dataSource.destroy();
}

const at = (iso: string) => new Date(iso);

test('province: a suspended credential becomes a suspended person, and back', async () => {
  const db = await scratch('province', upTo(PROVINCE_MIGRATIONS, PersonSettlementSuspension1764547200000));
  try {
    await db.runMigrations({ transaction: 'none' });
    await db.undoLastMigration({ transaction: 'none' });
    const person = (id: string) =>
      db.query(
        `INSERT INTO persons (id, region_code, name, masked_id_number, id_number_hash, scheme, status, created_at, updated_at)
      VALUES (?, '430700', 'n', '4307**********0011', ?, 'RESIDENT', 'ACTIVE', NOW(3), NOW(3))`,
        [id, id.padEnd(64, '0')],
      );
    const credential = (id: string, personId: string, suspendedAt: Date | null, liftedAt: Date | null) =>
      db.query('INSERT INTO credentials (id, token_hash, person_id, issued_at, suspended_at, lifted_at) VALUES (?, ?, ?, NOW(3), ?, ?)', [
        id,
        id.padEnd(64, '0'),
        personId,
        suspendedAt,
        liftedAt,
      ]);
    await person('430700-SUSPENDED');
    await person('430700-LIFTED');
    await person('430700-CLEAN');
    await credential('C1', '430700-SUSPENDED', at('2026-11-20T01:00:00Z'), null);
    await credential('C2', '430700-SUSPENDED', null, at('2026-11-19T01:00:00Z'));
    await credential('C3', '430700-LIFTED', null, at('2026-11-18T01:00:00Z'));
    await credential('C4', '430700-CLEAN', null, null);

    await db.runMigrations({ transaction: 'none' });
    expect(
      await db.query('SELECT id, settlement_suspended_at AS suspended, settlement_suspension_lifted_at AS lifted FROM persons ORDER BY id'),
    ).toEqual([
      { id: '430700-CLEAN', suspended: null, lifted: null },
      { id: '430700-LIFTED', suspended: null, lifted: at('2026-11-18T01:00:00Z') },
      { id: '430700-SUSPENDED', suspended: at('2026-11-20T01:00:00Z'), lifted: at('2026-11-19T01:00:00Z') },
    ]);
    expect((await db.query("SHOW COLUMNS FROM credentials LIKE '%_at'")).map((column: { Field: string }) => column.Field)).toEqual([
      'issued_at',
      'revoked_at',
    ]);

    await db.undoLastMigration({ transaction: 'none' });
    expect(await db.query('SELECT id, suspended_at AS suspended, lifted_at AS lifted FROM credentials ORDER BY id')).toEqual([
      { id: 'C1', suspended: at('2026-11-20T01:00:00Z'), lifted: at('2026-11-19T01:00:00Z') },
      { id: 'C2', suspended: at('2026-11-20T01:00:00Z'), lifted: at('2026-11-19T01:00:00Z') },
      { id: 'C3', suspended: null, lifted: at('2026-11-18T01:00:00Z') },
      { id: 'C4', suspended: null, lifted: null },
    ]);
    expect(await db.query("SHOW COLUMNS FROM persons LIKE 'settlement%'")).toEqual([]);
  } finally {
    await drop(db);
  }
});

test('national: refusals keep a count of claimed patients, indexed by holder; down removes both', async () => {
  const db = await scratch('national', upTo(NATIONAL_MIGRATIONS, CredentialRefusalsByHolder1764547200001));
  try {
    await db.runMigrations({ transaction: 'none' });
    await db.undoLastMigration({ transaction: 'none' });
    await db.query(`INSERT INTO credential_refusals (id, code, claimed_patients, terminal_sub, request_id, created_at)
      VALUES ('R1', 'CREDENTIAL_MISMATCH', '["430700-A","430700-B"]', 't', 'r', NOW(3))`);
    await db.runMigrations({ transaction: 'none' });
    expect(await db.query('SELECT claimed_patient_count AS count FROM credential_refusals')).toEqual([{ count: 2 }]);
    await expect(db.query("UPDATE credential_refusals SET claimed_patient_count = -1 WHERE id = 'R1'")).rejects.toThrow();
    expect((await db.query("SHOW INDEX FROM credential_refusals WHERE Key_name = 'ix_credential_refusals_holder'")).length).toBeGreaterThan(
      0,
    );
    await db.undoLastMigration({ transaction: 'none' });
    expect(await db.query("SHOW COLUMNS FROM credential_refusals LIKE 'claimed_patient_count'")).toEqual([]);
  } finally {
    await drop(db);
  }
});

test("settlements: a mutual-aid payment made before statistics gets its binding's relationship from its stored plan; down removes the columns", async () => {
  const db = await scratch('statistics', upTo(SETTLEMENT_PROVINCE_MIGRATIONS, MutualAidStatistics1764806400300));
  try {
    await db.runMigrations({ transaction: 'none' });
    await db.undoLastMigration({ transaction: 'none' });
    const plan = {
      steps: [
        { source: 'FUND', amountFen: 0 },
        { source: 'OWN_ACCOUNT', amountFen: 100, accountId: '532300-P' },
        { source: 'MUTUAL_AID', amountFen: 200, accountId: '532300-A', bindingId: '532300-B1', relationship: 'SPOUSE' },
        { source: 'MUTUAL_AID', amountFen: 300, accountId: '532300-C', bindingId: '532300-B2', relationship: 'PARENT' },
        { source: 'CASH', amountFen: 0 },
      ],
      debits: [],
    };
    await db.query(
      `INSERT INTO settlements (id, institution_id, idempotency_key, request_hash, patient_id, purpose, status, in_scope_fen, out_of_scope_fen, total_fen, fund_fen, deductible_applied_fen, fund_year, own_fen, mutual_fen, cash_fen, plan, created_at)
      VALUES ('532300-S', 'H1', 'k1', REPEAT('0', 64), '532300-P', 'PHARMACY', 'SETTLED', 600, 0, 600, 0, 0, 2026, 100, 500, 0, ?, NOW(3))`,
      [JSON.stringify(plan)],
    );
    await db.query(`INSERT INTO settlement_payments (settlement_id, seq, source, account_id, binding_id, amount_fen, transfer_id)
      VALUES ('532300-S', 1, 'OWN_ACCOUNT', '532300-P', NULL, 100, 'T'), ('532300-S', 2, 'MUTUAL_AID', '532300-A', '532300-B1', 200, 'T'), ('532300-S', 3, 'MUTUAL_AID', '532300-C', '532300-B2', 300, 'T')`);
    await db.runMigrations({ transaction: 'none' });
    expect(await db.query('SELECT seq, relationship FROM settlement_payments ORDER BY seq')).toEqual([
      { seq: 1, relationship: null },
      { seq: 2, relationship: 'SPOUSE' },
      { seq: 3, relationship: 'PARENT' },
    ]);
    expect(await db.query('SELECT patient_scheme FROM settlements')).toEqual([{ patient_scheme: null }]);
    await db.undoLastMigration({ transaction: 'none' });
    expect(await db.query("SHOW COLUMNS FROM settlement_payments LIKE 'relationship'")).toEqual([]);
    expect(await db.query("SHOW COLUMNS FROM settlements LIKE 'patient_scheme'")).toEqual([]);
  } finally {
    await drop(db);
  }
});

test('family: existing bindings learn their region for the queue; consent statuses are allowed, open ones hold the pair; down undoes it', async () => {
  const db = await scratch('family', FAMILY_MIGRATIONS);
  try {
    await db.runMigrations({ transaction: 'none' });
    await db.undoLastMigration({ transaction: 'none' });
    await db.query(`INSERT INTO family_bindings (id, authorizer_id, beneficiary_id, relationship, status, created_at, effective_at, open_pair_key)
      VALUES ('350100-B1', '350100-A', '350100-C', 'CHILD', 'PENDING_REVIEW', NOW(3), NULL, '350100-A|350100-C')`);
    await db.runMigrations({ transaction: 'none' });
    expect(await db.query('SELECT id, authorizer_region FROM family_bindings')).toEqual([{ id: '350100-B1', authorizer_region: '350100' }]);
    const insert = (id: string, status: string, pairKey: string | null) =>
      db.query(
        `INSERT INTO family_bindings (id, authorizer_id, authorizer_region, beneficiary_id, relationship, status, created_at, open_pair_key)
        VALUES (?, '430700-A', '430700', ?, 'PARENT', ?, NOW(3), ?)`,
        [id, `430700-${id}`, status, pairKey],
      );
    await insert('430700-B2', 'PENDING_CONSENT', 'A|B2');
    await insert('430700-B3', 'DECLINED', null);
    await expect(insert('430700-B4', 'PENDING_CONSENT', null)).rejects.toThrow();
    await expect(insert('430700-B5', 'WAITING', 'A|B5')).rejects.toThrow();
    await db.query("DELETE FROM family_bindings WHERE id LIKE '430700-%'");
    await db.undoLastMigration({ transaction: 'none' });
    expect(await db.query("SHOW COLUMNS FROM family_bindings LIKE 'authorizer_region'")).toEqual([]);
  } finally {
    await drop(db);
  }
});
