import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refunds count on the day they were made (对账, mutualAidSummary): an institution's refunds of a day
 * are read through (institution_id, refunded_at), a region's over a period through (refunded_at),
 * as settlements are through (institution_id, created_at) and (created_at).
 */
export class RefundsByDay1764547200002 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE settlements ADD KEY ix_settlements_institution_refunds (institution_id, refunded_at), ADD KEY ix_settlements_refunds_period (refunded_at)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE settlements DROP KEY ix_settlements_refunds_period, DROP KEY ix_settlements_institution_refunds');
  }
}
