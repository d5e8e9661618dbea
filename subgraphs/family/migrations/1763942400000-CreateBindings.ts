import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bindings live in the authorizer's province. While a binding is open (PENDING_REVIEW or ACTIVE)
 * it holds two unique keys: its pair, and for a SPOUSE binding its authorizer. Closing it clears
 * them, so concurrent requests can never open a second binding for one pair or a second spouse,
 * and a closed pair can bind again later as a new binding.
 */
export class CreateBindings1763942400000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE family_bindings (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      authorizer_id VARCHAR(40) NOT NULL,
      beneficiary_id VARCHAR(40) NOT NULL,
      relationship VARCHAR(24) NOT NULL,
      status VARCHAR(16) NOT NULL,
      evidence TEXT NULL,
      review_note VARCHAR(500) NULL,
      created_at DATETIME(3) NOT NULL,
      effective_at DATETIME(3) NULL,
      revoked_at DATETIME(3) NULL,
      open_pair_key VARCHAR(90) NULL,
      open_spouse_key VARCHAR(40) NULL,
      UNIQUE KEY uq_family_bindings_open_pair (open_pair_key),
      UNIQUE KEY uq_family_bindings_open_spouse (open_spouse_key),
      KEY ix_family_bindings_authorizer (authorizer_id, created_at),
      KEY ix_family_bindings_beneficiary (beneficiary_id, status, effective_at),
      CONSTRAINT ck_family_bindings_status CHECK (status IN ('PENDING_REVIEW', 'ACTIVE', 'REJECTED', 'REVOKED')),
      CONSTRAINT ck_family_bindings_not_self CHECK (authorizer_id <> beneficiary_id),
      CONSTRAINT ck_family_bindings_open_keys CHECK ((status IN ('PENDING_REVIEW', 'ACTIVE')) = (open_pair_key IS NOT NULL))
    ) ENGINE=InnoDB`);
    await runner.query(`CREATE TABLE family_binding_events (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      binding_id VARCHAR(40) NOT NULL,
      action VARCHAR(16) NOT NULL,
      from_status VARCHAR(16) NULL,
      to_status VARCHAR(16) NOT NULL,
      actor_role VARCHAR(16) NOT NULL,
      actor_sub VARCHAR(128) NOT NULL,
      note VARCHAR(500) NULL,
      request_id VARCHAR(100) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      KEY ix_family_binding_events_binding (binding_id, created_at),
      CONSTRAINT fk_family_binding_events_binding FOREIGN KEY (binding_id) REFERENCES family_bindings (id)
    ) ENGINE=InnoDB`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE family_binding_events');
    await runner.query('DROP TABLE family_bindings');
  }
}
