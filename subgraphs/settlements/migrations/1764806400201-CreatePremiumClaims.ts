import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * At most one premium per beneficiary, product and year, nationwide (issue 15): a premium's record
 * lives in its payer's province, and two payers in two provinces may pay for one beneficiary, so the
 * claim lives in the national database. open_beneficiary_id is set while the premium is paid or being
 * paid and NULL once it was refused or refunded, so the unique key holds only open claims (NULLs
 * never collide) and the beneficiary can be paid for again; the row itself stays as history.
 */
export class CreatePremiumClaims1764806400201 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE premium_claims (
      premium_id VARCHAR(40) NOT NULL PRIMARY KEY,
      beneficiary_id VARCHAR(40) NOT NULL,
      product_code VARCHAR(64) NOT NULL,
      premium_year SMALLINT NOT NULL,
      open_beneficiary_id VARCHAR(40) NULL,
      created_at DATETIME(3) NOT NULL,
      released_at DATETIME(3) NULL,
      UNIQUE KEY uq_premium_claims_open (open_beneficiary_id, product_code, premium_year),
      CONSTRAINT ck_premium_claims_open CHECK (open_beneficiary_id IS NULL OR open_beneficiary_id = beneficiary_id)
    ) ENGINE=InnoDB`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE premium_claims');
  }
}
