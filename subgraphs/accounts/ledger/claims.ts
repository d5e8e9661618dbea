import type { DataSource } from 'typeorm';
import type { ProvinceBackends } from '../../shared/db/backends';
import { inTransaction, isDuplicateKey, query, type Sql } from '../../shared/db/transaction';
import { fail } from '../../shared/errors';
import { AccountsError } from '../errors';
import { newId } from '../../shared/ids';
import type { Observability } from '../../shared/server/observability';

/**
 * The idempotency claim of one money movement. A movement inserts its row under (scope, key) in the
 * same transaction as its effect, and stores its result there: in `ledger_transfers` for a transfer
 * posted at once, in `ledger_holds` for a pending transfer. A duplicate key means the movement
 * already happened (or is happening: the insert waited for it), so the first result is answered, or
 * IDEMPOTENCY_CONFLICT when the request differs. Concurrent retries meet on the unique index and
 * see one effect.
 */

/** Where a key's row and first result live: a posted transfer's table, or a pending transfer's. */
export type ClaimTable = 'ledger_transfers' | 'ledger_holds';

export type Claim = {
  scope: string;
  key: string;
  /** The request's hash (requestHash): the same key with another hash is IDEMPOTENCY_CONFLICT. */
  hash: string;
  /** The region of the new row's id. */
  idRegion: string;
} & ({ table: 'ledger_transfers'; kind: string; reverses?: string } | { table: 'ledger_holds'; reference: string; timeoutMs: number });

/**
 * The request hash of a key spent by a void (no request's SHA-256 looks like it): a debit or pending
 * transfer that comes later under that key finds it and moves nothing.
 */
const VOIDED_KEY_HASH = 'voided-key'.padEnd(64, '-');

/** Inserts the claim's row (its result still empty) inside the caller's transaction. */
export async function insertClaim(sql: Sql, claim: Claim, id: string, now: Date): Promise<void> {
  if (claim.table === 'ledger_transfers') {
    await sql.query(
      'INSERT INTO ledger_transfers (id, scope, idempotency_key, request_hash, kind, reverses_transfer_id, result, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [id, claim.scope, claim.key, claim.hash, claim.kind, claim.reverses ?? null, '', now],
    );
  } else {
    await sql.query(
      "INSERT INTO ledger_holds (id, scope, idempotency_key, request_hash, status, reference, steps, result, expires_at, created_at) VALUES (?, ?, ?, ?, 'PENDING', ?, '[]', '', ?, ?)",
      [id, claim.scope, claim.key, claim.hash, claim.reference, new Date(now.getTime() + claim.timeoutMs), now],
    );
  }
}

export class Claims {
  constructor(
    private readonly backends: ProvinceBackends,
    private readonly observability: Observability,
    private readonly clock: () => Date,
  ) {}

  /**
   * Runs `work` in one transaction under a new row claiming (scope, key), and keeps its result on
   * the row. A duplicate key answers the first result instead, or refuses a different request.
   */
  async once<R>(province: string, claim: Claim, work: (sql: Sql, id: string, now: Date) => Promise<R>): Promise<R> {
    const dataSource = this.backends.get(province);
    try {
      return await inTransaction(dataSource, province, this.observability, async (sql) => {
        const id = newId(claim.idRegion);
        const now = this.clock();
        await insertClaim(sql, claim, id, now);
        const result = await work(sql, id, now);
        await sql.query(`UPDATE ${claim.table} SET result = ? WHERE id = ?`, [JSON.stringify(result), id]);
        return result;
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return this.firstResult<R>(dataSource, province, claim);
    }
  }

  private async firstResult<R>(dataSource: DataSource, province: string, claim: Claim): Promise<R> {
    const rows = await query<Array<{ request_hash: string; result: string }>>(
      dataSource,
      province,
      `SELECT request_hash, result FROM ${claim.table} WHERE scope = ? AND idempotency_key = ?`,
      [claim.scope, claim.key],
    );
    // A duplicate with no row under this key: a reversal met the transfer's earlier reversal under
    // another key (uq_ledger_transfers_reverses allows one per transfer).
    if (rows.length === 0) fail(AccountsError.alreadyReversed);
    if (rows[0].request_hash === VOIDED_KEY_HASH) fail(AccountsError.keyVoided);
    if (rows[0].request_hash !== claim.hash) fail(AccountsError.keyConflict);
    return JSON.parse(rows[0].result) as R;
  }

  /**
   * Spends (scope, key) in `table` for a 冲正: a row with the voided hash, so nothing moves under the
   * key later. When a movement got the key first, answers its row instead: its id, and its `kind`
   * (ledger_transfers) or `status` (ledger_holds) as `kind`.
   */
  async spend(
    province: string,
    region: string,
    table: ClaimTable,
    request: { scope: string; idempotencyKey: string; reference: string },
  ): Promise<{ id: string; kind: string } | null> {
    const dataSource = this.backends.get(province);
    try {
      await inTransaction(dataSource, province, this.observability, async (sql) => {
        const now = this.clock();
        await sql.query(
          table === 'ledger_transfers'
            ? "INSERT INTO ledger_transfers (id, scope, idempotency_key, request_hash, kind, result, created_at) VALUES (?, ?, ?, ?, 'VOID', '{}', ?)"
            : "INSERT INTO ledger_holds (id, scope, idempotency_key, request_hash, status, reference, steps, result, expires_at, created_at, decided_at) VALUES (?, ?, ?, ?, 'VOIDED', ?, '[]', '', ?, ?, ?)",
          table === 'ledger_transfers'
            ? [newId(region), request.scope, request.idempotencyKey, VOIDED_KEY_HASH, now]
            : [newId(region), request.scope, request.idempotencyKey, VOIDED_KEY_HASH, request.reference, now, now, now],
        );
      });
      return null;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const [row] = await query<Array<{ id: string; kind: string }>>(
        dataSource,
        province,
        `SELECT id, ${table === 'ledger_transfers' ? 'kind' : 'status'} AS kind FROM ${table} WHERE scope = ? AND idempotency_key = ?`,
        [request.scope, request.idempotencyKey],
      );
      return row;
    }
  }
}
