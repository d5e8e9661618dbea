import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Premiums done right (issue 15), in each province:
 * - premium_year: the year a premium pays for (its product's year, else the CST year it was paid in),
 *   which the national premium_claims hold one payment per beneficiary and product of.
 * - refused_by: a premium refused because another one holds that year's claim names it here, so a
 *   retry under the same key answers the same refusal.
 * - refundPremium: PAID → REFUNDING → REFUNDED, with who asked, why and under which key.
 * - partnerDay reads a product's day by transaction day: payments by created_at, refunds by
 *   refunded_at, each through its own index (premiums/partnerDay.ts).
 */
export class PremiumRefundsAndDays1764806400200 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE premium_payments DROP CONSTRAINT ck_premium_payments_status');
    await runner.query(`ALTER TABLE premium_payments
      ADD COLUMN premium_year SMALLINT NULL,
      ADD COLUMN refused_by VARCHAR(40) NULL,
      ADD COLUMN refund_key VARCHAR(128) NULL,
      ADD COLUMN refund_actor VARCHAR(160) NULL,
      ADD COLUMN refund_reason VARCHAR(200) NULL,
      ADD COLUMN refunded_at DATETIME(3) NULL,
      ADD KEY ix_premium_payments_product_day (product_code, created_at, id),
      ADD KEY ix_premium_payments_product_refunds (product_code, refunded_at),
      ADD CONSTRAINT ck_premium_payments_status CHECK (status IN ('PENDING', 'PAID', 'REFUSED', 'REFUNDING', 'REFUNDED')),
      ADD CONSTRAINT ck_premium_payments_refund CHECK (status NOT IN ('REFUNDING', 'REFUNDED') OR (refund_key IS NOT NULL AND refund_reason IS NOT NULL))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE premium_payments DROP CONSTRAINT ck_premium_payments_refund');
    await runner.query('ALTER TABLE premium_payments DROP CONSTRAINT ck_premium_payments_status');
    await runner.query(`ALTER TABLE premium_payments
      DROP KEY ix_premium_payments_product_refunds, DROP KEY ix_premium_payments_product_day,
      DROP COLUMN refunded_at, DROP COLUMN refund_reason, DROP COLUMN refund_actor, DROP COLUMN refund_key,
      DROP COLUMN refused_by, DROP COLUMN premium_year,
      ADD CONSTRAINT ck_premium_payments_status CHECK (status IN ('PENDING', 'PAID', 'REFUSED'))`);
  }
}
