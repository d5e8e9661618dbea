import { accountsUrl, codes, familyUrl, gql, internal, metricSum, register, token } from './client';

const REQUEST = `mutation Request($input: RequestBindingInput!) {
  requestFamilyBinding(input: $input) { id relationship status createdAt effectiveAt revokedAt reviewNote authorizer { id } beneficiary { id } }
}`;
const REVIEW =
  'mutation Review($id: ID!, $approve: Boolean!, $note: String) { reviewFamilyBinding(id: $id, approve: $approve, note: $note) { id status effectiveAt reviewNote } }';
const REVOKE = 'mutation Revoke($id: ID!) { revokeFamilyBinding(id: $id) { id status revokedAt } }';
const BINDING =
  'query Binding($id: ID!) { familyBinding(id: $id) { id status relationship authorizer { id name } beneficiary { id name maskedIdNumber } } }';

type Relationship = 'SPOUSE' | 'PARENT' | 'CHILD' | 'SIBLING' | 'PATERNAL_GRANDPARENT';

async function bind(
  authorizerId: string,
  beneficiaryId: string,
  relationship: Relationship,
  extra: { evidence?: string[]; commitmentAccepted?: boolean; asToken?: string } = {},
) {
  const callerToken = extra.asToken ?? (await token({ role: 'INSURED', personId: authorizerId }));
  return gql(
    REQUEST,
    {
      input: { authorizerId, beneficiaryId, relationship, commitmentAccepted: extra.commitmentAccepted ?? true, evidence: extra.evidence },
    },
    { token: callerToken },
  );
}

async function bound(authorizerId: string, beneficiaryId: string, relationship: Relationship, evidence?: string[]): Promise<string> {
  const result = await bind(authorizerId, beneficiaryId, relationship, { evidence });
  if (!result.data?.requestFamilyBinding) throw new Error(JSON.stringify(result.errors));
  return result.data.requestFamilyBinding.id;
}

async function setStatus(id: string, status: string): Promise<void> {
  await gql(
    'mutation($id: ID!, $s: EnrollmentStatus!) { setEnrollmentStatus(personId: $id, status: $s) { id } }',
    { id, s: status },
    { token: await token({ role: 'ADMIN' }) },
  );
}

describe('430700 常德: all eight near relatives, no review, the beneficiary accepts (test/consent.test.ts)', () => {
  test("a sibling's binding waits for her acceptance, in the authorizer's region", async () => {
    const authorizer = await register('430700');
    const sibling = await register('430700', 'RESIDENT');
    const result = await bind(authorizer, sibling, 'SIBLING');
    expect(result.errors).toBeUndefined();
    const binding = result.data.requestFamilyBinding;
    expect(binding).toMatchObject({
      relationship: 'SIBLING',
      status: 'PENDING_CONSENT',
      effectiveAt: null,
      revokedAt: null,
      authorizer: { id: authorizer },
      beneficiary: { id: sibling },
    });
    expect(binding.id).toMatch(/^430700-/);
  });

  test('a beneficiary in 532300 is another province: CROSS_PROVINCE_NOT_ALLOWED', async () => {
    const result = await bind(await register('430700'), await register('532300', 'RESIDENT'), 'PARENT');
    expect(codes(result)).toEqual(['CROSS_PROVINCE_NOT_ALLOWED']);
    expect(result.errors?.[0].message).toMatch(/430700.*532300/);
  });

  test('430700 and 430100 are one province: a grandparent binds across the two cities', async () => {
    expect(
      (await bind(await register('430700'), await register('430100', 'RESIDENT'), 'PATERNAL_GRANDPARENT')).data.requestFamilyBinding.status,
    ).toBe('PENDING_CONSENT');
  });
});

describe('532300 楚雄: spouse, parents and children only', () => {
  test('a sibling is RELATIONSHIP_NOT_ALLOWED with what is allowed; a parent binds', async () => {
    const authorizer = await register('532300');
    const sibling = await register('532300', 'RESIDENT');
    const refused = await bind(authorizer, sibling, 'SIBLING');
    expect(codes(refused)).toEqual(['RELATIONSHIP_NOT_ALLOWED']);
    expect(refused.errors?.[0].message).toContain('配偶、父母、子女');
    expect((await bind(authorizer, sibling, 'PARENT')).data.requestFamilyBinding.status).toBe('ACTIVE');
  });
});

describe('350100 福州: reviewed bindings with evidence', () => {
  test('without evidence BAD_USER_INPUT; with evidence PENDING_REVIEW until an ADMIN of 350100 approves', async () => {
    const authorizer = await register('350100');
    const child = await register('350100', 'RESIDENT');
    expect(codes(await bind(authorizer, child, 'CHILD'))).toEqual(['BAD_USER_INPUT']);
    const pending = (await bind(authorizer, child, 'CHILD', { evidence: ['出生证明 M350100-2020-001'] })).data.requestFamilyBinding;
    expect(pending).toMatchObject({ status: 'PENDING_REVIEW', effectiveAt: null });

    expect(
      codes(await gql(REVIEW, { id: pending.id, approve: true }, { token: await token({ role: 'ADMIN', region: '430700' }) })),
    ).toEqual(['FORBIDDEN']);
    expect(
      codes(await gql(REVIEW, { id: pending.id, approve: true }, { token: await token({ role: 'INSURED', personId: authorizer }) })),
    ).toEqual(['FORBIDDEN']);
    const approved = await gql(
      REVIEW,
      { id: pending.id, approve: true, note: '材料齐全' },
      { token: await token({ role: 'ADMIN', region: '350100' }) },
    );
    expect(approved.data.reviewFamilyBinding).toMatchObject({ status: 'ACTIVE', reviewNote: '材料齐全' });
    expect(approved.data.reviewFamilyBinding.effectiveAt).not.toBeNull();
    expect(
      codes(await gql(REVIEW, { id: pending.id, approve: false }, { token: await token({ role: 'ADMIN', region: '350100' }) })),
    ).toEqual(['INVALID_STATE']);
  });

  test('a rejected binding keeps the note, frees the pair, and the pair may ask again', async () => {
    const authorizer = await register('350100');
    const parent = await register('350100', 'RESIDENT');
    const first = await bound(authorizer, parent, 'PARENT', ['户口簿 001']);
    const rejected = await gql(
      REVIEW,
      { id: first, approve: false, note: '户口簿页缺失' },
      { token: await token({ role: 'ADMIN', region: '350100' }) },
    );
    expect(rejected.data.reviewFamilyBinding).toMatchObject({ status: 'REJECTED', reviewNote: '户口簿页缺失', effectiveAt: null });
    const again = await bind(authorizer, parent, 'PARENT', { evidence: ['户口簿 001 全页'] });
    expect(again.data.requestFamilyBinding.status).toBe('PENDING_REVIEW');
    expect(again.data.requestFamilyBinding.id).not.toBe(first);
  });

  test('350100 -> 430700 is refused: only one side allows cross-province', async () => {
    expect(codes(await bind(await register('350100'), await register('430700', 'RESIDENT'), 'PARENT', { evidence: ['x'] }))).toEqual([
      'CROSS_PROVINCE_NOT_ALLOWED',
    ]);
  });
});

describe('650100 乌鲁木齐 and cross-province mutual aid', () => {
  test("350100 -> 650100 is allowed (both regions allow it) and waits for 350100's review", async () => {
    const result = await bind(await register('350100'), await register('650100', 'RESIDENT'), 'PARENT', { evidence: ['户口簿 F-88'] });
    expect(result.data.requestFamilyBinding.status).toBe('PENDING_REVIEW');
  });

  test('650100 -> 350100 is allowed; the beneficiary in 350100 sees the binding kept in 65', async () => {
    const authorizer = await register('650100');
    const beneficiary = await register('350100');
    const id = await bound(authorizer, beneficiary, 'SPOUSE');
    expect(id).toMatch(/^650100-/);
    const seen = await gql(
      'query($id: ID!) { person(id: $id) { bindingsAsBeneficiary { id status relationship authorizer { id name maskedIdNumber } } } }',
      { id: beneficiary },
      { token: await token({ role: 'INSURED', personId: beneficiary }) },
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data.person.bindingsAsBeneficiary).toEqual([
      expect.objectContaining({
        id,
        status: 'ACTIVE',
        relationship: 'SPOUSE',
        authorizer: expect.objectContaining({ id: authorizer, name: '测试人' }),
      }),
    ]);
  });
});

describe('eligibility refusals, each with its own code', () => {
  test('a RESIDENT authorizer is NOT_ELIGIBLE', async () => {
    expect(codes(await bind(await register('430700', 'RESIDENT'), await register('430700'), 'CHILD'))).toEqual(['NOT_ELIGIBLE']);
  });

  test('a suspended authorizer or terminated beneficiary is NOT_INSURED', async () => {
    const authorizer = await register('430700');
    const beneficiary = await register('430700');
    await setStatus(beneficiary, 'TERMINATED');
    expect(codes(await bind(authorizer, beneficiary, 'CHILD'))).toEqual(['NOT_INSURED']);
    await setStatus(beneficiary, 'ACTIVE');
    await setStatus(authorizer, 'SUSPENDED');
    expect(codes(await bind(authorizer, beneficiary, 'CHILD'))).toEqual(['NOT_INSURED']);
  });

  test('no commitment letter or binding oneself is BAD_USER_INPUT; unknown persons are NOT_FOUND', async () => {
    const authorizer = await register('532300');
    const child = await register('532300');
    expect(codes(await bind(authorizer, child, 'CHILD', { commitmentAccepted: false }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await bind(authorizer, authorizer, 'CHILD'))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await bind(authorizer, '532300-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P', 'CHILD'))).toEqual(['NOT_FOUND']);
  });

  test('a second open binding for the pair or a second spouse is DUPLICATE_BINDING, also under concurrency', async () => {
    const authorizer = await register('430700');
    const spouse = await register('430700');
    const other = await register('430700');
    const attempts = await Promise.all(Array.from({ length: 10 }, () => bind(authorizer, spouse, 'SPOUSE')));
    expect(attempts.filter((attempt) => attempt.data?.requestFamilyBinding).length).toBe(1);
    expect(attempts.flatMap(codes)).toEqual(Array(9).fill('DUPLICATE_BINDING'));
    expect(codes(await bind(authorizer, spouse, 'SIBLING'))).toEqual(['DUPLICATE_BINDING']);
    const secondSpouse = await bind(authorizer, other, 'SPOUSE');
    expect(codes(secondSpouse)).toEqual(['DUPLICATE_BINDING']);
    expect(secondSpouse.errors?.[0].message).toContain('SPOUSE');
  });

  test('an INSURED person may request only for his own account; an ADMIN only in his region', async () => {
    const authorizer = await register('430700');
    const child = await register('430700');
    const stranger = await token({ role: 'INSURED', personId: child });
    expect(codes(await bind(authorizer, child, 'CHILD', { asToken: stranger }))).toEqual(['FORBIDDEN']);
    expect(codes(await bind(authorizer, child, 'CHILD', { asToken: await token({ role: 'ADMIN', region: '350100' }) }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await bind(authorizer, child, 'CHILD', { asToken: await token({ role: 'ANALYST' }) }))).toEqual(['FORBIDDEN']);
    expect(
      (await bind(authorizer, child, 'CHILD', { asToken: await token({ role: 'ADMIN', region: '430700' }) })).data.requestFamilyBinding
        .status,
    ).toBe('PENDING_CONSENT');
  });
});

describe('revoking', () => {
  test('by the beneficiary takes effect at once, keeps history, and the pair can bind again', async () => {
    const authorizer = await register('532300');
    const child = await register('532300', 'RESIDENT');
    const first = await bound(authorizer, child, 'CHILD');
    const revoked = await gql(REVOKE, { id: first }, { token: await token({ role: 'INSURED', personId: child }) });
    expect(revoked.data.revokeFamilyBinding.status).toBe('REVOKED');
    expect(revoked.data.revokeFamilyBinding.revokedAt).not.toBeNull();
    expect(codes(await gql(REVOKE, { id: first }, { token: await token({ role: 'ADMIN' }) }))).toEqual(['INVALID_STATE']);
    const second = await bound(authorizer, child, 'CHILD');
    const list = await gql(
      'query($id: ID!) { person(id: $id) { bindingsAsAuthorizer { id status } } }',
      { id: authorizer },
      { token: await token({ role: 'INSURED', personId: authorizer }) },
    );
    expect(list.data.person.bindingsAsAuthorizer).toEqual([
      { id: second, status: 'ACTIVE' },
      { id: first, status: 'REVOKED' },
    ]);
  });

  test('by a stranger is FORBIDDEN; by the authorizer or an ADMIN works', async () => {
    const authorizer = await register('650100');
    const parent = await register('650100');
    const id = await bound(authorizer, parent, 'PARENT');
    expect(codes(await gql(REVOKE, { id }, { token: await token({ role: 'INSURED', personId: await register('650100') }) }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await gql(REVOKE, { id }, { token: await token({ role: 'ADMIN', region: '430700' }) }))).toEqual(['FORBIDDEN']);
    expect(
      (await gql(REVOKE, { id }, { token: await token({ role: 'INSURED', personId: authorizer }) })).data.revokeFamilyBinding.status,
    ).toBe('REVOKED');
    const again = await bound(authorizer, parent, 'PARENT');
    expect(
      (await gql(REVOKE, { id: again }, { token: await token({ role: 'ADMIN', region: '650100' }) })).data.revokeFamilyBinding.status,
    ).toBe('REVOKED');
  });
});

describe('who sees what', () => {
  test('the parties see the binding, relatives only as name and masked id; others see nothing', async () => {
    const authorizer = await register('430700');
    const child = await register('430700');
    const id = await bound(authorizer, child, 'CHILD');
    const asAuthorizer = await token({ role: 'INSURED', personId: authorizer });
    const mine = await gql(BINDING, { id }, { token: asAuthorizer });
    expect(mine.data.familyBinding).toMatchObject({ id, beneficiary: { id: child, name: '测试人' } });
    expect(mine.data.familyBinding.beneficiary.maskedIdNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);

    const deeper = await gql(
      'query($id: ID!) { familyBinding(id: $id) { beneficiary { name personalAccount { balance } } } }',
      { id },
      { token: asAuthorizer },
    );
    expect(codes(deeper)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(deeper.data)).not.toContain('balance');
    expect(codes(await gql('query($id: ID!) { person(id: $id) { name } }', { id: child }, { token: asAuthorizer }))).toEqual(['FORBIDDEN']);

    const asChild = await gql(BINDING, { id }, { token: await token({ role: 'INSURED', personId: child }) });
    expect(asChild.data.familyBinding.authorizer.id).toBe(authorizer);

    for (const caller of [
      await token({ role: 'INSURED', personId: await register('430700') }),
      await token({ role: 'ANALYST' }),
      await token({ role: 'TERMINAL', institutionId: 'H1' }),
    ]) {
      const denied = await gql(BINDING, { id }, { token: caller });
      expect(denied.data?.familyBinding ?? null).toBeNull();
      expect(codes(denied)).toEqual(['FORBIDDEN']);
    }
    expect(codes(await gql(BINDING, { id }))).toEqual(['UNAUTHENTICATED']);
    const unknown = await gql(BINDING, { id: '430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P' }, { token: await token({ role: 'ADMIN' }) });
    expect(unknown.data.familyBinding).toBeNull();
    expect(unknown.errors).toBeUndefined();
  });

  test("another person's list of bindings is FORBIDDEN, also to an ADMIN of another region", async () => {
    const authorizer = await register('430100');
    await bound(authorizer, await register('430100'), 'PARENT');
    const query = 'query($id: ID!) { person(id: $id) { id bindingsAsAuthorizer { id } } }';
    expect(
      (await gql(query, { id: authorizer }, { token: await token({ role: 'ADMIN', region: '430100' }) })).data.person.bindingsAsAuthorizer,
    ).toHaveLength(1);
    expect(codes(await gql(query, { id: authorizer }, { token: await token({ role: 'ADMIN', region: '650100' }) }))).toEqual(['FORBIDDEN']);
  });
});

describe('audit', () => {
  test('every state change is recorded with who and when, for ADMIN only', async () => {
    const authorizer = await register('350100');
    const spouse = await register('350100');
    const id = await bound(authorizer, spouse, 'SPOUSE', ['结婚证 J001']);
    await gql(REVIEW, { id, approve: true }, { token: await token({ role: 'ADMIN', region: '350100', sub: 'reviewer-7' }) });
    await gql(REVOKE, { id }, { token: await token({ role: 'INSURED', personId: spouse }) });
    const HISTORY = 'query($id: ID!) { familyBinding(id: $id) { history { action fromStatus toStatus actorRole actorSub at } } }';
    const history = (await gql(HISTORY, { id }, { token: await token({ role: 'ADMIN', region: '350100' }) })).data.familyBinding.history;
    expect(
      history.map((event: { action: string; fromStatus: string | null; toStatus: string; actorRole: string }) => [
        event.action,
        event.fromStatus,
        event.toStatus,
        event.actorRole,
      ]),
    ).toEqual([
      ['REQUEST', null, 'PENDING_REVIEW', 'INSURED'],
      ['APPROVE', 'PENDING_REVIEW', 'ACTIVE', 'ADMIN'],
      ['REVOKE', 'ACTIVE', 'REVOKED', 'INSURED'],
    ]);
    expect(history[1].actorSub).toBe('reviewer-7');
    expect(codes(await gql(HISTORY, { id }, { token: await token({ role: 'INSURED', personId: authorizer }) }))).toEqual(['FORBIDDEN']);
  });
});

describe('the payers API for settlements', () => {
  test('lists ACTIVE bindings per patient, oldest effectiveAt first, across provinces, batched', async () => {
    const patient = await register('350100', 'RESIDENT');
    const older = await register('350100');
    const newer = await register('650100');
    const revokedPayer = await register('350100');
    const olderId = await bound(older, patient, 'CHILD', ['出生证明']);
    const newerId = await bound(newer, patient, 'PARENT');
    const revokedId = await bound(revokedPayer, patient, 'SPOUSE', ['结婚证']);
    const admin = await token({ role: 'ADMIN' });
    await gql(REVIEW, { id: olderId, approve: true }, { token: admin });
    await gql(REVIEW, { id: revokedId, approve: true }, { token: admin });
    await gql(REVOKE, { id: revokedId }, { token: admin });
    const lonely = await register('430700');
    const { result } = await internal('/internal/bindings/payers', { beneficiaryIds: [patient, lonely] }, familyUrl);
    // The 650100 binding was ACTIVE at once; the 350100 one only when approved, so it pays second.
    expect(result.payers[0].map((payer: { bindingId: string }) => payer.bindingId)).toEqual([newerId, olderId]);
    expect(result.payers[0][0]).toMatchObject({ authorizerId: newer, authorizerRegion: '650100', relationship: 'PARENT' });
    expect(result.payers[1]).toEqual([]);
    const before = await internal('/internal/bindings/payers', { beneficiaryIds: [patient], at: '2000-01-01T00:00:00.000Z' }, familyUrl);
    expect(before.result.payers[0]).toEqual([]);
  });
});

test('the family view over 50 bindings costs as many SQL statements as over 5', async () => {
  const small = await register('430700');
  const large = await register('430700');
  for (let index = 0; index < 5; index += 1) await bound(small, await register('430700', 'RESIDENT'), 'CHILD');
  for (let index = 0; index < 50; index += 1) await bound(large, await register('430100', 'RESIDENT'), 'CHILD');
  const view = 'query($id: ID!) { person(id: $id) { bindingsAsAuthorizer { beneficiary { name } relationship status } } }';
  async function statements(id: string): Promise<{ count: number; bindings: number }> {
    const callerToken = await token({ role: 'INSURED', personId: id });
    const before =
      (await metricSum(accountsUrl, 'db_queries_total', 'origin="request"')) +
      (await metricSum(familyUrl, 'db_queries_total', 'origin="request"'));
    const result = await gql(view, { id }, { token: callerToken });
    const after =
      (await metricSum(accountsUrl, 'db_queries_total', 'origin="request"')) +
      (await metricSum(familyUrl, 'db_queries_total', 'origin="request"'));
    expect(result.errors).toBeUndefined();
    return { count: after - before, bindings: result.data.person.bindingsAsAuthorizer.length };
  }
  const five = await statements(small);
  const fifty = await statements(large);
  expect([five.bindings, fifty.bindings]).toEqual([5, 50]);
  expect(fifty.count).toBe(five.count);
  expect(fifty.count).toBeLessThanOrEqual(3);
});
