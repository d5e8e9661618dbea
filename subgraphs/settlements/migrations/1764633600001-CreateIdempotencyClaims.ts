import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One transaction per institution and key nationwide (DESIGN.md, Decisions for clients): a settle or
 * refund first claims its (institution, operation, key) here, in the national database, so the same
 * key for a patient in another province is refused before any province writes anything. The claim
 * names the settlement id the intent will have (or the settlement refunded) and the patient;
 * request_hash is the settle request's content, NULL when a 冲正 spent a key no settle had claimed.
 */
export class CreateIdempotencyClaims1764633600001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE idempotency_claims (
      institution_id VARCHAR(64) NOT NULL,
      operation VARCHAR(8) NOT NULL,
      idempotency_key VARCHAR(128) NOT NULL,
      settlement_id VARCHAR(40) NOT NULL,
      patient_id VARCHAR(40) NOT NULL,
      request_hash CHAR(64) NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (institution_id, operation, idempotency_key),
      CONSTRAINT ck_idempotency_claims_operation CHECK (operation IN ('SETTLE', 'REFUND'))
    ) ENGINE=InnoDB`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE idempotency_claims');
  }
}
