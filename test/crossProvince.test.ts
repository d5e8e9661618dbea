import { stackEnv } from '../scripts/stack';
import { PROVINCE_MIGRATIONS } from '../subgraphs/accounts/migrations';
import { Ledger } from '../subgraphs/accounts/ledger/service';
import { ProvinceBackends } from '../subgraphs/shared/db/backends';
import { readEnv } from '../subgraphs/shared/env';
import { createObservability } from '../subgraphs/shared/server/observability';
import { codes, credit, database, gql, internal, register, stack, uniqueKey } from './client';
import { activeBinding, balanceOf, counter, employee, issueCard, REFUND, settleAt } from './counter';
import { openHolds } from './holds';
import { until } from './until';

/** What holds still reserve on these accounts (and on no others: other tests' holds do not count). */
const openHoldsOn = (...accountIds: string[]) => openHolds((province) => database('accounts', province), accountIds);
const NONE_OPEN = { pending: 0, heldFen: 0 };

/** One series of a metric as the service's registry holds it; 0 when it was never set. */
async function metricValue(metric: { get(): Promise<{ values: Array<{ labels: object; value: number }> }> }, labels: object) {
  const { values } = await metric.get();
  const series = values.find((candidate) => Object.entries(labels).every(([name, value]) => Reflect.get(candidate.labels, name) === value));
  return series?.value ?? 0;
}

/** Every PENDING hold of a province backend, other tests' included. */
async function pendingHolds(province: string): Promise<number> {
  const connection = await database('accounts', province);
  try {
    const [rows] = await connection.query("SELECT COUNT(*) AS n FROM ledger_holds WHERE status = 'PENDING'");
    return Number((rows as Array<{ n: string }>)[0].n);
  } finally {
    await connection.end();
  }
}

describe('cross-province mutual aid (350100 <-> 650100)', () => {
  test("a Fuzhou patient's own account and an Urumqi parent pay one bill over two province backends, and a refund returns both", async () => {
    const patient = await employee('350100', '100.00');
    const parent = await employee('650100', '500.00');
    await activeBinding(parent, patient, 'CHILD');
    const card = await issueCard(patient);
    const desk = await counter();
    const settled = await settleAt(desk, patient, card, { purpose: 'PHARMACY', inScopeAmount: '300.00' });
    expect(settled.errors).toBeUndefined();
    expect(settled.data.settle).toMatchObject({
      ownAccountPaid: '100.00',
      mutualAidPaid: '200.00',
      cashPaid: '0.00',
      mutualAidPayments: [{ amount: '200.00', authorizer: { id: parent } }],
    });
    expect([await balanceOf(patient), await balanceOf(parent)]).toEqual(['0.00', '300.00']);
    expect(await openHoldsOn(patient, parent)).toEqual(NONE_OPEN);

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
    const results = await Promise.all(
      Array.from({ length: 20 }, () => settleAt(desk, patient, card, { inScopeAmount: '250.00', idempotencyKey: key })),
    );
    expect(results.flatMap(codes)).toEqual([]);
    expect(new Set(results.map((result) => result.data.settle.id)).size).toBe(1);
    // Fuzhou keeps its 2000.00 floor: 300.00 shareable, 200.00 taken.
    expect(results[0].data.settle).toMatchObject({ ownAccountPaid: '50.00', mutualAidPaid: '200.00' });
    expect([await balanceOf(patient), await balanceOf(child)]).toEqual(['0.00', '2100.00']);
    expect(await openHoldsOn(patient, child)).toEqual(NONE_OPEN);
  });
});

describe('two-phase ledger API', () => {
  const holdRequest = (accountId: string, amountFen: number, timeoutMs = 60_000) => ({
    scope: 'test',
    idempotencyKey: uniqueKey('hold'),
    reference: 'S-hold',
    amountFen,
    mode: 'UP_TO' as const,
    timeoutMs,
    steps: [{ accountId, floorFen: 0, kind: 'MUTUAL_AID_PAYMENT' as const }],
  });
  const balances = async (id: string) => (await internal('/internal/persons/lookup', { ids: [id] })).result.persons[0].balanceFen;

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

  test("a hold lasts exactly its timeout on the ledger's clock: the sweep leaves it until then and voids it after", async () => {
    // The accounts service's own Ledger over the stack's databases, on a clock the test moves; the
    // service's real-time sweeper never reaches this hold (it expires a minute from now).
    const env = readEnv(stackEnv(stack));
    const observability = createObservability('accounts', 'silent');
    const backends = await ProvinceBackends.open(['35'], { env, observability, owner: 'accounts', migrations: PROVINCE_MIGRATIONS });
    const heldAt = Date.now();
    let nowMs = heldAt;
    const ledger = new Ledger(backends, observability, () => new Date(nowMs));
    try {
      const account = await register('350100');
      await credit(account, '10.00');
      const held = await ledger.createPending(holdRequest(account, 1000, 60_000));
      expect(held.paidFen).toBe(1000);

      for (const [atMs, open] of [
        [59_999, 1],
        [60_000, 1],
        [60_001, 0],
      ]) {
        nowMs = heldAt + atMs;
        await ledger.voidExpiredPending();
        expect(await openHoldsOn(account)).toEqual({ pending: open, heldFen: open * 1000 });
        // What an operator alerts on (ops/alerts.yml): the sweep's count of every open hold of the province.
        expect(await metricValue(observability.holdsOpen, { province: '35' })).toBe(await pendingHolds('35'));
      }
      expect(await metricValue(observability.events, { event: 'hold_expired', kind: '35' })).toBeGreaterThanOrEqual(1);
      await expect(ledger.postPending(held.holdId)).rejects.toMatchObject({ code: 'INVALID_STATE' });
      expect((await internal('/internal/ledger/debit', { ...holdRequest(account, 1000), timeoutMs: undefined })).result.paidFen).toBe(1000);
    } finally {
      await backends.close();
    }
  });

  test('the accounts service sweeps expired holds by itself', async () => {
    const account = await register('350100');
    await credit(account, '10.00');
    const held = (await internal('/internal/ledger/hold', holdRequest(account, 1000, 1_000))).result;
    expect(held.paidFen).toBe(1000);
    // Its sweeper runs every few seconds in real time: wait for it, on this account only.
    await until('the sweeper to void the hold', async () => (await openHoldsOn(account)).pending === 0);
    expect(await openHoldsOn(account)).toEqual(NONE_OPEN);
    expect((await internal('/internal/ledger/post', { holdId: held.holdId })).error?.code).toBe('INVALID_STATE');
  });
});
