import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The beneficiary's consent (接受绑定) and the reviewers' queue. A binding may wait for the
 * beneficiary (PENDING_CONSENT, an open status holding the pair's unique keys like the others) and
 * end DECLINED. Each binding records its authorizer's region, so the queue of one region's pending
 * reviews, oldest first, reads only its own rows through one index whatever the province holds.
 */
export class BindingConsent1764806400000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE family_bindings ADD COLUMN authorizer_region CHAR(6) NULL AFTER authorizer_id');
    // A binding's id starts with its authorizer's region (bindings live where the authorizer is).
    await runner.query('UPDATE family_bindings SET authorizer_region = LEFT(id, 6)');
    await runner.query(`ALTER TABLE family_bindings
      MODIFY authorizer_region CHAR(6) NOT NULL,
      ADD KEY ix_family_bindings_review_queue (authorizer_region, status, created_at, id),
      DROP CONSTRAINT ck_family_bindings_status,
      DROP CONSTRAINT ck_family_bindings_open_keys`);
    await runner.query(`ALTER TABLE family_bindings
      ADD CONSTRAINT ck_family_bindings_status CHECK (status IN ('PENDING_CONSENT', 'PENDING_REVIEW', 'ACTIVE', 'DECLINED', 'REJECTED', 'REVOKED')),
      ADD CONSTRAINT ck_family_bindings_open_keys CHECK ((status IN ('PENDING_CONSENT', 'PENDING_REVIEW', 'ACTIVE')) = (open_pair_key IS NOT NULL))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE family_bindings
      DROP CONSTRAINT ck_family_bindings_status,
      DROP CONSTRAINT ck_family_bindings_open_keys,
      DROP KEY ix_family_bindings_review_queue,
      DROP COLUMN authorizer_region`);
    await runner.query(`ALTER TABLE family_bindings
      ADD CONSTRAINT ck_family_bindings_status CHECK (status IN ('PENDING_REVIEW', 'ACTIVE', 'REJECTED', 'REVOKED')),
      ADD CONSTRAINT ck_family_bindings_open_keys CHECK ((status IN ('PENDING_REVIEW', 'ACTIVE')) = (open_pair_key IS NOT NULL))`);
  }
}
