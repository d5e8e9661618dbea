import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The counter's real day (issue 12), in each province:
 * - 冲正: an intent being undone is VOIDING, then VOIDED (every fen the ledger took under its key is
 *   back and the key is spent); a key voided before any intent existed is a KEY_SPENT row, which
 *   holds the (institution, key) unique key so that a late settle with it cannot write an intent.
 *   Only KEY_SPENT rows have no bill (purpose and request hash NULL, amounts 0).
 * - Who refunded and why: refund_kind (COUNTER, ADMIN, VOID), refund_actor, refund_reason.
 * - The order fund shares were computed in: fund_usage.last_seq is taken under the row lock that
 *   serialises them, and each settlement keeps its fund_seq, so "the order they were made" is exact
 *   whatever the clocks of the replicas say.
 * - paying_checked_at: when the saga re-checked the paying bindings just before moving money.
 */
export class SagaVoidsAndFundOrder1764633600000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE settlements DROP CONSTRAINT ck_settlements_status');
    await runner.query('ALTER TABLE settlements DROP CONSTRAINT ck_settlements_amounts');
    await runner.query(`ALTER TABLE settlements
      MODIFY purpose VARCHAR(32) NULL,
      MODIFY request_hash CHAR(64) NULL,
      ADD COLUMN fund_seq BIGINT NULL,
      ADD COLUMN paying_checked_at DATETIME(3) NULL,
      ADD COLUMN refund_kind VARCHAR(8) NULL,
      ADD COLUMN refund_actor VARCHAR(160) NULL,
      ADD COLUMN refund_reason VARCHAR(200) NULL,
      ADD COLUMN voided_at DATETIME(3) NULL,
      ADD CONSTRAINT ck_settlements_status CHECK (status IN ('PENDING', 'SETTLED', 'REFUNDING', 'REFUNDED', 'VOIDING', 'VOIDED', 'KEY_SPENT')),
      ADD CONSTRAINT ck_settlements_amounts CHECK (in_scope_fen >= 0 AND out_of_scope_fen >= 0 AND total_fen = in_scope_fen + out_of_scope_fen AND (total_fen > 0 OR status = 'KEY_SPENT') AND fund_fen >= 0 AND fund_fen <= in_scope_fen),
      ADD CONSTRAINT ck_settlements_bill CHECK (status = 'KEY_SPENT' OR (purpose IS NOT NULL AND request_hash IS NOT NULL)),
      ADD CONSTRAINT ck_settlements_refund_kind CHECK (refund_kind IS NULL OR refund_kind IN ('COUNTER', 'ADMIN', 'VOID'))`);
    await runner.query('ALTER TABLE fund_usage ADD COLUMN last_seq BIGINT NOT NULL DEFAULT 0');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE fund_usage DROP COLUMN last_seq');
    await runner.query("DELETE FROM settlements WHERE status = 'KEY_SPENT'");
    for (const constraint of ['ck_settlements_refund_kind', 'ck_settlements_bill', 'ck_settlements_amounts', 'ck_settlements_status']) {
      await runner.query(`ALTER TABLE settlements DROP CONSTRAINT ${constraint}`);
    }
    await runner.query(`ALTER TABLE settlements
      DROP COLUMN voided_at, DROP COLUMN refund_reason, DROP COLUMN refund_actor, DROP COLUMN refund_kind, DROP COLUMN paying_checked_at, DROP COLUMN fund_seq,
      MODIFY purpose VARCHAR(32) NOT NULL, MODIFY request_hash CHAR(64) NOT NULL,
      ADD CONSTRAINT ck_settlements_status CHECK (status IN ('PENDING', 'SETTLED', 'REFUNDING', 'REFUNDED')),
      ADD CONSTRAINT ck_settlements_amounts CHECK (in_scope_fen >= 0 AND out_of_scope_fen >= 0 AND total_fen = in_scope_fen + out_of_scope_fen AND total_fen > 0 AND fund_fen >= 0 AND fund_fen <= in_scope_fen)`);
  }
}
