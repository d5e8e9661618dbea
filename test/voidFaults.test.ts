import type { Connection } from 'mysql2/promise';
import { startStack, stopStack, type StackState } from '../scripts/stack';
import { chinaYear } from '../subgraphs/shared/chinaTime';
import { must } from '../subgraphs/shared/must';
import { openHolds } from './holds';
import { connect, kill, start, stackClient, waitForStatement, type Result } from './privateStack';
import { until } from './until';

/**
 * 冲正 against a settlements subgraph SIGKILLed in the middle of a settle, on a private stack: the
 * counter got no answer, the clerk takes cash and voids the key. Locks held by the test stop the
 * settle at a chosen step, the process is killed there, and the void must leave every account as it
 * was, to the fen, with nothing held and nothing left for the recovery pass to complete. The same
 * stack also turns a region's cross-province aid off with a policy version (item 8).
 */
jest.setTimeout(300_000);

const codes = (result: Result) => (result.errors ?? []).map((error) => error.extensions?.code);

let state: StackState;
let api: ReturnType<typeof stackClient>;
beforeAll(async () => {
  state = await startStack();
  api = stackClient(state);
});
afterAll(async () => {
  await stopStack(state);
});

/**
 * Runs `work` holding `sql` (FOR UPDATE) in a transaction of its own, released when `work` returns.
 * A request still blocked on the lock is returned wrapped (`{ answer }`), to be awaited after release.
 */
async function holding<T>(connection: Connection, sql: string, params: unknown[], work: () => Promise<T>): Promise<T> {
  await connection.query('START TRANSACTION');
  await connection.query(sql, params);
  try {
    return await work();
  } finally {
    await connection.query('ROLLBACK').catch(() => undefined);
  }
}

async function rowOf(settlements: Connection, key: string): Promise<{ id: string; status: string } | undefined> {
  const [rows] = await settlements.query("SELECT id, status FROM settlements WHERE institution_id = 'FAULT01' AND idempotency_key = ?", [
    key,
  ]);
  return (rows as Array<{ id: string; status: string }>)[0];
}

/** The row under the key, where the test has seen its request write it. */
async function storedRow(settlements: Connection, key: string): Promise<{ id: string; status: string }> {
  return must(await rowOf(settlements, key), `a row under ${key} is stored`);
}

/** What holds still reserve on these accounts. */
const openHoldsOn = (...accountIds: string[]) => openHolds((province) => connect(state, 'accounts', province), accountIds);

/** After the void: the key moves nothing any more, and nothing is left open for the patient or on the paying accounts. */
async function expectSpent(
  patient: string,
  card: string,
  key: string,
  settlements: Connection,
  payers: string[],
  amount = '10.00',
): Promise<void> {
  // The counter's retry of the same request, and any other content under the key: both refused.
  for (const inScope of [amount, '1.00']) {
    const late = await api.settle(patient, card, key, inScope);
    expect(codes(late)).toEqual(['INVALID_STATE']);
    expect(late.errors?.[0].message).toMatch(/voided/);
  }
  expect(['KEY_SPENT', 'VOIDED']).toContain((await rowOf(settlements, key))?.status);
  const [open] = await settlements.query(
    "SELECT COUNT(*) AS n FROM settlements WHERE patient_id = ? AND status IN ('PENDING', 'REFUNDING', 'VOIDING')",
    [patient],
  );
  expect(Number((open as Array<{ n: string }>)[0].n)).toBe(0);
  expect(await openHoldsOn(...payers)).toEqual({ pending: 0, heldFen: 0 });
}

describe('one province (one local ledger transaction)', () => {
  test('killed before the intent was written: the void spends the key; a late settle with it moves nothing', async () => {
    const { authorizer, patient, card } = await api.setup();
    const key = 'killed-before-intent';
    const settlements = await connect(state, 'settlements', '43');
    const blocker = await connect(state, 'settlements', '43');
    try {
      await blocker.query(
        'INSERT INTO fund_usage (patient_id, fund_year, purpose, deductible_used_fen, fund_paid_fen) VALUES (?, ?, ?, 0, 0)',
        [patient, chinaYear(new Date()), 'PHARMACY'],
      );
      const first = await holding(blocker, 'SELECT * FROM fund_usage WHERE patient_id = ? FOR UPDATE', [patient], async () => {
        const answer = api.settle(patient, card, key);
        await waitForStatement(settlements, '%fund_usage%', patient);
        kill(state, 'settlements');
        return { answer };
      });
      expect((await first.answer).data?.settle).toBeUndefined();
      await start(state, 'settlements');
      expect(await rowOf(settlements, key)).toBeUndefined();

      const voided = await api.void(patient, card, key);
      expect(voided.data.voidSettlement).toEqual({ outcome: 'KEY_VOIDED', settlement: null });
      expect((await api.void(patient, card, key)).data.voidSettlement.outcome).toBe('KEY_VOIDED');
      await expectSpent(patient, card, key, settlements, [authorizer]);
      expect(await api.balance(authorizer)).toBe('5000.00');
      expect(await api.entries(authorizer)).toEqual(['CREDIT 5000.00']);
    } finally {
      await blocker.end();
      await settlements.end();
    }
  });

  test('killed while the ledger debits: the debit completes while the void runs, and the void reverses it', async () => {
    const { authorizer, patient, card } = await api.setup();
    const key = 'killed-while-debiting';
    const settlements = await connect(state, 'settlements', '43');
    const ledger = await connect(state, 'accounts', '43');
    const blocker = await connect(state, 'accounts', '43');
    try {
      const voided = await holding(blocker, 'SELECT * FROM personal_accounts WHERE person_id = ? FOR UPDATE', [authorizer], async () => {
        const first = api.settle(patient, card, key);
        await waitForStatement(ledger, '%personal_accounts%FOR UPDATE%', authorizer);
        kill(state, 'settlements');
        expect((await first).data?.settle).toBeUndefined();
        await start(state, 'settlements');
        const intent = await storedRow(settlements, key);
        expect(intent.status).toBe('PENDING');
        // The void spends the ledger key behind the debit still waiting for the account: it waits too.
        const answer = api.void(patient, card, key);
        await waitForStatement(ledger, '%INSERT INTO ledger_transfers%', intent.id);
        return { answer };
      });
      expect((await voided.answer).data.voidSettlement).toEqual({ outcome: 'KEY_VOIDED', settlement: null });
      expect(await api.balance(authorizer)).toBe('5000.00');
      expect(await api.entries(authorizer)).toEqual(['REVERSAL 10.00', 'MUTUAL_AID_PAYMENT -10.00', 'CREDIT 5000.00']);
      expect((await api.void(patient, card, key)).data.voidSettlement.outcome).toBe('KEY_VOIDED');
      await expectSpent(patient, card, key, settlements, [authorizer]);
      expect(await api.balance(authorizer)).toBe('5000.00');
    } finally {
      await blocker.end();
      await ledger.end();
      await settlements.end();
    }
  });
});

describe('cross-province (holds on two province backends)', () => {
  /** A Fuzhou patient with 100.00 of his own and an Urumqi parent: a 300.00 bill holds on both provinces. */
  async function family() {
    const patient = await api.person('350100', 'EMPLOYEE', '100.00');
    const parent = await api.person('650100', 'EMPLOYEE', '500.00');
    await api.bind(parent, patient, 'CHILD');
    return { patient, parent, card: await api.card(patient) };
  }

  test('killed while holding: the void releases every hold; nothing stays reserved', async () => {
    const { patient, parent, card } = await family();
    const key = 'killed-while-holding';
    const settlements = await connect(state, 'settlements', '35');
    const urumqi = await connect(state, 'accounts', '65');
    const blocker = await connect(state, 'accounts', '65');
    try {
      const voided = await holding(blocker, 'SELECT * FROM personal_accounts WHERE person_id = ? FOR UPDATE', [parent], async () => {
        const first = api.settle(patient, card, key, '300.00');
        await waitForStatement(urumqi, '%personal_accounts%FOR UPDATE%', parent);
        kill(state, 'settlements');
        expect((await first).data?.settle).toBeUndefined();
        expect(await openHoldsOn(patient)).toEqual({ pending: 1, heldFen: 10000 });
        await start(state, 'settlements');
        const intent = await storedRow(settlements, key);
        const answer = api.void(patient, card, key);
        await waitForStatement(urumqi, '%INSERT INTO ledger_holds%', intent.id);
        return { answer };
      });
      expect((await voided.answer).data.voidSettlement).toEqual({ outcome: 'KEY_VOIDED', settlement: null });
      expect([await api.balance(patient), await api.balance(parent)]).toEqual(['100.00', '500.00']);
      expect([await api.entries(patient), await api.entries(parent)]).toEqual([['CREDIT 100.00'], ['CREDIT 500.00']]);
      await expectSpent(patient, card, key, settlements, [patient, parent], '300.00');
    } finally {
      await blocker.end();
      await urumqi.end();
      await settlements.end();
    }
  });

  test('killed after both provinces posted, before the settlement was recorded: the void reverses both', async () => {
    const { patient, parent, card } = await family();
    const key = 'killed-after-posting';
    const settlements = await connect(state, 'settlements', '35');
    const rowBlocker = await connect(state, 'settlements', '35');
    const urumqi = await connect(state, 'accounts', '65');
    const accountBlocker = await connect(state, 'accounts', '65');
    try {
      await accountBlocker.query('START TRANSACTION');
      await accountBlocker.query('SELECT * FROM personal_accounts WHERE person_id = ? FOR UPDATE', [parent]);
      const first = api.settle(patient, card, key, '300.00');
      await waitForStatement(urumqi, '%personal_accounts%FOR UPDATE%', parent);
      // The holds wait; now hold the settlement row too, so that recording what was paid waits after posting.
      const intent = await storedRow(settlements, key);
      await holding(rowBlocker, 'SELECT * FROM settlements WHERE id = ? FOR UPDATE', [intent.id], async () => {
        await accountBlocker.query('ROLLBACK');
        await waitForStatement(settlements, "%status = 'SETTLED'%", intent.id);
        kill(state, 'settlements');
      });
      expect((await first).data?.settle).toBeUndefined();
      expect([await api.balance(patient), await api.balance(parent)]).toEqual(['0.00', '300.00']);
      expect((await rowOf(settlements, key))?.status).toBe('PENDING');

      await start(state, 'settlements');
      const voided = await api.void(patient, card, key);
      expect(voided.data.voidSettlement).toEqual({ outcome: 'KEY_VOIDED', settlement: null });
      expect([await api.balance(patient), await api.balance(parent)]).toEqual(['100.00', '500.00']);
      expect(await api.entries(parent)).toEqual(['REVERSAL 200.00', 'MUTUAL_AID_PAYMENT -200.00', 'CREDIT 500.00']);
      expect(await api.entries(patient)).toEqual(['REVERSAL 100.00', 'OWN_ACCOUNT_PAYMENT -100.00', 'CREDIT 100.00']);
      await expectSpent(patient, card, key, settlements, [patient, parent], '300.00');
    } finally {
      await accountBlocker.end();
      await rowBlocker.end();
      await urumqi.end();
      await settlements.end();
    }
  });
});

describe('a region that turns cross-province aid off (item 8)', () => {
  test("stops paying existing cross-province bindings from the version's instant, also for a settlement planned before it", async () => {
    const patient = await api.person('350100', 'RESIDENT');
    const parent = await api.person('650100', 'EMPLOYEE', '500.00');
    await api.bind(parent, patient, 'CHILD');
    const card = await api.card(patient);
    expect((await api.settle(patient, card, 'before-the-version', '50.00')).data.settle.mutualAidPaid).toBe('50.00');

    const effectiveFrom = new Date(Date.now() + 4_000);
    const scheduled = await api.call(
      { role: 'ADMIN', region: '650100' },
      'mutation($i: RegionPolicyInput!) { scheduleRegionPolicy(input: $i) { version } }',
      {
        i: {
          regionCode: '650100',
          effectiveFrom: effectiveFrom.toISOString(),
          allowedRelationships: ['SPOUSE', 'PARENT', 'CHILD'],
          retainedFloor: '0.00',
          allowedPurposes: ['OUTPATIENT', 'INPATIENT', 'PHARMACY', 'RESIDENT_PREMIUM', 'COMMERCIAL_HEALTH_INSURANCE'],
          coversOutOfScope: false,
          crossProvince: false,
          requiresReview: false,
        },
      },
    );
    const version = scheduled.data.scheduleRegionPolicy.version;

    // Planned while cross-province aid is still allowed, paid after the new version took effect.
    const settlements = await connect(state, 'settlements', '35');
    const blocker = await connect(state, 'settlements', '35');
    try {
      const planned = await holding(blocker, 'SELECT * FROM fund_usage WHERE patient_id = ? FOR UPDATE', [patient], async () => {
        const answer = api.settle(patient, card, 'planned-before-paid-after', '50.00');
        await waitForStatement(settlements, '%fund_usage%', patient);
        // Released once the version is in force (the accounts subgraph applies it from its instant): the
        // saga's re-check of the payers, when the money moves, comes after that instant.
        await until(
          'the version to take effect',
          async () =>
            (await api.call({ role: 'ADMIN' }, '{ region(code: "650100") { policy { version } } }')).data.region.policy.version === version,
        );
        return { answer };
      });
      const settled = (await planned.answer).data.settle;
      expect(settled).toMatchObject({ mutualAidPaid: '0.00', cashPaid: '50.00' });
      const steps = (
        await api.call(
          { role: 'TERMINAL', institutionId: 'FAULT01' },
          'query($id: ID!) { settlement(id: $id) { steps { source note } } }',
          { id: settled.id },
        )
      ).data.settlement.steps;
      expect(steps.find((step: { source: string }) => step.source === 'MUTUAL_AID').note).toContain(
        `Cross-province mutual aid is not allowed in 650100 (region 650100, policy version ${version}); checked again when the money moved`,
      );
    } finally {
      await blocker.end();
      await settlements.end();
    }
    expect((await api.settle(patient, card, 'after-the-version', '50.00')).data.settle).toMatchObject({
      mutualAidPaid: '0.00',
      cashPaid: '50.00',
    });
    expect(await api.balance(parent)).toBe('450.00');
  });
});
