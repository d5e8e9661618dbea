import { chinaDay, chinaToday } from '../subgraphs/shared/chinaTime';
import { INSTITUTION_DAY_SQL } from '../subgraphs/settlements/settle/institutionDay';
import { codes, database, gql, register, token, uniqueKey } from './client';
import { activeBinding, counter, employee, issueCard, REFUND, settleAt } from './counter';

const DAY =
  'query($institution: String!, $date: String!) { institutionDay(institutionId: $institution, date: $date) { institutionId date settlements refunded fundPaid ownAccountPaid mutualAidPaid cashPaid } }';
const RECONCILE =
  'mutation($input: ReconcileInput!) { reconcileInstitutionDay(input: $input) { matched system { settlements refunded cashPaid } missingAtInstitution unknownToSystem } }';
const MONEY_FIELDS = ['fundPaid', 'ownAccountPaid', 'mutualAidPaid', 'cashPaid'] as const;
type MoneyField = (typeof MONEY_FIELDS)[number];

const fen = (money: string) => BigInt(money.replace('.', ''));
const yuan = (value: bigint) => {
  const abs = value < 0n ? -value : value;
  return `${value < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};
/** Each money field of the given settlements added up, with a sign (refunds subtract). */
const figures = (...parts: Array<[1n | -1n, Record<MoneyField, string>]>) =>
  Object.fromEntries(
    MONEY_FIELDS.map((field) => [field, yuan(parts.reduce((sum, [sign, part]) => sum + sign * fen(part[field]), 0n))]),
  ) as Record<MoneyField, string>;

test("an institution's day and its reconciliation, to the fen: settlements on the day made, refunds on the day made", async () => {
  const authorizer = await employee('532300', '1000.00');
  const patient = await register('532300', 'RESIDENT');
  await activeBinding(authorizer, patient, 'PARENT');
  const own = await employee('532300', '30.00');
  const desk = await counter();
  const patientCard = await issueCard(patient);
  const first = (await settleAt(desk, patient, patientCard, { purpose: 'PHARMACY', inScopeAmount: '120.00', outOfScopeAmount: '30.00' }))
    .data.settle;
  const second = (await settleAt(desk, own, await issueCard(own), { purpose: 'OUTPATIENT', inScopeAmount: '500.00' })).data.settle;
  const refunded = (await settleAt(desk, patient, patientCard, { purpose: 'PHARMACY', inScopeAmount: '10.00' })).data.settle;
  const refund = (await gql(REFUND, { id: refunded.id, key: uniqueKey() }, { token: desk.token, credential: patientCard })).data
    .refundSettlement;
  const date = chinaToday(new Date(refund.refundedAt));

  // Made that day: all three (one of them refunded since); refunded that day: one; money: paid minus returned.
  const day = (await gql(DAY, { institution: desk.institutionId, date }, { token: desk.token })).data.institutionDay;
  expect(day).toEqual({
    institutionId: desk.institutionId,
    date,
    settlements: 3,
    refunded: 1,
    ...figures([1n, first], [1n, second], [1n, refunded], [-1n, refunded]),
  });

  const submitted = {
    institutionId: desk.institutionId,
    date,
    settlements: 3,
    fundPaid: day.fundPaid,
    ownAccountPaid: day.ownAccountPaid,
    mutualAidPaid: day.mutualAidPaid,
    cashPaid: day.cashPaid,
  };
  const matched = (
    await gql(RECONCILE, { input: { ...submitted, settlementIds: [first.id, second.id, refunded.id] } }, { token: desk.token })
  ).data.reconcileInstitutionDay;
  expect(matched).toEqual({
    matched: true,
    system: { settlements: 3, refunded: 1, cashPaid: day.cashPaid },
    missingAtInstitution: [],
    unknownToSystem: [],
  });
  const offByAFen = (await gql(RECONCILE, { input: { ...submitted, cashPaid: yuan(fen(day.cashPaid) + 1n) } }, { token: desk.token })).data
    .reconcileInstitutionDay;
  expect(offByAFen.matched).toBe(false);
  const unknown = `532300-${'0'.repeat(26)}`;
  const lists = (
    await gql(
      RECONCILE,
      { input: { ...submitted, settlementIds: [first.id, refunded.id, unknown] } },
      { token: await token({ role: 'ADMIN' }) },
    )
  ).data.reconcileInstitutionDay;
  expect(lists).toMatchObject({ matched: false, missingAtInstitution: [second.id], unknownToSystem: [unknown] });

  const audit = await database('settlements', 'national');
  try {
    const [rows] = await audit.query('SELECT matched FROM institution_reconciliations WHERE institution_id = ? ORDER BY created_at', [
      desk.institutionId,
    ]);
    expect((rows as Array<{ matched: number }>).map((row) => row.matched)).toEqual([1, 0, 0]);
  } finally {
    await audit.end();
  }
});

/**
 * Settled on day D, refunded on day D+1: D's figures (对账, mutualAidSummary, the ledger's own
 * reconciliation) stay as they were and D+1 shows the refund. The settlement is made now and then
 * moved back one day in the databases, as if it had been made yesterday: no waiting for midnight.
 */
test('a past day never changes: a refund counts on its own day, whatever day its settlement was made', async () => {
  const authorizer = await employee('532300', '1000.00');
  const patient = await register('532300', 'RESIDENT');
  await activeBinding(authorizer, patient, 'PARENT');
  const desk = await counter();
  const card = await issueCard(patient);
  const settled = (await settleAt(desk, patient, card, { purpose: 'PHARMACY', inScopeAmount: '120.00', outOfScopeAmount: '30.00' })).data
    .settle;
  expect(fen(settled.mutualAidPaid)).toBeGreaterThan(0n);
  const settlements = await database('settlements', '53');
  const accounts = await database('accounts', '53');
  try {
    await settlements.query(
      'UPDATE settlements SET created_at = created_at - INTERVAL 1 DAY, settled_at = settled_at - INTERVAL 1 DAY WHERE id = ?',
      [settled.id],
    );
    await accounts.query('UPDATE ledger_entries SET created_at = created_at - INTERVAL 1 DAY WHERE reference = ?', [settled.id]);
  } finally {
    await settlements.end();
    await accounts.end();
  }
  const madeOn = chinaToday(new Date(Date.parse(settled.createdAt) - 86_400_000));
  const admin = await token({ role: 'ADMIN', region: '532300' });
  const analyst = await token({ role: 'ANALYST' });
  const LEDGER =
    'query($date: String!) { ledgerReconciliation(regionCode: "532300", date: $date) { credits debitsByPurpose { purpose amount } returnsByPurpose { purpose amount } mutualAidByRelationship { relationship amount } } }';
  const SUMMARY =
    'query($from: DateTime, $to: DateTime) { mutualAidSummary(regionCode: "532300", from: $from, to: $to) { settlements refunded amountShared } }';
  const period = (date: string) => ({ from: chinaDay(date).start.toISOString(), to: chinaDay(date).end.toISOString() });
  const read = async (date: string) => ({
    day: (await gql(DAY, { institution: desk.institutionId, date }, { token: desk.token })).data.institutionDay,
    ledger: (await gql(LEDGER, { date }, { token: admin })).data.ledgerReconciliation,
    summary: (await gql(SUMMARY, period(date), { token: analyst })).data.mutualAidSummary,
  });
  const submitted = {
    institutionId: desk.institutionId,
    date: madeOn,
    settlements: 1,
    ...figures([1n, settled]),
    settlementIds: [settled.id],
  };

  const before = await read(madeOn);
  expect(before.day).toEqual({ institutionId: desk.institutionId, date: madeOn, settlements: 1, refunded: 0, ...figures([1n, settled]) });
  expect((await gql(RECONCILE, { input: submitted }, { token: desk.token })).data.reconcileInstitutionDay.matched).toBe(true);

  const today = chinaToday();
  const todayBefore = await read(today);
  const refund = (await gql(REFUND, { id: settled.id, key: uniqueKey() }, { token: desk.token, credential: card })).data.refundSettlement;
  expect(chinaToday(new Date(refund.refundedAt))).toBe(today);
  expect(today).not.toBe(madeOn);

  expect(await read(madeOn)).toEqual(before);
  expect((await gql(RECONCILE, { input: submitted }, { token: desk.token })).data.reconcileInstitutionDay).toEqual({
    matched: true,
    system: { settlements: 1, refunded: 0, cashPaid: settled.cashPaid },
    missingAtInstitution: [],
    unknownToSystem: [],
  });

  const todayAfter = await read(today);
  expect(todayAfter.day).toEqual({
    institutionId: desk.institutionId,
    date: today,
    settlements: 0,
    refunded: 1,
    ...figures([-1n, settled]),
  });
  // A day of refunds only is negative, and the institution reconciles it as such.
  const negative = { institutionId: desk.institutionId, date: today, settlements: 0, ...figures([-1n, settled]), settlementIds: [] };
  expect((await gql(RECONCILE, { input: negative }, { token: desk.token })).data.reconcileInstitutionDay.matched).toBe(true);
  expect(todayAfter.summary.settlements).toBe(todayBefore.summary.settlements);
  expect(todayAfter.summary.refunded - todayBefore.summary.refunded).toBe(1);
  expect(fen(todayAfter.summary.amountShared) - fen(todayBefore.summary.amountShared)).toBe(-fen(settled.mutualAidPaid));
  const returned = (ledger: { returnsByPurpose: Array<{ purpose: string; amount: string }> }) =>
    fen(ledger.returnsByPurpose.find((row) => row.purpose === 'PHARMACY')?.amount ?? '0.00');
  expect(returned(todayAfter.ledger) - returned(todayBefore.ledger)).toBe(fen(settled.mutualAidPaid));
});

test("only the institution's own counters and ADMIN; a real day", async () => {
  const desk = await counter();
  const date = chinaToday();
  expect(codes(await gql(DAY, { institution: desk.institutionId, date }, { token: (await counter()).token }))).toEqual(['FORBIDDEN']);
  expect(
    codes(
      await gql(
        DAY,
        { institution: desk.institutionId, date },
        { token: await token({ role: 'INSURED', personId: '430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P' }) },
      ),
    ),
  ).toEqual(['FORBIDDEN']);
  expect(
    (await gql(DAY, { institution: desk.institutionId, date }, { token: await token({ role: 'ADMIN' }) })).data.institutionDay.settlements,
  ).toBe(0);
  expect(codes(await gql(DAY, { institution: desk.institutionId, date: '2026-13-01' }, { token: desk.token }))).toEqual(['BAD_USER_INPUT']);
});

test("the day's statement reads settlements through (institution_id, created_at) and refunds through (institution_id, refunded_at)", async () => {
  const connection = await database('settlements', '53');
  try {
    const start = new Date(Date.now() - 86_400_000);
    const [plan] = await connection.query(`EXPLAIN ${INSTITUTION_DAY_SQL}`, ['H-ANY', start, new Date(), 'H-ANY', start, new Date()]);
    const keys = (plan as Array<{ key: string | null }>).map((row) => row.key).filter((key) => key !== null);
    expect(keys).toEqual(['ix_settlements_institution_day', 'ix_settlements_institution_refunds']);
  } finally {
    await connection.end();
  }
});
