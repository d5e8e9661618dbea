import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { PROVINCE_MIGRATIONS } from '../subgraphs/settlements/migrations';
import { statisticsParams, statisticsSql } from '../subgraphs/settlements/statistics/service';
import { DIMENSIONS } from '../subgraphs/settlements/statistics/cells';
import { codes, database, gql, register, stack, token, uniqueKey } from './client';
import { counter, employee, issueCard, REFUND, settleAt, activeBinding, type Counter } from './counter';

/**
 * mutualAidStatistics through the gateway. Twenty patients of 532300 (楚雄: no floor, PHARMACY
 * shared) each get one 10.00 purchase paid by a relative: ten RESIDENT children of one authorizer,
 * ten EMPLOYEE parents (no balance of their own) of another. Each test then moves their
 * settlements into a period of 2021 of its own in the database, as if made then: every other test
 * file settles now, so no other row falls in these periods.
 */
const STATISTICS = `query Statistics($groupBy: [StatisticsDimension!]!, $from: DateTime!, $to: DateTime!, $regionCode: ID) {
  mutualAidStatistics(groupBy: $groupBy, from: $from, to: $to, regionCode: $regionCode) { cells { key patients settlements amount } suppressedCells }
}`;

interface Aided {
  patientId: string;
  card: string;
  settlementId: string;
}

let desk: Counter;
let children: Aided[] = [];
let parents: Aided[] = [];
const everyId: string[] = [];

async function aided(authorizerId: string, scheme: 'EMPLOYEE' | 'RESIDENT', relationship: string): Promise<Aided> {
  const patientId = await register('532300', scheme);
  everyId.push(patientId, await activeBinding(authorizerId, patientId, relationship));
  const card = await issueCard(patientId);
  const settled = (await settleAt(desk, patientId, card, { purpose: 'PHARMACY', inScopeAmount: '10.00' })).data.settle;
  expect(settled.mutualAidPaid).toBe('10.00');
  everyId.push(settled.id);
  return { patientId, card, settlementId: settled.id };
}

/** Moves settlements (and a refund's instant, where given) to CST instants, as if they had happened then. */
async function moveTo(at: string, settlements: readonly Aided[], refundedAt?: string): Promise<void> {
  const connection = await database('settlements', '53');
  try {
    await connection.query(
      `UPDATE settlements SET created_at = ?, settled_at = ?${refundedAt ? ', refunded_at = ?' : ''} WHERE id IN (${settlements.map(() => '?').join(', ')})`,
      [new Date(at), new Date(at), ...(refundedAt ? [new Date(refundedAt)] : []), ...settlements.map((one) => one.settlementId)],
    );
  } finally {
    await connection.end();
  }
}

const statistics = async (variables: Record<string, unknown>, caller?: string) =>
  gql(STATISTICS, variables, { token: caller ?? (await token({ role: 'ANALYST' })) });

beforeAll(async () => {
  desk = await counter();
  const childrensParent = await employee('532300', '1000.00');
  const parentsChild = await employee('532300', '1000.00');
  everyId.push(childrensParent, parentsChild);
  children = await Promise.all(Array.from({ length: 10 }, () => aided(childrensParent, 'RESIDENT', 'CHILD')));
  parents = await Promise.all(Array.from({ length: 10 }, () => aided(parentsChild, 'EMPLOYEE', 'PARENT')));
});

test('small cells at the edge: 10 distinct patients are shown, 9 are withheld and counted', async () => {
  await moveTo('2021-03-10T12:00:00+08:00', children);
  const march = { groupBy: ['REGION', 'MONTH'], from: '2021-03-01T00:00:00+08:00', to: '2021-04-01T00:00:00+08:00' };
  expect((await statistics(march)).data.mutualAidStatistics).toEqual({
    cells: [{ key: ['532300', '2021-03'], patients: 10, settlements: 10, amount: '100.00' }],
    suppressedCells: 0,
  });

  await moveTo('2021-04-10T12:00:00+08:00', children.slice(0, 1));
  expect((await statistics(march)).data.mutualAidStatistics).toEqual({ cells: [], suppressedCells: 1 });
  const spring = { from: '2021-03-01T00:00:00+08:00', to: '2021-05-01T00:00:00+08:00' };
  // By month both cells are small (9 and 1); by region alone the same ten patients make one cell.
  expect((await statistics({ ...spring, groupBy: ['MONTH'] })).data.mutualAidStatistics).toEqual({ cells: [], suppressedCells: 2 });
  expect((await statistics({ ...spring, groupBy: ['REGION'] })).data.mutualAidStatistics).toEqual({
    cells: [{ key: ['532300'], patients: 10, settlements: 10, amount: '100.00' }],
    suppressedCells: 0,
  });
});

test('months are China Standard Time: 23:30 on 31 May and 00:30 on 1 June (the same UTC day) fall in two months', async () => {
  await moveTo('2021-05-31T23:30:00+08:00', children);
  await moveTo('2021-06-01T00:30:00+08:00', parents);
  const answer = await statistics({ groupBy: ['MONTH'], from: '2021-05-01T00:00:00+08:00', to: '2021-07-01T00:00:00+08:00' });
  expect(answer.data.mutualAidStatistics).toEqual({
    cells: [
      { key: ['2021-05'], patients: 10, settlements: 10, amount: '100.00' },
      { key: ['2021-06'], patients: 10, settlements: 10, amount: '100.00' },
    ],
    suppressedCells: 0,
  });
  // [from, to) is exact to the instant: from 00:00 on 1 June only the June settlements count.
  const june = await statistics({ groupBy: ['MONTH'], from: '2021-06-01T00:00:00+08:00', to: '2021-07-01T00:00:00+08:00' });
  expect(june.data.mutualAidStatistics.cells.map((cell: { key: string[] }) => cell.key)).toEqual([['2021-06']]);
});

test('grouped by relationship and patient scheme, in the order asked; every dimension at once', async () => {
  await moveTo('2021-07-10T12:00:00+08:00', [...children, ...parents]);
  const july = { from: '2021-07-01T00:00:00+08:00', to: '2021-08-01T00:00:00+08:00' };
  expect((await statistics({ ...july, groupBy: ['RELATIONSHIP', 'PATIENT_SCHEME'] })).data.mutualAidStatistics.cells).toEqual([
    { key: ['CHILD', 'RESIDENT'], patients: 10, settlements: 10, amount: '100.00' },
    { key: ['PARENT', 'EMPLOYEE'], patients: 10, settlements: 10, amount: '100.00' },
  ]);
  expect((await statistics({ ...july, groupBy: ['PATIENT_SCHEME', 'PURPOSE'] })).data.mutualAidStatistics.cells).toEqual([
    { key: ['EMPLOYEE', 'PHARMACY'], patients: 10, settlements: 10, amount: '100.00' },
    { key: ['RESIDENT', 'PHARMACY'], patients: 10, settlements: 10, amount: '100.00' },
  ]);
  expect((await statistics({ ...july, groupBy: [...DIMENSIONS], regionCode: '532300' })).data.mutualAidStatistics.cells).toEqual([
    { key: ['532300', '2021-07', 'PHARMACY', 'CHILD', 'RESIDENT'], patients: 10, settlements: 10, amount: '100.00' },
    { key: ['532300', '2021-07', 'PHARMACY', 'PARENT', 'EMPLOYEE'], patients: 10, settlements: 10, amount: '100.00' },
  ]);
  // Another region's patients are not in 532300's figures, nor in another province's.
  expect((await statistics({ ...july, groupBy: ['REGION'], regionCode: '430700' })).data.mutualAidStatistics).toEqual({
    cells: [],
    suppressedCells: 0,
  });
});

test('by transaction day: a refund returns its amount in the month it was made, whatever month its settlement was', async () => {
  const [refunded] = children;
  const refund = await gql(
    REFUND,
    { id: refunded.settlementId, key: uniqueKey('refund') },
    { token: desk.token, credential: refunded.card },
  );
  expect(refund.data.refundSettlement.status).toBe('REFUNDED');
  await moveTo('2021-09-10T12:00:00+08:00', children.slice(1));
  await moveTo('2021-09-10T12:00:00+08:00', [refunded], '2021-10-05T12:00:00+08:00');
  const autumn = { from: '2021-09-01T00:00:00+08:00', to: '2021-11-01T00:00:00+08:00' };
  // September: ten settlements made; October: one refund of one patient, withheld.
  expect((await statistics({ ...autumn, groupBy: ['MONTH'] })).data.mutualAidStatistics).toEqual({
    cells: [{ key: ['2021-09'], patients: 10, settlements: 10, amount: '100.00' }],
    suppressedCells: 1,
  });
  expect((await statistics({ ...autumn, groupBy: ['REGION'] })).data.mutualAidStatistics).toEqual({
    cells: [{ key: ['532300'], patients: 10, settlements: 10, amount: '90.00' }],
    suppressedCells: 0,
  });
  // The region's summary counts the same way: the same settlements, the same amount shared.
  const summary = await gql(
    'query($from: DateTime, $to: DateTime) { mutualAidSummary(regionCode: "532300", from: $from, to: $to) { settlements refunded amountShared } }',
    autumn,
    { token: await token({ role: 'ANALYST' }) },
  );
  expect(summary.data.mutualAidSummary).toEqual({ settlements: 10, refunded: 1, amountShared: '90.00' });
});

test('no person-level data: the answer names no patient, authorizer, binding or settlement', async () => {
  await moveTo('2021-11-10T12:00:00+08:00', [...children, ...parents]);
  const answer = await statistics({ groupBy: [...DIMENSIONS], from: '2021-11-01T00:00:00+08:00', to: '2021-12-01T00:00:00+08:00' });
  expect(answer.data.mutualAidStatistics.cells).toHaveLength(2);
  const text = JSON.stringify(answer);
  for (const id of everyId) expect(text).not.toContain(id);
  expect(text).not.toMatch(/\d{6}-[0-9A-Z]{26}/);
});

test('ANALYST and ADMIN only; an ADMIN of one region reads that region only', async () => {
  await moveTo('2021-12-10T12:00:00+08:00', [...children, ...parents]);
  const december = { groupBy: ['REGION'], from: '2021-12-01T00:00:00+08:00', to: '2022-01-01T00:00:00+08:00' };
  const fromChuxiong = [{ key: ['532300'], patients: 20, settlements: 20, amount: '200.00' }];
  expect((await statistics(december)).data.mutualAidStatistics.cells).toEqual(fromChuxiong);
  expect((await statistics(december, await token({ role: 'ADMIN' }))).data.mutualAidStatistics.cells).toEqual(fromChuxiong);
  const chuxiongAdmin = await token({ role: 'ADMIN', region: '532300' });
  expect((await statistics(december, chuxiongAdmin)).data.mutualAidStatistics.cells).toEqual(fromChuxiong);
  const fuzhouAdmin = await token({ role: 'ADMIN', region: '350100' });
  expect((await statistics(december, fuzhouAdmin)).data.mutualAidStatistics).toEqual({ cells: [], suppressedCells: 0 });
  expect(codes(await statistics({ ...december, regionCode: '532300' }, fuzhouAdmin))).toEqual(['FORBIDDEN']);

  for (const caller of [
    await token({ role: 'INSURED', personId: children[0].patientId }),
    await token({ role: 'PARTNER', partnerCode: 'HSHMB' }),
    desk.token,
  ]) {
    const refused = await statistics(december, caller);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.data ?? null).toBeNull();
  }
  expect(codes(await gql(STATISTICS, december))).toEqual(['UNAUTHENTICATED']);
});

test('coded refusals for what cannot be answered', async () => {
  const year = { from: '2021-01-01T00:00:00+08:00', to: '2022-01-01T00:00:00+08:00' };
  for (const variables of [
    { ...year, groupBy: [] },
    { ...year, groupBy: ['MONTH', 'REGION', 'MONTH'] },
    { groupBy: ['MONTH'], from: year.to, to: year.from },
    { groupBy: ['MONTH'], from: year.from, to: year.from },
    { groupBy: ['MONTH'], from: year.from, to: '2022-01-02T00:00:01+08:00' },
    { ...year, groupBy: ['MONTH'], regionCode: '999999' },
  ]) {
    expect(codes(await statistics(variables))).toEqual(['BAD_USER_INPUT']);
  }
});

test('one statement per province, through the covering period indexes: no scan of the table', async () => {
  const connection = await database('settlements', '53');
  try {
    for (const byRegion of [false, true]) {
      const [plan] = await connection.query(
        `EXPLAIN ${statisticsSql([...DIMENSIONS], byRegion)}`,
        statisticsParams(new Date('2026-01-01T00:00:00+08:00'), new Date('2027-01-01T00:00:00+08:00'), byRegion ? '532300' : null),
      );
      const rows = plan as Array<{ table: string; type: string; key: string | null; Extra: string | null }>;
      const settlements = rows.filter((row) => row.table === 's');
      expect(settlements.map((row) => row.key).sort()).toEqual(['ix_settlements_mutual_made', 'ix_settlements_mutual_refunded']);
      for (const row of settlements) {
        expect(row.type).toBe('range');
        expect(row.Extra).toContain('Using index');
      }
      const payments = rows.filter((row) => row.table === 'p');
      expect(payments.map((row) => row.key)).toEqual(['PRIMARY', 'PRIMARY']);
      // Only the grouping (over the period's rows, in a derived table) may be a full read or a sort.
      for (const row of rows.filter((one) => one.table === 's' || one.table === 'p')) {
        expect(row.type).not.toBe('ALL');
        expect(row.Extra ?? '').not.toContain('filesort');
      }
    }
  } finally {
    await connection.end();
  }
});

/**
 * A year of a province: 100,000 settlements over 2026 (a quarter with mutual aid) in a scratch
 * database of this run. A month's statistics read that month's index entries only (ANALYZE counts
 * the rows actually read), and a whole year by every dimension answers quickly.
 */
test('a year of a province: a month reads only its own index range; the whole year by every dimension answers within seconds', async () => {
  const name = `${stack.prefix}_scratch_statistics_year`;
  const server = await createConnection({ uri: stack.mysqlUrl });
  await server.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await server.query(`CREATE DATABASE \`${name}\``);
  await server.end();
  const db = await new DataSource({
    type: 'mysql',
    url: `${stack.mysqlUrl}/${name}`,
    migrations: PROVINCE_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    timezone: 'Z',
  }).initialize();
  try {
    await db.runMigrations({ transaction: 'none' });
    const digit = Array.from({ length: 10 }, (_value, index) => `SELECT ${index} AS d`).join(' UNION ALL ');
    const numbers = `SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d AS n
      FROM (${digit}) a, (${digit}) b, (${digit}) c, (${digit}) e, (${digit}) f`;
    // One settlement every 315 s from 2026-01-01 00:00 CST: 100,000 of them fill the year.
    await db.query(`INSERT INTO settlements (id, institution_id, idempotency_key, request_hash, patient_id, patient_scheme, purpose, status, in_scope_fen, out_of_scope_fen, total_fen, fund_fen, deductible_applied_fen, fund_year, own_fen, mutual_fen, cash_fen, plan, created_at)
      SELECT CONCAT('350100-S', n), 'H1', CONCAT('k', n), REPEAT('0', 64), CONCAT('350100-P', n % 20000), IF(n % 2 = 0, 'EMPLOYEE', 'RESIDENT'),
        ELT(1 + n % 3, 'OUTPATIENT', 'PHARMACY', 'INPATIENT'), 'SETTLED', 1000, 0, 1000, 0, 0, 2026, 0, IF(n % 4 = 0, 1000, 0), IF(n % 4 = 0, 0, 1000),
        '{"steps":[],"debits":[]}', TIMESTAMP('2025-12-31 16:00:00') + INTERVAL (n * 315) SECOND
      FROM (${numbers}) numbers`);
    await db.query(`INSERT INTO settlement_payments (settlement_id, seq, source, account_id, binding_id, relationship, amount_fen, transfer_id)
      SELECT id, 2, 'MUTUAL_AID', '350100-A', '350100-B', IF(RIGHT(id, 1) IN ('0', '4', '8'), 'CHILD', 'PARENT'), mutual_fen, 'T' FROM settlements WHERE mutual_fen > 0`);
    await db.query('ANALYZE TABLE settlements, settlement_payments');

    const march = statisticsParams(new Date('2026-03-01T00:00:00+08:00'), new Date('2026-04-01T00:00:00+08:00'), '350100');
    const [{ inMarch }] = await db.query(
      'SELECT COUNT(*) AS inMarch FROM settlements WHERE created_at >= ? AND created_at < ?',
      march.slice(0, 2),
    );
    const analyzed = (await db.query(`ANALYZE ${statisticsSql(['MONTH', 'RELATIONSHIP'], true)}`, march)) as Array<{
      table: string;
      key: string | null;
      r_rows: string | number | null;
    }>;
    const made = analyzed.find((row) => row.table === 's' && row.key === 'ix_settlements_mutual_made');
    expect(Number(made?.r_rows)).toBeGreaterThan(0);
    expect(Number(made?.r_rows)).toBeLessThanOrEqual(Number(inMarch));
    expect(Number(inMarch)).toBeLessThan(100_000 / 10);

    const started = Date.now();
    const year = await db.query(
      statisticsSql(['REGION', 'MONTH', 'PURPOSE', 'RELATIONSHIP', 'PATIENT_SCHEME'], false),
      statisticsParams(new Date('2026-01-01T00:00:00+08:00'), new Date('2027-01-01T00:00:00+08:00'), null),
    );
    const elapsedMs = Date.now() - started;
    expect((year as Array<{ patients: number }>).length).toBeGreaterThan(12);
    // Generous for a shared two-core machine; it takes a fraction of this.
    expect(elapsedMs).toBeLessThan(5_000);
  } finally {
    await db.query(`DROP DATABASE \`${name}\``);
    await db.destroy();
  }
});
