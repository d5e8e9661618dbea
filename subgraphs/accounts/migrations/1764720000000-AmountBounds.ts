import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The amount bounds of DESIGN.md (second round) held by the database as well as by the ledger: one
 * entry moves at most 10^9 yuan either way (a credit, a payment, or the return of one). Balances: the
 * ledger refuses a credit that would pass 10^10 yuan in its conditional update, but a refund gives
 * back what was paid and is never refused, so the CHECK is the bound no balance may ever pass
 * whatever happens: the exact-integer range of every reader (2^53 − 1 fen).
 */
export class AmountBounds1764720000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE personal_accounts ADD CONSTRAINT ck_personal_accounts_balance_bound CHECK (balance_fen <= 9007199254740991)',
    );
    await runner.query(`ALTER TABLE ledger_entries
      ADD CONSTRAINT ck_ledger_entries_amount_bound CHECK (amount_fen BETWEEN -100000000000 AND 100000000000),
      ADD CONSTRAINT ck_ledger_entries_balance_bound CHECK (balance_after_fen <= 9007199254740991)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE ledger_entries DROP CONSTRAINT ck_ledger_entries_balance_bound, DROP CONSTRAINT ck_ledger_entries_amount_bound',
    );
    await runner.query('ALTER TABLE personal_accounts DROP CONSTRAINT ck_personal_accounts_balance_bound');
  }
}
