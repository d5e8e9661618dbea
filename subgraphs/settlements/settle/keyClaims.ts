import type { DataSource } from 'typeorm';
import { isDuplicateKey, query } from '../../shared/db/transaction';

/**
 * A counter's key is one transaction of its institution nationwide, like the national platform's
 * message id (DESIGN.md, Decisions for clients): (institution, operation, key) is claimed in the
 * national database before anything is written in a province, so the same key for a patient in
 * another province is answered from the claim instead of becoming a second settlement there.
 */
export type ClaimedOperation = 'SETTLE' | 'REFUND';

/** The national claim of one (institution, operation, key). */
export interface KeyClaim {
  settlementId: string;
  patientId: string;
  /** The settle request's content; null when a 冲正 spent the key first (and for refund keys). */
  requestHash: string | null;
}

export class KeyClaims {
  constructor(
    private readonly national: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Claims (institution, operation, key) nationwide, or answers the claim already made. One insert
   * on the national database; a concurrent claim waits on the primary key for the first.
   */
  async claim(institutionId: string, operation: ClaimedOperation, key: string, wanted: KeyClaim): Promise<KeyClaim> {
    try {
      await query(
        this.national,
        'national',
        'INSERT INTO idempotency_claims (institution_id, operation, idempotency_key, settlement_id, patient_id, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [institutionId, operation, key, wanted.settlementId, wanted.patientId, wanted.requestHash, this.clock()],
      );
      return wanted;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const [row] = await query<Array<{ settlement_id: string; patient_id: string; request_hash: string | null }>>(
        this.national,
        'national',
        'SELECT settlement_id, patient_id, request_hash FROM idempotency_claims WHERE institution_id = ? AND operation = ? AND idempotency_key = ?',
        [institutionId, operation, key],
      );
      return { settlementId: row.settlement_id, patientId: row.patient_id, requestHash: row.request_hash };
    }
  }
}
