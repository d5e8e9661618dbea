import type { AccountsClient } from '../../shared/accountsClient';
import type { Payer } from '../../shared/contracts/bindings';
import type { PersonSummary } from '../../shared/contracts/persons';
import type { ProvinceBackends } from '../../shared/db/backends';
import { provinceOfKnownId, queryByIds, queryEachProvince } from '../../shared/db/routing';
import { inTransaction, isDuplicateKey, query, type Sql } from '../../shared/db/transaction';
import { fail } from '../../shared/errors';
import { FamilyError } from '../errors';
import type { Identity } from '../../shared/identity';
import { newId, provinceOfRegion, regionOfId, regionOfKnownId } from '../../shared/ids';
import type { Observability } from '../../shared/server/observability';
import type { PolicyBook } from '../../shared/policy/policy';
import type { Relationship } from '../../shared/policy/vocabulary';
import { checkText } from '../../shared/text';
import { decodeTimeCursor, encodeTimeCursor, pageOf, type Page } from '../../shared/cursor';
import type { FailureLimit } from '../../shared/failureLimit';
import { bindingRefusal, type Party } from './eligibility';
import { isOpen, statusAfter, transitionRefusal, type BindingAction, type BindingStatus } from './lifecycle';

export type { BindingStatus } from './lifecycle';

export interface BindingRecord {
  id: string;
  authorizerId: string;
  beneficiaryId: string;
  relationship: Relationship;
  status: BindingStatus;
  evidence: string[];
  reviewNote: string | null;
  createdAt: Date;
  effectiveAt: Date | null;
  revokedAt: Date | null;
}

export interface BindingEvent {
  bindingId: string;
  action: BindingAction;
  fromStatus: BindingStatus | null;
  toStatus: BindingStatus;
  actorRole: string;
  actorSub: string;
  note: string | null;
  at: Date;
}

export interface RequestInput {
  authorizerId: string;
  beneficiaryId: string;
  relationship: Relationship;
  commitmentAccepted: boolean;
  evidence?: string[] | null;
}

/** A request that names the beneficiary as the app user knows her: 身份证号 and name. */
export interface RequestByIdNumberInput extends Omit<RequestInput, 'beneficiaryId'> {
  beneficiaryIdNumber: string;
  beneficiaryName: string;
}

const COLUMNS = 'id, authorizer_id, beneficiary_id, relationship, status, evidence, review_note, created_at, effective_at, revoked_at';

/** The reviewers' queue: oldest first by (createdAt, id). */
const QUEUE_CURSOR = 'queue';

/** One page of a region's queue, after a cursor or from its start; test/consent.test.ts checks its plan. */
export function reviewQueueSql(afterCursor: boolean): string {
  return `SELECT ${COLUMNS} FROM family_bindings FORCE INDEX (ix_family_bindings_review_queue)
    WHERE authorizer_region = ? AND status = 'PENDING_REVIEW'${afterCursor ? ' AND (created_at > ? OR (created_at = ? AND id > ?))' : ''}
    ORDER BY created_at, id LIMIT ?`;
}

type BindingRow = {
  id: string;
  authorizer_id: string;
  beneficiary_id: string;
  relationship: Relationship;
  status: BindingStatus;
  evidence: string | null;
  review_note: string | null;
  created_at: Date;
  effective_at: Date | null;
  revoked_at: Date | null;
};

function toBinding(row: BindingRow): BindingRecord {
  return {
    id: row.id,
    authorizerId: row.authorizer_id,
    beneficiaryId: row.beneficiary_id,
    relationship: row.relationship,
    status: row.status,
    evidence: row.evidence ? (JSON.parse(row.evidence) as string[]) : [],
    reviewNote: row.review_note,
    createdAt: row.created_at,
    effectiveAt: row.effective_at,
    revokedAt: row.revoked_at,
  };
}

function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class Bindings {
  constructor(
    private readonly backends: ProvinceBackends,
    private readonly policies: PolicyBook,
    private readonly accounts: AccountsClient,
    /** Id numbers and names that matched nobody, per caller (requestByIdNumber). */
    private readonly matchFailures: FailureLimit,
    private readonly observability: Observability,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Bindings by id: one statement per province. */
  async load(ids: readonly string[]): Promise<Map<string, BindingRecord>> {
    const rows = await queryByIds<BindingRow>(this.backends, ids, (list) => `SELECT ${COLUMNS} FROM family_bindings WHERE id IN (${list})`);
    return new Map(rows.map((row) => [row.id, toBinding(row)]));
  }

  /** Every binding of each authorizer, newest first: his own province holds them all. */
  async byAuthorizers(personIds: readonly string[]): Promise<Map<string, BindingRecord[]>> {
    const found = new Map<string, BindingRecord[]>();
    const rows = await queryByIds<BindingRow>(
      this.backends,
      personIds,
      (list) => `SELECT ${COLUMNS} FROM family_bindings WHERE authorizer_id IN (${list}) ORDER BY created_at DESC, id DESC`,
    );
    for (const row of rows) appendTo(found, row.authorizer_id, toBinding(row));
    return found;
  }

  /**
   * Every binding of each beneficiary, newest first. An authorizer in another province keeps the
   * binding there, so every province is asked once for the whole batch.
   */
  async byBeneficiaries(personIds: readonly string[]): Promise<Map<string, BindingRecord[]>> {
    const found = new Map<string, BindingRecord[]>();
    const rows = await queryEachProvince<BindingRow>(
      this.backends,
      this.beneficiaryProvinces(personIds),
      (list) => `SELECT ${COLUMNS} FROM family_bindings WHERE beneficiary_id IN (${list})`,
    );
    rows.sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || (a.id < b.id ? 1 : -1));
    for (const row of rows) appendTo(found, row.beneficiary_id, toBinding(row));
    return found;
  }

  /**
   * Which province backends to ask for the bindings of each beneficiary: his own, and the
   * cross-province ones where his region allows it (so a province that is down affects only the
   * beneficiaries who may have bindings there).
   */
  private beneficiaryProvinces(personIds: readonly string[]): Map<string, string[]> {
    const byProvince = new Map<string, string[]>();
    for (const id of new Set(personIds)) {
      const region = regionOfId(id);
      if (!region) continue;
      for (const province of this.policies.bindingProvincesFor(region)) if (this.backends.has(province)) appendTo(byProvince, province, id);
    }
    return byProvince;
  }

  async events(bindingIds: readonly string[]): Promise<Map<string, BindingEvent[]>> {
    const found = new Map<string, BindingEvent[]>();
    const rows = await queryByIds<{
      binding_id: string;
      action: BindingEvent['action'];
      from_status: BindingStatus | null;
      to_status: BindingStatus;
      actor_role: string;
      actor_sub: string;
      note: string | null;
      created_at: Date;
    }>(
      this.backends,
      bindingIds,
      (list) =>
        `SELECT binding_id, action, from_status, to_status, actor_role, actor_sub, note, created_at FROM family_binding_events WHERE binding_id IN (${list}) ORDER BY created_at, id`,
    );
    for (const row of rows) {
      appendTo(found, row.binding_id, {
        bindingId: row.binding_id,
        action: row.action,
        fromStatus: row.from_status,
        toStatus: row.to_status,
        actorRole: row.actor_role,
        actorSub: row.actor_sub,
        note: row.note,
        at: row.created_at,
      });
    }
    return found;
  }

  /**
   * The ACTIVE bindings that pay for each beneficiary at `at`, oldest effectiveAt first, ties by
   * creation order; one statement per province for the whole batch.
   */
  async payers(beneficiaryIds: readonly string[], at: Date): Promise<Map<string, Payer[]>> {
    const found = new Map<string, Payer[]>();
    const rows = await queryEachProvince<{
      id: string;
      authorizer_id: string;
      beneficiary_id: string;
      relationship: Relationship;
      effective_at: Date;
      created_at: Date;
    }>(
      this.backends,
      this.beneficiaryProvinces(beneficiaryIds),
      (list) =>
        `SELECT id, authorizer_id, beneficiary_id, relationship, effective_at, created_at FROM family_bindings WHERE beneficiary_id IN (${list}) AND status = 'ACTIVE' AND effective_at <= ?`,
      [at],
    );
    rows.sort(
      (a, b) =>
        a.effective_at.getTime() - b.effective_at.getTime() || a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : 1),
    );
    for (const row of rows) {
      appendTo(found, row.beneficiary_id, {
        bindingId: row.id,
        authorizerId: row.authorizer_id,
        authorizerRegion: regionOfKnownId(row.authorizer_id),
        relationship: row.relationship,
        effectiveAt: row.effective_at.toISOString(),
      });
    }
    return found;
  }

  /** ACTIVE bindings whose authorizer is in the region (binding ids start with the authorizer's region). */
  async activeCount(regionCode: string): Promise<number> {
    const province = provinceOfRegion(regionCode);
    if (!this.backends.has(province)) return 0;
    const [row] = await query<Array<{ total: string }>>(
      this.backends.get(province),
      province,
      "SELECT COUNT(*) AS total FROM family_bindings WHERE id LIKE ? AND status = 'ACTIVE'",
      [`${regionCode}-%`],
    );
    return Number(row.total);
  }

  /**
   * The bindings of a region waiting for its reviewers, oldest first: one statement on the region's
   * province through ix_family_bindings_review_queue, which holds exactly these rows in this order.
   */
  async pendingReview(regionCode: string, first: number, after: string | null): Promise<Page<BindingRecord>> {
    const position = after ? decodeTimeCursor(QUEUE_CURSOR, after) : null;
    const province = provinceOfRegion(regionCode);
    if (!this.backends.has(province)) return pageOf([], first, () => '');
    const rows = await query<BindingRow[]>(this.backends.get(province), province, reviewQueueSql(position !== null), [
      regionCode,
      ...(position ? [position.createdAt, position.createdAt, position.id] : []),
      first + 1,
    ]);
    return pageOf(rows.map(toBinding), first, (last) => encodeTimeCursor(QUEUE_CURSOR, last));
  }

  private async parties(authorizerId: string, beneficiaryId: string, requestId: string): Promise<[PersonSummary, PersonSummary]> {
    const persons = await this.accounts.persons([authorizerId, beneficiaryId], requestId);
    const authorizer = persons.get(authorizerId);
    const beneficiary = persons.get(beneficiaryId);
    if (!authorizer) fail(FamilyError.authorizerNotFound(authorizerId));
    if (!beneficiary) fail(FamilyError.beneficiaryNotFound(beneficiaryId));
    return [authorizer, beneficiary];
  }

  /** Applies the binding rules under the policies in force now; throws the first refusal. */
  private async checkEligible(input: RequestInput & { evidence: string[] }, requestId: string): Promise<Date> {
    const [authorizer, beneficiary] = await this.parties(input.authorizerId, input.beneficiaryId, requestId);
    const now = this.clock();
    const party = (person: PersonSummary): Party => ({ ...person, provinceCode: provinceOfRegion(person.regionCode) });
    const refusal = bindingRefusal({
      authorizer: party(authorizer),
      beneficiary: party(beneficiary),
      relationship: input.relationship,
      commitmentAccepted: input.commitmentAccepted,
      evidence: input.evidence,
      authorizerPolicy: this.policies.knownPolicyAt(authorizer.regionCode, now),
      beneficiaryPolicy: this.policies.knownPolicyAt(beneficiary.regionCode, now),
    });
    if (refusal) fail(refusal);
    return now;
  }

  async request(input: RequestInput, actor: Identity): Promise<BindingRecord> {
    const evidence = input.evidence ?? [];
    if (evidence.length > 10 || evidence.some((item) => item.trim().length === 0)) {
      fail(FamilyError.evidenceMalformed);
    }
    evidence.forEach((item, index) => {
      checkText(`input.evidence[${index}]`, item);
    });
    const now = await this.checkEligible({ ...input, evidence }, actor.requestId);
    const authorizerRegion = regionOfKnownId(input.authorizerId);
    const status = statusAfter('REQUEST', this.policies.knownPolicyAt(authorizerRegion, now));
    const binding: BindingRecord = {
      id: newId(authorizerRegion),
      authorizerId: input.authorizerId,
      beneficiaryId: input.beneficiaryId,
      relationship: input.relationship,
      status,
      evidence,
      reviewNote: null,
      createdAt: now,
      effectiveAt: status === 'ACTIVE' ? now : null,
      revokedAt: null,
    };
    const province = provinceOfRegion(authorizerRegion);
    try {
      await inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
        await sql.query(
          `INSERT INTO family_bindings (${COLUMNS}, authorizer_region, open_pair_key, open_spouse_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            binding.id,
            binding.authorizerId,
            binding.beneficiaryId,
            binding.relationship,
            binding.status,
            JSON.stringify(evidence),
            null,
            binding.createdAt,
            binding.effectiveAt,
            null,
            authorizerRegion,
            `${binding.authorizerId}|${binding.beneficiaryId}`,
            binding.relationship === 'SPOUSE' ? binding.authorizerId : null,
          ],
        );
        await this.record(sql, binding.id, 'REQUEST', null, binding.status, actor, null, now);
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      if (String((error as Error).message).includes('open_spouse')) {
        fail(FamilyError.spouseAlreadyBound);
      }
      fail(FamilyError.pairAlreadyBound);
    }
    return binding;
  }

  /**
   * The app user names his relative by 身份证号 and name. Every mismatch answers alike and counts
   * against the caller; once he has too many, he is refused before the number is even looked up.
   * A match takes exactly the path of request().
   */
  async requestByIdNumber(input: RequestByIdNumberInput, actor: Identity): Promise<BindingRecord> {
    const { beneficiaryIdNumber, beneficiaryName, ...request } = input;
    const caller = `${actor.role}:${actor.personId ?? actor.sub ?? ''}`;
    const retryAfterSeconds = await this.matchFailures.retryAfterSeconds(caller);
    if (retryAfterSeconds > 0) fail(FamilyError.matchAttemptsExhausted(retryAfterSeconds));
    const beneficiaryId = await this.accounts.match(beneficiaryIdNumber, beneficiaryName, actor.requestId);
    if (!beneficiaryId) {
      await this.matchFailures.recordFailure(caller);
      fail(FamilyError.beneficiaryNotMatched);
    }
    return this.request({ ...request, beneficiaryId }, actor);
  }

  /** The beneficiary (or the bureau for him) accepts: the binding goes on to review or becomes ACTIVE, after the rules are checked again. */
  async accept(binding: BindingRecord, actor: Identity): Promise<BindingRecord> {
    this.refuseUnless('ACCEPT', binding);
    const now = await this.checkEligible({ ...binding, commitmentAccepted: true }, actor.requestId);
    const toStatus = statusAfter('ACCEPT', this.policies.knownPolicyAt(regionOfKnownId(binding.authorizerId), now));
    return this.move(binding, 'ACCEPT', toStatus, now, actor, null);
  }

  async decline(binding: BindingRecord, actor: Identity): Promise<BindingRecord> {
    this.refuseUnless('DECLINE', binding);
    return this.move(binding, 'DECLINE', 'DECLINED', this.clock(), actor, null);
  }

  async review(binding: BindingRecord, approve: boolean, note: string | null, actor: Identity): Promise<BindingRecord> {
    if (note) checkText('note', note);
    const action = approve ? 'APPROVE' : 'REJECT';
    this.refuseUnless(action, binding);
    const now = approve ? await this.checkEligible({ ...binding, commitmentAccepted: true }, actor.requestId) : this.clock();
    return this.move(binding, action, approve ? 'ACTIVE' : 'REJECTED', now, actor, note);
  }

  async revoke(binding: BindingRecord, actor: Identity): Promise<BindingRecord> {
    this.refuseUnless('REVOKE', binding);
    return this.move(binding, 'REVOKE', 'REVOKED', this.clock(), actor, null);
  }

  private refuseUnless(action: Exclude<BindingAction, 'REQUEST'>, binding: BindingRecord): void {
    const refusal = transitionRefusal(action, binding.status);
    if (refusal) fail(refusal);
  }

  /**
   * One state change and its event in one transaction. The update holds only while the binding is
   * still in the status it was read in, so of two concurrent changes one wins and the other is told.
   * A binding that closes gives up its unique keys, so the pair may bind again.
   */
  private async move(
    binding: BindingRecord,
    action: Exclude<BindingAction, 'REQUEST'>,
    toStatus: BindingStatus,
    at: Date,
    actor: Identity,
    note: string | null,
  ): Promise<BindingRecord> {
    const moved: BindingRecord = {
      ...binding,
      status: toStatus,
      effectiveAt: toStatus === 'ACTIVE' ? at : binding.effectiveAt,
      revokedAt: toStatus === 'REVOKED' ? at : binding.revokedAt,
      reviewNote: action === 'APPROVE' || action === 'REJECT' ? note : binding.reviewNote,
    };
    const province = provinceOfKnownId(binding.id);
    await inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      const result = (await sql.query(
        `UPDATE family_bindings SET status = ?, effective_at = ?, revoked_at = ?, review_note = ?${isOpen(toStatus) ? '' : ', open_pair_key = NULL, open_spouse_key = NULL'}
         WHERE id = ? AND status = ?`,
        [moved.status, moved.effectiveAt, moved.revokedAt, moved.reviewNote, binding.id, binding.status],
      )) as { affectedRows: number };
      if (result.affectedRows !== 1) fail(FamilyError.bindingChangedMeanwhile);
      await this.record(sql, binding.id, action, binding.status, toStatus, actor, note, at);
    });
    return moved;
  }

  private async record(
    sql: Sql,
    bindingId: string,
    action: BindingEvent['action'],
    fromStatus: BindingStatus | null,
    toStatus: BindingStatus,
    actor: Identity,
    note: string | null,
    at: Date,
  ): Promise<void> {
    await sql.query(
      'INSERT INTO family_binding_events (id, binding_id, action, from_status, to_status, actor_role, actor_sub, note, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        newId(regionOfKnownId(bindingId)),
        bindingId,
        action,
        fromStatus,
        toStatus,
        actor.role ?? 'NONE',
        actor.sub ?? '',
        note,
        actor.requestId,
        at,
      ],
    );
  }
}
