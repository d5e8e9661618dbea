import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What mutualAidStatistics groups by, recorded when the money moved (statistics/service.ts):
 * - settlements.patient_scheme: the patient's scheme when the intent was written (the accounts
 *   subgraph owns persons; a statistic must not ask it about every patient). Rows written before
 *   this migration have none and count under UNKNOWN.
 * - settlement_payments.relationship: the binding's relationship, which the stored plan already
 *   names for each MUTUAL_AID step; copied from it here for the rows written before.
 * - ix_settlements_mutual_made / ix_settlements_mutual_refunded: a period's settlements (by
 *   created_at) and refunds (by refunded_at) with every column the statistics read, so the statement
 *   ranges over the period in the index alone and skips rows without mutual aid inside it.
 */
export class MutualAidStatistics1764806400300 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE settlements
      ADD COLUMN patient_scheme VARCHAR(16) NULL,
      ADD KEY ix_settlements_mutual_made (created_at, mutual_fen, patient_id, purpose, patient_scheme),
      ADD KEY ix_settlements_mutual_refunded (refunded_at, mutual_fen, patient_id, purpose, patient_scheme)`);
    await runner.query('ALTER TABLE settlement_payments ADD COLUMN relationship VARCHAR(16) NULL');
    // JSON_EXTRACT takes a computed path on MariaDB and MySQL alike (JSON_VALUE does not on MySQL).
    await runner.query(`UPDATE settlement_payments p JOIN settlements s ON s.id = p.settlement_id
      SET p.relationship = JSON_UNQUOTE(JSON_EXTRACT(s.plan, CONCAT('$.steps[', p.seq, '].relationship')))
      WHERE p.source = 'MUTUAL_AID'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE settlement_payments DROP COLUMN relationship');
    await runner.query(
      'ALTER TABLE settlements DROP KEY ix_settlements_mutual_refunded, DROP KEY ix_settlements_mutual_made, DROP COLUMN patient_scheme',
    );
  }
}
