import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Settlements live in the patient's province. A settlement row is first a durable intent (PENDING,
 * with the plan it will execute), then SETTLED once the ledger paid; a refund goes REFUNDING then
 * REFUNDED. Fund use is counted per patient, year (China Standard Time) and purpose.
 */
export class CreateSettlements1764028800000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE settlements (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      institution_id VARCHAR(64) NOT NULL,
      idempotency_key VARCHAR(128) NOT NULL,
      request_hash CHAR(64) NOT NULL,
      patient_id VARCHAR(40) NOT NULL,
      purpose VARCHAR(32) NOT NULL,
      status VARCHAR(16) NOT NULL,
      in_scope_fen BIGINT NOT NULL,
      out_of_scope_fen BIGINT NOT NULL,
      total_fen BIGINT NOT NULL,
      fund_fen BIGINT NOT NULL,
      deductible_applied_fen BIGINT NOT NULL,
      fund_year SMALLINT NOT NULL,
      own_fen BIGINT NULL,
      mutual_fen BIGINT NULL,
      cash_fen BIGINT NULL,
      plan TEXT NOT NULL,
      refund_key VARCHAR(128) NULL,
      created_at DATETIME(3) NOT NULL,
      settled_at DATETIME(3) NULL,
      refunded_at DATETIME(3) NULL,
      UNIQUE KEY uq_settlements_institution_key (institution_id, idempotency_key),
      KEY ix_settlements_patient (patient_id, created_at),
      KEY ix_settlements_institution_day (institution_id, created_at),
      KEY ix_settlements_open (status, created_at),
      KEY ix_settlements_region_period (created_at),
      CONSTRAINT ck_settlements_status CHECK (status IN ('PENDING', 'SETTLED', 'REFUNDING', 'REFUNDED')),
      CONSTRAINT ck_settlements_amounts CHECK (in_scope_fen >= 0 AND out_of_scope_fen >= 0 AND total_fen = in_scope_fen + out_of_scope_fen AND total_fen > 0 AND fund_fen >= 0 AND fund_fen <= in_scope_fen),
      CONSTRAINT ck_settlements_sum CHECK (cash_fen IS NULL OR (own_fen >= 0 AND mutual_fen >= 0 AND cash_fen >= 0 AND fund_fen + own_fen + mutual_fen + cash_fen = total_fen))
    ) ENGINE=InnoDB`);
    await runner.query(`CREATE TABLE settlement_payments (
      settlement_id VARCHAR(40) NOT NULL,
      seq SMALLINT NOT NULL,
      source VARCHAR(16) NOT NULL,
      account_id VARCHAR(40) NOT NULL,
      binding_id VARCHAR(40) NULL,
      amount_fen BIGINT NOT NULL,
      transfer_id VARCHAR(40) NOT NULL,
      PRIMARY KEY (settlement_id, seq),
      KEY ix_settlement_payments_account (account_id),
      CONSTRAINT fk_settlement_payments_settlement FOREIGN KEY (settlement_id) REFERENCES settlements (id),
      CONSTRAINT ck_settlement_payments_amount CHECK (amount_fen > 0),
      CONSTRAINT ck_settlement_payments_source CHECK (source IN ('OWN_ACCOUNT', 'MUTUAL_AID'))
    ) ENGINE=InnoDB`);
    await runner.query(`CREATE TABLE fund_usage (
      patient_id VARCHAR(40) NOT NULL,
      fund_year SMALLINT NOT NULL,
      purpose VARCHAR(32) NOT NULL,
      deductible_used_fen BIGINT NOT NULL,
      fund_paid_fen BIGINT NOT NULL,
      PRIMARY KEY (patient_id, fund_year, purpose),
      CONSTRAINT ck_fund_usage_not_negative CHECK (deductible_used_fen >= 0 AND fund_paid_fen >= 0)
    ) ENGINE=InnoDB`);
    await runner.query(`CREATE TABLE premium_payments (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      payer_id VARCHAR(40) NOT NULL,
      idempotency_key VARCHAR(128) NOT NULL,
      request_hash CHAR(64) NOT NULL,
      beneficiary_id VARCHAR(40) NOT NULL,
      binding_id VARCHAR(40) NULL,
      purpose VARCHAR(32) NOT NULL,
      product_code VARCHAR(64) NOT NULL,
      amount_fen BIGINT NOT NULL,
      floor_fen BIGINT NOT NULL,
      status VARCHAR(16) NOT NULL,
      transfer_id VARCHAR(40) NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_premium_payments_payer_key (payer_id, idempotency_key),
      KEY ix_premium_payments_product (product_code, status, created_at, id),
      KEY ix_premium_payments_open (status, created_at),
      CONSTRAINT ck_premium_payments_amount CHECK (amount_fen > 0),
      CONSTRAINT ck_premium_payments_status CHECK (status IN ('PENDING', 'PAID', 'REFUSED'))
    ) ENGINE=InnoDB`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['premium_payments', 'fund_usage', 'settlement_payments', 'settlements']) await runner.query(`DROP TABLE ${table}`);
  }
}
