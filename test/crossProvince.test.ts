import { setTimeout as sleep } from 'node:timers/promises';
import { codes, credit, database, gql, internal, register, uniqueKey } from './client';
import { activeBinding, balanceOf, counter, employee, issueCard, REFUND, settleAt } from './counter';

async function openHolds(): Promise<number> {
  let open = 0;
  for (const province of ['35', '65']) {
    const connection = await database('accounts', province);
    const [holds] = await connection.query("SELECT COUNT(*) AS n FROM ledger_holds WHERE status = 'PENDING'");
    const [held] = await connection.query('SELECT COALESCE(SUM(held_fen), 0) AS n FROM personal_accounts');
    open += Number((holds as Array<{ n: string }>)[0].n) + Number((held as Array<{ n: string }>)[0].n);
    await connection.end();
  }
  return open;
}

describe('cross-province mutual aid (350100 <-> 650100)', () => {
  test('a Fuzhou patient\'s own account and an Urumqi parent pay one bill over two province backends, and a refund returns both', async () => {
    const patient = await employee('350100', '100.00');
    const parent = await employee('650100', '500.00');
    await activeBinding(parent, patient, 'CHILD');
    const card = await issueCard(patient);
    const desk = await counter();
    const settled = await settleAt(desk, patient, card, { purpose: 'PHARMACY', inScopeAmount: '300.00' });
    expect(settled.errors).toBeUndefined();
    expect(settled.data.settle).toMatchObject({ ownAccountPaid: '100.00', mutualAidPaid: '200.00', cashPaid: '0.00', mutualAidPayments: [{ amount: '200.00', authorizer: { id: parent } }] });
    expect([await balanceOf(patient), await balanceOf(parent)]).toEqual(['0.00', '300.00']);
    expect(await openHolds()).toBe(0);

    const refunded = await gql(REFUND, { id: settled.data.settle.id, key: uniqueKey('refund') }, { token: desk.token, credential: card });
    expect(refunded.data.refundSettlement.status).toBe('REFUNDED');
    expect([await balanceOf(patient), await balanceOf(parent)]).toEqual(['100.00', '500.00']);
  });

  test('20 concurrent retries of one cross-province settlement take the money once', async () => {
    const patient = await employee('650100', '50.00');
    const child = await employee('350100', '2300.00');
    await activeBinding(child, patient, 'PARENT');
    const card = await issueCard(patient);
    const desk = await counter();
    const key = uniqueKey('txn');
    const results = await Promise.all(Array.from({ length: 20 }, () => settleAt(desk, patient, card, { inScopeAmount: '250.00', idempotencyKey: key })));
    expect(results.flatMap(codes)).toEqual([]);
    expect(new Set(results.map((result) => result.data.settle.id)).size).toBe(1);
    // Fuzhou keeps its 2000.00 floor: 300.00 shareable, 200.00 taken.
    expect(results[0].data.settle).toMatchObject({ ownAccountPaid: '50.00', mutualAidPaid: '200.00' });
    expect([await balanceOf(patient), await balanceOf(child)]).toEqual(['0.00', '2100.00']);
    expect(await openHolds()).toBe(0);
  });
});

describe('two-phase ledger API', () => {
  const holdRequest = (accountId: string, amountFen: number, timeoutMs = 60_000) => ({
    scope: 'test', idempotencyKey: uniqueKey('hold'), reference: 'S-hold', amountFen, mode: 'UP_TO', timeoutMs,
    steps: [{ accountId, floorFen: 0, kind: 'MUTUAL_AID_PAYMENT' }],
  });
  const balances = async (id: string) => (await internal('/internal/accounts/balances', { ids: [id] })).result.balances[0];

  test('a hold reserves money other debits cannot use; post makes it a debit; void releases it', async () => {
    const account = await register('650100');
    await credit(account, '100.00');
    const held = (await internal('/internal/ledger/hold', holdRequest(account, 8000))).result;
    expect(held.paidFen).toBe(8000);
    expect(await balances(account)).toBe(10000);
    const other = await internal('/internal/ledger/debit', { ...holdRequest(account, 5000), timeoutMs: undefined });
    expect(other.result.paidFen).toBe(2000);
    const posted = (await internal('/internal/ledger/post', { holdId: held.holdId })).result;
    expect(posted.paidFen).toBe(8000);
    expect((await internal('/internal/ledger/post', { holdId: held.holdId })).result).toEqual(posted);
    expect((await internal('/internal/ledger/void', { holdId: held.holdId })).error?.code).toBe('INVALID_STATE');
    expect(await balances(account)).toBe(0);

    await credit(account, '30.00');
    const second = (await internal('/internal/ledger/hold', holdRequest(account, 3000))).result;
    await internal('/internal/ledger/void', { holdId: second.holdId });
    expect((await internal('/internal/ledger/post', { holdId: second.holdId })).error?.code).toBe('INVALID_STATE');
    expect((await internal('/internal/ledger/debit', { ...holdRequest(account, 3000), timeoutMs: undefined })).result.paidFen).toBe(3000);
  });

  test('an expired hold is voided by the sweeper and blocks nothing', async () => {
    const account = await register('350100');
    await credit(account, '10.00');
    const held = (await internal('/internal/ledger/hold', holdRequest(account, 1000, 1_000))).result;
    expect(held.paidFen).toBe(1000);
    for (let waited = 0; waited < 15_000 && (await openHolds()) > 0; waited += 250) await sleep(250);
    expect(await openHolds()).toBe(0);
    expect((await internal('/internal/ledger/post', { holdId: held.holdId })).error?.code).toBe('INVALID_STATE');
    expect((await internal('/internal/ledger/debit', { ...holdRequest(account, 1000), timeoutMs: undefined })).result.paidFen).toBe(1000);
  });
});
