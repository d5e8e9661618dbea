import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 冲正 by key: a debit key that a void spent before any debit used it is a transfer of kind VOID
 * (no entries), so a late debit under that key finds it and moves nothing.
 */
export class VoidedKeys1764633600000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE ledger_transfers DROP CONSTRAINT ck_ledger_transfers_kind');
    await runner.query(
      "ALTER TABLE ledger_transfers ADD CONSTRAINT ck_ledger_transfers_kind CHECK (kind IN ('CREDIT', 'DEBIT', 'REVERSAL', 'VOID'))",
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query("DELETE FROM ledger_transfers WHERE kind = 'VOID'");
    await runner.query('ALTER TABLE ledger_transfers DROP CONSTRAINT ck_ledger_transfers_kind');
    await runner.query(
      "ALTER TABLE ledger_transfers ADD CONSTRAINT ck_ledger_transfers_kind CHECK (kind IN ('CREDIT', 'DEBIT', 'REVERSAL'))",
    );
  }
}
