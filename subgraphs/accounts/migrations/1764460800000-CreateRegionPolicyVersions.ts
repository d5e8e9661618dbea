import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every version of every region's mutual-aid policy, in the national database: version 1 from the
 * config at first start, later ones scheduled by the region's ADMIN. A row also records who
 * scheduled it and in which request (the audit of policy changes). Nothing is updated or deleted.
 */
export class CreateRegionPolicyVersions1764460800000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE region_policy_versions (
      region_code CHAR(6) NOT NULL,
      version INT NOT NULL,
      effective_from DATETIME(3) NOT NULL,
      policy TEXT NOT NULL,
      actor_role VARCHAR(16) NOT NULL,
      actor_sub VARCHAR(128) NOT NULL,
      request_id VARCHAR(100) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (region_code, version),
      CONSTRAINT ck_region_policy_versions_version CHECK (version >= 1)
    ) ENGINE=InnoDB`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE region_policy_versions');
  }
}
