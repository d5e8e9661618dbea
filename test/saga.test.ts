import { codes, credit, database, gql, internal, register, token, uniqueKey } from './client';
import {
  activeBinding,
  balanceOf,
  counter,
  employee,
  issueCard,
  REFUND,
  SETTLEMENT_FIELDS,
  settleAt,
  settleInputFor,
  type Counter,
} from './counter';
import { chinaYear } from '../subgraphs/shared/chinaTime';
import { waitForStatement } from './privateStack';

/**
 * The counter's real day (issue 12): 冲正, refunds without the card, refunds out of order, one key
 * nationwide, and the checks made at the instant money moves. Every test asserts the balance of every
 * account it touches.
 */
const VOID = `mutation Void($input: VoidSettlementInput!) { voidSettlement(input: $input) { outcome settlement { ${SETTLEMENT_FIELDS} } } }`;
const ADMIN_REFUND = `mutation AdminRefund($id: ID!, $key: String!, $reason: String!) { adminRefundSettlement(settlementId: $id, idempotencyKey: $key, reason: $reason) { ${SETTLEMENT_FIELDS} } }`;
const STEPS = 'query($id: ID!) { settlement(id: $id) { mutualAidPaid cashPaid steps { source amount note } } }';

function voidAt(desk: Counter, patientId: string, card: string | undefined, idempotencyKey: string) {
  return gql(VOID, { input: { institutionId: desk.institutionId, idempotencyKey, patientId } }, { token: desk.token, credential: card });
}

async function entriesOf(personId: string): Promise<Array<{ kind: string; amount: string }>> {
  const result = await gql(
    'query($id: ID!) { person(id: $id) { personalAccount { entries(first: 50) { nodes { kind amount } } } } }',
    { id: personId },
    { token: await token({ role: 'ADMIN' }) },
  );
  return result.data.person.personalAccount.entries.nodes;
}

describe('one idempotency key per institution, nationwide (item 6)', () => {
  test('the same institution and key for a patient in another province is IDEMPOTENCY_CONFLICT and moves nothing', async () => {
    const fuzhou = await employee('350100', '100.00');
    const urumqi = await employee('650100', '100.00');
    const [fuzhouCard, urumqiCard] = [await issueCard(fuzhou), await issueCard(urumqi)];
    const desk = await counter();
    const key = uniqueKey('txn');
    const first = await settleAt(desk, fuzhou, fuzhouCard, { inScopeAmount: '10.00', idempotencyKey: key });
    expect(first.data.settle.ownAccountPaid).toBe('10.00');
    expect(codes(await settleAt(desk, urumqi, urumqiCard, { inScopeAmount: '10.00', idempotencyKey: key }))).toEqual([
      'IDEMPOTENCY_CONFLICT',
    ]);
    expect([await balanceOf(fuzhou), await balanceOf(urumqi)]).toEqual(['90.00', '100.00']);
    // The first patient's retry still gets his settlement.
    expect((await settleAt(desk, fuzhou, fuzhouCard, { inScopeAmount: '10.00', idempotencyKey: key })).data.settle.id).toBe(
      first.data.settle.id,
    );
  });

  test('under concurrency: requests for two patients in two provinces with one key make one settlement', async () => {
    const fuzhou = await employee('350100', '100.00');
    const urumqi = await employee('650100', '100.00');
    const [fuzhouCard, urumqiCard] = [await issueCard(fuzhou), await issueCard(urumqi)];
    const desk = await counter();
    const key = uniqueKey('txn');
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        index % 2 === 0
          ? settleAt(desk, fuzhou, fuzhouCard, { inScopeAmount: '10.00', idempotencyKey: key })
          : settleAt(desk, urumqi, urumqiCard, { inScopeAmount: '10.00', idempotencyKey: key }),
      ),
    );
    const settled = results.filter((result) => result.data?.settle);
    expect(new Set(settled.map((result) => result.data.settle.id)).size).toBe(1);
    const winner = settled[0].data.settle.patient.id;
    expect(results.filter((result) => !result.data?.settle).flatMap(codes)).toEqual(Array(6).fill('IDEMPOTENCY_CONFLICT'));
    expect(settled).toHaveLength(6);
    expect([await balanceOf(fuzhou), await balanceOf(urumqi)]).toEqual(winner === fuzhou ? ['90.00', '100.00'] : ['100.00', '90.00']);
  });

  test('a refund key is one refund of its institution: used for another settlement it is IDEMPOTENCY_CONFLICT', async () => {
    const fuzhou = await employee('350100', '100.00');
    const urumqi = await employee('650100', '100.00');
    const [fuzhouCard, urumqiCard] = [await issueCard(fuzhou), await issueCard(urumqi)];
    const desk = await counter();
    const a = (await settleAt(desk, fuzhou, fuzhouCard, { inScopeAmount: '10.00' })).data.settle;
    const b = (await settleAt(desk, urumqi, urumqiCard, { inScopeAmount: '20.00' })).data.settle;
    const key = uniqueKey('refund');
    expect((await gql(REFUND, { id: a.id, key }, { token: desk.token, credential: fuzhouCard })).data.refundSettlement.status).toBe(
      'REFUNDED',
    );
    expect(codes(await gql(REFUND, { id: b.id, key }, { token: desk.token, credential: urumqiCard }))).toEqual(['IDEMPOTENCY_CONFLICT']);
    expect([await balanceOf(fuzhou), await balanceOf(urumqi)]).toEqual(['100.00', '80.00']);
  });
});

describe('refunds out of order never let the fund pay more than its rule (item 5)', () => {
  test('deductible 200.00 at 50 %: A 200.00 then B 1000.00; refunding A first is refused naming B; B then A works', async () => {
    const patient = await employee('430700', '2000.00');
    const card = await issueCard(patient);
    const desk = await counter();
    const a = (await settleAt(desk, patient, card, { purpose: 'OUTPATIENT', inScopeAmount: '200.00' })).data.settle;
    const b = (await settleAt(desk, patient, card, { purpose: 'OUTPATIENT', inScopeAmount: '1000.00' })).data.settle;
    expect([a.fundPaid, b.fundPaid]).toEqual(['0.00', '500.00']);
    expect(await balanceOf(patient)).toBe('1300.00');

    const refused = await gql(REFUND, { id: a.id, key: uniqueKey('refund') }, { token: desk.token, credential: card });
    expect(codes(refused)).toEqual(['INVALID_STATE']);
    expect(refused.errors?.[0].message).toContain(b.id);
    expect(await balanceOf(patient)).toBe('1300.00');
    // The bureau is held to the same rule.
    expect(
      codes(
        await gql(
          ADMIN_REFUND,
          { id: a.id, key: uniqueKey('refund'), reason: '患者遗失医保卡' },
          { token: await token({ role: 'ADMIN' }) },
        ),
      ),
    ).toEqual(['INVALID_STATE']);

    expect(
      (await gql(REFUND, { id: b.id, key: uniqueKey('refund') }, { token: desk.token, credential: card })).data.refundSettlement.status,
    ).toBe('REFUNDED');
    expect(await balanceOf(patient)).toBe('1800.00');
    expect(
      (await gql(REFUND, { id: a.id, key: uniqueKey('refund') }, { token: desk.token, credential: card })).data.refundSettlement.status,
    ).toBe('REFUNDED');
    expect(await balanceOf(patient)).toBe('2000.00');
    // Both refunded: the year's deductible is whole again, charged once by the next bill.
    const c = (await settleAt(desk, patient, card, { purpose: 'OUTPATIENT', inScopeAmount: '1000.00' })).data.settle;
    expect(c).toMatchObject({ fundPaid: '400.00', ownAccountPaid: '600.00' });
    expect(await balanceOf(patient)).toBe('1400.00');
  });

  test('a refund that changes no later settlement goes through in any order (no fund share: PHARMACY)', async () => {
    const patient = await employee('430700', '100.00');
    const card = await issueCard(patient);
    const desk = await counter();
    const a = (await settleAt(desk, patient, card, { inScopeAmount: '30.00' })).data.settle;
    await settleAt(desk, patient, card, { inScopeAmount: '20.00' });
    expect(
      (await gql(REFUND, { id: a.id, key: uniqueKey('refund') }, { token: desk.token, credential: card })).data.refundSettlement.status,
    ).toBe('REFUNDED');
    expect(await balanceOf(patient)).toBe('80.00');
  });
});

describe('adminRefundSettlement: a refund without the card (item 3)', () => {
  test("an ADMIN of the patient's region refunds every fen with a reason, audited; idempotent by key", async () => {
    const authorizer = await employee('350100', '2500.00');
    const child = await register('350100', 'RESIDENT');
    await activeBinding(authorizer, child);
    const desk = await counter();
    const settled = (await settleAt(desk, child, await issueCard(child), { inScopeAmount: '300.00' })).data.settle;
    expect(await balanceOf(authorizer)).toBe('2200.00');

    const key = uniqueKey('admin-refund');
    const reason = '患者医保卡遗失，家属持死亡证明申请退费 / card lost';
    const forbidden = [await token({ role: 'ADMIN', region: '650100' }), desk.token, await token({ role: 'INSURED', personId: child })];
    for (const caller of forbidden)
      expect(codes(await gql(ADMIN_REFUND, { id: settled.id, key, reason }, { token: caller }))).toEqual(['FORBIDDEN']);
    const admin = await token({ role: 'ADMIN', region: '350100', sub: 'refund-officer' });
    for (const bad of ['', '   ', 'x'.repeat(201), '退费\u0007', 'line\nbreak']) {
      expect(codes(await gql(ADMIN_REFUND, { id: settled.id, key, reason: bad }, { token: admin }))).toEqual(['BAD_USER_INPUT']);
    }
    expect(await balanceOf(authorizer)).toBe('2200.00');

    const refunded = await gql(ADMIN_REFUND, { id: settled.id, key, reason }, { token: admin });
    expect(refunded.errors).toBeUndefined();
    expect(refunded.data.adminRefundSettlement).toMatchObject({ id: settled.id, status: 'REFUNDED', mutualAidPaid: '300.00' });
    expect(await balanceOf(authorizer)).toBe('2500.00');
    expect((await gql(ADMIN_REFUND, { id: settled.id, key, reason }, { token: admin })).data.adminRefundSettlement.status).toBe('REFUNDED');
    expect(codes(await gql(ADMIN_REFUND, { id: settled.id, key: uniqueKey('admin-refund'), reason }, { token: admin }))).toEqual([
      'INVALID_STATE',
    ]);
    expect(
      codes(await gql(REFUND, { id: settled.id, key: uniqueKey('refund') }, { token: desk.token, credential: await issueCard(child) })),
    ).toEqual(['INVALID_STATE']);
    expect(await balanceOf(authorizer)).toBe('2500.00');
    expect((await entriesOf(authorizer)).map((entry) => `${entry.kind} ${entry.amount}`)).toEqual([
      'REFUND 300.00',
      'MUTUAL_AID_PAYMENT -300.00',
      'CREDIT 2500.00',
    ]);

    const settlements = await database('settlements', '35');
    try {
      const [rows] = await settlements.query('SELECT refund_kind, refund_actor, refund_reason, refunded_at FROM settlements WHERE id = ?', [
        settled.id,
      ]);
      const [row] = rows as Array<Record<string, unknown>>;
      expect(row).toMatchObject({ refund_kind: 'ADMIN', refund_actor: 'ADMIN refund-officer', refund_reason: reason });
      expect(row.refunded_at).toBeInstanceOf(Date);
    } finally {
      await settlements.end();
    }
  });

  test('an unknown settlement is NOT_FOUND', async () => {
    expect(
      codes(
        await gql(
          ADMIN_REFUND,
          { id: '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P', key: uniqueKey(), reason: '测试' },
          { token: await token({ role: 'ADMIN' }) },
        ),
      ),
    ).toEqual(['NOT_FOUND']);
  });
});

describe("a relative's money pays only what both regions allow (item 8)", () => {
  test('a Fuzhou parent pays no VACCINE for an Urumqi child: 650100 does not allow it; the step says so', async () => {
    const parent = await employee('350100', '2500.00');
    const child = await register('650100', 'RESIDENT');
    await activeBinding(parent, child, 'CHILD');
    const desk = await counter();
    const card = await issueCard(child);
    const quote = await gql(
      'query($input: SettleInput!) { quoteSettlement(input: $input) { mutualAidPaid cashPaid } }',
      { input: settleInputFor(desk.institutionId, child, { purpose: 'VACCINE', inScopeAmount: '100.00' }) },
      { token: desk.token, credential: card },
    );
    expect(quote.data.quoteSettlement).toEqual({ mutualAidPaid: '0.00', cashPaid: '100.00' });
    const settled = (await settleAt(desk, child, card, { purpose: 'VACCINE', inScopeAmount: '100.00' })).data.settle;
    expect(settled).toMatchObject({ mutualAidPaid: '0.00', cashPaid: '100.00' });
    const steps = (await gql(STEPS, { id: settled.id }, { token: desk.token })).data.settlement.steps;
    expect(steps.find((step: { source: string }) => step.source === 'MUTUAL_AID').note).toContain('Purpose VACCINE not allowed in 650100');
    expect(await balanceOf(parent)).toBe('2500.00');
    // The same parent still pays what both regions allow.
    expect((await settleAt(desk, child, card, { purpose: 'PHARMACY', inScopeAmount: '100.00' })).data.settle.mutualAidPaid).toBe('100.00');
    expect(await balanceOf(parent)).toBe('2400.00');
  });
});

describe('a binding revoked between the plan and the debit pays nothing (item 9)', () => {
  test('the binding is re-checked when the money moves; its step becomes cash and says why', async () => {
    const authorizer = await employee('430700', '500.00');
    const patient = await register('430700', 'RESIDENT');
    const binding = await activeBinding(authorizer, patient);
    const desk = await counter();
    const card = await issueCard(patient);
    // Hold the patient's fund-use row: the settle plans (binding ACTIVE), then waits to write its intent.
    const blocker = await database('settlements', '43');
    const watcher = await database('settlements', '43');
    try {
      await blocker.query(
        'INSERT INTO fund_usage (patient_id, fund_year, purpose, deductible_used_fen, fund_paid_fen) VALUES (?, ?, ?, 0, 0)',
        [patient, chinaYear(new Date()), 'PHARMACY'],
      );
      await blocker.query('START TRANSACTION');
      await blocker.query('SELECT * FROM fund_usage WHERE patient_id = ? FOR UPDATE', [patient]);
      const pending = settleAt(desk, patient, card, { inScopeAmount: '80.00' });
      await waitForStatement(watcher, '%fund_usage%', patient);
      expect(
        (
          await gql(
            'mutation($id: ID!) { revokeFamilyBinding(id: $id) { status } }',
            { id: binding },
            { token: await token({ role: 'ADMIN' }) },
          )
        ).data.revokeFamilyBinding.status,
      ).toBe('REVOKED');
      await blocker.query('COMMIT');
      const settled = (await pending).data.settle;
      expect(settled).toMatchObject({ mutualAidPaid: '0.00', cashPaid: '80.00', mutualAidPayments: [] });
      const steps = (await gql(STEPS, { id: settled.id }, { token: desk.token })).data.settlement.steps;
      expect(steps.find((step: { source: string }) => step.source === 'MUTUAL_AID').note).toMatch(/binding was revoked before the payment/);
      expect(await balanceOf(authorizer)).toBe('500.00');
    } finally {
      await blocker.end();
      await watcher.end();
    }
  });
});

describe('voidSettlement (冲正, item 2)', () => {
  test('a key that settled is refunded in full; voiding again answers the same and moves nothing', async () => {
    const authorizer = await employee('430700', '500.00');
    const patient = await employee('430700', '50.00');
    await activeBinding(authorizer, patient, 'SPOUSE');
    const card = await issueCard(patient);
    const desk = await counter();
    const key = uniqueKey('txn');
    const settled = (await settleAt(desk, patient, card, { inScopeAmount: '120.00', idempotencyKey: key })).data.settle;
    expect(settled).toMatchObject({ ownAccountPaid: '50.00', mutualAidPaid: '70.00' });
    expect([await balanceOf(patient), await balanceOf(authorizer)]).toEqual(['0.00', '430.00']);

    const voided = await voidAt(desk, patient, card, key);
    expect(voided.errors).toBeUndefined();
    expect(voided.data.voidSettlement).toMatchObject({
      outcome: 'REFUNDED',
      settlement: { id: settled.id, status: 'REFUNDED', mutualAidPaid: '70.00' },
    });
    expect([await balanceOf(patient), await balanceOf(authorizer)]).toEqual(['50.00', '500.00']);
    const again = await voidAt(desk, patient, card, key);
    expect(again.data.voidSettlement).toMatchObject({ outcome: 'REFUNDED', settlement: { id: settled.id } });
    expect([await balanceOf(patient), await balanceOf(authorizer)]).toEqual(['50.00', '500.00']);
    expect((await entriesOf(authorizer)).map((entry) => entry.kind)).toEqual(['REFUND', 'MUTUAL_AID_PAYMENT', 'CREDIT']);
    // A retry of the settle answers the refunded settlement; a refund is INVALID_STATE.
    expect((await settleAt(desk, patient, card, { inScopeAmount: '120.00', idempotencyKey: key })).data.settle).toMatchObject({
      id: settled.id,
      status: 'REFUNDED',
    });
    expect(codes(await gql(REFUND, { id: settled.id, key: uniqueKey('refund') }, { token: desk.token, credential: card }))).toEqual([
      'INVALID_STATE',
    ]);
  });

  test('a key never settled is spent: a late settle with it is INVALID_STATE and moves nothing', async () => {
    const patient = await employee('650100', '100.00');
    const card = await issueCard(patient);
    const desk = await counter();
    const key = uniqueKey('txn');
    expect((await voidAt(desk, patient, card, key)).data.voidSettlement).toEqual({ outcome: 'KEY_VOIDED', settlement: null });
    const late = await settleAt(desk, patient, card, { inScopeAmount: '10.00', idempotencyKey: key });
    expect(codes(late)).toEqual(['INVALID_STATE']);
    expect(late.errors?.[0].message).toMatch(/冲正.*voided/);
    expect(codes(await settleAt(desk, patient, card, { inScopeAmount: '99.00', idempotencyKey: key }))).toEqual(['INVALID_STATE']);
    expect((await voidAt(desk, patient, card, key)).data.voidSettlement).toEqual({ outcome: 'KEY_VOIDED', settlement: null });
    expect(await balanceOf(patient)).toBe('100.00');
    // The same key at another institution is another transaction.
    expect(
      (await settleAt(await counter(), patient, card, { inScopeAmount: '10.00', idempotencyKey: key })).data.settle.ownAccountPaid,
    ).toBe('10.00');
    expect(await balanceOf(patient)).toBe('90.00');
  });

  test("only the counter of the institution, with the patient's own card, for the key's own patient", async () => {
    const patient = await employee('430700', '100.00');
    const other = await employee('430700', '100.00');
    const card = await issueCard(patient);
    const desk = await counter();
    const key = uniqueKey('txn');
    await settleAt(desk, patient, card, { inScopeAmount: '10.00', idempotencyKey: key });
    expect(codes(await voidAt(desk, patient, undefined, key))).toEqual(['CREDENTIAL_REQUIRED']);
    expect(codes(await voidAt(desk, patient, await issueCard(other), key))).toEqual(['CREDENTIAL_MISMATCH']);
    expect(
      codes(
        await gql(
          VOID,
          { input: { institutionId: desk.institutionId, idempotencyKey: key, patientId: patient } },
          { token: (await counter()).token, credential: card },
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(
      codes(
        await gql(
          VOID,
          { input: { institutionId: desk.institutionId, idempotencyKey: key, patientId: patient } },
          { token: await token({ role: 'ADMIN' }), credential: card },
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    // Another patient's card cannot undo this patient's settlement by naming its key.
    expect(codes(await voidAt(desk, other, await issueCard(other), key))).toEqual(['IDEMPOTENCY_CONFLICT']);
    expect([await balanceOf(patient), await balanceOf(other)]).toEqual(['90.00', '100.00']);
  });

  test('voids racing settles of the same key end with every fen back, whichever came first', async () => {
    const authorizer = await employee('350100', '2600.00');
    const patient = await register('650100', 'RESIDENT');
    await activeBinding(authorizer, patient, 'CHILD');
    const card = await issueCard(patient);
    const desk = await counter();
    for (let round = 0; round < 6; round += 1) {
      const key = uniqueKey('race');
      const results = await Promise.all([
        settleAt(desk, patient, card, { inScopeAmount: '40.00', idempotencyKey: key }),
        voidAt(desk, patient, card, key),
        settleAt(desk, patient, card, { inScopeAmount: '40.00', idempotencyKey: key }),
        voidAt(desk, patient, card, key),
      ]);
      const outcomes = [results[1], results[3]].map((result) => result.data?.voidSettlement?.outcome);
      expect(['KEY_VOIDED', 'REFUNDED']).toContain(outcomes[0]);
      expect(outcomes[1]).toBe(outcomes[0]);
      for (const settle of [results[0], results[2]]) {
        if (settle.data?.settle) expect(outcomes[0]).toBe('REFUNDED');
        else expect(codes(settle)).toEqual(['INVALID_STATE']);
      }
      expect(await balanceOf(authorizer)).toBe('2600.00');
    }
  });
});

describe("the ledger's 冲正 by key (internal API)", () => {
  const request = (accountId: string, idempotencyKey: string, amountFen: number) => ({
    scope: 'settlement',
    idempotencyKey,
    reference: `S-${idempotencyKey}`,
    amountFen,
    mode: 'UP_TO',
    purpose: 'PHARMACY',
    steps: [{ accountId, floorFen: 0, kind: 'OWN_ACCOUNT_PAYMENT' }],
  });
  const voidKey = (accountId: string, idempotencyKey: string) =>
    internal('/internal/ledger/void-key', { scope: 'settlement', idempotencyKey, accountId, reference: `S-${idempotencyKey}` });
  const state = async (accountId: string) => {
    const connection = await database('accounts', '65');
    try {
      const [rows] = await connection.query('SELECT balance_fen, held_fen FROM personal_accounts WHERE person_id = ?', [accountId]);
      const row = (rows as Array<{ balance_fen: string; held_fen: string }>)[0];
      return [Number(row.balance_fen), Number(row.held_fen)];
    } finally {
      await connection.end();
    }
  };

  test('a debit made under the key is reversed once; a key voided first makes a later debit or hold move nothing', async () => {
    const account = await register('650100');
    await credit(account, '100.00');
    const key = uniqueKey('led');
    expect((await internal('/internal/ledger/debit', request(account, key, 3000))).result.paidFen).toBe(3000);
    expect((await voidKey(account, key)).result).toEqual({ returnedFen: 3000 });
    expect((await voidKey(account, key)).result).toEqual({ returnedFen: 3000 });
    expect(await state(account)).toEqual([10000, 0]);

    const unused = uniqueKey('led');
    expect((await voidKey(account, unused)).result).toEqual({ returnedFen: 0 });
    expect((await internal('/internal/ledger/debit', request(account, unused, 3000))).error?.code).toBe('INVALID_STATE');
    expect((await internal('/internal/ledger/hold', { ...request(account, unused, 3000), timeoutMs: 60_000 })).error?.code).toBe(
      'INVALID_STATE',
    );
    expect(await state(account)).toEqual([10000, 0]);
  });

  test('a pending hold under the key is released; a posted one is reversed', async () => {
    const account = await register('650100');
    await credit(account, '100.00');
    const pending = uniqueKey('led');
    const held = (await internal('/internal/ledger/hold', { ...request(account, pending, 2000), timeoutMs: 60_000 })).result;
    expect(await state(account)).toEqual([10000, 2000]);
    expect((await voidKey(account, pending)).result).toEqual({ returnedFen: 0 });
    expect(await state(account)).toEqual([10000, 0]);
    expect((await internal('/internal/ledger/post', { holdId: held.holdId })).error?.code).toBe('INVALID_STATE');

    const posted = uniqueKey('led');
    const hold = (await internal('/internal/ledger/hold', { ...request(account, posted, 2500), timeoutMs: 60_000 })).result;
    await internal('/internal/ledger/post', { holdId: hold.holdId });
    expect(await state(account)).toEqual([7500, 0]);
    expect((await voidKey(account, posted)).result).toEqual({ returnedFen: 2500 });
    expect(await state(account)).toEqual([10000, 0]);
  });
});
