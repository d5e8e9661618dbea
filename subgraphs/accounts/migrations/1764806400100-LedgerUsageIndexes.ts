import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PersonalAccount.usage (共济记录) reads an account's payments for relatives newest first, by period and
 * optionally by relative: these indexes give it exactly its rows in order (the primary key `id` ends
 * each of them, so (created_at, id) is their order), however long the account's history.
 */
export class LedgerUsageIndexes1764806400100 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE ledger_entries ADD KEY ix_ledger_entries_usage (account_id, created_at), ADD KEY ix_ledger_entries_usage_beneficiary (account_id, beneficiary_id, created_at)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE ledger_entries DROP KEY ix_ledger_entries_usage, DROP KEY ix_ledger_entries_usage_beneficiary');
  }
}
