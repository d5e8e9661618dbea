import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two-phase transfers for debits that span provinces: a hold reserves money on an account
 * (held_fen; available = balance − held) without changing its balance or ledger; posting turns the
 * hold into an ordinary debit with entries, voiding releases it. A hold expires so that it never
 * blocks an account forever.
 */
export class TwoPhaseHolds1764201600000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE personal_accounts ADD COLUMN held_fen BIGINT NOT NULL DEFAULT 0, ADD CONSTRAINT ck_personal_accounts_held CHECK (held_fen >= 0 AND held_fen <= balance_fen)',
    );
    await runner.query(`CREATE TABLE ledger_holds (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      scope VARCHAR(80) NOT NULL,
      idempotency_key VARCHAR(128) NOT NULL,
      request_hash CHAR(64) NOT NULL,
      status VARCHAR(16) NOT NULL,
      reference VARCHAR(160) NOT NULL,
      steps TEXT NOT NULL,
      result TEXT NOT NULL,
      posted_result TEXT NULL,
      expires_at DATETIME(3) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      decided_at DATETIME(3) NULL,
      UNIQUE KEY uq_ledger_holds_key (scope, idempotency_key),
      KEY ix_ledger_holds_pending (status, expires_at),
      CONSTRAINT ck_ledger_holds_status CHECK (status IN ('PENDING', 'POSTED', 'VOIDED'))
    ) ENGINE=InnoDB`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE ledger_holds');
    await runner.query('ALTER TABLE personal_accounts DROP CONSTRAINT ck_personal_accounts_held, DROP COLUMN held_fen');
  }
}
