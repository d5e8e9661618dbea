import { codes, credit, CREDIT, database, gql, internal, newResidentId, register, REGISTER, token, uniqueKey } from './client';

const PERSON = `query Person($id: ID!) {
  person(id: $id) { id name maskedIdNumber scheme status region { code policy { retainedFloor } } personalAccount { balance shareableBalance } }
}`;

describe('the foundation scenario: Fuzhou employee, 2500.00 credited, 500.00 shareable', () => {
  test('an ADMIN registers, credits and reads; another INSURED person cannot read', async () => {
    const admin = await token({ role: 'ADMIN', region: '350100' });
    const idNumber = newResidentId('350102');
    const registered = await gql(
      REGISTER,
      { input: { idNumber, name: '林晓', regionCode: '350100', scheme: 'EMPLOYEE' } },
      { token: admin },
    );
    expect(registered.errors).toBeUndefined();
    const person = registered.data.registerInsured;
    expect(person).toMatchObject({
      name: '林晓',
      scheme: 'EMPLOYEE',
      status: 'ACTIVE',
      region: { code: '350100' },
      personalAccount: { balance: '0.00', shareableBalance: '0.00' },
    });
    expect(person.id).toMatch(/^350100-[0-9A-Z]{26}$/);
    expect(person.maskedIdNumber).toBe(`${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`);
    expect(JSON.stringify(registered)).not.toContain(idNumber);

    const credited = await gql(
      CREDIT,
      { input: { personId: person.id, amount: '2500.00', idempotencyKey: uniqueKey('monthly'), memo: '2026-11 划入' } },
      { token: admin },
    );
    expect(credited.data.creditPersonalAccount).toMatchObject({ amount: '2500.00', balanceAfter: '2500.00', kind: 'CREDIT' });

    const read = await gql(PERSON, { id: person.id }, { token: admin });
    expect(read.data.person.personalAccount).toEqual({ balance: '2500.00', shareableBalance: '500.00' });
    expect(read.data.person.region.policy.retainedFloor).toBe('2000.00');

    const himself = await gql(PERSON, { id: person.id }, { token: await token({ role: 'INSURED', personId: person.id }) });
    expect(himself.data.person.personalAccount.shareableBalance).toBe('500.00');

    const other = await register('350100');
    const stranger = await gql(PERSON, { id: person.id }, { token: await token({ role: 'INSURED', personId: other }) });
    expect(stranger.data.person).toBeNull();
    expect(codes(stranger)).toEqual(['FORBIDDEN']);
    expect(stranger.errors?.[0].path).toEqual(['person']);
  });
});

describe('registerInsured', () => {
  const admin = () => token({ role: 'ADMIN' });

  test.each([
    ['a wrong check digit', '110105194912310021'],
    ['17 characters', '11010519491231002'],
    ['an impossible birth date', '110105194902300026'],
    ['letters inside', '1101051949123A002X'],
  ])('refuses %s with BAD_USER_INPUT', async (_name, idNumber) => {
    const result = await gql(
      REGISTER,
      { input: { idNumber, name: '王五', regionCode: '430700', scheme: 'EMPLOYEE' } },
      { token: await admin() },
    );
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0].message).toMatch(/\/ /);
  });

  test('refuses a duplicate id number, also in another province, and stores only its mask and hash', async () => {
    const idNumber = newResidentId();
    const first = await gql(
      REGISTER,
      { input: { idNumber, name: '赵六', regionCode: '430700', scheme: 'RESIDENT' } },
      { token: await admin() },
    );
    expect(first.errors).toBeUndefined();
    for (const regionCode of ['430700', '650100']) {
      const again = await gql(
        REGISTER,
        { input: { idNumber: idNumber.toLowerCase(), name: '赵六', regionCode, scheme: 'EMPLOYEE' } },
        { token: await admin() },
      );
      expect(codes(again)).toEqual(['BAD_USER_INPUT']);
      expect(again.errors?.[0].message).toContain('already registered');
    }
    const connection = await database('accounts', '43');
    try {
      const [rows] = await connection.query(
        'SELECT CONCAT_WS("|", id, name, masked_id_number, id_number_hash) AS stored FROM persons WHERE id = ?',
        [first.data.registerInsured.id],
      );
      expect((rows as Array<{ stored: string }>)[0].stored).not.toContain(idNumber.slice(4, 14));
    } finally {
      await connection.end();
    }
  });

  test('of concurrent registrations of one number in four provinces exactly one succeeds', async () => {
    const idNumber = newResidentId();
    const results = await Promise.all(
      ['430700', '532300', '350100', '650100'].map(async (regionCode) =>
        gql(REGISTER, { input: { idNumber, name: '并发', regionCode, scheme: 'EMPLOYEE' } }, { token: await admin() }),
      ),
    );
    expect(results.filter((result) => result.data?.registerInsured).length).toBe(1);
    expect(results.flatMap(codes).sort()).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
  });

  test('a RESIDENT has no personal account and cannot be credited', async () => {
    const resident = await register('532300', 'RESIDENT');
    const read = await gql(PERSON, { id: resident }, { token: await admin() });
    expect(read.data.person).toMatchObject({ scheme: 'RESIDENT', personalAccount: null });
    const credited = await gql(
      CREDIT,
      { input: { personId: resident, amount: '10.00', idempotencyKey: uniqueKey() } },
      { token: await admin() },
    );
    expect(codes(credited)).toEqual(['NOT_ELIGIBLE']);
  });

  test('an unknown region is BAD_USER_INPUT; an ADMIN of another region is FORBIDDEN; other roles are FORBIDDEN', async () => {
    const input = { idNumber: newResidentId(), name: '钱七', regionCode: '999900', scheme: 'EMPLOYEE' };
    expect(codes(await gql(REGISTER, { input }, { token: await admin() }))).toEqual(['BAD_USER_INPUT']);
    const elsewhere = { ...input, regionCode: '350100' };
    expect(codes(await gql(REGISTER, { input: elsewhere }, { token: await token({ role: 'ADMIN', region: '430700' }) }))).toEqual([
      'FORBIDDEN',
    ]);
    for (const caller of [
      { role: 'ANALYST' as const },
      { role: 'TERMINAL' as const, institutionId: 'H1' },
      { role: 'PARTNER' as const, partnerCode: 'HS' },
    ]) {
      expect(codes(await gql(REGISTER, { input: elsewhere }, { token: await token(caller) }))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await gql(REGISTER, { input: elsewhere }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('reading persons', () => {
  test('unknown id is null without error; anonymous is UNAUTHENTICATED; ANALYST is FORBIDDEN', async () => {
    const unknown = await gql(PERSON, { id: '430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P' }, { token: await token({ role: 'ADMIN' }) });
    expect(unknown).toMatchObject({ data: { person: null } });
    expect(unknown.errors).toBeUndefined();
    const id = await register('430700');
    expect(codes(await gql(PERSON, { id }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gql(PERSON, { id }, { token: await token({ role: 'ANALYST' }) }))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(PERSON, { id }, { token: await token({ role: 'ADMIN', region: '532300' }) }))).toEqual(['FORBIDDEN']);
    expect((await gql(PERSON, { id }, { token: await token({ role: 'ADMIN', region: '430700' }) })).data.person.id).toBe(id);
  });
});

describe('creditPersonalAccount', () => {
  test('is idempotent by key, refuses the same key with other content, and never credits twice under 20 concurrent retries', async () => {
    const admin = await token({ role: 'ADMIN' });
    const id = await register('430700');
    const input = { personId: id, amount: '300.00', idempotencyKey: uniqueKey('monthly') };
    const results = await Promise.all(Array.from({ length: 20 }, () => gql(CREDIT, { input }, { token: admin })));
    const entryIds = new Set(results.map((result) => result.data?.creditPersonalAccount?.id));
    expect(results.flatMap(codes)).toEqual([]);
    expect(entryIds.size).toBe(1);
    const conflict = await gql(CREDIT, { input: { ...input, amount: '301.00' } }, { token: admin });
    expect(codes(conflict)).toEqual(['IDEMPOTENCY_CONFLICT']);
    const read = await gql(PERSON, { id }, { token: admin });
    expect(read.data.person.personalAccount.balance).toBe('300.00');
  });

  test.each([['-0.01'], ['0.001'], ['1e3'], ['NaN'], ['0.00'], ['1000000000000.01'], [12.5]])(
    'refuses the amount %p and writes nothing',
    async (amount) => {
      const admin = await token({ role: 'ADMIN' });
      const id = await register('650100');
      const result = await gql(CREDIT, { input: { personId: id, amount, idempotencyKey: uniqueKey() } }, { token: admin });
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      const read = await gql(PERSON, { id }, { token: admin });
      expect(read.data.person.personalAccount.balance).toBe('0.00');
    },
  );

  test('refuses a bad idempotency key, an unknown person and a terminated enrolment', async () => {
    const admin = await token({ role: 'ADMIN' });
    const id = await register('650100');
    expect(codes(await gql(CREDIT, { input: { personId: id, amount: '1.00', idempotencyKey: '' } }, { token: admin }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(
      codes(
        await gql(
          CREDIT,
          { input: { personId: '650100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P', amount: '1.00', idempotencyKey: uniqueKey() } },
          { token: admin },
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    await gql('mutation($id: ID!) { setEnrollmentStatus(personId: $id, status: TERMINATED) { status } }', { id }, { token: admin });
    expect(codes(await gql(CREDIT, { input: { personId: id, amount: '1.00', idempotencyKey: uniqueKey() } }, { token: admin }))).toEqual([
      'NOT_INSURED',
    ]);
  });
});

describe('ledger entries', () => {
  const ENTRIES = `query Entries($id: ID!, $first: Int, $after: String) {
    person(id: $id) { personalAccount { balance entries(first: $first, after: $after) { nodes { amount balanceAfter kind } endCursor hasNextPage } } }
  }`;

  test('come newest first in pages, and the balance equals the sum of the entries', async () => {
    const admin = await token({ role: 'ADMIN' });
    const id = await register('532300');
    for (const amount of ['1.00', '2.00', '3.00', '4.00', '5.00']) await credit(id, amount);
    const first = await gql(ENTRIES, { id, first: 2 }, { token: admin });
    const page1 = first.data.person.personalAccount.entries;
    expect(page1.nodes.map((node: { amount: string }) => node.amount)).toEqual(['5.00', '4.00']);
    expect(page1.hasNextPage).toBe(true);
    const second = await gql(ENTRIES, { id, first: 10, after: page1.endCursor }, { token: admin });
    const page2 = second.data.person.personalAccount.entries;
    expect(page2.nodes.map((node: { balanceAfter: string }) => node.balanceAfter)).toEqual(['6.00', '3.00', '1.00']);
    expect(page2.hasNextPage).toBe(false);
    expect(first.data.person.personalAccount.balance).toBe('15.00');
  });

  test('refuse a page size above 100 and a forged cursor', async () => {
    const admin = await token({ role: 'ADMIN' });
    const id = await register('532300');
    expect(codes(await gql(ENTRIES, { id, first: 101 }, { token: admin }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(ENTRIES, { id, first: 5, after: 'bm90LWEtY3Vyc29y' }, { token: admin }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('setEnrollmentStatus', () => {
  test('suspends, terminates and reactivates, for an ADMIN of the region only', async () => {
    const id = await register('430100');
    const SET = 'mutation($id: ID!, $status: EnrollmentStatus!) { setEnrollmentStatus(personId: $id, status: $status) { id status } }';
    const admin = await token({ role: 'ADMIN', region: '430100' });
    for (const status of ['SUSPENDED', 'TERMINATED', 'ACTIVE']) {
      expect((await gql(SET, { id, status }, { token: admin })).data.setEnrollmentStatus.status).toBe(status);
    }
    expect(codes(await gql(SET, { id, status: 'SUSPENDED' }, { token: await token({ role: 'ADMIN', region: '430700' }) }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await gql(SET, { id, status: 'SUSPENDED' }, { token: await token({ role: 'INSURED', personId: id }) }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await gql(SET, { id: '430100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P', status: 'ACTIVE' }, { token: admin }))).toEqual(['NOT_FOUND']);
  });
});

describe('the persons match API (a relative named by 身份证号 and name)', () => {
  test('answers the enrolled person only for the exact number and name; every mismatch alike', async () => {
    const idNumber = newResidentId();
    const registered = await gql(
      REGISTER,
      { input: { idNumber, name: '王秀英', regionCode: '430700', scheme: 'RESIDENT' } },
      { token: await token({ role: 'ADMIN' }) },
    );
    const id = registered.data.registerInsured.id as string;
    const match = async (number: string, name: string) => (await internal('/internal/persons/match', { idNumber: number, name })).result;
    expect(await match(idNumber, '王秀英')).toEqual({ personId: id });
    expect(await match(` ${idNumber.toLowerCase()} `, ' 王秀英 ')).toEqual({ personId: id });
    const unknown = newResidentId();
    for (const [number, name] of [
      [idNumber, '王秀'],
      [idNumber, '王秀英英'],
      [unknown, '王秀英'],
      ['123', '王秀英'],
      [`${idNumber.slice(0, 17)}${idNumber.endsWith('0') ? '1' : '0'}`, '王秀英'],
    ]) {
      expect(await match(number, name)).toEqual({ personId: null });
    }
  });
});
