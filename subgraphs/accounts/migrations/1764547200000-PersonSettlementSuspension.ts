import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Suspension for 冒名就医 belongs to the person, not to one card: a suspended person settles with
 * none of his credentials, including ones issued later, until an ADMIN lifts it. The columns move
 * from credentials to persons; a person is suspended if any of his credentials was, since his
 * earliest such suspension, and the window of mismatches restarts at his latest lift.
 */
export class PersonSettlementSuspension1764547200000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE persons ADD COLUMN settlement_suspended_at DATETIME(3) NULL, ADD COLUMN settlement_suspension_lifted_at DATETIME(3) NULL',
    );
    await runner.query(`UPDATE persons p JOIN (SELECT person_id, MIN(suspended_at) AS suspended_at, MAX(lifted_at) AS lifted_at FROM credentials GROUP BY person_id) c ON c.person_id = p.id
      SET p.settlement_suspended_at = c.suspended_at, p.settlement_suspension_lifted_at = c.lifted_at`);
    await runner.query('ALTER TABLE credentials DROP COLUMN suspended_at, DROP COLUMN lifted_at');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE credentials ADD COLUMN suspended_at DATETIME(3) NULL, ADD COLUMN lifted_at DATETIME(3) NULL');
    // Per credential again: every credential of a suspended person is suspended.
    await runner.query(`UPDATE credentials c JOIN persons p ON p.id = c.person_id
      SET c.suspended_at = p.settlement_suspended_at, c.lifted_at = p.settlement_suspension_lifted_at`);
    await runner.query('ALTER TABLE persons DROP COLUMN settlement_suspended_at, DROP COLUMN settlement_suspension_lifted_at');
  }
}
