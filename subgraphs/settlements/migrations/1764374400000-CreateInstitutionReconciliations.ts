import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every 对账 call of an institution, whatever province its patients come from (national database). */
export class CreateInstitutionReconciliations1764374400000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE institution_reconciliations (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      institution_id VARCHAR(64) NOT NULL,
      day CHAR(10) NOT NULL,
      matched TINYINT(1) NOT NULL,
      submitted TEXT NOT NULL,
      system_figures TEXT NOT NULL,
      missing_at_institution INT NOT NULL,
      unknown_to_system INT NOT NULL,
      actor_role VARCHAR(16) NOT NULL,
      actor_sub VARCHAR(128) NOT NULL,
      request_id VARCHAR(100) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      KEY ix_institution_reconciliations_day (institution_id, day, created_at)
    ) ENGINE=InnoDB`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE institution_reconciliations');
  }
}
