import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The national audit trail of refused card presentations (冒名就医 attempts and bad credentials):
 * one place for the bureau to read, whatever province the credential belongs to.
 */
export class CreateCredentialRefusals1764115200001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE credential_refusals (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      code VARCHAR(32) NOT NULL,
      token_hash CHAR(64) NULL,
      credential_id VARCHAR(40) NULL,
      credential_region CHAR(6) NULL,
      holder_id VARCHAR(40) NULL,
      claimed_patients VARCHAR(500) NOT NULL,
      terminal_sub VARCHAR(128) NOT NULL,
      institution_id VARCHAR(64) NULL,
      operation_name VARCHAR(100) NULL,
      request_id VARCHAR(100) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      KEY ix_credential_refusals_token (token_hash, code, created_at),
      KEY ix_credential_refusals_time (created_at, id),
      KEY ix_credential_refusals_region (credential_region, created_at, id)
    ) ENGINE=InnoDB`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE credential_refusals');
  }
}
