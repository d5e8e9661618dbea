import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chinaDay, chinaToday } from '../subgraphs/shared/chinaTime';
import { ROOT, stackEnv } from '../scripts/stack';
import { codes, CREDIT, database, gql, stack, token, uniqueKey } from './client';
import { balanceOf, counter, employee, issueCard, REFUND, settleAt } from './counter';

/**
 * Amounts at their bounds (DESIGN.md, second round: a single credit or payment ≤ 10^9 yuan, a balance
 * ≤ 10^10 yuan) and reports whose sums pass 2^53 fen: every read and report answers, exactly.
 */
jest.setTimeout(180_000);

const PAYMENT_LIMIT = '1000000000.00';
const BALANCE_LIMIT = '10000000000.00';

async function creditAs(personId: string, amount: string) {
  return gql(CREDIT, { input: { personId, amount, idempotencyKey: uniqueKey('bound') } }, { token: await token({ role: 'ADMIN' }) });
}

async function fillToLimit(personId: string): Promise<void> {
  for (let index = 0; index < 10; index += 1) expect(codes(await creditAs(personId, PAYMENT_LIMIT))).toEqual([]);
}

describe('a personal account at its bounds', () => {
  test('credits up to 10^10 yuan; one more fen, or one credit above 10^9 yuan, is BAD_USER_INPUT naming the limit and writes nothing', async () => {
    const person = await employee('650100');
    const single = await creditAs(person, '1000000000.01');
    expect(codes(single)).toEqual(['BAD_USER_INPUT']);
    expect(single.errors?.[0].message).toContain(PAYMENT_LIMIT);
    expect(await balanceOf(person)).toBe('0.00');

    await fillToLimit(person);
    expect(await balanceOf(person)).toBe(BALANCE_LIMIT);
    const over = await creditAs(person, '0.01');
    expect(codes(over)).toEqual(['BAD_USER_INPUT']);
    expect(over.errors?.[0].message).toContain(BALANCE_LIMIT);

    const read = await gql(
      'query($id: ID!) { person(id: $id) { personalAccount { balance shareableBalance entries(first: 20) { nodes { kind amount balanceAfter } } } } }',
      { id: person },
      { token: await token({ role: 'ADMIN' }) },
    );
    expect(read.errors).toBeUndefined();
    const account = read.data.person.personalAccount;
    expect(account).toMatchObject({ balance: BALANCE_LIMIT, shareableBalance: BALANCE_LIMIT });
    expect(account.entries.nodes).toHaveLength(10);
    expect(account.entries.nodes[0]).toEqual({ kind: 'CREDIT', amount: PAYMENT_LIMIT, balanceAfter: BALANCE_LIMIT });
  });

  test("a settlement of 10^9 yuan, a refund that returns it above the credit limit (returns are never refused), and the day's figures", async () => {
    const patient = await employee('650100');
    await fillToLimit(patient);
    const desk = await counter();
    const card = await issueCard(patient);
    expect(codes(await settleAt(desk, patient, card, { inScopeAmount: '1000000000.01' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await settleAt(desk, patient, card, { inScopeAmount: '600000000.00', outOfScopeAmount: '400000000.01' }))).toEqual([
      'BAD_USER_INPUT',
    ]);

    const settled = await settleAt(desk, patient, card, { purpose: 'PHARMACY', inScopeAmount: PAYMENT_LIMIT });
    expect(settled.data.settle).toMatchObject({ totalAmount: PAYMENT_LIMIT, ownAccountPaid: PAYMENT_LIMIT, cashPaid: '0.00' });
    expect(await balanceOf(patient)).toBe('9000000000.00');
    expect(codes(await creditAs(patient, PAYMENT_LIMIT))).toEqual([]);
    const refunded = await gql(REFUND, { id: settled.data.settle.id, key: uniqueKey('refund') }, { token: desk.token, credential: card });
    expect(refunded.data.refundSettlement.status).toBe('REFUNDED');
    expect(await balanceOf(patient)).toBe('11000000000.00');
    expect(codes(await creditAs(patient, '0.01'))).toEqual(['BAD_USER_INPUT']);

    const date = chinaToday(new Date(refunded.data.refundSettlement.refundedAt));
    const day = await gql(
      'query($i: String!, $d: String!) { institutionDay(institutionId: $i, date: $d) { settlements refunded ownAccountPaid cashPaid } }',
      { i: desk.institutionId, d: date },
      { token: desk.token },
    );
    expect(day.data.institutionDay).toEqual({ settlements: 1, refunded: 1, ownAccountPaid: '0.00', cashPaid: '0.00' });
  });
});

/**
 * 90,100 credits and 90,100 settlements of 10^9 yuan each (one of them a fen short, so that no
 * float could hold the total) on a past day, written straight into the databases as the services
 * would have written them: the API would need hours to make them.
 */
describe('reports whose sums pass 2^53 fen', () => {
  const REGION = '430100';
  const DATE = '2025-03-03';
  const ROWS = 90_100;
  const TOTAL = '90099999999999.99';
  const tag = Date.now().toString(36).toUpperCase().padStart(9, '0').slice(-9);
  const institutionId = `HBOUND${tag}`;
  const { start, end } = chinaDay(DATE);
  // DATETIME columns hold UTC (the services connect with timezone 'Z').
  const startUtc = start.toISOString().replace('T', ' ').replace('Z', '');
  const digits = (name: string) =>
    `(SELECT 0 AS ${name} UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)`;
  const numbers = (count: number) =>
    `(SELECT a.d0 + 10 * b.d1 + 100 * c.d2 + 1000 * d.d3 + 10000 * e.d4 AS n FROM ${digits('d0')} a, ${digits('d1')} b, ${digits('d2')} c, ${digits('d3')} d, ${digits('d4')} e) numbers WHERE n < ${count}`;
  const ids = (kind: string, n: string) => `CONCAT('${REGION}-', '${tag}', '${kind}', LPAD(${n}, 16, '0'))`;

  beforeAll(async () => {
    const accounts = await database('accounts', '43');
    const settlements = await database('settlements', '43');
    try {
      // 9,010 accounts of 10 credits each; account 0's first credit is a fen short.
      const short = (account: string, seq: string) => `IF(${account} = 0 AND ${seq} <= 1, 1, 0)`;
      await accounts.query(
        `INSERT INTO persons (id, region_code, name, masked_id_number, id_number_hash, scheme, status, created_at, updated_at)
        SELECT ${ids('A', 'n')}, '${REGION}', '上限', '4301**********0000', SHA2(CONCAT('${tag}', n), 256), 'EMPLOYEE', 'ACTIVE', ?, ? FROM ${numbers(ROWS / 10)}`,
        [startUtc, startUtc],
      );
      await accounts.query(
        `INSERT INTO personal_accounts (person_id, balance_fen, held_fen, last_entry_seq, created_at)
        SELECT ${ids('A', 'n')}, 1000000000000 - IF(n = 0, 1, 0), 0, 10, ? FROM ${numbers(ROWS / 10)}`,
        [startUtc],
      );
      await accounts.query(
        `INSERT INTO ledger_transfers (id, scope, idempotency_key, request_hash, kind, result, created_at)
        SELECT ${ids('T', 'n')}, 'credit', CONCAT('${tag}-', n), REPEAT('0', 64), 'CREDIT', '{}', ? + INTERVAL n * 500 MICROSECOND FROM ${numbers(ROWS)}`,
        [startUtc],
      );
      await accounts.query(
        `INSERT INTO ledger_entries (id, account_id, seq, transfer_id, amount_fen, balance_after_fen, kind, reference, created_at)
        SELECT ${ids('E', 'n')}, ${ids('A', 'n DIV 10')}, n MOD 10 + 1, ${ids('T', 'n')}, 100000000000 - ${short('n DIV 10', 'n MOD 10 + 1')},
          (n MOD 10 + 1) * 100000000000 - IF(n DIV 10 = 0, 1, 0), 'CREDIT', ${ids('T', 'n')}, ? + INTERVAL n * 500 MICROSECOND FROM ${numbers(ROWS)}`,
        [startUtc],
      );
      // 90,100 settlements of one institution, each paid in full by a relative's account; settlement 0 leaves a fen to cash.
      await settlements.query(
        `INSERT INTO settlements (id, institution_id, idempotency_key, request_hash, patient_id, purpose, status, in_scope_fen, out_of_scope_fen, total_fen,
          fund_fen, deductible_applied_fen, fund_year, own_fen, mutual_fen, cash_fen, plan, created_at, settled_at)
        SELECT ${ids('S', 'n')}, '${institutionId}', CONCAT('${tag}-', n), REPEAT('0', 64), ${ids('P', 'n')}, 'PHARMACY', 'SETTLED', 100000000000, 0, 100000000000,
          0, 0, 2025, 0, 100000000000 - IF(n = 0, 1, 0), IF(n = 0, 1, 0), '{"steps":[],"debits":[]}', ? + INTERVAL n * 500 MICROSECOND, ? + INTERVAL n * 500 MICROSECOND FROM ${numbers(ROWS)}`,
        [startUtc, startUtc],
      );
    } finally {
      await accounts.end();
      await settlements.end();
    }
  });

  test("ledgerReconciliation and npm run reconcile: the day's credits exactly, every balance against its ledger", async () => {
    const result = await gql(
      `query($r: ID!, $d: String!) { ledgerReconciliation(regionCode: $r, date: $d) { credits debitsByPurpose { purpose amount } balanced mismatchedAccounts accountsChecked } }`,
      { r: REGION, d: DATE },
      { token: await token({ role: 'ADMIN', region: REGION }) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.ledgerReconciliation).toMatchObject({ credits: TOTAL, debitsByPurpose: [], balanced: true, mismatchedAccounts: [] });
    expect(result.data.ledgerReconciliation.accountsChecked).toBeGreaterThanOrEqual(ROWS / 10);

    const script = spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'reconcile.js'), '--region', REGION, '--date', DATE], {
      env: stackEnv(stack),
      encoding: 'utf8',
    });
    expect(`${script.stdout}${script.stderr}`).toContain(`credits ${TOTAL}`);
    expect(script.status).toBe(0);
  });

  test('institutionDay and reconcileInstitutionDay: exact to the fen, where a float could not tell one fen from another', async () => {
    const admin = await token({ role: 'ADMIN' });
    const day = await gql(
      'query($i: String!, $d: String!) { institutionDay(institutionId: $i, date: $d) { settlements refunded fundPaid ownAccountPaid mutualAidPaid cashPaid } }',
      { i: institutionId, d: DATE },
      { token: admin },
    );
    expect(day.errors).toBeUndefined();
    expect(day.data.institutionDay).toEqual({
      settlements: ROWS,
      refunded: 0,
      fundPaid: '0.00',
      ownAccountPaid: '0.00',
      mutualAidPaid: TOTAL,
      cashPaid: '0.01',
    });

    const RECONCILE = 'mutation($input: ReconcileInput!) { reconcileInstitutionDay(input: $input) { matched system { mutualAidPaid } } }';
    const figures = {
      institutionId,
      date: DATE,
      settlements: ROWS,
      fundPaid: '0.00',
      ownAccountPaid: '0.00',
      mutualAidPaid: TOTAL,
      cashPaid: '0.01',
    };
    const matched = await gql(RECONCILE, { input: figures }, { token: admin });
    expect(matched.data.reconcileInstitutionDay).toEqual({ matched: true, system: { mutualAidPaid: TOTAL } });
    const aFenMore = await gql(RECONCILE, { input: { ...figures, mutualAidPaid: '90100000000000.00' } }, { token: admin });
    expect(aFenMore.data.reconcileInstitutionDay.matched).toBe(false);
  });

  test('mutualAidSummary over the day: exact', async () => {
    const summary = await gql(
      'query($r: ID!, $from: DateTime, $to: DateTime) { mutualAidSummary(regionCode: $r, from: $from, to: $to) { settlements amountShared } }',
      { r: REGION, from: start.toISOString(), to: end.toISOString() },
      { token: await token({ role: 'ANALYST' }) },
    );
    expect(summary.errors).toBeUndefined();
    expect(summary.data.mutualAidSummary).toEqual({ settlements: ROWS, amountShared: TOTAL });
  });
});
