import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The bureau's audit of its own refunds (Query.adminRefunds): a province's ADMIN refunds, newest
 * first, read through (refund_kind, refunded_at) and the primary key `id` that ends the index, so a
 * page reads only ADMIN refunds however many counter refunds the province has.
 */
export class AdminRefundsIndex1764806400101 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE settlements ADD KEY ix_settlements_admin_refunds (refund_kind, refunded_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE settlements DROP KEY ix_settlements_admin_refunds');
  }
}
