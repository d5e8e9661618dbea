import { createConnection } from 'mysql2/promise';
import { chinaToday } from '../subgraphs/shared/chinaTime';
import { INSTITUTION_DAY_SQL } from '../subgraphs/settlements/settle/institutionDay';
import { codes, database, gql, register, stack, token, uniqueKey } from './client';
import { activeBinding, counter, employee, issueCard, REFUND, settleAt } from './counter';

const DAY = 'query($institution: String!, $date: String!) { institutionDay(institutionId: $institution, date: $date) { institutionId date settlements refunded fundPaid ownAccountPaid mutualAidPaid cashPaid } }';
const RECONCILE = 'mutation($input: ReconcileInput!) { reconcileInstitutionDay(input: $input) { matched system { settlements refunded cashPaid } missingAtInstitution unknownToSystem } }';

test('an institution\'s day and its reconciliation, to the fen', async () => {
  const authorizer = await employee('532300', '1000.00');
  const patient = await register('532300', 'RESIDENT');
  await activeBinding(authorizer, patient, 'PARENT');
  const own = await employee('532300', '30.00');
  const desk = await counter();
  const date = chinaToday();
  const patientCard = await issueCard(patient);
  const first = (await settleAt(desk, patient, patientCard, { purpose: 'PHARMACY', inScopeAmount: '120.00', outOfScopeAmount: '30.00' })).data.settle;
  const second = (await settleAt(desk, own, await issueCard(own), { purpose: 'OUTPATIENT', inScopeAmount: '500.00' })).data.settle;
  const refunded = (await settleAt(desk, patient, patientCard, { purpose: 'PHARMACY', inScopeAmount: '10.00' })).data.settle;
  await gql(REFUND, { id: refunded.id, key: uniqueKey() }, { token: desk.token, credential: patientCard });

  const day = (await gql(DAY, { institution: desk.institutionId, date }, { token: desk.token })).data.institutionDay;
  const sum = (field: 'fundPaid' | 'ownAccountPaid' | 'mutualAidPaid' | 'cashPaid') => (Math.round(Number(first[field]) * 100) + Math.round(Number(second[field]) * 100)) / 100;
  expect(day).toEqual({
    institutionId: desk.institutionId, date, settlements: 2, refunded: 1,
    fundPaid: sum('fundPaid').toFixed(2), ownAccountPaid: sum('ownAccountPaid').toFixed(2), mutualAidPaid: sum('mutualAidPaid').toFixed(2), cashPaid: sum('cashPaid').toFixed(2),
  });

  const figures = { institutionId: desk.institutionId, date, settlements: 2, fundPaid: day.fundPaid, ownAccountPaid: day.ownAccountPaid, mutualAidPaid: day.mutualAidPaid, cashPaid: day.cashPaid };
  const matched = (await gql(RECONCILE, { input: { ...figures, settlementIds: [first.id, second.id] } }, { token: desk.token })).data.reconcileInstitutionDay;
  expect(matched).toEqual({ matched: true, system: { settlements: 2, refunded: 1, cashPaid: day.cashPaid }, missingAtInstitution: [], unknownToSystem: [] });
  const offByAFen = (await gql(RECONCILE, { input: { ...figures, cashPaid: (Number(day.cashPaid) + 0.01).toFixed(2) } }, { token: desk.token })).data.reconcileInstitutionDay;
  expect(offByAFen.matched).toBe(false);
  const lists = (await gql(RECONCILE, { input: { ...figures, settlementIds: [first.id, refunded.id] } }, { token: await token({ role: 'ADMIN' }) })).data.reconcileInstitutionDay;
  expect(lists).toMatchObject({ matched: false, missingAtInstitution: [second.id], unknownToSystem: [refunded.id] });

  const audit = await createConnection({ uri: `${stack.mysqlUrl}/${stack.prefix}_settlements_national` });
  try {
    const [rows] = await audit.query('SELECT matched FROM institution_reconciliations WHERE institution_id = ? ORDER BY created_at', [desk.institutionId]);
    expect((rows as Array<{ matched: number }>).map((row) => row.matched)).toEqual([1, 0, 0]);
  } finally {
    await audit.end();
  }
});

test('only the institution\'s own counters and ADMIN; a real day', async () => {
  const desk = await counter();
  const date = chinaToday();
  expect(codes(await gql(DAY, { institution: desk.institutionId, date }, { token: (await counter()).token }))).toEqual(['FORBIDDEN']);
  expect(codes(await gql(DAY, { institution: desk.institutionId, date }, { token: await token({ role: 'INSURED', personId: '430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P' }) }))).toEqual(['FORBIDDEN']);
  expect((await gql(DAY, { institution: desk.institutionId, date }, { token: await token({ role: 'ADMIN' }) })).data.institutionDay.settlements).toBe(0);
  expect(codes(await gql(DAY, { institution: desk.institutionId, date: '2026-13-01' }, { token: desk.token }))).toEqual(['BAD_USER_INPUT']);
});

test('the day\'s query reads through the (institution_id, created_at) index', async () => {
  const connection = await database('settlements', '53');
  try {
    const start = new Date(Date.now() - 86_400_000);
    const [plan] = await connection.query(`EXPLAIN ${INSTITUTION_DAY_SQL} GROUP BY status`, ['H-ANY', start, new Date()]);
    const row = (plan as Array<{ key: string | null; possible_keys: string | null }>)[0];
    expect(row.key).toBe('ix_settlements_institution_day');
  } finally {
    await connection.end();
  }
});
