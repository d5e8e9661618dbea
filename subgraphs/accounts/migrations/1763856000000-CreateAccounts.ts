import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One province's persons, personal accounts, append-only ledger and credentials. */
export class CreateAccounts1763856000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE persons (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      region_code CHAR(6) NOT NULL,
      name VARCHAR(100) NOT NULL,
      masked_id_number VARCHAR(18) NOT NULL,
      id_number_hash CHAR(64) NOT NULL,
      scheme VARCHAR(16) NOT NULL,
      status VARCHAR(16) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_persons_id_number_hash (id_number_hash),
      CONSTRAINT ck_persons_scheme CHECK (scheme IN ('EMPLOYEE', 'RESIDENT')),
      CONSTRAINT ck_persons_status CHECK (status IN ('ACTIVE', 'SUSPENDED', 'TERMINATED'))
    ) ENGINE=InnoDB`);
    await runner.query(`CREATE TABLE personal_accounts (
      person_id VARCHAR(40) NOT NULL PRIMARY KEY,
      balance_fen BIGINT NOT NULL,
      last_entry_seq BIGINT NOT NULL,
      created_at DATETIME(3) NOT NULL,
      CONSTRAINT fk_personal_accounts_person FOREIGN KEY (person_id) REFERENCES persons (id),
      CONSTRAINT ck_personal_accounts_balance_not_negative CHECK (balance_fen >= 0)
    ) ENGINE=InnoDB`);
    // A transfer is one idempotent money movement (a credit, an ordered debit, or the reversal of a
    // debit); its entries are the balance changes it made. The stored result is what a retry returns.
    await runner.query(`CREATE TABLE ledger_transfers (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      scope VARCHAR(80) NOT NULL,
      idempotency_key VARCHAR(128) NOT NULL,
      request_hash CHAR(64) NOT NULL,
      kind VARCHAR(16) NOT NULL,
      reverses_transfer_id VARCHAR(40) NULL,
      result TEXT NOT NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_ledger_transfers_key (scope, idempotency_key),
      UNIQUE KEY uq_ledger_transfers_reverses (reverses_transfer_id),
      CONSTRAINT fk_ledger_transfers_reverses FOREIGN KEY (reverses_transfer_id) REFERENCES ledger_transfers (id),
      CONSTRAINT ck_ledger_transfers_kind CHECK (kind IN ('CREDIT', 'DEBIT', 'REVERSAL'))
    ) ENGINE=InnoDB`);
    await runner.query(`CREATE TABLE ledger_entries (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      account_id VARCHAR(40) NOT NULL,
      seq BIGINT NOT NULL,
      transfer_id VARCHAR(40) NOT NULL,
      amount_fen BIGINT NOT NULL,
      balance_after_fen BIGINT NOT NULL,
      kind VARCHAR(24) NOT NULL,
      reference VARCHAR(160) NOT NULL,
      beneficiary_id VARCHAR(40) NULL,
      memo VARCHAR(200) NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_ledger_entries_account_seq (account_id, seq),
      KEY ix_ledger_entries_transfer (transfer_id),
      KEY ix_ledger_entries_created (created_at),
      CONSTRAINT fk_ledger_entries_account FOREIGN KEY (account_id) REFERENCES personal_accounts (person_id),
      CONSTRAINT fk_ledger_entries_transfer FOREIGN KEY (transfer_id) REFERENCES ledger_transfers (id),
      CONSTRAINT ck_ledger_entries_amount_not_zero CHECK (amount_fen <> 0),
      CONSTRAINT ck_ledger_entries_balance_not_negative CHECK (balance_after_fen >= 0),
      CONSTRAINT ck_ledger_entries_kind CHECK (kind IN ('CREDIT', 'OWN_ACCOUNT_PAYMENT', 'MUTUAL_AID_PAYMENT', 'PREMIUM_PAYMENT', 'REFUND', 'REVERSAL'))
    ) ENGINE=InnoDB`);
    await runner.query(`CREATE TABLE credentials (
      token_hash CHAR(64) NOT NULL PRIMARY KEY,
      person_id VARCHAR(40) NOT NULL,
      issued_at DATETIME(3) NOT NULL,
      revoked_at DATETIME(3) NULL,
      KEY ix_credentials_person (person_id),
      CONSTRAINT fk_credentials_person FOREIGN KEY (person_id) REFERENCES persons (id)
    ) ENGINE=InnoDB`);
    await runner.query(`CREATE TABLE person_audit (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      person_id VARCHAR(40) NOT NULL,
      action VARCHAR(32) NOT NULL,
      actor_role VARCHAR(16) NOT NULL,
      actor_sub VARCHAR(128) NOT NULL,
      detail VARCHAR(400) NOT NULL,
      request_id VARCHAR(100) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      KEY ix_person_audit_person (person_id, created_at)
    ) ENGINE=InnoDB`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['person_audit', 'credentials', 'ledger_entries', 'ledger_transfers', 'personal_accounts', 'persons']) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
