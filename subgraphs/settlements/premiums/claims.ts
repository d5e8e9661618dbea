import type { DataSource } from 'typeorm';
import { isDuplicateKey, query } from '../../shared/db/transaction';

/**
 * One premium per beneficiary, product and year, held by a unique key in the national database
 * (premium_claims, migration 1764806400201): a read could not stop two payers in two provinces
 * paying at once. A claim is open while its premium is paid or being paid; a refused or refunded
 * premium releases it, so the beneficiary can be paid for again.
 */
export interface PremiumClaim {
  premiumId: string;
  beneficiaryId: string;
  productCode: string;
  year: number;
}

export class PremiumClaims {
  constructor(
    private readonly national: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Claims the year for this premium: answers its own id when it holds the claim (now or since an
   * earlier attempt), else the id of the premium that holds it. Null: the holder released it between
   * our insert and our read; the caller asks again.
   */
  async claim(claim: PremiumClaim): Promise<string | null> {
    try {
      await query(
        this.national,
        'national',
        'INSERT INTO premium_claims (premium_id, beneficiary_id, product_code, premium_year, open_beneficiary_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        [claim.premiumId, claim.beneficiaryId, claim.productCode, claim.year, claim.beneficiaryId, this.clock()],
      );
      return claim.premiumId;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const rows = await query<Array<{ premium_id: string }>>(
      this.national,
      'national',
      `SELECT premium_id FROM premium_claims WHERE premium_id = ?
       UNION ALL SELECT premium_id FROM premium_claims WHERE open_beneficiary_id = ? AND product_code = ? AND premium_year = ?`,
      [claim.premiumId, claim.beneficiaryId, claim.productCode, claim.year],
    );
    if (rows.some((row) => row.premium_id === claim.premiumId)) return claim.premiumId;
    return rows[0]?.premium_id ?? null;
  }

  /** The premium holding the year's claim for this beneficiary and product, if any. */
  async holder(beneficiaryId: string, productCode: string, year: number): Promise<string | null> {
    const rows = await query<Array<{ premium_id: string }>>(
      this.national,
      'national',
      'SELECT premium_id FROM premium_claims WHERE open_beneficiary_id = ? AND product_code = ? AND premium_year = ?',
      [beneficiaryId, productCode, year],
    );
    return rows[0]?.premium_id ?? null;
  }

  /** The premium was refused or refunded: its year is free again. Idempotent. */
  async release(premiumId: string): Promise<void> {
    await query(
      this.national,
      'national',
      'UPDATE premium_claims SET open_beneficiary_id = NULL, released_at = ? WHERE premium_id = ? AND open_beneficiary_id IS NOT NULL',
      [this.clock(), premiumId],
    );
  }
}
