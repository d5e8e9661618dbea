import type { DataSource } from 'typeorm';
import type { ProvinceBackends } from '../../shared/db/backends';
import { provinceOfKnownId, queryByIds } from '../../shared/db/routing';
import { inTransaction, isDuplicateKey, query } from '../../shared/db/transaction';
import { fail, type Outcome, SharedError } from '../../shared/errors';
import { AccountsError } from '../errors';
import type { Identity } from '../../shared/identity';
import { newId, provinceOfRegion, regionOfKnownId } from '../../shared/ids';
import type { Observability } from '../../shared/server/observability';
import type { PolicyBook } from '../../shared/policy/policy';
import type { EnrollmentStatus, Scheme } from '../../shared/policy/vocabulary';
import { maskResidentId, normalizeResidentId, residentIdHash, residentIdProblem, type ResidentIdProblem } from '../../shared/residentId';
import { checkText } from '../../shared/text';

export interface PersonRecord {
  id: string;
  regionCode: string;
  name: string;
  maskedIdNumber: string;
  scheme: Scheme;
  status: EnrollmentStatus;
  createdAt: Date;
  /** Network settlement suspended for 冒名就医 since then (every credential of the person); null when not. */
  settlementSuspendedAt: Date | null;
  /** When an ADMIN last lifted a suspension: mismatches before it no longer count. */
  settlementSuspensionLiftedAt: Date | null;
}

export interface RegisterInput {
  idNumber: string;
  name: string;
  regionCode: string;
  scheme: Scheme;
}

/** What registration answers for each way a resident id number can be wrong. */
const RESIDENT_ID_REFUSALS: Readonly<Record<ResidentIdProblem, Outcome>> = {
  FORMAT: AccountsError.residentIdFormat,
  BIRTH_DATE: AccountsError.residentIdBirthDate,
  CHECK_DIGIT: AccountsError.residentIdCheckDigit,
};

/**
 * A registry claim whose person never appeared (the registering process died between the national
 * and the province write) may be taken over after this long; younger claims are in flight.
 */
const ABANDONED_CLAIM_MS = 60_000;
const PERSON_COLUMNS = 'id, region_code, name, masked_id_number, scheme, status, created_at';
const SUSPENSION_COLUMNS = 'settlement_suspended_at, settlement_suspension_lifted_at';

type PersonRow = {
  id: string;
  region_code: string;
  name: string;
  masked_id_number: string;
  scheme: Scheme;
  status: EnrollmentStatus;
  created_at: Date;
  settlement_suspended_at: Date | null;
  settlement_suspension_lifted_at: Date | null;
};

function toPerson(row: PersonRow): PersonRecord {
  return {
    id: row.id,
    regionCode: row.region_code,
    name: row.name,
    maskedIdNumber: row.masked_id_number,
    scheme: row.scheme,
    status: row.status,
    createdAt: row.created_at,
    settlementSuspendedAt: row.settlement_suspended_at,
    settlementSuspensionLiftedAt: row.settlement_suspension_lifted_at,
  };
}

export class Persons {
  constructor(
    private readonly backends: ProvinceBackends,
    private readonly national: DataSource,
    private readonly policies: PolicyBook,
    private readonly observability: Observability,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** One statement per province, whatever the number of ids. */
  async load(ids: readonly string[]): Promise<Map<string, PersonRecord>> {
    const rows = await queryByIds<PersonRow>(
      this.backends,
      ids,
      (list) => `SELECT ${PERSON_COLUMNS}, ${SUSPENSION_COLUMNS} FROM persons WHERE id IN (${list})`,
    );
    return new Map(rows.map((row) => [row.id, toPerson(row)]));
  }

  async get(id: string): Promise<PersonRecord | undefined> {
    return (await this.load([id])).get(id);
  }

  /**
   * The person enrolled under this resident id number whose name is exactly this one, or null. An app
   * user names a relative by 身份证号 and name, never by internal id; every way of not matching (a
   * malformed or unknown number, another name) answers the same null, so the answer says nothing
   * about whether the number is enrolled. Callers bound how often a caller may ask.
   */
  async matchByIdNumber(idNumber: string, name: string): Promise<string | null> {
    const normalized = normalizeResidentId(idNumber);
    if (residentIdProblem(normalized, this.clock())) return null;
    const [claim] = await query<Array<{ person_id: string }>>(
      this.national,
      'national',
      'SELECT person_id FROM resident_registry WHERE id_number_hash = ?',
      [residentIdHash(normalized)],
    );
    const person = claim ? await this.get(claim.person_id) : undefined;
    return person && person.name.normalize('NFC') === name.trim().normalize('NFC') ? person.id : null;
  }

  async register(input: RegisterInput, actor: Identity): Promise<PersonRecord> {
    const idNumber = normalizeResidentId(input.idNumber);
    const problem = residentIdProblem(idNumber, this.clock());
    if (problem) fail(RESIDENT_ID_REFUSALS[problem]);
    const name = input.name.trim();
    checkText('input.name', name);
    if (name.length === 0) fail(AccountsError.nameEmpty);
    if (!this.policies.region(input.regionCode)) fail(SharedError.unknownRegion(input.regionCode));

    const hash = residentIdHash(idNumber);
    const person: PersonRecord = {
      id: newId(input.regionCode),
      regionCode: input.regionCode,
      name,
      maskedIdNumber: maskResidentId(idNumber),
      scheme: input.scheme,
      status: 'ACTIVE',
      createdAt: this.clock(),
      settlementSuspendedAt: null,
      settlementSuspensionLiftedAt: null,
    };
    const province = provinceOfRegion(input.regionCode);
    const dataSource = this.backends.get(province);
    await this.claim(hash, person.id);
    const write = inTransaction(dataSource, province, this.observability, async (sql) => {
      await sql.query(`INSERT INTO persons (${PERSON_COLUMNS}, id_number_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
        person.id,
        person.regionCode,
        person.name,
        person.maskedIdNumber,
        person.scheme,
        person.status,
        person.createdAt,
        hash,
        person.createdAt,
      ]);
      if (person.scheme === 'EMPLOYEE') {
        await sql.query('INSERT INTO personal_accounts (person_id, balance_fen, last_entry_seq, created_at) VALUES (?, 0, 0, ?)', [
          person.id,
          person.createdAt,
        ]);
      }
      await this.audit(sql, person.id, 'REGISTER', actor, `${person.scheme} in ${person.regionCode}`);
    });
    await write.catch(async (error: unknown) => {
      // Give the number back at once rather than after ABANDONED_CLAIM_MS; if even this fails, the
      // takeover rule frees it later.
      await query(this.national, 'national', 'DELETE FROM resident_registry WHERE id_number_hash = ? AND person_id = ?', [
        hash,
        person.id,
      ]).catch(() => undefined);
      throw error;
    });
    return person;
  }

  /**
   * Takes the nationwide unique key of a resident id number for a new person. A claim left behind
   * by a registration that died before writing its person is taken over once it is old enough.
   */
  private async claim(hash: string, personId: string): Promise<void> {
    try {
      await query(this.national, 'national', 'INSERT INTO resident_registry (id_number_hash, person_id, claimed_at) VALUES (?, ?, ?)', [
        hash,
        personId,
        this.clock(),
      ]);
      return;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const [existing] = await query<Array<{ person_id: string; claimed_at: Date }>>(
      this.national,
      'national',
      'SELECT person_id, claimed_at FROM resident_registry WHERE id_number_hash = ?',
      [hash],
    );
    const registered = existing && (await this.get(existing.person_id));
    const abandoned = existing && !registered && this.clock().getTime() - existing.claimed_at.getTime() > ABANDONED_CLAIM_MS;
    if (abandoned) {
      const taken = await query<{ affectedRows: number }>(
        this.national,
        'national',
        'UPDATE resident_registry SET person_id = ?, claimed_at = ? WHERE id_number_hash = ? AND person_id = ?',
        [personId, this.clock(), hash, existing.person_id],
      );
      if (taken.affectedRows === 1) return;
    }
    fail(AccountsError.residentIdRegistered);
  }

  async setStatus(person: PersonRecord, status: EnrollmentStatus, actor: Identity): Promise<PersonRecord> {
    if (person.status === status) return person;
    const province = provinceOfRegion(person.regionCode);
    await inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      // Only from the status the ADMIN saw (and the audit names): of two changes on two replicas or
      // database nodes, one applies and the other is told, never a silent overwrite.
      const result = (await sql.query('UPDATE persons SET status = ?, updated_at = ? WHERE id = ? AND status = ?', [
        status,
        this.clock(),
        person.id,
        person.status,
      ])) as { affectedRows: number };
      if (result.affectedRows !== 1) fail(AccountsError.statusChangedMeanwhile);
      await this.audit(sql, person.id, 'SET_STATUS', actor, `${person.status} -> ${status}`);
    });
    return { ...person, status };
  }

  /**
   * Suspends the person's network settlement (冒名就医): every credential he holds, and any issued
   * later, resolves as suspended until an ADMIN lifts it. Conditional, so concurrent refusals on
   * several replicas suspend (and audit) once. Returns whether this call suspended him.
   */
  async suspendSettlement(personId: string, detail: string, requestId: string): Promise<boolean> {
    const province = provinceOfKnownId(personId);
    return inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      const result = (await sql.query(
        'UPDATE persons SET settlement_suspended_at = ?, updated_at = ? WHERE id = ? AND settlement_suspended_at IS NULL',
        [this.clock(), this.clock(), personId],
      )) as { affectedRows: number };
      if (result.affectedRows === 1)
        await this.audit(sql, personId, 'SUSPEND_SETTLEMENT', { role: null, sub: 'system', requestId }, detail);
      return result.affectedRows === 1;
    });
  }

  /** Lifts the person's suspension; mismatches counted towards the next one start after this instant. */
  async liftSettlementSuspension(person: PersonRecord, actor: Identity, detail: string): Promise<PersonRecord> {
    const province = provinceOfRegion(person.regionCode);
    const now = this.clock();
    await inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      const result = (await sql.query(
        'UPDATE persons SET settlement_suspended_at = NULL, settlement_suspension_lifted_at = ?, updated_at = ? WHERE id = ? AND settlement_suspended_at IS NOT NULL',
        [now, now, person.id],
      )) as { affectedRows: number };
      if (result.affectedRows === 0) fail(AccountsError.notSuspended);
      await this.audit(sql, person.id, 'LIFT_SETTLEMENT_SUSPENSION', actor, detail);
    });
    return { ...person, settlementSuspendedAt: null, settlementSuspensionLiftedAt: now };
  }

  async audit(sql: { query: DataSource['query'] }, personId: string, action: string, actor: Identity, detail: string): Promise<void> {
    await sql.query(
      'INSERT INTO person_audit (id, person_id, action, actor_role, actor_sub, detail, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [newId(regionOfKnownId(personId)), personId, action, actor.role ?? 'NONE', actor.sub ?? '', detail, actor.requestId, this.clock()],
    );
  }
}
