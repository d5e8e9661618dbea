import type { Connection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { Credentials } from '../subgraphs/accounts/credentials/service';
import { Claims } from '../subgraphs/accounts/ledger/claims';
import { PendingTransfers } from '../subgraphs/accounts/ledger/pending';
import { Persons, type PersonRecord } from '../subgraphs/accounts/persons/service';
import { chargeFundUse, giveBackFundUse, lockFundUse, type FundUseKey, type LockedFundUse } from '../subgraphs/settlements/settle/fundUse';
import type { ProvinceBackends } from '../subgraphs/shared/db/backends';
import { inTransaction, RetryableConflict, type Sql } from '../subgraphs/shared/db/transaction';
import type { DomainError } from '../subgraphs/shared/errors';
import type { Identity } from '../subgraphs/shared/identity';
import type { PolicyBook } from '../subgraphs/shared/policy/policy';
import { createObservability } from '../subgraphs/shared/server/observability';
import { credit, database, internal, register, uniqueKey } from './client';
import { issueCard } from './counter';

/**
 * Issue 17: on a cluster (MariaDB Galera, TiDB) `SELECT … FOR UPDATE` locks on one node only, so a
 * writer on another node can change a row between this node's locked read and its write. Every money
 * path therefore writes conditionally on what it read, and a write that matches nothing runs the
 * whole transaction again (RetryableConflict) instead of taking effect on a row it no longer knows.
 *
 * One MariaDB server plays the two nodes here: "this node" reads without row locks, and another
 * node's transaction commits in the window a lock would have closed on one server.
 */
const PROVINCE = '35';
const observability = createObservability('test', 'silent');
const clock = () => new Date();
const admin: Identity = { role: 'ADMIN', sub: 'test-admin', requestId: 'conditional-writes' };
const opened: Connection[] = [];

afterAll(async () => {
  await Promise.all(opened.map((connection) => connection.end()));
});

async function connection(owner: 'accounts' | 'settlements'): Promise<Connection> {
  const opening = await database(owner, PROVINCE);
  opened.push(opening);
  // As every pooled connection of the services runs (backends.ts).
  await opening.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  return opening;
}

function sqlOf(on: Connection): Sql {
  // Sql is TypeORM's query(), generic in its answer: a raw driver result, as TypeORM's own answer is.
  return { query: async <T>(text: string, params?: unknown[]) => (await on.query(text, params))[0] as T };
}

/**
 * A node's data source over a connection of its own, transactions committed or rolled back as
 * TypeORM does. With `cutIn` it is a node whose row locks the others ignore: its `FOR UPDATE` reads
 * lock nothing, and `cutIn` (another node's transaction) commits once, after this node has read and
 * before its first write.
 */
async function node(owner: 'accounts' | 'settlements', cutIn?: () => Promise<unknown>): Promise<DataSource> {
  const on = await connection(owner);
  let pendingCutIn = cutIn;
  const sql: Sql = {
    query: async <T>(text: string, params?: unknown[]) => {
      if (pendingCutIn && !/^\s*SELECT/i.test(text)) {
        const other = pendingCutIn;
        pendingCutIn = undefined;
        await other();
      }
      return sqlOf(on).query<T>(cutIn ? text.replace(/\s+FOR UPDATE/i, '') : text, params);
    },
  };
  const dataSource = {
    query: sql.query,
    transaction: async <T>(work: (manager: Sql) => Promise<T>): Promise<T> => {
      await on.beginTransaction();
      try {
        const result = await work(sql);
        await on.commit();
        return result;
      } catch (error) {
        await on.rollback();
        throw error;
      }
    },
  };
  return dataSource as unknown as DataSource;
}

function backendsOf(dataSource: DataSource): ProvinceBackends {
  return { get: () => dataSource, has: () => true, available: () => [PROVINCE] } as unknown as ProvinceBackends;
}

describe('fund use: every change is conditional on the sequence read under the lock, and advances it', () => {
  const yearOf = (patientId: string): FundUseKey => ({ patientId, fundYear: new Date().getFullYear(), purpose: 'OUTPATIENT' });
  const counters = async (key: FundUseKey) => {
    const [rows] = await (await connection('settlements')).query(
      'SELECT deductible_used_fen, fund_paid_fen, last_seq FROM fund_usage WHERE patient_id = ? AND fund_year = ? AND purpose = ?',
      [key.patientId, key.fundYear, key.purpose],
    );
    const [row] = rows as Array<{ deductible_used_fen: string; fund_paid_fen: string; last_seq: string }>;
    return { deductibleUsedFen: Number(row.deductible_used_fen), fundPaidFen: Number(row.fund_paid_fen), lastSeq: Number(row.last_seq) };
  };
  /** A locked read in a transaction of its own: once it commits, nothing stops another node's write, as on a cluster. */
  const readUnderLock = async (key: FundUseKey): Promise<LockedFundUse> =>
    inTransaction(await node('settlements'), PROVINCE, observability, (sql) => lockFundUse(sql, key));
  /** Another node charges a share and commits. */
  const chargeElsewhere = async (key: FundUseKey, fundFen: number) =>
    inTransaction(await node('settlements'), PROVINCE, observability, async (sql) =>
      chargeFundUse(sql, await lockFundUse(sql, key), { deductibleAppliedFen: 0, fundFen }),
    );
  /** This node writes what it decided on a stale read, in a transaction always rolled back: whether the write is refused is what counts. */
  const writeOnStale = async (write: (sql: Sql) => Promise<unknown>) => {
    const on = await connection('settlements');
    await on.beginTransaction();
    try {
      return await write(sqlOf(on));
    } finally {
      await on.rollback();
    }
  };

  test('a share computed on counters another node charged meanwhile is refused, so the fund cannot pay twice on one reading', async () => {
    const key = yearOf(uniqueKey('fund'));
    const stale = await readUnderLock(key);
    expect(await chargeElsewhere(key, 10_000)).toBe(1);
    // The fund's room under a 150.00 cap, as this node read it: 150.00 (the other node's 100.00 unseen).
    const share = { deductibleAppliedFen: 0, fundFen: 15_000 - stale.fundPaidFen };
    await expect(writeOnStale((sql) => chargeFundUse(sql, stale, share))).rejects.toBeInstanceOf(RetryableConflict);
    expect(await counters(key)).toEqual({ deductibleUsedFen: 0, fundPaidFen: 10_000, lastSeq: 1 });
  });

  test('giving a share back advances the sequence: a share computed while it still stood is refused', async () => {
    const key = yearOf(uniqueKey('fund'));
    await chargeElsewhere(key, 10_000);
    const stale = await readUnderLock(key);
    // Another node takes the first settlement out (a refund): its 100.00 goes back to the year.
    await inTransaction(await node('settlements'), PROVINCE, observability, async (sql) =>
      giveBackFundUse(sql, await lockFundUse(sql, key), { deductibleAppliedFen: 0, fundFen: 10_000 }),
    );
    expect(await counters(key)).toEqual({ deductibleUsedFen: 0, fundPaidFen: 0, lastSeq: 2 });
    await expect(writeOnStale((sql) => chargeFundUse(sql, stale, { deductibleAppliedFen: 0, fundFen: 5_000 }))).rejects.toBeInstanceOf(
      RetryableConflict,
    );
  });

  test('a give-back decided before another node charged a share is refused (whether a settlement may leave depends on what stands)', async () => {
    const key = yearOf(uniqueKey('fund'));
    await chargeElsewhere(key, 10_000);
    const stale = await readUnderLock(key);
    expect(await chargeElsewhere(key, 2_000)).toBe(2);
    await expect(writeOnStale((sql) => giveBackFundUse(sql, stale, { deductibleAppliedFen: 0, fundFen: 10_000 }))).rejects.toBeInstanceOf(
      RetryableConflict,
    );
    expect(await counters(key)).toEqual({ deductibleUsedFen: 0, fundPaidFen: 12_000, lastSeq: 2 });
  });
});

describe('pending transfers: PENDING → POSTED or VOIDED only from PENDING', () => {
  const pendingOn = (dataSource: DataSource) => {
    const backends = backendsOf(dataSource);
    return new PendingTransfers(backends, observability, new Claims(backends, observability, clock), clock);
  };
  const hold = async (accountId: string, amountFen: number): Promise<string> => {
    const held = await internal<{ holdId: string }>('/internal/ledger/hold', {
      scope: 'test',
      idempotencyKey: uniqueKey('hold'),
      reference: 'S-conditional',
      amountFen,
      mode: 'WHOLE',
      timeoutMs: 600_000,
      steps: [{ accountId, floorFen: 0, kind: 'MUTUAL_AID_PAYMENT' }],
    });
    if (!held.result) throw new Error(`hold failed: ${JSON.stringify(held.error)}`);
    return held.result.holdId;
  };
  const account = async (id: string) => {
    const [rows] = await (await connection('accounts')).query('SELECT balance_fen, held_fen FROM personal_accounts WHERE person_id = ?', [
      id,
    ]);
    const [row] = rows as Array<{ balance_fen: string; held_fen: string }>;
    return { balanceFen: Number(row.balance_fen), heldFen: Number(row.held_fen) };
  };
  const statusOf = async (holdId: string) => {
    const [rows] = await (await connection('accounts')).query('SELECT status FROM ledger_holds WHERE id = ?', [holdId]);
    return (rows as Array<{ status: string }>)[0].status;
  };

  /** An account of 100.00 with two pending transfers of 30.00 each: 60.00 reserved. */
  async function twoHolds() {
    const accountId = await register('350100');
    await credit(accountId, '100.00');
    return { accountId, first: await hold(accountId, 3_000), second: await hold(accountId, 3_000) };
  }

  test('two voids of one pending transfer on two nodes release its reservation once, never the other transfer’s', async () => {
    const { accountId, first } = await twoHolds();
    const elsewhere = pendingOn(await node('accounts'));
    const here = pendingOn(await node('accounts', () => elsewhere.void(first)));
    await here.void(first);
    expect(await statusOf(first)).toBe('VOIDED');
    expect(await account(accountId)).toEqual({ balanceFen: 10_000, heldFen: 3_000 });
  });

  test('a void that another node’s post beat answers the posted debit and releases nothing', async () => {
    const { accountId, first } = await twoHolds();
    const elsewhere = pendingOn(await node('accounts'));
    let posted: string | undefined;
    const here = pendingOn(
      await node('accounts', async () => {
        posted = (await elsewhere.post(first)).transferId;
      }),
    );
    const answer = await here.voidUnlessPosted(first);
    expect(posted).toBeDefined();
    expect(answer).toBe(posted);
    expect(await statusOf(first)).toBe('POSTED');
    expect(await account(accountId)).toEqual({ balanceFen: 7_000, heldFen: 3_000 });
  });
});

describe('credentials: a revoke is one conditional update', () => {
  const credentialsOn = (dataSource: DataSource) => {
    const backends = backendsOf(dataSource);
    const persons = new Persons(backends, dataSource, {} as PolicyBook, observability, clock);
    return new Credentials(backends, dataSource, persons, { after: 3, windowMs: 60_000 }, observability, clock);
  };

  test('two revokes of one credential on two nodes: one revokes and is audited, the other finds it revoked', async () => {
    const holderId = await register('350100');
    const card = await issueCard(holderId);
    const answers: boolean[] = [];
    const elsewhere = credentialsOn(await node('accounts'));
    const here = credentialsOn(
      await node('accounts', async () => {
        answers.push(await elsewhere.revoke(card, admin));
      }),
    );
    answers.push(await here.revoke(card, admin));
    expect(answers.sort()).toEqual([false, true]);
    const [audits] = await (await connection('accounts')).query(
      "SELECT COUNT(*) AS n FROM person_audit WHERE person_id = ? AND action = 'REVOKE_CREDENTIAL'",
      [holderId],
    );
    expect(Number((audits as Array<{ n: string }>)[0].n)).toBe(1);
  });
});

describe('enrolment status: changed only from the status it was decided on', () => {
  test('two changes of one person’s status on two nodes: one applies and is audited, the other is told INVALID_STATE', async () => {
    const personId = await register('350100');
    const seen = { id: personId, regionCode: '350100', status: 'ACTIVE' } as PersonRecord;
    const personsOn = (dataSource: DataSource) => new Persons(backendsOf(dataSource), dataSource, {} as PolicyBook, observability, clock);
    const elsewhere = personsOn(await node('accounts'));
    const outcomes: string[] = [];
    const record = (change: Promise<PersonRecord>) =>
      change.then(
        (changed) => outcomes.push(changed.status),
        (error: unknown) => outcomes.push((error as DomainError).code),
      );
    const here = personsOn(await node('accounts', () => record(elsewhere.setStatus(seen, 'SUSPENDED', admin))));
    await record(here.setStatus(seen, 'TERMINATED', admin));
    expect(outcomes).toEqual(['SUSPENDED', 'INVALID_STATE']);
    const [rows] = await (await connection('accounts')).query(
      "SELECT p.status, (SELECT COUNT(*) FROM person_audit a WHERE a.person_id = p.id AND a.action = 'SET_STATUS') AS audits FROM persons p WHERE p.id = ?",
      [personId],
    );
    expect(rows).toEqual([{ status: 'SUSPENDED', audits: 1 }]);
  });
});
