import type { Connection } from 'mysql2/promise';
import { tokenHash } from '../../subgraphs/accounts/credentials/service';
import { newCredentialToken, newId, provinceOfRegion } from '../../subgraphs/shared/ids';
import { requestHash } from '../../subgraphs/shared/idempotency';
import { checkCharacter, maskResidentId, residentIdHash } from '../../subgraphs/shared/residentId';

/**
 * The bench's data set, written straight into the services' databases with multi-row INSERTs in the
 * shape the services write it (persons/service.ts, credentials/service.ts, ledger claims and
 * entries, bindings/service.ts): registering ten thousand persons one by one through the API would
 * take minutes. Persons are spread over the regions; 70 % are employees with a personal account
 * credited quarterly over the past year (each balance the sum of its entries); everyone has a card;
 * bindings pair an employee with a relative in the same region, and one hot authorizer in the first
 * region pays for many beneficiaries. Settlement history is made afterwards through the API
 * (settle is far too rich to forge: fund counters, steps, payments, claims).
 */
export interface SeedOptions {
  regions: readonly string[];
  persons: number;
  bindings: number;
  /** Beneficiaries bound to the one hot authorizer (residents of the first region). */
  hotBeneficiaries: number;
  now: Date;
}

export interface SeededPerson {
  id: string;
  regionCode: string;
  scheme: 'EMPLOYEE' | 'RESIDENT';
  /** The card's token, shown once when issued; the database keeps only its hash. */
  card: string;
}

export interface Seed {
  persons: SeededPerson[];
  hotAuthorizer: SeededPerson;
  hotBeneficiaries: SeededPerson[];
  /** The ordinary bindings (the hot authorizer's not among them). */
  bindings: Array<{ authorizer: SeededPerson; beneficiary: SeededPerson }>;
  /** Rows by database suffix (`accounts_43`, `accounts_national`, `family_35`, …) and table, in insertion order. */
  rows: Map<string, Map<string, unknown[][]>>;
}

/** Each quarterly credit; the hot authorizer's are larger, as he pays for everyone bound to him. */
export const QUARTERLY_CREDIT_FEN = 150_000;
export const HOT_QUARTERLY_CREDIT_FEN = 250_000_000;
const QUARTERS = 4;
const DAY_MS = 86_400_000;
const ACTOR = { role: 'ADMIN', sub: 'bench-seed', requestId: 'bench-seed' } as const;

/** A valid resident id number unique to `index`: the region, a birth date from `index / 1000`, a sequence of `index % 1000`. */
export function residentIdNumber(regionCode: string, index: number): string {
  const birth = new Date(Date.UTC(1960, 0, 1) + Math.floor(index / 1000) * DAY_MS);
  const date = birth.toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `${regionCode}${date}${String(index % 1000).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

class Rows {
  readonly byDatabase = new Map<string, Map<string, unknown[][]>>();

  add(database: string, table: string, row: unknown[]): void {
    const tables = this.byDatabase.get(database) ?? new Map<string, unknown[][]>();
    this.byDatabase.set(database, tables);
    const rows = tables.get(table) ?? [];
    tables.set(table, rows);
    rows.push(row);
  }
}

/** Column lists, in the order of each row built below (the services' own INSERTs). */
export const COLUMNS: Record<string, string> = {
  resident_registry: 'id_number_hash, person_id, claimed_at',
  persons: 'id, region_code, name, masked_id_number, scheme, status, created_at, id_number_hash, updated_at',
  personal_accounts: 'person_id, balance_fen, last_entry_seq, created_at',
  credentials: 'id, token_hash, person_id, issued_at',
  person_audit: 'id, person_id, action, actor_role, actor_sub, detail, request_id, created_at',
  ledger_transfers: 'id, scope, idempotency_key, request_hash, kind, reverses_transfer_id, result, created_at',
  ledger_entries:
    'id, account_id, seq, transfer_id, amount_fen, balance_after_fen, kind, reference, beneficiary_id, memo, purpose, relationship, created_at',
  family_bindings:
    'id, authorizer_id, authorizer_region, beneficiary_id, relationship, status, evidence, review_note, created_at, effective_at, revoked_at, open_pair_key, open_spouse_key',
  family_binding_events: 'id, binding_id, action, from_status, to_status, actor_role, actor_sub, note, request_id, created_at',
};

function addPerson(rows: Rows, person: SeededPerson, index: number, registeredAt: Date): void {
  const province = provinceOfRegion(person.regionCode);
  const accounts = `accounts_${province}`;
  const idNumber = residentIdNumber(person.regionCode, index);
  const hash = residentIdHash(idNumber);
  rows.add('accounts_national', 'resident_registry', [hash, person.id, registeredAt]);
  rows.add(accounts, 'persons', [
    person.id,
    person.regionCode,
    `压测${index}`,
    maskResidentId(idNumber),
    person.scheme,
    'ACTIVE',
    registeredAt,
    hash,
    registeredAt,
  ]);
  rows.add(accounts, 'person_audit', [
    newId(person.regionCode),
    person.id,
    'REGISTER',
    ACTOR.role,
    ACTOR.sub,
    `${person.scheme} in ${person.regionCode}`,
    ACTOR.requestId,
    registeredAt,
  ]);
  rows.add(accounts, 'credentials', [newId(person.regionCode), tokenHash(person.card), person.id, registeredAt]);
  rows.add(accounts, 'person_audit', [
    newId(person.regionCode),
    person.id,
    'ISSUE_CREDENTIAL',
    ACTOR.role,
    ACTOR.sub,
    'credential issued',
    ACTOR.requestId,
    registeredAt,
  ]);
}

/** The account and its quarterly credits, each a CREDIT transfer with one entry, as `Ledger.credit` writes them. */
function addAccount(rows: Rows, person: SeededPerson, index: number, creditFen: number, registeredAt: Date): void {
  const accounts = `accounts_${provinceOfRegion(person.regionCode)}`;
  let balanceFen = 0;
  const credits: unknown[][] = [];
  for (let quarter = 1; quarter <= QUARTERS; quarter += 1) {
    const at = new Date(registeredAt.getTime() + quarter * 90 * DAY_MS);
    const transferId = newId(person.regionCode);
    const entryId = newId(person.regionCode);
    balanceFen += creditFen;
    rows.add(accounts, 'ledger_transfers', [
      transferId,
      'credit',
      `bench-seed-${index}-q${quarter}`,
      requestHash({ accountId: person.id, amountFen: creditFen }),
      'CREDIT',
      null,
      JSON.stringify({ transferId, entryId }),
      at,
    ]);
    credits.push([entryId, person.id, quarter, transferId, creditFen, balanceFen, 'CREDIT', transferId, null, null, null, null, at]);
  }
  rows.add(accounts, 'personal_accounts', [person.id, balanceFen, QUARTERS, registeredAt]);
  for (const entry of credits) rows.add(accounts, 'ledger_entries', entry);
}

/** An open binding as `Bindings.request` (and, where the region reviews, `review`) leaves it. */
function addBinding(
  rows: Rows,
  authorizer: SeededPerson,
  beneficiary: SeededPerson,
  relationship: string,
  reviewed: boolean,
  at: Date,
): void {
  const family = `family_${provinceOfRegion(authorizer.regionCode)}`;
  const id = newId(authorizer.regionCode);
  const evidence = reviewed ? ['出生证明 bench'] : [];
  rows.add(family, 'family_bindings', [
    id,
    authorizer.id,
    authorizer.regionCode,
    beneficiary.id,
    relationship,
    'ACTIVE',
    JSON.stringify(evidence),
    reviewed ? '材料齐全' : null,
    at,
    at,
    null,
    `${authorizer.id}|${beneficiary.id}`,
    null,
  ]);
  const event = (action: string, from: string | null, to: string) =>
    rows.add(family, 'family_binding_events', [
      newId(authorizer.regionCode),
      id,
      action,
      from,
      to,
      ACTOR.role,
      ACTOR.sub,
      null,
      ACTOR.requestId,
      at,
    ]);
  if (reviewed) {
    event('REQUEST', null, 'PENDING_REVIEW');
    event('APPROVE', 'PENDING_REVIEW', 'ACTIVE');
  } else event('REQUEST', null, 'ACTIVE');
}

/**
 * The whole data set as rows. `reviewedRegions` are those whose policy requires review (their
 * bindings were approved); a relationship allowed in every region is used (PARENT, CHILD).
 */
export function planSeed(options: SeedOptions, reviewedRegions: ReadonlySet<string>): Seed {
  const rows = new Rows();
  const registeredAt = new Date(options.now.getTime() - 365 * DAY_MS);
  const persons: SeededPerson[] = [];
  const byRegion = new Map<string, { employees: SeededPerson[]; everyone: SeededPerson[] }>(
    options.regions.map((region) => [region, { employees: [], everyone: [] }]),
  );
  for (let index = 0; index < options.persons; index += 1) {
    const regionCode = options.regions[index % options.regions.length];
    const scheme = Math.floor(index / options.regions.length) % 10 < 7 ? 'EMPLOYEE' : 'RESIDENT';
    const person: SeededPerson = { id: newId(regionCode), regionCode, scheme, card: newCredentialToken(regionCode) };
    persons.push(person);
    const region = byRegion.get(regionCode);
    region?.everyone.push(person);
    if (scheme === 'EMPLOYEE') region?.employees.push(person);
  }
  const first = byRegion.get(options.regions[0]);
  const hotAuthorizer = first?.employees[0];
  const hotBeneficiaries = (first?.everyone ?? []).filter((person) => person.scheme === 'RESIDENT').slice(0, options.hotBeneficiaries);
  if (!hotAuthorizer || hotBeneficiaries.length < options.hotBeneficiaries)
    throw new Error('too few persons for the hot authorizer and his beneficiaries');
  persons.forEach((person, index) => {
    addPerson(rows, person, index, registeredAt);
    if (person.scheme === 'EMPLOYEE')
      addAccount(rows, person, index, person === hotAuthorizer ? HOT_QUARTERLY_CREDIT_FEN : QUARTERLY_CREDIT_FEN, registeredAt);
  });
  const bindingAt = new Date(registeredAt.getTime() + DAY_MS);
  const paired = new Set<string>();
  const bindings: Seed['bindings'] = [];
  const bind = (authorizer: SeededPerson, beneficiary: SeededPerson, relationship: string) => {
    paired.add(`${authorizer.id}|${beneficiary.id}`);
    paired.add(`${beneficiary.id}|${authorizer.id}`);
    addBinding(rows, authorizer, beneficiary, relationship, reviewedRegions.has(authorizer.regionCode), bindingAt);
  };
  for (const beneficiary of hotBeneficiaries) bind(hotAuthorizer, beneficiary, 'CHILD');
  // Ordinary bindings: the k-th employee of a region with a relative further along the region's list.
  for (let attempt = 0; bindings.length + hotBeneficiaries.length < options.bindings && attempt < options.bindings * 4; attempt += 1) {
    const region = byRegion.get(options.regions[attempt % options.regions.length]);
    if (!region || region.employees.length === 0) continue;
    const step = Math.floor(attempt / options.regions.length);
    const authorizer = region.employees[(step + 1) % region.employees.length];
    const beneficiary = region.everyone[(step * 7 + 3) % region.everyone.length];
    if (authorizer === hotAuthorizer || beneficiary === authorizer || paired.has(`${authorizer.id}|${beneficiary.id}`)) continue;
    bind(authorizer, beneficiary, step % 2 === 0 ? 'CHILD' : 'PARENT');
    bindings.push({ authorizer, beneficiary });
  }
  return { persons, hotAuthorizer, hotBeneficiaries, bindings, rows: rows.byDatabase };
}

/** Rows per INSERT: large enough that seeding is a few hundred round trips, small enough for max_allowed_packet. */
const ROWS_PER_INSERT = 1000;

/**
 * Writes every row with multi-row INSERTs, database by database (`<prefix>_<suffix>`), tables in plan
 * order (parents first); each database on the server `connectionOf` answers for its scope (a province
 * code or `national`), as DATABASES_CONFIG places it.
 */
export async function writeSeed(connectionOf: (scope: string) => Promise<Connection>, prefix: string, seed: Seed): Promise<number> {
  let statements = 0;
  for (const [suffix, tables] of seed.rows) {
    const connection = await connectionOf(suffix.slice(suffix.lastIndexOf('_') + 1));
    for (const [table, rows] of tables) {
      const columns = COLUMNS[table];
      for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
        const chunk = rows.slice(start, start + ROWS_PER_INSERT);
        await connection.query(`INSERT INTO \`${prefix}_${suffix}\`.${table} (${columns}) VALUES ?`, [chunk]);
        statements += 1;
      }
    }
  }
  return statements;
}
