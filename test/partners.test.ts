import type { DataSource } from 'typeorm';
import { chinaToday } from '../subgraphs/shared/chinaTime';
import { partnerDaySql } from '../subgraphs/settlements/premiums/partnerDay';
import { Products } from '../subgraphs/settlements/premiums/products';
import { codes, credit, database, gql, newResidentId, REGISTER, register, token, uniqueKey } from './client';
import { activeBinding, balanceOf, employee } from './counter';

/**
 * Partners (惠民保) and premiums for relatives (issue 15): products with one owner, registered by ADMIN
 * or from config; a commercial premium only from accounts of its product's regions; a resident premium
 * only for an ACTIVE resident; one premium per beneficiary, product and year; refundPremium once and
 * in full; productEligibility answering a reason and nothing else; partnerDay by transaction day.
 */
const PRODUCTS = 'query { insuranceProducts { code name partnerCode regionCodes year } }';
const REGISTER_PRODUCT =
  'mutation($input: RegisterProductInput!) { registerInsuranceProduct(input: $input) { code name partnerCode regionCodes year } }';
const PAY =
  'mutation($input: PayPremiumInput!) { payPremium(input: $input) { id amount status refundedAt payer { id } beneficiary { id } } }';
const REFUND =
  'mutation($id: ID!, $key: String!, $reason: String!) { refundPremium(premiumId: $id, idempotencyKey: $key, reason: $reason) { id amount status refundedAt } }';
const ELIGIBILITY =
  'query($code: ID!, $idNumber: String!, $name: String!) { productEligibility(productCode: $code, idNumber: $idNumber, name: $name) { eligible reason } }';
const DAY =
  'query($code: ID!, $date: String!) { partnerDay(productCode: $code, date: $date) { productCode date payments refunds amount } }';
const ENTRIES =
  'query($id: ID!) { person(id: $id) { personalAccount { entries(first: 3) { nodes { kind amount balanceAfter reference } } } } }';

const admin = () => token({ role: 'ADMIN' });
const partner = (partnerCode: string) => token({ role: 'PARTNER', partnerCode });
const insured = (personId: string) => token({ role: 'INSURED', personId });

/** A partner and product code of this run only, so lists and days hold exactly what a test made. */
function fresh(label: string): string {
  return `${label}${uniqueKey('').replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 30);
}

async function registerProduct(partnerCode: string, regionCodes: string[], year = 2026): Promise<string> {
  const code = fresh('P-');
  const result = await gql(
    REGISTER_PRODUCT,
    { input: { code, name: `测试惠民保 ${code}`, partnerCode, regionCodes, year } },
    { token: await admin() },
  );
  if (!result.data?.registerInsuranceProduct) throw new Error(`register product failed: ${JSON.stringify(result.errors)}`);
  return code;
}

/** A person whose id number and name the test knows, as a partner's customer gives them. */
async function enrol(regionCode: string, scheme: 'EMPLOYEE' | 'RESIDENT', name: string, balance?: string) {
  const idNumber = newResidentId();
  const result = await gql(REGISTER, { input: { idNumber, name, regionCode, scheme } }, { token: await admin() });
  const id = result.data.registerInsured.id as string;
  if (balance) await credit(id, balance);
  return { id, idNumber, name };
}

function pay(
  payerId: string,
  beneficiaryId: string,
  purpose: string,
  productCode: string,
  amount: string,
  idempotencyKey = uniqueKey('prem'),
) {
  return insured(payerId).then((caller) =>
    gql(PAY, { input: { idempotencyKey, payerId, beneficiaryId, purpose, productCode, amount } }, { token: caller }),
  );
}

async function setStatus(personId: string, status: string): Promise<void> {
  const result = await gql(
    'mutation($id: ID!, $status: EnrollmentStatus!) { setEnrollmentStatus(personId: $id, status: $status) { status } }',
    { id: personId, status },
    { token: await admin() },
  );
  expect(result.errors).toBeUndefined();
}

describe('products with an owner', () => {
  test('a partner lists only its own products, ADMIN all of them, the configured 红山惠民保 among them once', async () => {
    const mine = fresh('A');
    const theirs = fresh('B');
    const first = await registerProduct(mine, ['650100']);
    const second = await registerProduct(mine, ['650100', '350100'], 2027);
    const other = await registerProduct(theirs, ['430700']);

    const listed = (await gql(PRODUCTS, {}, { token: await partner(mine) })).data.insuranceProducts;
    expect(listed).toEqual([
      { code: first, name: `测试惠民保 ${first}`, partnerCode: mine, regionCodes: ['650100'], year: 2026 },
      { code: second, name: `测试惠民保 ${second}`, partnerCode: mine, regionCodes: ['350100', '650100'], year: 2027 },
    ]);
    expect((await gql(PRODUCTS, {}, { token: await partner(mine.slice(0, 3)) })).data.insuranceProducts).toEqual([]);

    const all = (await gql(PRODUCTS, {}, { token: await admin() })).data.insuranceProducts as Array<{ code: string }>;
    expect(all.map((product) => product.code)).toEqual(expect.arrayContaining([first, second, other]));
    expect(all.filter((product) => product.code === 'HSHMB-2026')).toEqual([
      { code: 'HSHMB-2026', name: '红山惠民保 2026', partnerCode: 'HSHMB', regionCodes: ['650100'], year: 2026 },
    ]);
    for (const role of ['ANALYST', 'TERMINAL'] as const) {
      expect(codes(await gql(PRODUCTS, {}, { token: await token({ role, institutionId: 'H1' }) }))).toEqual(['FORBIDDEN']);
    }
  });

  test('the configured products are stored once, however many replicas seed them at once, and keep their owner', async () => {
    const connection = await database('settlements', 'national');
    // Products runs its statements through `query(dataSource, …)`, which needs only DataSource.query.
    const national = { query: async (sql: string, params: unknown[]) => (await connection.query(sql, params))[0] } as unknown as DataSource;
    try {
      const configured = [{ code: 'HSHMB-2026', name: '红山惠民保 2026', partnerCode: 'HSHMB', regionCodes: ['650100'], year: 2026 }];
      const replicas = [1, 2, 3].map(() => new Products(national, undefined as never));
      await Promise.all(replicas.map((replica) => replica.seed(configured)));
      await replicas[0].seed([{ ...configured[0], partnerCode: 'THIEF' }]);
      const [rows] = await connection.query('SELECT partner_code FROM insurance_products WHERE code = ?', ['HSHMB-2026']);
      expect(rows).toEqual([{ partner_code: 'HSHMB' }]);
      const [regions] = await connection.query('SELECT region_code FROM insurance_product_regions WHERE product_code = ?', ['HSHMB-2026']);
      expect(regions).toEqual([{ region_code: '650100' }]);
    } finally {
      await connection.end();
    }
  });

  test('ADMIN registers: a retry returns the product; a taken code, an unknown region, a bad year or another region is refused', async () => {
    const owner = fresh('C');
    const code = await registerProduct(owner, ['650100']);
    const input = { code, name: `测试惠民保 ${code}`, partnerCode: owner, regionCodes: ['650100'], year: 2026 };
    const again = await gql(REGISTER_PRODUCT, { input }, { token: await admin() });
    expect(again.data.registerInsuranceProduct).toEqual(input);

    const refused = async (change: Record<string, unknown>, caller?: string) => {
      const result = await gql(REGISTER_PRODUCT, { input: { ...input, ...change } }, { token: caller ?? (await admin()) });
      return { codes: codes(result), message: result.errors?.[0]?.message ?? '' };
    };
    expect(await refused({ partnerCode: fresh('D') })).toEqual({ codes: ['BAD_USER_INPUT'], message: expect.stringContaining(code) });
    expect(await refused({ code: fresh('P-'), regionCodes: ['999999'] })).toEqual({
      codes: ['BAD_USER_INPUT'],
      message: expect.stringContaining('999999'),
    });
    expect(await refused({ code: fresh('P-'), regionCodes: [] })).toEqual({
      codes: ['BAD_USER_INPUT'],
      message: expect.stringContaining('input.regionCodes'),
    });
    for (const year of [1999, 2101]) {
      expect(await refused({ code: fresh('P-'), year })).toEqual({
        codes: ['BAD_USER_INPUT'],
        message: expect.stringContaining('input.year'),
      });
    }
    expect(await refused({ code: 'HS HMB' })).toEqual({ codes: ['BAD_USER_INPUT'], message: expect.stringContaining('code') });
    expect((await refused({ code: fresh('P-') }, await token({ role: 'ADMIN', region: '350100' }))).codes).toEqual(['FORBIDDEN']);
    expect((await refused({ code: fresh('P-') }, await partner(owner))).codes).toEqual(['FORBIDDEN']);
    // Nothing of the refused registrations was stored.
    expect((await gql(PRODUCTS, {}, { token: await partner(owner) })).data.insuranceProducts).toEqual([input]);
  });

  test("a commercial premium names a registered product whose regions include the payer's", async () => {
    const code = await registerProduct(fresh('E'), ['650100']);
    const fuzhou = await employee('350100', '3000.00');
    const refused = await pay(fuzhou, fuzhou, 'COMMERCIAL_HEALTH_INSURANCE', code, '69.00');
    expect(codes(refused)).toEqual(['NOT_ELIGIBLE']);
    expect(refused.errors?.[0].message).toContain('350100');
    expect(await balanceOf(fuzhou)).toBe('3000.00');
    expect(codes(await pay(fuzhou, fuzhou, 'COMMERCIAL_HEALTH_INSURANCE', 'NOT-REGISTERED-1', '69.00'))).toEqual(['NOT_FOUND']);

    const urumqi = await employee('650100', '100.00');
    expect((await pay(urumqi, urumqi, 'COMMERCIAL_HEALTH_INSURANCE', code, '69.00')).data.payPremium).toMatchObject({
      amount: '69.00',
      status: 'PAID',
      refundedAt: null,
    });
    expect(await balanceOf(urumqi)).toBe('31.00');
  });
});

describe('premiums for relatives', () => {
  test('a resident premium only for an ACTIVE beneficiary of the RESIDENT scheme', async () => {
    const father = await employee('430700', '1000.00');
    const son = await register('430700', 'EMPLOYEE');
    const mother = await register('430700', 'RESIDENT');
    await activeBinding(father, son, 'CHILD');
    await activeBinding(father, mother, 'SPOUSE');
    const forEmployee = await pay(father, son, 'RESIDENT_PREMIUM', 'HN-JM-2027', '380.00');
    expect(codes(forEmployee)).toEqual(['NOT_ELIGIBLE']);
    expect(codes(await pay(father, father, 'RESIDENT_PREMIUM', 'HN-JM-2027', '380.00'))).toEqual(['NOT_ELIGIBLE']);

    await setStatus(mother, 'SUSPENDED');
    expect(codes(await pay(father, mother, 'RESIDENT_PREMIUM', 'HN-JM-2027', '380.00'))).toEqual(['NOT_INSURED']);
    await setStatus(mother, 'ACTIVE');
    const paid = await pay(father, mother, 'RESIDENT_PREMIUM', 'HN-JM-2027', '380.00');
    expect(paid.data.payPremium).toMatchObject({ amount: '380.00', beneficiary: { id: mother }, status: 'PAID' });
    expect(await balanceOf(father)).toBe('620.00');
  });

  test('one per beneficiary, product and year: a retry returns it, another key is refused naming it, whoever pays', async () => {
    const father = await employee('350100', '2600.00');
    const mother = await employee('350100', '2600.00');
    const child = await register('350100', 'RESIDENT');
    await activeBinding(father, child, 'CHILD');
    await activeBinding(mother, child, 'CHILD');
    const key = uniqueKey('prem');
    const first = (await pay(father, child, 'RESIDENT_PREMIUM', 'FJ-JM-2027', '300.00', key)).data.payPremium;
    expect((await pay(father, child, 'RESIDENT_PREMIUM', 'FJ-JM-2027', '300.00', key)).data.payPremium.id).toBe(first.id);
    expect(codes(await pay(father, child, 'RESIDENT_PREMIUM', 'FJ-JM-2027', '301.00', key))).toEqual(['IDEMPOTENCY_CONFLICT']);

    const again = await pay(father, child, 'RESIDENT_PREMIUM', 'FJ-JM-2027', '300.00');
    expect(codes(again)).toEqual(['INVALID_STATE']);
    expect(again.errors?.[0].message).toContain(first.id);
    const byMother = await pay(mother, child, 'RESIDENT_PREMIUM', 'FJ-JM-2027', '300.00');
    expect(codes(byMother)).toEqual(['INVALID_STATE']);
    expect(byMother.errors?.[0].message).toContain(first.id);
    expect(await balanceOf(father)).toBe('2300.00');
    expect(await balanceOf(mother)).toBe('2600.00');
    // Another product, or the same one refunded, may be paid.
    expect((await pay(mother, child, 'RESIDENT_PREMIUM', 'FJ-JM-2028', '100.00')).data.payPremium.amount).toBe('100.00');
    await gql(REFUND, { id: first.id, key: uniqueKey('refund'), reason: '重复缴费' }, { token: await admin() });
    expect((await pay(mother, child, 'RESIDENT_PREMIUM', 'FJ-JM-2027', '300.00')).data.payPremium.amount).toBe('300.00');
  });

  test('concurrent payments under different keys, by two payers in two provinces: exactly one is paid', async () => {
    // The two payments are written in two province databases: only the national claim can tell them apart.
    const product = fresh('JM-');
    const urumqi = await employee('650100', '500.00');
    const fuzhou = await employee('350100', '2500.00');
    const parent = await register('650100', 'RESIDENT');
    await activeBinding(urumqi, parent, 'PARENT');
    await activeBinding(fuzhou, parent, 'PARENT');
    const answers = await Promise.all(
      [urumqi, fuzhou, urumqi, fuzhou, urumqi, fuzhou].map((payer) => pay(payer, parent, 'RESIDENT_PREMIUM', product, '69.00')),
    );
    expect(answers.filter((answer) => !answer.errors)).toHaveLength(1);
    expect(answers.flatMap(codes)).toEqual(Array(5).fill('INVALID_STATE'));
    const paid = [await balanceOf(urumqi), await balanceOf(fuzhou)];
    expect([
      ['431.00', '2500.00'],
      ['500.00', '2431.00'],
    ]).toContainEqual(paid);
  });

  test('refundPremium: ADMIN of the payer region, in full to the paying account, once, audited; the ledger balances', async () => {
    const authorizer = await employee('532300', '800.00');
    const child = await register('532300', 'RESIDENT');
    await activeBinding(authorizer, child, 'CHILD');
    const premium = (await pay(authorizer, child, 'RESIDENT_PREMIUM', 'YN-JM-2027', '350.00')).data.payPremium;
    expect(await balanceOf(authorizer)).toBe('450.00');

    const key = uniqueKey('refund');
    const args = { id: premium.id, key, reason: '退保：已在外地参保' };
    expect(codes(await gql(REFUND, args, { token: await token({ role: 'ADMIN', region: '350100' }) }))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(REFUND, args, { token: await insured(authorizer) }))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(REFUND, { ...args, reason: '  ' }, { token: await admin() }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(REFUND, { ...args, id: `532300-${'0'.repeat(26)}` }, { token: await admin() }))).toEqual(['NOT_FOUND']);
    expect(await balanceOf(authorizer)).toBe('450.00');

    const bureau = await token({ role: 'ADMIN', region: '532300', sub: 'reviewer-7' });
    const refunded = (await gql(REFUND, args, { token: bureau })).data.refundPremium;
    expect(refunded).toMatchObject({ id: premium.id, amount: '350.00', status: 'REFUNDED' });
    expect(refunded.refundedAt).not.toBeNull();
    expect(await balanceOf(authorizer)).toBe('800.00');
    // The same refund again answers the same; under another key it is refused; no fen moves twice.
    expect((await gql(REFUND, args, { token: bureau })).data.refundPremium).toEqual(refunded);
    const second = await gql(REFUND, { ...args, key: uniqueKey('refund') }, { token: bureau });
    expect(codes(second)).toEqual(['INVALID_STATE']);
    expect(await balanceOf(authorizer)).toBe('800.00');

    const entries = (await gql(ENTRIES, { id: authorizer }, { token: await admin() })).data.person.personalAccount.entries.nodes;
    expect(entries.slice(0, 2)).toEqual([
      { kind: 'REFUND', amount: '350.00', balanceAfter: '800.00', reference: premium.id },
      { kind: 'PREMIUM_PAYMENT', amount: '-350.00', balanceAfter: '450.00', reference: premium.id },
    ]);
    const ledger = await gql(
      'query($date: String!) { ledgerReconciliation(regionCode: "532300", date: $date) { balanced } }',
      { date: chinaToday() },
      { token: await admin() },
    );
    expect(ledger.data.ledgerReconciliation.balanced).toBe(true);

    const settlements = await database('settlements', '53');
    try {
      const [rows] = await settlements.query('SELECT status, refund_key, refund_actor, refund_reason FROM premium_payments WHERE id = ?', [
        premium.id,
      ]);
      expect(rows).toEqual([
        { status: 'REFUNDED', refund_key: key, refund_actor: 'ADMIN reviewer-7', refund_reason: '退保：已在外地参保' },
      ]);
    } finally {
      await settlements.end();
    }
  });

  test('after a crash: a refund left REFUNDING finishes under its key, a claim left open by a refunded premium is released', async () => {
    const authorizer = await employee('532300', '500.00');
    const child = await register('532300', 'RESIDENT');
    await activeBinding(authorizer, child, 'CHILD');
    const product = fresh('YN-');
    const premium = (await pay(authorizer, child, 'RESIDENT_PREMIUM', product, '120.00')).data.payPremium;
    const key = uniqueKey('refund');
    // The refund was recorded and the process died before the ledger was called.
    const settlements = await database('settlements', '53');
    try {
      await settlements.query(
        "UPDATE premium_payments SET status = 'REFUNDING', refund_key = ?, refund_actor = 'ADMIN crashed', refund_reason = '退保' WHERE id = ?",
        [key, premium.id],
      );
    } finally {
      await settlements.end();
    }
    expect(codes(await gql(REFUND, { id: premium.id, key: uniqueKey('refund'), reason: '退保' }, { token: await admin() }))).toEqual([
      'INVALID_STATE',
    ]);
    expect(await balanceOf(authorizer)).toBe('380.00');
    const finished = (await gql(REFUND, { id: premium.id, key, reason: '退保' }, { token: await admin() })).data.refundPremium;
    expect(finished.status).toBe('REFUNDED');
    expect(await balanceOf(authorizer)).toBe('500.00');

    // The refund finished and the process died before the claim was let go: the next payment lets it go.
    const national = await database('settlements', 'national');
    try {
      await national.query('UPDATE premium_claims SET open_beneficiary_id = beneficiary_id, released_at = NULL WHERE premium_id = ?', [
        premium.id,
      ]);
    } finally {
      await national.end();
    }
    expect((await pay(authorizer, child, 'RESIDENT_PREMIUM', product, '120.00')).data.payPremium.amount).toBe('120.00');
    expect(await balanceOf(authorizer)).toBe('380.00');
  });

  test('a refused premium is not refunded, and partners see refunded premiums with their status', async () => {
    const owner = fresh('G');
    const product = await registerProduct(owner, ['650100']);
    const poor = await employee('650100', '10.00');
    expect(codes(await pay(poor, poor, 'COMMERCIAL_HEALTH_INSURANCE', product, '69.00'))).toEqual(['INSUFFICIENT_BALANCE']);
    const settlements = await database('settlements', '65');
    let refusedId: string;
    try {
      const [rows] = await settlements.query('SELECT id FROM premium_payments WHERE payer_id = ?', [poor]);
      refusedId = (rows as Array<{ id: string }>)[0].id;
    } finally {
      await settlements.end();
    }
    expect(codes(await gql(REFUND, { id: refusedId, key: uniqueKey('r'), reason: '误操作' }, { token: await admin() }))).toEqual([
      'INVALID_STATE',
    ]);

    const payer = await employee('650100', '100.00');
    const premium = (await pay(payer, payer, 'COMMERCIAL_HEALTH_INSURANCE', product, '69.00')).data.payPremium;
    await gql(REFUND, { id: premium.id, key: uniqueKey('r'), reason: '退保' }, { token: await admin() });
    const listed = await gql(
      'query($code: String!) { premiumPayments(productCode: $code) { nodes { id status refundedAt } } }',
      { code: product },
      { token: await partner(owner) },
    );
    expect(listed.data.premiumPayments.nodes).toEqual([{ id: premium.id, status: 'REFUNDED', refundedAt: expect.any(String) }]);
  });
});

describe('productEligibility', () => {
  test('yes, or a reason code, for the partner owning the product; never anything more about the person', async () => {
    const owner = fresh('H');
    const product = await registerProduct(owner, ['650100']);
    const caller = await partner(owner);
    const ask = (person: { idNumber: string; name: string }, code = product, as = caller) =>
      gql(ELIGIBILITY, { code, idNumber: person.idNumber, name: person.name }, { token: as });
    const answer = async (person: { idNumber: string; name: string }) => {
      const result = await ask(person);
      // The whole answer (beside the client's HTTP status): no errors, no extensions, exactly two fields.
      expect(Object.keys(result).filter((key) => key !== 'status')).toEqual(['data']);
      expect(Object.keys(result.data.productEligibility).sort()).toEqual(['eligible', 'reason']);
      return result.data.productEligibility;
    };

    const worker = await enrol('650100', 'EMPLOYEE', '阿依古丽', '500.00');
    expect(await answer(worker)).toEqual({ eligible: true, reason: null });
    // A wrong name, an unknown number and a malformed one all look alike.
    expect(await answer({ ...worker, name: '阿依古' })).toEqual({ eligible: false, reason: 'NOT_INSURED' });
    expect(await answer({ idNumber: newResidentId(), name: worker.name })).toEqual({ eligible: false, reason: 'NOT_INSURED' });
    expect(await answer({ idNumber: '123', name: worker.name })).toEqual({ eligible: false, reason: 'NOT_INSURED' });

    const fuzhou = await enrol('350100', 'EMPLOYEE', '林晓', '5000.00');
    expect(await answer(fuzhou)).toEqual({ eligible: false, reason: 'REGION_NOT_ALLOWED' });

    const grandmother = await enrol('650100', 'RESIDENT', '王秀英');
    expect(await answer(grandmother)).toEqual({ eligible: false, reason: 'NO_PERSONAL_ACCOUNT' });
    await activeBinding(worker.id, grandmother.id, 'PARENT');
    expect(await answer(grandmother)).toEqual({ eligible: true, reason: null });

    await setStatus(worker.id, 'SUSPENDED');
    expect(await answer(worker)).toEqual({ eligible: false, reason: 'SUSPENDED' });
    // The suspended relative's account no longer pays for her either.
    expect(await answer(grandmother)).toEqual({ eligible: false, reason: 'NO_PERSONAL_ACCOUNT' });
    await setStatus(worker.id, 'ACTIVE');
    await setStatus(grandmother.id, 'TERMINATED');
    expect(await answer(grandmother)).toEqual({ eligible: false, reason: 'NOT_INSURED' });

    expect((await pay(worker.id, worker.id, 'COMMERCIAL_HEALTH_INSURANCE', product, '69.00')).errors).toBeUndefined();
    expect(await answer(worker)).toEqual({ eligible: false, reason: 'ALREADY_PAID' });
    // Eligibility never looked at the balance: 431.00 left, the same answer for a poorer worker.
    const poor = await enrol('650100', 'EMPLOYEE', '买买提');
    expect(await answer(poor)).toEqual({ eligible: true, reason: null });

    // Only the owning partner: another partner, ADMIN and an unregistered code are refused, saying nothing of the person.
    for (const [code, as] of [
      [product, await partner(fresh('I'))],
      [product, await admin()],
      [`${product}X`, caller],
      ['HSHMB-2026', caller],
    ] as const) {
      const refused = await ask(worker, code, as);
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      expect(refused.data ?? null).toBeNull();
      expect(JSON.stringify(refused)).not.toContain(worker.idNumber.slice(-4));
      expect(JSON.stringify(refused)).not.toContain(worker.name);
    }
    // Bad input is refused by the text rules before anything is looked up.
    expect(codes(await ask({ idNumber: 'x'.repeat(33), name: worker.name }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('partnerDay', () => {
  test('payments on the day paid and refunds on the day refunded, across a day boundary; the owner and ADMIN only', async () => {
    const owner = fresh('J');
    const product = await registerProduct(owner, ['650100']);
    const payer = await employee('650100', '500.00');
    const other = await employee('650100', '500.00');
    const yesterdays = (await pay(payer, payer, 'COMMERCIAL_HEALTH_INSURANCE', product, '69.00')).data.payPremium;
    const todays = (await pay(other, other, 'COMMERCIAL_HEALTH_INSURANCE', product, '99.50')).data.payPremium;
    // The first premium was paid "yesterday": moved back one day in the database, no waiting for midnight.
    const settlements = await database('settlements', '65');
    try {
      await settlements.query('UPDATE premium_payments SET created_at = created_at - INTERVAL 1 DAY WHERE id = ?', [yesterdays.id]);
    } finally {
      await settlements.end();
    }
    const today = chinaToday();
    const yesterday = chinaToday(new Date(Date.now() - 86_400_000));
    const read = async (date: string, as?: string) =>
      (await gql(DAY, { code: product, date }, { token: as ?? (await partner(owner)) })).data.partnerDay;

    const before = await read(yesterday);
    expect(before).toEqual({ productCode: product, date: yesterday, payments: 1, refunds: 0, amount: '69.00' });
    expect(await read(today)).toEqual({ productCode: product, date: today, payments: 1, refunds: 0, amount: '99.50' });

    await gql(REFUND, { id: yesterdays.id, key: uniqueKey('r'), reason: '退保' }, { token: await admin() });
    // Yesterday never changes; the refund counts today.
    expect(await read(yesterday)).toEqual(before);
    expect(await read(today)).toEqual({ productCode: product, date: today, payments: 1, refunds: 1, amount: '30.50' });
    expect(await read(today, await admin())).toEqual({ productCode: product, date: today, payments: 1, refunds: 1, amount: '30.50' });
    expect(await read(today, await token({ role: 'ADMIN', region: '350100' }))).toEqual({
      productCode: product,
      date: today,
      payments: 0,
      refunds: 0,
      amount: '0.00',
    });
    // A day of refunds only is negative.
    await gql(REFUND, { id: todays.id, key: uniqueKey('r'), reason: '退保' }, { token: await admin() });
    expect(await read(today)).toEqual({ productCode: product, date: today, payments: 1, refunds: 2, amount: '-69.00' });

    expect(codes(await gql(DAY, { code: product, date: today }, { token: await partner(fresh('K')) }))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(DAY, { code: 'HSHMB-2026', date: today }, { token: await partner(owner) }))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(DAY, { code: 'NO-SUCH-PRODUCT', date: today }, { token: await admin() }))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(DAY, { code: product, date: '2026-02-30' }, { token: await partner(owner) }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(DAY, { code: product, date: today }, { token: await token({ role: 'ANALYST' }) }))).toEqual(['FORBIDDEN']);
  });

  test("the day's statement reads payments through (product_code, created_at) and refunds through (product_code, refunded_at)", async () => {
    const connection = await database('settlements', '65');
    try {
      const start = new Date(Date.now() - 86_400_000);
      const [plan] = await connection.query(`EXPLAIN ${partnerDaySql(false)}`, ['P-ANY', start, new Date(), 'P-ANY', start, new Date()]);
      const keys = (plan as Array<{ key: string | null }>).map((row) => row.key).filter((key) => key !== null);
      expect(keys).toEqual(['ix_premium_payments_product_day', 'ix_premium_payments_product_refunds']);
    } finally {
      await connection.end();
    }
  });
});
