import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each debit entry names the purpose it paid for and, for mutual aid, the relationship: the bureau's daily reconciliation groups by them. */
export class EntryPurpose1764288000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE ledger_entries ADD COLUMN purpose VARCHAR(32) NULL, ADD COLUMN relationship VARCHAR(24) NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE ledger_entries DROP COLUMN purpose, DROP COLUMN relationship');
  }
}
