import { accountsUrl, credit, database, gql, internal, register, token, uniqueKey } from './client';

/**
 * The accounts subgraph's internal ledger API, driven over HTTP as the settlements subgraph will
 * drive it. Every test asserts the balance of every account it touches.
 */
async function balances(...ids: string[]): Promise<number[]> {
  const { result, error } = await internal<{ persons: Array<{ balanceFen: number | null } | null> }>('/internal/persons/lookup', { ids });
  if (!result) throw new Error(`balances answered ${JSON.stringify(error)}`);
  return result.persons.map((person) => person?.balanceFen ?? -1);
}

async function entrySums(province: string, ids: string[]): Promise<Map<string, number>> {
  const connection = await database('accounts', province);
  try {
    const [rows] = await connection.query(
      'SELECT account_id, SUM(amount_fen) AS total FROM ledger_entries WHERE account_id IN (?) GROUP BY account_id',
      [ids],
    );
    return new Map((rows as Array<{ account_id: string; total: string }>).map((row) => [row.account_id, Number(row.total)]));
  } finally {
    await connection.end();
  }
}

async function expectBalancesEqualEntries(province: string, ids: string[]): Promise<void> {
  const sums = await entrySums(province, ids);
  expect(await balances(...ids)).toEqual(ids.map((id) => sums.get(id) ?? 0));
}

const debit = (body: object) => internal('/internal/ledger/debit', body);

describe('ordered debit', () => {
  test('walks the steps in order, each above its floor, and leaves the rest unpaid', async () => {
    const own = await register('350100');
    const older = await register('350100');
    const newer = await register('350100');
    await credit(own, '100.00');
    await credit(older, '2500.00');
    await credit(newer, '2300.00');
    const { result } = await debit({
      scope: 'test',
      idempotencyKey: uniqueKey(),
      reference: 'S-1',
      amountFen: 150000,
      mode: 'UP_TO',
      steps: [
        { accountId: own, floorFen: 0, kind: 'OWN_ACCOUNT_PAYMENT' },
        { accountId: older, floorFen: 200000, kind: 'MUTUAL_AID_PAYMENT', beneficiaryId: own },
        { accountId: newer, floorFen: 200000, kind: 'MUTUAL_AID_PAYMENT', beneficiaryId: own },
      ],
    });
    expect(result.paidFen).toBe(10000 + 50000 + 30000);
    expect(result.steps.map((step: { paidFen: number }) => step.paidFen)).toEqual([10000, 50000, 30000]);
    expect(await balances(own, older, newer)).toEqual([0, 200000, 200000]);
    await expectBalancesEqualEntries('35', [own, older, newer]);
  });

  test('a step limit caps what one account pays', async () => {
    const own = await register('430700');
    await credit(own, '100.00');
    const { result } = await debit({
      scope: 'test',
      idempotencyKey: uniqueKey(),
      reference: 'S-2',
      amountFen: 5000,
      mode: 'UP_TO',
      steps: [{ accountId: own, floorFen: 0, limitFen: 1200, kind: 'OWN_ACCOUNT_PAYMENT' }],
    });
    expect(result.paidFen).toBe(1200);
    expect(await balances(own)).toEqual([8800]);
  });

  test('WHOLE pays all or nothing: INSUFFICIENT_BALANCE writes nothing and leaves the key unused', async () => {
    const payer = await register('650100');
    await credit(payer, '50.00');
    const key = uniqueKey();
    const refused = await debit({
      scope: 'premium',
      idempotencyKey: key,
      reference: 'P-1',
      amountFen: 6000,
      mode: 'WHOLE',
      steps: [{ accountId: payer, floorFen: 0, kind: 'PREMIUM_PAYMENT' }],
    });
    expect(refused.error?.code).toBe('INSUFFICIENT_BALANCE');
    expect(await balances(payer)).toEqual([5000]);
    const paid = await debit({
      scope: 'premium',
      idempotencyKey: key,
      reference: 'P-1',
      amountFen: 5000,
      mode: 'WHOLE',
      steps: [{ accountId: payer, floorFen: 0, kind: 'PREMIUM_PAYMENT' }],
    });
    expect(paid.result.paidFen).toBe(5000);
    expect(await balances(payer)).toEqual([0]);
    await expectBalancesEqualEntries('65', [payer]);
  });

  test('is idempotent by key: a retry returns the first result, other content is IDEMPOTENCY_CONFLICT', async () => {
    const own = await register('532300');
    await credit(own, '10.00');
    const request = {
      scope: 'settlement:H1',
      idempotencyKey: uniqueKey(),
      reference: 'S-3',
      amountFen: 400,
      mode: 'UP_TO',
      steps: [{ accountId: own, floorFen: 0, kind: 'OWN_ACCOUNT_PAYMENT' }],
    };
    const first = await debit(request);
    const retry = await debit(request);
    expect(retry.result).toEqual(first.result);
    expect((await debit({ ...request, amountFen: 500 })).error?.code).toBe('IDEMPOTENCY_CONFLICT');
    expect((await debit({ ...request, scope: 'settlement:H2' })).result.transferId).not.toBe(first.result.transferId);
    expect(await balances(own)).toEqual([1000 - 400 - 400]);
  });

  test('20 concurrent retries of one key debit once', async () => {
    const own = await register('430100');
    await credit(own, '100.00');
    const request = {
      scope: 'test',
      idempotencyKey: uniqueKey(),
      reference: 'S-4',
      amountFen: 3000,
      mode: 'UP_TO',
      steps: [{ accountId: own, floorFen: 0, kind: 'OWN_ACCOUNT_PAYMENT' }],
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => debit(request)));
    expect(new Set(results.map((result) => result.result?.transferId)).size).toBe(1);
    expect(await balances(own)).toEqual([7000]);
    await expectBalancesEqualEntries('43', [own]);
  });

  test('50 concurrent debits on one authorizer never cross the floor and together take exactly what was shareable', async () => {
    const authorizer = await register('350100');
    await credit(authorizer, '2500.00');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        debit({
          scope: 'test',
          idempotencyKey: uniqueKey(`c${index}`),
          reference: `S-c${index}`,
          amountFen: 3000,
          mode: 'UP_TO',
          steps: [{ accountId: authorizer, floorFen: 200000, kind: 'MUTUAL_AID_PAYMENT' }],
        }),
      ),
    );
    expect(results.filter((result) => result.error)).toEqual([]);
    const taken = results.reduce((sum, result) => sum + result.result.paidFen, 0);
    expect(taken).toBe(50000);
    expect(await balances(authorizer)).toEqual([200000]);
    await expectBalancesEqualEntries('35', [authorizer]);
  });

  test('refuses accounts in two provinces, unknown accounts and malformed requests', async () => {
    const a = await register('430700');
    const b = await register('650100');
    const crossProvince = await debit({
      scope: 't',
      idempotencyKey: uniqueKey(),
      reference: 'x',
      amountFen: 1,
      mode: 'UP_TO',
      steps: [
        { accountId: a, floorFen: 0, kind: 'OWN_ACCOUNT_PAYMENT' },
        { accountId: b, floorFen: 0, kind: 'MUTUAL_AID_PAYMENT' },
      ],
    });
    expect(crossProvince.error?.code).toBe('BAD_USER_INPUT');
    const resident = await register('430700', 'RESIDENT');
    expect(
      (
        await debit({
          scope: 't',
          idempotencyKey: uniqueKey(),
          reference: 'x',
          amountFen: 1,
          mode: 'UP_TO',
          steps: [{ accountId: resident, floorFen: 0, kind: 'OWN_ACCOUNT_PAYMENT' }],
        })
      ).error?.code,
    ).toBe('NOT_FOUND');
    const malformed = await fetch(`${accountsUrl}/internal/ledger/debit`, { method: 'POST', body: '{}' });
    expect(malformed.status).toBe(401);
  });
});

describe('reversal', () => {
  test('returns every fen to the account it came from, once; a second reversal under another key is INVALID_STATE', async () => {
    const own = await register('350100');
    const relative = await register('350100');
    await credit(own, '30.00');
    await credit(relative, '2100.00');
    const paid = await debit({
      scope: 'test',
      idempotencyKey: uniqueKey(),
      reference: 'S-5',
      amountFen: 20000,
      mode: 'UP_TO',
      steps: [
        { accountId: own, floorFen: 0, kind: 'OWN_ACCOUNT_PAYMENT' },
        { accountId: relative, floorFen: 200000, kind: 'MUTUAL_AID_PAYMENT', beneficiaryId: own },
      ],
    });
    expect(await balances(own, relative)).toEqual([0, 200000]);
    const reverse = {
      scope: 'refund:H1',
      idempotencyKey: uniqueKey(),
      transferId: paid.result.transferId,
      kind: 'REFUND',
      reference: 'S-5',
    };
    const first = await internal('/internal/ledger/reverse', reverse);
    expect(first.result.steps.map((step: { paidFen: number }) => step.paidFen)).toEqual([3000, 10000]);
    expect(await balances(own, relative)).toEqual([3000, 210000]);
    expect((await internal('/internal/ledger/reverse', reverse)).result).toEqual(first.result);
    expect((await internal('/internal/ledger/reverse', { ...reverse, idempotencyKey: uniqueKey() })).error?.code).toBe('INVALID_STATE');
    expect(await balances(own, relative)).toEqual([3000, 210000]);
    await expectBalancesEqualEntries('35', [own, relative]);
  });

  test('concurrent reversals of one debit under different keys return the money once', async () => {
    const own = await register('532300');
    await credit(own, '10.00');
    const paid = await debit({
      scope: 'test',
      idempotencyKey: uniqueKey(),
      reference: 'S-6',
      amountFen: 1000,
      mode: 'UP_TO',
      steps: [{ accountId: own, floorFen: 0, kind: 'OWN_ACCOUNT_PAYMENT' }],
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        internal('/internal/ledger/reverse', {
          scope: 'refund',
          idempotencyKey: uniqueKey(),
          transferId: paid.result.transferId,
          kind: 'REFUND',
          reference: 'S-6',
        }),
      ),
    );
    expect(results.filter((result) => result.result).length).toBe(1);
    expect(results.filter((result) => result.error?.code === 'INVALID_STATE').length).toBe(9);
    expect(await balances(own)).toEqual([1000]);
  });

  test('an unknown transfer is NOT_FOUND and a credit cannot be reversed', async () => {
    const own = await register('430700');
    await credit(own, '5.00');
    const entries = await database('accounts', '43');
    const [rows] = await entries.query('SELECT transfer_id FROM ledger_entries WHERE account_id = ?', [own]);
    await entries.end();
    const creditTransfer = (rows as Array<{ transfer_id: string }>)[0].transfer_id;
    expect(
      (
        await internal('/internal/ledger/reverse', {
          scope: 'r',
          idempotencyKey: uniqueKey(),
          transferId: creditTransfer,
          kind: 'REVERSAL',
          reference: 'x',
        })
      ).error?.code,
    ).toBe('INVALID_STATE');
    expect(
      (
        await internal('/internal/ledger/reverse', {
          scope: 'r',
          idempotencyKey: uniqueKey(),
          transferId: '430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P',
          kind: 'REFUND',
          reference: 'x',
        })
      ).error?.code,
    ).toBe('NOT_FOUND');
  });
});

describe('credentials', () => {
  test('resolve to their holder until revoked; a person may hold several', async () => {
    const admin = await token({ role: 'ADMIN' });
    const holder = await register('650100');
    const issue = async () =>
      (await gql('mutation($id: ID!) { issueCredential(personId: $id) { token } }', { id: holder }, { token: admin })).data.issueCredential
        .token as string;
    const card = await issue();
    const phone = await issue();
    const resolve = async (...tokens: string[]) => (await internal('/internal/credentials/resolve', { tokens })).result.credentials;
    expect(
      (await resolve(card, phone, '650100.unknown', 'garbage')).map((found: { holderId: string } | null) => found?.holderId ?? null),
    ).toEqual([holder, holder, null, null]);
    const revoked = await gql('mutation($t: String!) { revokeCredential(token: $t) }', { t: card }, { token: admin });
    expect(revoked.data.revokeCredential).toBe(true);
    expect((await resolve(card, phone)).map((found: { holderId: string } | null) => found?.holderId ?? null)).toEqual([null, holder]);
  });
});
