import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The amount bounds of DESIGN.md (second round): a settlement's bill, each payment towards it and a
 * premium are single payments of at most 10^9 yuan; the floor kept by a premium is a balance-sized
 * amount of at most 10^10 yuan.
 */
export class AmountBounds1764547200001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE settlements ADD CONSTRAINT ck_settlements_bill_bound CHECK (total_fen <= 100000000000)');
    await runner.query(
      'ALTER TABLE settlement_payments ADD CONSTRAINT ck_settlement_payments_amount_bound CHECK (amount_fen <= 100000000000)',
    );
    await runner.query(
      'ALTER TABLE premium_payments ADD CONSTRAINT ck_premium_payments_bounds CHECK (amount_fen <= 100000000000 AND floor_fen BETWEEN 0 AND 1000000000000)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE premium_payments DROP CONSTRAINT ck_premium_payments_bounds');
    await runner.query('ALTER TABLE settlement_payments DROP CONSTRAINT ck_settlement_payments_amount_bound');
    await runner.query('ALTER TABLE settlements DROP CONSTRAINT ck_settlements_bill_bound');
  }
}
