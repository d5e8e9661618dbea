import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The national database: resident id numbers are unique nationwide, so the unique key lives here,
 * keyed by a hash of the number, and two concurrent registrations in two provinces cannot both win.
 */
export class CreateResidentRegistry1763856000001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE resident_registry (
      id_number_hash CHAR(64) NOT NULL PRIMARY KEY,
      person_id VARCHAR(40) NOT NULL,
      claimed_at DATETIME(3) NOT NULL
    ) ENGINE=InnoDB`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE resident_registry');
  }
}
