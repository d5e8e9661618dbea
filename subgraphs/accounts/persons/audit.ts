import { decodeTimeCursor, encodeTimeCursor, newestFirst, pageOf, type Page, type TimeCursor, olderThan } from '../../shared/cursor';
import type { ProvinceBackends } from '../../shared/db/backends';
import { idsByProvince } from '../../shared/db/routing';
import { query } from '../../shared/db/transaction';

/**
 * Reading person_audit (Persons.audit writes it: enrolment, status, credentials issued and revoked,
 * suspension and its lifting) for the bureau, newest first. Each person's page is read through
 * ix_person_audit_person (person_id, created_at), whose hidden last column is the primary key `id`,
 * so (created_at, id) is index order.
 */
export interface PersonAuditRecord {
  id: string;
  personId: string;
  action: string;
  /** The caller's role; null for the system itself (a suspension after repeated mismatches). */
  actorRole: string | null;
  actorSub: string;
  detail: string;
  createdAt: Date;
}

export type AuditPage = Page<PersonAuditRecord>;

export interface AuditPageKey {
  personId: string;
  first: number;
  /** Events before this one in the order (createdAt, id) descending; null for the newest. */
  after: TimeCursor | null;
}

const AUDIT_CURSOR = 'audit';

export function decodeAuditCursor(cursor: string): TimeCursor {
  return decodeTimeCursor(AUDIT_CURSOR, cursor);
}

export function auditKeyOf(key: AuditPageKey): string {
  return [key.personId, key.first, key.after?.createdAt.getTime(), key.after?.id].join('|');
}

type AuditRow = {
  id: string;
  person_id: string;
  action: string;
  actor_role: string;
  actor_sub: string;
  detail: string;
  created_at: Date;
  page_key: string;
};

/** Pages of many persons' trails in one statement per province: a UNION ALL of one page each. */
export async function auditPages(backends: ProvinceBackends, keys: readonly AuditPageKey[]): Promise<AuditPage[]> {
  const rowsByKey = new Map<string, PersonAuditRecord[]>();
  await Promise.all(
    [
      ...idsByProvince(
        backends,
        keys.map((key) => key.personId),
      ),
    ].map(async ([province, personIds]) => {
      const wanted = keys.filter((key) => personIds.includes(key.personId) && key.first > 0);
      if (wanted.length === 0) return;
      const parts = wanted.map(
        (key) =>
          `(SELECT id, person_id, action, actor_role, actor_sub, detail, created_at, ? AS page_key FROM person_audit FORCE INDEX (ix_person_audit_person)
            WHERE person_id = ?${key.after ? ` AND ${olderThan(key.after).sql}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?)`,
      );
      const params = wanted.flatMap((key) => [
        auditKeyOf(key),
        key.personId,
        ...(key.after ? olderThan(key.after).params : []),
        key.first + 1,
      ]);
      const rows = await query<AuditRow[]>(backends.get(province), province, parts.join(' UNION ALL '), params);
      for (const row of rows)
        rowsByKey.set(row.page_key, [
          ...(rowsByKey.get(row.page_key) ?? []),
          {
            id: row.id,
            personId: row.person_id,
            action: row.action,
            // Persons.audit writes NONE when no role acted: the system's own suspension.
            actorRole: row.actor_role === 'NONE' ? null : row.actor_role,
            actorSub: row.actor_sub,
            detail: row.detail,
            createdAt: row.created_at,
          },
        ]);
    }),
  );
  return keys.map((key) =>
    pageOf(newestFirst(rowsByKey.get(auditKeyOf(key)) ?? []), key.first, (last) => encodeTimeCursor(AUDIT_CURSOR, last)),
  );
}
