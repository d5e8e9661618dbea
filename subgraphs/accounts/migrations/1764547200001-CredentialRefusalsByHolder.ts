import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mismatches are counted per holder (every credential of the person) rather than per token, and a
 * refusal keeps how many distinct patients the operation named beside its bounded list of them.
 */
export class CredentialRefusalsByHolder1764547200001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE credential_refusals ADD COLUMN claimed_patient_count INT NOT NULL DEFAULT 0,
      ADD CONSTRAINT ck_credential_refusals_count CHECK (claimed_patient_count >= 0),
      ADD KEY ix_credential_refusals_holder (holder_id, code, created_at)`);
    // Rows written before kept at most 10 patients and no count: the list is what is known.
    await runner.query('UPDATE credential_refusals SET claimed_patient_count = JSON_LENGTH(claimed_patients)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE credential_refusals DROP KEY ix_credential_refusals_holder, DROP CONSTRAINT ck_credential_refusals_count, DROP COLUMN claimed_patient_count',
    );
  }
}
