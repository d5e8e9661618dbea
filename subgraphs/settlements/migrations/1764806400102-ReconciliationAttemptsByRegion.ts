import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit of 对账 calls is read by the bureau (Query.reconciliationAttempts): each call records the
 * region whose patients it reconciled (an ADMIN limited to a region reconciles only those; null for
 * every region), so an ADMIN of one region reads the calls made for it and no other region's
 * figures; an institution's calls are read newest first through (institution_id, created_at).
 */
export class ReconciliationAttemptsByRegion1764806400102 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE institution_reconciliations ADD COLUMN patient_region CHAR(6) NULL, ADD KEY ix_institution_reconciliations_time (institution_id, created_at)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE institution_reconciliations DROP KEY ix_institution_reconciliations_time, DROP COLUMN patient_region');
  }
}
