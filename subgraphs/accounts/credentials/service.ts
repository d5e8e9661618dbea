import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { decodeTimeCursor, encodeTimeCursor, pageOf, type Page, olderThan } from '../../shared/cursor';
import { REFUSAL_LIMITS, type Refusal, type Resolution } from '../../shared/contracts/credentials';
import type { ProvinceBackends } from '../../shared/db/backends';
import { placeholders, provinceOfId, queryByIds } from '../../shared/db/routing';
import { inTransaction, query } from '../../shared/db/transaction';
import { fail } from '../../shared/errors';
import { AccountsError } from '../errors';
import type { Identity } from '../../shared/identity';
import { newCredentialToken, newId, provinceOfRegion, regionOfCredentialToken } from '../../shared/ids';
import type { Observability } from '../../shared/server/observability';
import type { Persons, PersonRecord } from '../persons/service';

/**
 * Card / e-voucher tokens: random, routed by their region prefix, stored only as a hash. A person
 * may hold several (a card and a phone voucher); the token is shown once, when issued. Refused
 * presentations are kept in a national audit trail; repeated mismatches with any of a person's
 * credentials suspend the person's network settlement (every credential, later ones too) until an
 * ADMIN lifts the suspension (DESIGN.md, Decisions of the second round).
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(`credential:${token}`).digest('hex');
}

export interface CredentialRecord {
  id: string;
  holderId: string;
  issuedAt: Date;
  revokedAt: Date | null;
  /** The holder's suspension: it is the person's, so every credential he holds shows it. */
  suspendedAt: Date | null;
}

export interface RefusalRecord {
  id: string;
  code: string;
  credentialId: string | null;
  holderId: string | null;
  claimedPatients: string[];
  claimedPatientCount: number;
  terminalSub: string;
  institutionId: string | null;
  operationName: string | null;
  createdAt: Date;
}

export type RefusalPage = Page<RefusalRecord>;

export interface SuspensionPolicy {
  /** Mismatches with a person's credentials within the window that suspend the person's network settlement. */
  after: number;
  windowMs: number;
}

type CredentialRow = {
  id: string;
  token_hash: string;
  person_id: string;
  issued_at: Date;
  revoked_at: Date | null;
  settlement_suspended_at: Date | null;
  settlement_suspension_lifted_at: Date | null;
};

/** A credential with its holder's suspension: both live in the holder's province, so one statement reads them. */
const CREDENTIAL_SELECT = `SELECT c.id, c.token_hash, c.person_id, c.issued_at, c.revoked_at, p.settlement_suspended_at, p.settlement_suspension_lifted_at
  FROM credentials c JOIN persons p ON p.id = c.person_id`;

function toCredential(row: CredentialRow): CredentialRecord {
  return {
    id: row.id,
    holderId: row.person_id,
    issuedAt: row.issued_at,
    revokedAt: row.revoked_at,
    suspendedAt: row.settlement_suspended_at,
  };
}

function provinceOfToken(backends: ProvinceBackends, token: string): string | null {
  const region = regionOfCredentialToken(token);
  const province = region && provinceOfRegion(region);
  return province && backends.has(province) ? province : null;
}

export class Credentials {
  constructor(
    private readonly backends: ProvinceBackends,
    private readonly national: DataSource,
    private readonly persons: Persons,
    private readonly suspension: SuspensionPolicy,
    private readonly observability: Observability,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async issue(holder: PersonRecord, actor: Identity): Promise<string> {
    const token = newCredentialToken(holder.regionCode);
    const province = provinceOfRegion(holder.regionCode);
    await inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      await sql.query('INSERT INTO credentials (id, token_hash, person_id, issued_at) VALUES (?, ?, ?, ?)', [
        newId(holder.regionCode),
        tokenHash(token),
        holder.id,
        this.clock(),
      ]);
      await this.persons.audit(sql, holder.id, 'ISSUE_CREDENTIAL', actor, 'credential issued');
    });
    return token;
  }

  private async rowsByToken(tokens: readonly string[]): Promise<Map<string, CredentialRow>> {
    const byProvince = new Map<string, string[]>();
    for (const token of tokens) {
      const province = provinceOfToken(this.backends, token);
      if (province) byProvince.set(province, [...(byProvince.get(province) ?? []), tokenHash(token)]);
    }
    const rows = new Map<string, CredentialRow>();
    await Promise.all(
      [...byProvince].map(async ([province, hashes]) => {
        const found = await query<CredentialRow[]>(
          this.backends.get(province),
          province,
          `${CREDENTIAL_SELECT} WHERE c.token_hash IN (${placeholders(hashes)})`,
          hashes,
        );
        for (const row of found) rows.set(row.token_hash, row);
      }),
    );
    return rows;
  }

  /** Each token's holder, or null when it is unknown, malformed or revoked; one statement per province, never cached. */
  async resolve(tokens: readonly string[]): Promise<Array<Resolution | null>> {
    const rows = await this.rowsByToken(tokens);
    return tokens.map((token) => {
      const row = rows.get(tokenHash(token));
      return row && !row.revoked_at
        ? { credentialId: row.id, holderId: row.person_id, suspended: row.settlement_suspended_at !== null }
        : null;
    });
  }

  async revoke(token: string, actor: Identity): Promise<boolean> {
    const province = provinceOfToken(this.backends, token);
    if (!province) return false;
    return inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      // The conditional update is the decision (no row lock read first: it would hold on one database
      // node only): of two revokes on two nodes, one revokes and audits, the other finds it revoked.
      const revoked = (await sql.query('UPDATE credentials SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL', [
        this.clock(),
        tokenHash(token),
      ])) as { affectedRows: number };
      if (revoked.affectedRows !== 1) return false;
      const [row] = (await sql.query('SELECT person_id FROM credentials WHERE token_hash = ?', [tokenHash(token)])) as Array<{
        person_id: string;
      }>;
      await this.persons.audit(sql, row.person_id, 'REVOKE_CREDENTIAL', actor, 'credential revoked');
      return true;
    });
  }

  /**
   * Keeps a refusal in the audit trail. A mismatch counts towards suspending the credential's holder:
   * the mismatches with any of his credentials since the window began (or since an ADMIN last lifted
   * his suspension) are counted in the database, so every gateway replica sees the same count.
   * Returns whether the holder is suspended now.
   */
  async recordRefusal(input: Refusal): Promise<{ suspended: boolean }> {
    const row = input.token ? (await this.rowsByToken([input.token])).get(tokenHash(input.token)) : undefined;
    const now = this.clock();
    await query(
      this.national,
      'national',
      `INSERT INTO credential_refusals (id, code, token_hash, credential_id, credential_region, holder_id, claimed_patients, claimed_patient_count, terminal_sub, institution_id, operation_name, request_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      // An unknown token has no region; its refusal still needs an id of the usual shape.
      [
        newId(row ? row.person_id.slice(0, 6) : '100000'),
        input.code,
        input.token ? tokenHash(input.token) : null,
        row?.id ?? null,
        row?.person_id.slice(0, 6) ?? null,
        row?.person_id ?? null,
        JSON.stringify(input.claimedPatients.slice(0, REFUSAL_LIMITS.patients)),
        input.claimedPatientCount,
        input.terminalSub,
        input.institutionId,
        input.operationName,
        input.requestId,
        now,
      ],
    );
    if (!row || input.code !== 'CREDENTIAL_MISMATCH') return { suspended: row?.settlement_suspended_at != null };
    if (row.settlement_suspended_at) return { suspended: true };
    const since = new Date(Math.max(now.getTime() - this.suspension.windowMs, row.settlement_suspension_lifted_at?.getTime() ?? 0));
    const [count] = await query<Array<{ total: string }>>(
      this.national,
      'national',
      "SELECT COUNT(*) AS total FROM credential_refusals WHERE holder_id = ? AND code = 'CREDENTIAL_MISMATCH' AND created_at > ?",
      [row.person_id, since],
    );
    if (Number(count.total) < this.suspension.after) return { suspended: false };
    if (
      await this.persons.suspendSettlement(
        row.person_id,
        `${count.total} mismatches since ${since.toISOString()}, the last with credential ${row.id}`,
        input.requestId,
      )
    ) {
      this.observability.events.labels('credential_suspension', '').inc();
      this.observability.logger.warn(
        { requestId: input.requestId, personId: row.person_id, credentialId: row.id },
        'network settlement suspended after repeated mismatches',
      );
    }
    return { suspended: true };
  }

  async byId(credentialId: string): Promise<CredentialRecord | undefined> {
    const province = provinceOfId(credentialId);
    if (!province || !this.backends.has(province)) return undefined;
    const [row] = await query<CredentialRow[]>(this.backends.get(province), province, `${CREDENTIAL_SELECT} WHERE c.id = ?`, [
      credentialId,
    ]);
    return row && toCredential(row);
  }

  /** Lifts the suspension of the credential's holder (it is the person's), audited with the credential named. */
  async lift(credential: CredentialRecord, actor: Identity): Promise<CredentialRecord> {
    const holder = await this.persons.get(credential.holderId);
    if (!holder) fail(AccountsError.personNotFound(credential.holderId));
    await this.persons.liftSettlementSuspension(holder, actor, `via credential ${credential.id}`);
    return { ...credential, suspendedAt: null };
  }

  /** Credentials of many holders, newest first: one statement per province. */
  async byHolders(personIds: readonly string[]): Promise<Map<string, CredentialRecord[]>> {
    const found = new Map<string, CredentialRecord[]>();
    const rows = await queryByIds<CredentialRow>(
      this.backends,
      personIds,
      (list) => `${CREDENTIAL_SELECT} WHERE c.person_id IN (${list}) ORDER BY c.issued_at DESC, c.id DESC`,
    );
    for (const row of rows) found.set(row.person_id, [...(found.get(row.person_id) ?? []), toCredential(row)]);
    return found;
  }

  /** The audit trail, newest first; an ADMIN limited to a region sees the refusals of its credentials. */
  async refusals(first: number, after: string | null, region: string | undefined): Promise<RefusalPage> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (region) {
      conditions.push('credential_region = ?');
      params.push(region);
    }
    if (after) {
      const cursor = decodeTimeCursor('refusal', after);
      const older = olderThan(cursor);
      conditions.push(older.sql);
      params.push(...older.params);
    }
    const rows = await query<
      Array<{
        id: string;
        code: string;
        credential_id: string | null;
        holder_id: string | null;
        claimed_patients: string;
        claimed_patient_count: number;
        terminal_sub: string;
        institution_id: string | null;
        operation_name: string | null;
        created_at: Date;
      }>
    >(
      this.national,
      'national',
      `SELECT id, code, credential_id, holder_id, claimed_patients, claimed_patient_count, terminal_sub, institution_id, operation_name, created_at FROM credential_refusals
       ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`,
      [...params, first + 1],
    );
    const refusals = rows.map(
      (row): RefusalRecord => ({
        id: row.id,
        code: row.code,
        credentialId: row.credential_id,
        holderId: row.holder_id,
        claimedPatients: JSON.parse(row.claimed_patients) as string[],
        claimedPatientCount: row.claimed_patient_count,
        terminalSub: row.terminal_sub,
        institutionId: row.institution_id,
        operationName: row.operation_name,
        createdAt: row.created_at,
      }),
    );
    return pageOf(refusals, first, (last) => encodeTimeCursor('refusal', last));
  }
}
