import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credentials get an id an ADMIN can name (the token itself is never stored) and a suspension of
 * their network settlement, set after repeated refusals and lifted by an ADMIN.
 */
export class CredentialSuspension1764115200000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE credentials ADD COLUMN id VARCHAR(40) NULL, ADD COLUMN suspended_at DATETIME(3) NULL, ADD COLUMN lifted_at DATETIME(3) NULL',
    );
    // Credentials issued before this migration: an id from the holder's region and the token hash.
    await runner.query('UPDATE credentials SET id = CONCAT(LEFT(person_id, 7), UPPER(LEFT(token_hash, 26))) WHERE id IS NULL');
    await runner.query('ALTER TABLE credentials MODIFY id VARCHAR(40) NOT NULL, ADD UNIQUE KEY uq_credentials_id (id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE credentials DROP INDEX uq_credentials_id, DROP COLUMN id, DROP COLUMN suspended_at, DROP COLUMN lifted_at',
    );
  }
}
