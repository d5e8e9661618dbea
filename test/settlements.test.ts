import { accountsUrl, codes, gatewayUrl, gql, metricSum, register, settlementsUrl, token, uniqueKey } from './client';
import { activeBinding, balanceOf, counter, employee, issueCard, REFUND, registerProduct, settleAt, settleInputFor } from './counter';

describe('the worked examples', () => {
  test('350100: authorizer with 2500.00, resident beneficiary buys 800.00 at a pharmacy: 500.00 mutual aid, 300.00 cash, 2000.00 left', async () => {
    const authorizer = await employee('350100', '2500.00');
    const child = await register('350100', 'RESIDENT');
    const binding = await activeBinding(authorizer, child);
    const desk = await counter();
    const result = await settleAt(desk, child, await issueCard(child), { purpose: 'PHARMACY', inScopeAmount: '800.00' });
    expect(result.errors).toBeUndefined();
    expect(result.data.settle).toMatchObject({
      status: 'SETTLED',
      totalAmount: '800.00',
      fundPaid: '0.00',
      ownAccountPaid: '0.00',
      mutualAidPaid: '500.00',
      cashPaid: '300.00',
      refundedAt: null,
      patient: { id: child },
      mutualAidPayments: [{ amount: '500.00', authorizer: { id: authorizer }, binding: { id: binding } }],
    });
    expect(result.data.settle.id).toMatch(/^350100-/);
    expect(await balanceOf(authorizer)).toBe('2000.00');

    const ledger = await gql(
      'query($id: ID!) { person(id: $id) { personalAccount { entries(first: 1) { nodes { amount balanceAfter kind reference beneficiary { id name } } } } } }',
      { id: authorizer },
      { token: await token({ role: 'INSURED', personId: authorizer }) },
    );
    expect(ledger.data.person.personalAccount.entries.nodes[0]).toEqual({
      amount: '-500.00',
      balanceAfter: '2000.00',
      kind: 'MUTUAL_AID_PAYMENT',
      reference: result.data.settle.id,
      beneficiary: { id: child, name: '测试人' },
    });
  });

  test('532300 pays 100.00 out-of-catalogue at a pharmacy from family funds; 430700 leaves it to cash', async () => {
    for (const [region, mutual, cash] of [
      ['532300', '100.00', '0.00'],
      ['430700', '0.00', '100.00'],
    ]) {
      const authorizer = await employee(region, '500.00');
      const parent = await register(region, 'RESIDENT');
      await activeBinding(authorizer, parent, 'PARENT');
      const result = await settleAt(await counter(), parent, await issueCard(parent), { purpose: 'PHARMACY', outOfScopeAmount: '100.00' });
      expect([region, result.data.settle.mutualAidPaid, result.data.settle.cashPaid]).toEqual([region, mutual, cash]);
      expect(await balanceOf(authorizer)).toBe(region === '532300' ? '400.00' : '500.00');
    }
  });

  test('two authorizers: the older binding pays first, the second covers the rest', async () => {
    const older = await employee('430700', '300.00');
    const newer = await employee('430700', '900.00');
    const patient = await register('430700', 'RESIDENT');
    const first = await activeBinding(older, patient, 'CHILD');
    const second = await activeBinding(newer, patient, 'SIBLING');
    const result = await settleAt(await counter(), patient, await issueCard(patient), { purpose: 'OUTPATIENT', inScopeAmount: '500.00' });
    // RESIDENT OUTPATIENT: no deductible, 50 %: the fund pays 250.00 of 500.00.
    expect(result.data.settle).toMatchObject({ fundPaid: '250.00', mutualAidPaid: '250.00', cashPaid: '0.00' });
    expect(result.data.settle.mutualAidPayments).toEqual([{ amount: '250.00', authorizer: { id: older }, binding: { id: first } }]);
    const bigger = await settleAt(await counter(), patient, await issueCard(patient), { purpose: 'PHARMACY', inScopeAmount: '400.00' });
    expect(bigger.data.settle.mutualAidPayments).toEqual([
      { amount: '50.00', authorizer: { id: older }, binding: { id: first } },
      { amount: '350.00', authorizer: { id: newer }, binding: { id: second } },
    ]);
    expect([await balanceOf(older), await balanceOf(newer)]).toEqual(['0.00', '550.00']);
  });

  test('a revoked binding, or an authorizer no longer ACTIVE, pays nothing', async () => {
    const revoked = await employee('532300', '500.00');
    const suspended = await employee('532300', '500.00');
    const patient = await register('532300', 'RESIDENT');
    const revokedBinding = await activeBinding(revoked, patient, 'PARENT');
    await activeBinding(suspended, patient, 'CHILD');
    const admin = await token({ role: 'ADMIN' });
    await gql('mutation($id: ID!) { revokeFamilyBinding(id: $id) { status } }', { id: revokedBinding }, { token: admin });
    await gql(
      'mutation($id: ID!) { setEnrollmentStatus(personId: $id, status: SUSPENDED) { status } }',
      { id: suspended },
      { token: admin },
    );
    const result = await settleAt(await counter(), patient, await issueCard(patient), { inScopeAmount: '60.00' });
    expect(result.data.settle).toMatchObject({ mutualAidPaid: '0.00', cashPaid: '60.00', mutualAidPayments: [] });
    expect([await balanceOf(revoked), await balanceOf(suspended)]).toEqual(['500.00', '500.00']);
  });
});

describe('the rest of the waterfall through the gateway', () => {
  test("the fund share follows the pooling rule and tracks the year's deductible; own account pays next", async () => {
    const patient = await employee('430100', '1000.00');
    const card = await issueCard(patient);
    const desk = await counter();
    // EMPLOYEE OUTPATIENT: 200.00 deductible, 50 %: (500 - 200) * 50 % = 150.00.
    const first = await settleAt(desk, patient, card, { purpose: 'OUTPATIENT', inScopeAmount: '500.00' });
    expect(first.data.settle).toMatchObject({ fundPaid: '150.00', ownAccountPaid: '350.00', cashPaid: '0.00' });
    const second = await settleAt(desk, patient, card, { purpose: 'OUTPATIENT', inScopeAmount: '100.00' });
    expect(second.data.settle).toMatchObject({ fundPaid: '50.00', ownAccountPaid: '50.00' });
    expect(await balanceOf(patient)).toBe('600.00');
  });

  test('useMutualAid: false declines family funds', async () => {
    const authorizer = await employee('650100', '800.00');
    const patient = await register('650100', 'RESIDENT');
    await activeBinding(authorizer, patient, 'SPOUSE');
    const result = await settleAt(await counter(), patient, await issueCard(patient), { inScopeAmount: '80.00', useMutualAid: false });
    expect(result.data.settle).toMatchObject({ mutualAidPaid: '0.00', cashPaid: '80.00' });
    expect(await balanceOf(authorizer)).toBe('800.00');
  });

  test("a purpose the authorizer's region does not allow is paid in cash (VACCINE in 430700), allowed in 350100", async () => {
    const changde = await employee('430700', '800.00');
    const changdePatient = await register('430700', 'RESIDENT');
    await activeBinding(changde, changdePatient);
    expect(
      (await settleAt(await counter(), changdePatient, await issueCard(changdePatient), { purpose: 'VACCINE', inScopeAmount: '200.00' }))
        .data.settle.mutualAidPaid,
    ).toBe('0.00');
    const fuzhou = await employee('350100', '2800.00');
    const fuzhouPatient = await register('350100', 'RESIDENT');
    await activeBinding(fuzhou, fuzhouPatient);
    expect(
      (await settleAt(await counter(), fuzhouPatient, await issueCard(fuzhouPatient), { purpose: 'VACCINE', inScopeAmount: '200.00' })).data
        .settle.mutualAidPaid,
    ).toBe('200.00');
  });

  test('refuses a premium purpose, a zero bill, a malformed amount, an inactive patient', async () => {
    const patient = await employee('430700', '10.00');
    const card = await issueCard(patient);
    const desk = await counter();
    expect(codes(await settleAt(desk, patient, card, { purpose: 'RESIDENT_PREMIUM', inScopeAmount: '10.00' }))).toEqual([
      'PURPOSE_NOT_ALLOWED',
    ]);
    expect(codes(await settleAt(desk, patient, card, { inScopeAmount: '0.00' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await settleAt(desk, patient, card, { inScopeAmount: '-5.00' }))).toEqual(['BAD_USER_INPUT']);
    await gql(
      'mutation($id: ID!) { setEnrollmentStatus(personId: $id, status: SUSPENDED) { status } }',
      { id: patient },
      { token: await token({ role: 'ADMIN' }) },
    );
    expect(codes(await settleAt(desk, patient, card, { inScopeAmount: '5.00' }))).toEqual(['NOT_INSURED']);
    expect(await balanceOf(patient)).toBe('10.00');
  });
});

describe('idempotency', () => {
  test('a retry returns the same settlement; other content under the key is IDEMPOTENCY_CONFLICT; keys are per institution', async () => {
    const patient = await employee('532300', '100.00');
    const card = await issueCard(patient);
    const desk = await counter();
    const key = uniqueKey('txn');
    const first = await settleAt(desk, patient, card, { inScopeAmount: '30.00', idempotencyKey: key });
    const retry = await settleAt(desk, patient, card, { inScopeAmount: '30.00', idempotencyKey: key });
    expect(retry.data.settle).toEqual(first.data.settle);
    expect(codes(await settleAt(desk, patient, card, { inScopeAmount: '31.00', idempotencyKey: key }))).toEqual(['IDEMPOTENCY_CONFLICT']);
    const elsewhere = await settleAt(await counter(), patient, card, { inScopeAmount: '30.00', idempotencyKey: key });
    expect(elsewhere.data.settle.id).not.toBe(first.data.settle.id);
    expect(await balanceOf(patient)).toBe('40.00');
  });

  test('20 concurrent retries produce one settlement and one set of ledger entries', async () => {
    const authorizer = await employee('430700', '1000.00');
    const patient = await register('430700', 'RESIDENT');
    await activeBinding(authorizer, patient);
    const card = await issueCard(patient);
    const desk = await counter();
    const key = uniqueKey('txn');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => settleAt(desk, patient, card, { inScopeAmount: '120.00', idempotencyKey: key })),
    );
    expect(results.flatMap(codes)).toEqual([]);
    expect(new Set(results.map((result) => result.data.settle.id)).size).toBe(1);
    expect(await balanceOf(authorizer)).toBe('880.00');
    const entries = await gql(
      'query($id: ID!) { person(id: $id) { personalAccount { entries(first: 10) { nodes { kind amount } } } } }',
      { id: authorizer },
      { token: await token({ role: 'ADMIN' }) },
    );
    expect(entries.data.person.personalAccount.entries.nodes).toEqual([
      { kind: 'MUTUAL_AID_PAYMENT', amount: '-120.00' },
      { kind: 'CREDIT', amount: '1000.00' },
    ]);
  });
});

test('50 concurrent settlements drawing on one Fuzhou authorizer take exactly what was shareable and never cross the floor', async () => {
  const authorizer = await employee('350100', '2500.00');
  const patient = await register('350100', 'RESIDENT');
  await activeBinding(authorizer, patient);
  const card = await issueCard(patient);
  const desk = await counter();
  const results = await Promise.all(Array.from({ length: 50 }, () => settleAt(desk, patient, card, { inScopeAmount: '30.00' })));
  expect(results.flatMap(codes)).toEqual([]);
  const shared = results.reduce((sum, result) => sum + Math.round(Number(result.data.settle.mutualAidPaid) * 100), 0);
  const cash = results.reduce((sum, result) => sum + Math.round(Number(result.data.settle.cashPaid) * 100), 0);
  expect(shared).toBe(50000);
  expect(shared + cash).toBe(50 * 3000);
  expect(await balanceOf(authorizer)).toBe('2000.00');
});

describe('refunds', () => {
  test('return every fen to the account it came from, restore the fund counters, and are idempotent', async () => {
    const patient = await employee('650100', '100.00');
    const authorizer = await employee('650100', '300.00');
    await activeBinding(authorizer, patient, 'SPOUSE');
    const card = await issueCard(patient);
    const desk = await counter();
    const settled = (await settleAt(desk, patient, card, { purpose: 'OUTPATIENT', inScopeAmount: '600.00' })).data.settle;
    // (600 - 200) * 50 % = 200.00 fund; own 100.00; spouse 300.00.
    expect(settled).toMatchObject({ fundPaid: '200.00', ownAccountPaid: '100.00', mutualAidPaid: '300.00', cashPaid: '0.00' });
    expect([await balanceOf(patient), await balanceOf(authorizer)]).toEqual(['0.00', '0.00']);

    const key = uniqueKey('refund');
    const refunded = await gql(REFUND, { id: settled.id, key }, { token: desk.token, credential: card });
    expect(refunded.data.refundSettlement).toMatchObject({ id: settled.id, status: 'REFUNDED', mutualAidPaid: '300.00' });
    expect(refunded.data.refundSettlement.refundedAt).not.toBeNull();
    expect([await balanceOf(patient), await balanceOf(authorizer)]).toEqual(['100.00', '300.00']);
    expect((await gql(REFUND, { id: settled.id, key }, { token: desk.token, credential: card })).data.refundSettlement.status).toBe(
      'REFUNDED',
    );
    expect(codes(await gql(REFUND, { id: settled.id, key: uniqueKey('refund') }, { token: desk.token, credential: card }))).toEqual([
      'INVALID_STATE',
    ]);
    expect([await balanceOf(patient), await balanceOf(authorizer)]).toEqual(['100.00', '300.00']);

    // The fund counters are back: the same bill gets the deductible again.
    const again = (await settleAt(desk, patient, card, { purpose: 'OUTPATIENT', inScopeAmount: '600.00' })).data.settle;
    expect(again.fundPaid).toBe('200.00');
  });

  test('concurrent refunds under different keys return the money once', async () => {
    const patient = await employee('532300', '100.00');
    const card = await issueCard(patient);
    const desk = await counter();
    const settled = (await settleAt(desk, patient, card, { inScopeAmount: '70.00' })).data.settle;
    const results = await Promise.all(
      Array.from({ length: 8 }, () => gql(REFUND, { id: settled.id, key: uniqueKey('refund') }, { token: desk.token, credential: card })),
    );
    expect(results.filter((result) => result.data?.refundSettlement).length).toBe(1);
    expect(results.flatMap(codes)).toEqual(Array(7).fill('INVALID_STATE'));
    expect(await balanceOf(patient)).toBe('100.00');
  });

  test("only the counter of the institution, with the patient's card", async () => {
    const patient = await employee('430700', '100.00');
    const card = await issueCard(patient);
    const desk = await counter();
    const settled = (await settleAt(desk, patient, card, { inScopeAmount: '10.00' })).data.settle;
    const other = await counter();
    expect(codes(await gql(REFUND, { id: settled.id, key: uniqueKey() }, { token: other.token, credential: card }))).toEqual(['FORBIDDEN']);
    expect(
      codes(
        await gql(
          REFUND,
          { id: settled.id, key: uniqueKey() },
          { token: desk.token, credential: await issueCard(await register('430700')) },
        ),
      ),
    ).toEqual(['CREDENTIAL_MISMATCH']);
    expect(
      codes(await gql(REFUND, { id: settled.id, key: uniqueKey() }, { token: await token({ role: 'ADMIN' }), credential: card })),
    ).toEqual(['FORBIDDEN']);
    expect(
      codes(await gql(REFUND, { id: '430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P', key: uniqueKey() }, { token: desk.token, credential: card })),
    ).toEqual(['NOT_FOUND']);
    expect(await balanceOf(patient)).toBe('90.00');
  });
});

describe("the patient's own card and the counter's institution", () => {
  test("no card, another person's card, or another institution moves no money", async () => {
    const authorizer = await employee('430700', '500.00');
    const patient = await register('430700', 'RESIDENT');
    await activeBinding(authorizer, patient);
    const desk = await counter();
    const relativesCard = await issueCard(authorizer);
    expect(codes(await settleAt(desk, patient, undefined, { inScopeAmount: '50.00' }))).toEqual(['CREDENTIAL_REQUIRED']);
    expect(codes(await settleAt(desk, patient, relativesCard, { inScopeAmount: '50.00' }))).toEqual(['CREDENTIAL_MISMATCH']);
    const wrongInstitution = await gql(
      'mutation($input: SettleInput!) { settle(input: $input) { id } }',
      { input: settleInputFor('SOMEONE-ELSE', patient, { inScopeAmount: '50.00' }) },
      { token: desk.token, credential: await issueCard(patient) },
    );
    expect(codes(wrongInstitution)).toEqual(['FORBIDDEN']);
    for (const caller of [await token({ role: 'ADMIN' }), await token({ role: 'INSURED', personId: patient })]) {
      expect(
        codes(
          await gql(
            'mutation($input: SettleInput!) { settle(input: $input) { id } }',
            { input: settleInputFor(desk.institutionId, patient, { inScopeAmount: '50.00' }) },
            { token: caller, credential: await issueCard(patient) },
          ),
        ),
      ).toEqual(['FORBIDDEN']);
    }
    expect(await balanceOf(authorizer)).toBe('500.00');
  });
});

describe('readers', () => {
  test('the counter reads its own settlements, the patient and the paying authorizer theirs; others nothing', async () => {
    const authorizer = await employee('532300', '500.00');
    const patient = await register('532300', 'RESIDENT');
    await activeBinding(authorizer, patient, 'PARENT');
    const desk = await counter();
    const settled = (await settleAt(desk, patient, await issueCard(patient), { inScopeAmount: '40.00' })).data.settle;
    const READ = 'query($id: ID!) { settlement(id: $id) { id mutualAidPaid mutualAidPayments { amount binding { relationship } } } }';
    expect((await gql(READ, { id: settled.id }, { token: desk.token })).data.settlement).toEqual({
      id: settled.id,
      mutualAidPaid: '40.00',
      mutualAidPayments: [{ amount: '40.00', binding: { relationship: 'PARENT' } }],
    });
    expect((await gql(READ, { id: settled.id }, { token: await token({ role: 'INSURED', personId: patient }) })).data.settlement.id).toBe(
      settled.id,
    );
    expect(
      (await gql(READ, { id: settled.id }, { token: await token({ role: 'INSURED', personId: authorizer }) })).data.settlement.id,
    ).toBe(settled.id);
    for (const caller of [
      (await counter()).token,
      await token({ role: 'INSURED', personId: await register('532300') }),
      await token({ role: 'ANALYST' }),
      await token({ role: 'ADMIN', region: '430700' }),
    ]) {
      const denied = await gql(READ, { id: settled.id }, { token: caller });
      expect(denied.data?.settlement ?? null).toBeNull();
      expect(codes(denied)).toEqual(['FORBIDDEN']);
    }

    const LIST =
      'query($id: ID!, $after: String) { person(id: $id) { settlements(first: 1, after: $after) { nodes { id totalAmount } endCursor hasNextPage } } }';
    await settleAt(desk, patient, await issueCard(patient), { inScopeAmount: '10.00' });
    const page1 = (await gql(LIST, { id: patient }, { token: await token({ role: 'INSURED', personId: patient }) })).data.person
      .settlements;
    expect(page1).toMatchObject({ nodes: [{ totalAmount: '10.00' }], hasNextPage: true });
    const page2 = (await gql(LIST, { id: patient, after: page1.endCursor }, { token: await token({ role: 'INSURED', personId: patient }) }))
      .data.person.settlements;
    expect(page2).toMatchObject({ nodes: [{ id: settled.id }], hasNextPage: false });
    expect(codes(await gql(LIST, { id: patient }, { token: await token({ role: 'INSURED', personId: authorizer }) }))).toEqual([
      'FORBIDDEN',
    ]);
  });

  test("ANALYST gets the region's aggregates and nothing per person", async () => {
    const analyst = await token({ role: 'ANALYST' });
    const SUMMARY =
      'query($code: ID!, $from: DateTime) { mutualAidSummary(regionCode: $code, from: $from) { regionCode activeBindings settlements amountShared } }';
    const from = new Date().toISOString();
    const before = (await gql(SUMMARY, { code: '650100', from }, { token: analyst })).data.mutualAidSummary;
    const authorizer = await employee('650100', '500.00');
    const patient = await register('650100', 'RESIDENT');
    await activeBinding(authorizer, patient, 'PARENT');
    await settleAt(await counter(), patient, await issueCard(patient), { inScopeAmount: '75.00' });
    const after = (await gql(SUMMARY, { code: '650100', from }, { token: analyst })).data.mutualAidSummary;
    expect(after.regionCode).toBe('650100');
    expect(after.activeBindings - before.activeBindings).toBe(1);
    expect(after.settlements - before.settlements).toBe(1);
    expect(Math.round((Number(after.amountShared) - Number(before.amountShared)) * 100)).toBe(7500);
    expect(codes(await gql(SUMMARY, { code: '650100' }, { token: await token({ role: 'INSURED', personId: patient }) }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await gql(SUMMARY, { code: '999999' }, { token: analyst }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('payPremium', () => {
  const PAY =
    'mutation($input: PayPremiumInput!) { payPremium(input: $input) { id idempotencyKey payer { id } beneficiary { id name } purpose productCode amount createdAt } }';
  const pay = (caller: string, input: Record<string, unknown>) =>
    gql(PAY, { input: { idempotencyKey: uniqueKey('prem'), ...input } }, { token: caller });

  test("from the payer's own account, in full, shown in his ledger with the beneficiary; a retry returns the same payment", async () => {
    const payer = await employee('430700', '400.00');
    const caller = await token({ role: 'INSURED', personId: payer });
    const key = uniqueKey('prem');
    const input = {
      idempotencyKey: key,
      payerId: payer,
      beneficiaryId: payer,
      purpose: 'LONG_TERM_CARE_PREMIUM',
      productCode: 'HN-CH-2027',
      amount: '380.00',
    };
    const paid = await gql(PAY, { input }, { token: caller });
    expect(paid.data.payPremium).toMatchObject({ payer: { id: payer }, amount: '380.00', purpose: 'LONG_TERM_CARE_PREMIUM' });
    expect((await gql(PAY, { input }, { token: caller })).data.payPremium.id).toBe(paid.data.payPremium.id);
    expect(codes(await gql(PAY, { input: { ...input, amount: '1.00' } }, { token: caller }))).toEqual(['IDEMPOTENCY_CONFLICT']);
    expect(await balanceOf(payer)).toBe('20.00');
    expect(
      codes(
        await pay(caller, {
          payerId: payer,
          beneficiaryId: payer,
          purpose: 'LONG_TERM_CARE_PREMIUM',
          productCode: 'HN-CH-2028',
          amount: '20.01',
        }),
      ),
    ).toEqual(['INSUFFICIENT_BALANCE']);
    expect(await balanceOf(payer)).toBe('20.00');
  });

  test('by an authorizer for a bound relative, above the floor, for purposes his region allows', async () => {
    const fuzhou = await employee('350100', '2100.00');
    const child = await register('350100', 'RESIDENT');
    await activeBinding(fuzhou, child);
    const caller = await token({ role: 'INSURED', personId: fuzhou });
    expect(
      codes(
        await pay(caller, {
          payerId: fuzhou,
          beneficiaryId: child,
          purpose: 'RESIDENT_PREMIUM',
          productCode: 'FJ-JM-2027',
          amount: '200.00',
        }),
      ),
    ).toEqual(['INSUFFICIENT_BALANCE']);
    const paid = await pay(caller, {
      payerId: fuzhou,
      beneficiaryId: child,
      purpose: 'RESIDENT_PREMIUM',
      productCode: 'FJ-JM-2027',
      amount: '100.00',
    });
    expect(paid.data.payPremium.beneficiary.id).toBe(child);
    expect(await balanceOf(fuzhou)).toBe('2000.00');
    const entry = await gql(
      'query($id: ID!) { person(id: $id) { personalAccount { entries(first: 1) { nodes { kind amount beneficiary { id } } } } } }',
      { id: fuzhou },
      { token: caller },
    );
    expect(entry.data.person.personalAccount.entries.nodes[0]).toEqual({
      kind: 'PREMIUM_PAYMENT',
      amount: '-100.00',
      beneficiary: { id: child },
    });

    const urumqi = await employee('650100', '500.00');
    const parent = await register('650100', 'RESIDENT');
    await activeBinding(urumqi, parent, 'PARENT');
    const urumqiCaller = await token({ role: 'INSURED', personId: urumqi });
    expect(
      (
        await pay(urumqiCaller, {
          payerId: urumqi,
          beneficiaryId: parent,
          purpose: 'COMMERCIAL_HEALTH_INSURANCE',
          productCode: 'HSHMB-2026',
          amount: '69.00',
        })
      ).data.payPremium.amount,
    ).toBe('69.00');

    const changde = await employee('430700', '500.00');
    const sibling = await register('430700', 'RESIDENT');
    await activeBinding(changde, sibling, 'SIBLING');
    // A product Changde's accounts may pay, but 430700 does not let a relative's money pay 惠民保.
    const changdeProduct = `HNHMB-${uniqueKey('p').replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 60);
    await registerProduct(changdeProduct, 'HNHMB', ['430700']);
    expect(
      codes(
        await pay(await token({ role: 'INSURED', personId: changde }), {
          payerId: changde,
          beneficiaryId: sibling,
          purpose: 'COMMERCIAL_HEALTH_INSURANCE',
          productCode: changdeProduct,
          amount: '69.00',
        }),
      ),
    ).toEqual(['PURPOSE_NOT_ALLOWED']);
    expect(
      codes(
        await pay(await token({ role: 'INSURED', personId: changde }), {
          payerId: changde,
          beneficiaryId: await register('430700'),
          purpose: 'RESIDENT_PREMIUM',
          productCode: 'HN',
          amount: '1.00',
        }),
      ),
    ).toEqual(['NOT_ELIGIBLE']);
    expect(
      codes(
        await pay(await token({ role: 'INSURED', personId: sibling }), {
          payerId: changde,
          beneficiaryId: sibling,
          purpose: 'RESIDENT_PREMIUM',
          productCode: 'HN',
          amount: '1.00',
        }),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(
      codes(
        await pay(await token({ role: 'INSURED', personId: changde }), {
          payerId: changde,
          beneficiaryId: sibling,
          purpose: 'OUTPATIENT',
          productCode: 'HN',
          amount: '1.00',
        }),
      ),
    ).toEqual(['PURPOSE_NOT_ALLOWED']);
    expect(await balanceOf(changde)).toBe('500.00');
  });

  test("a relative's money pays a premium only where both regions allow the purpose, across provinces only where both allow it", async () => {
    // An Urumqi authorizer (650100 allows 惠民保) for a Fuzhou beneficiary (350100 does not): refused, naming the beneficiary's region.
    const urumqi = await employee('650100', '500.00');
    const fuzhouChild = await register('350100', 'RESIDENT');
    await activeBinding(urumqi, fuzhouChild);
    const caller = await token({ role: 'INSURED', personId: urumqi });
    const refused = await pay(caller, {
      payerId: urumqi,
      beneficiaryId: fuzhouChild,
      purpose: 'COMMERCIAL_HEALTH_INSURANCE',
      productCode: 'HSHMB-2026',
      amount: '69.00',
    });
    expect(codes(refused)).toEqual(['PURPOSE_NOT_ALLOWED']);
    expect(refused.errors?.[0].message).toContain('350100');
    // A purpose both allow still pays across the two provinces.
    expect(
      (
        await pay(caller, {
          payerId: urumqi,
          beneficiaryId: fuzhouChild,
          purpose: 'RESIDENT_PREMIUM',
          productCode: 'FJ-JM-2027',
          amount: '50.00',
        })
      ).data.payPremium.amount,
    ).toBe('50.00');
    expect(await balanceOf(urumqi)).toBe('450.00');
  });

  test('a partner reads payments of its own products only', async () => {
    const product = `HSHMB-${uniqueKey('p').replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 60);
    await registerProduct(product, 'HSHMB', ['650100']);
    // One premium per person, product and year: three insured persons, each paying his own.
    for (const amount of ['10.00', '20.00', '30.00']) {
      const payer = await employee('650100', '300.00');
      const caller = await token({ role: 'INSURED', personId: payer });
      await pay(caller, { payerId: payer, beneficiaryId: payer, purpose: 'COMMERCIAL_HEALTH_INSURANCE', productCode: product, amount });
    }
    const READ =
      'query($code: String!, $after: String) { premiumPayments(productCode: $code, first: 2, after: $after) { nodes { amount productCode beneficiary { name } } endCursor hasNextPage } }';
    const partner = await token({ role: 'PARTNER', partnerCode: 'HSHMB' });
    const page1 = (await gql(READ, { code: product }, { token: partner })).data.premiumPayments;
    expect(page1.nodes.map((node: { amount: string }) => node.amount)).toEqual(['30.00', '20.00']);
    expect(page1.nodes[0].beneficiary.name).toBe('测试人');
    const page2 = (await gql(READ, { code: product, after: page1.endCursor }, { token: partner })).data.premiumPayments;
    expect(page2).toMatchObject({ nodes: [{ amount: '10.00' }], hasNextPage: false });
    expect(codes(await gql(READ, { code: product }, { token: await token({ role: 'PARTNER', partnerCode: 'FZHMB' }) }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await gql(READ, { code: product }, { token: await token({ role: 'ANALYST' }) }))).toEqual(['FORBIDDEN']);
  });
});

test('settlements, money moved by purpose, credential refusals and pool use are on /metrics', async () => {
  const patient = await employee('650100', '80.00');
  const desk = await counter();
  const before = await metricSum(settlementsUrl, 'money_moved_fen_total', 'event="settlement_PHARMACY",kind="OWN_ACCOUNT"');
  const settlementsBefore = await metricSum(settlementsUrl, 'domain_events_total', 'event="settlement"');
  await settleAt(desk, patient, await issueCard(patient), { purpose: 'PHARMACY', inScopeAmount: '12.34' });
  expect((await metricSum(settlementsUrl, 'money_moved_fen_total', 'event="settlement_PHARMACY",kind="OWN_ACCOUNT"')) - before).toBe(1234);
  expect((await metricSum(settlementsUrl, 'domain_events_total', 'event="settlement"')) - settlementsBefore).toBe(1);
  const refusals = await metricSum(gatewayUrl, 'domain_events_total', 'event="credential_refusal",kind="CREDENTIAL_REQUIRED"');
  await settleAt(desk, patient, undefined, { inScopeAmount: '1.00' });
  expect(await metricSum(gatewayUrl, 'domain_events_total', 'event="credential_refusal",kind="CREDENTIAL_REQUIRED"')).toBeGreaterThan(
    refusals,
  );
  expect(await metricSum(accountsUrl, 'db_pool_connections', 'state="open"')).toBeGreaterThan(0);
});
