import { signIdentity } from '../subgraphs/shared/identity';
import { accountsUrl, codes, database, gql, metricSum, register, stack, token } from './client';
import { balanceOf, counter, employee, issueCard, settleAt, type Counter } from './counter';

/**
 * The counter's real day: the card tells the counter who the patient is (人员信息获取), and a
 * suspension for 冒名就医 is the person's, whatever card he brings.
 */
const WHO = 'query Who { patientByCredential { id name maskedIdNumber status settlementSuspended personalAccount { balance } } }';

/** An ADMIN limited to a region sees only refusals of its credentials; one for all regions sees those of no credential too. */
async function refusalsAt(desk: Counter, region?: string) {
  const result = await gql(
    '{ credentialRefusals(first: 20) { nodes { code institutionId operationName holder { id } claimedPatientIds } } }',
    {},
    { token: await token({ role: 'ADMIN', region }) },
  );
  return (
    result.data.credentialRefusals.nodes as Array<{
      code: string;
      institutionId: string;
      operationName: string;
      holder: { id: string } | null;
      claimedPatientIds: string[];
    }>
  ).filter((refusal) => refusal.institutionId === desk.institutionId);
}

async function auditActions(personId: string): Promise<string[]> {
  const connection = await database('accounts', personId.slice(0, 2));
  try {
    const [rows] = await connection.query('SELECT action FROM person_audit WHERE person_id = ? ORDER BY created_at, id', [personId]);
    return (rows as Array<{ action: string }>).map((row) => row.action);
  } finally {
    await connection.end();
  }
}

const mismatch = (desk: Counter, victim: string, card: string) => settleAt(desk, victim, card, { inScopeAmount: '10.00' });

describe('patientByCredential (人员信息获取, 1101)', () => {
  test('the counter learns the patient from his card, then settles for him with it', async () => {
    const patient = await employee('350100', '300.00');
    const card = await issueCard(patient);
    const desk = await counter();
    const who = await gql(WHO, {}, { token: desk.token, credential: card });
    expect(who.errors).toBeUndefined();
    expect(who.data.patientByCredential).toMatchObject({
      id: patient,
      name: '测试人',
      status: 'ACTIVE',
      settlementSuspended: false,
      personalAccount: { balance: '300.00' },
    });
    expect(who.data.patientByCredential.maskedIdNumber).toMatch(/^.{4}\*{10}.{4}$/);
    const settled = await settleAt(desk, who.data.patientByCredential.id, card, { inScopeAmount: '20.00' });
    expect(settled.errors).toBeUndefined();
    expect(await balanceOf(patient)).toBe('280.00');
  });

  test('a missing, unknown, malformed, revoked or suspended card is refused as settle refuses it, and audited', async () => {
    const patient = await register('350100', 'RESIDENT');
    const desk = await counter();
    const revoked = await issueCard(patient);
    expect(
      (
        await gql(
          'mutation($t: String!) { revokeCredential(token: $t) }',
          { t: revoked },
          { token: await token({ role: 'ADMIN', region: '350100' }) },
        )
      ).data.revokeCredential,
    ).toBe(true);
    const suspendedHolder = await register('350100', 'RESIDENT');
    const suspendedCard = await issueCard(suspendedHolder);
    for (let attempt = 0; attempt < 3; attempt += 1)
      expect(codes(await mismatch(await counter(), patient, suspendedCard))).toEqual(['CREDENTIAL_MISMATCH']);

    const cases: Array<[string, string | undefined, string]> = [
      ['missing', undefined, 'CREDENTIAL_REQUIRED'],
      ['unknown', `350100.${'C'.repeat(43)}`, 'CREDENTIAL_INVALID'],
      ['malformed', 'not-a-card', 'CREDENTIAL_INVALID'],
      ['revoked', revoked, 'CREDENTIAL_INVALID'],
      ['suspended', suspendedCard, 'CREDENTIAL_SUSPENDED'],
    ];
    const answers = [];
    for (const [name, credential] of cases) {
      const result = await gql(WHO, {}, { token: desk.token, credential });
      answers.push([name, result.status, codes(result), result.data ?? null]);
    }
    expect(answers).toEqual(cases.map(([name, , code]) => [name, 403, [code], null]));
    expect((await refusalsAt(desk)).map((refusal) => [refusal.code, refusal.operationName, refusal.claimedPatientIds])).toEqual(
      [...cases].reverse().map(([, , code]) => [code, 'Who', []]),
    );
  });

  test('the accounts subgraph alone answers only the verified holder the gateway signed', async () => {
    const patient = await register('350100', 'RESIDENT');
    const direct = async (identity: object) => {
      const request = JSON.stringify({ query: '{ patientByCredential { id } }' });
      const response = await fetch(`${accountsUrl}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signIdentity(
            { role: 'TERMINAL', institutionId: 'H1', requestId: 'direct', ...identity },
            { audience: 'accounts', body: request },
            stack.serviceSecret,
          ),
        },
        body: request,
      });
      const body = (await response.json()) as {
        data?: { patientByCredential: { id: string } } | null;
        errors?: Array<{ extensions: { code: string } }>;
      };
      return body.errors?.map((error) => error.extensions.code) ?? body.data?.patientByCredential.id;
    };
    expect(await direct({})).toEqual(['CREDENTIAL_REQUIRED']);
    expect(await direct({ credentialHolderId: patient })).toBe(patient);
  });

  test('only a counter may ask: other roles are refused before any card is looked up', async () => {
    const patient = await register('350100', 'RESIDENT');
    const card = await issueCard(patient);
    const statementsBefore = await metricSum(accountsUrl, 'db_queries_total', 'origin="request"');
    expect(codes(await gql(WHO, {}, { credential: card }))).toEqual(['UNAUTHENTICATED']);
    for (const role of ['ADMIN', 'ANALYST', 'PARTNER', 'INSURED'] as const) {
      const bearer = await token({ role, personId: patient, partnerCode: 'HSHMB' });
      expect([role, codes(await gql(WHO, {}, { token: bearer, credential: card }))]).toEqual([role, ['FORBIDDEN']]);
    }
    expect(await metricSum(accountsUrl, 'db_queries_total', 'origin="request"')).toBe(statementsBefore);
  });
});

describe("suspension is the person's", () => {
  test('three mismatches with card A suspend the person: card B and a newly issued card C are refused until an ADMIN of his region lifts it', async () => {
    const holder = await employee('650100', '200.00');
    const victim = await register('650100', 'RESIDENT');
    const [cardA, cardB] = [await issueCard(holder), await issueCard(holder)];
    const desk = await counter();
    for (let attempt = 0; attempt < 3; attempt += 1) expect(codes(await mismatch(desk, victim, cardA))).toEqual(['CREDENTIAL_MISMATCH']);

    const cardC = await issueCard(holder);
    for (const card of [cardA, cardB, cardC])
      expect(codes(await settleAt(desk, holder, card, { inScopeAmount: '10.00' }))).toEqual(['CREDENTIAL_SUSPENDED']);
    expect(await balanceOf(holder)).toBe('200.00');

    const admin = await token({ role: 'ADMIN', region: '650100' });
    const SUSPENSION = 'query($id: ID!) { person(id: $id) { settlementSuspended credentials { suspendedAt } } }';
    const suspended = (await gql(SUSPENSION, { id: holder }, { token: admin })).data.person;
    expect(suspended.settlementSuspended).toBe(true);
    expect(suspended.credentials).toHaveLength(3);
    for (const credential of suspended.credentials) expect(credential.suspendedAt).not.toBeNull();
    expect(
      (
        await gql(
          'query($id: ID!) { person(id: $id) { settlementSuspended } }',
          { id: holder },
          { token: await token({ role: 'INSURED', personId: holder }) },
        )
      ).data.person.settlementSuspended,
    ).toBe(true);

    const LIFT = 'mutation($id: ID!) { liftSettlementSuspension(personId: $id) { id settlementSuspended } }';
    expect(codes(await gql(LIFT, { id: holder }, { token: await token({ role: 'ADMIN', region: '350100' }) }))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(LIFT, { id: holder }, { token: await token({ role: 'INSURED', personId: holder }) }))).toEqual(['FORBIDDEN']);
    expect((await gql(LIFT, { id: holder }, { token: admin })).data.liftSettlementSuspension).toEqual({
      id: holder,
      settlementSuspended: false,
    });
    expect(codes(await gql(LIFT, { id: holder }, { token: admin }))).toEqual(['INVALID_STATE']);
    expect(
      (await gql(SUSPENSION, { id: holder }, { token: admin })).data.person.credentials.map(
        (credential: { suspendedAt: string | null }) => credential.suspendedAt,
      ),
    ).toEqual([null, null, null]);

    expect(codes(await settleAt(desk, holder, cardB, { inScopeAmount: '10.00' }))).toEqual([]);
    expect(await balanceOf(holder)).toBe('190.00');
    expect(await auditActions(holder)).toEqual([
      'REGISTER',
      'ISSUE_CREDENTIAL',
      'ISSUE_CREDENTIAL',
      'SUSPEND_SETTLEMENT',
      'ISSUE_CREDENTIAL',
      'LIFT_SETTLEMENT_SUSPENSION',
    ]);
  });

  test('mismatches count per person across all his cards, and only those since the last lift', async () => {
    const holder = await register('650100', 'RESIDENT');
    const victim = await register('650100', 'RESIDENT');
    const desk = await counter();
    const admin = await token({ role: 'ADMIN', region: '650100' });
    const suspendedNow = async () =>
      (await gql('query($id: ID!) { person(id: $id) { settlementSuspended } }', { id: holder }, { token: admin })).data.person
        .settlementSuspended;

    for (let card = 0; card < 3; card += 1) {
      expect(await suspendedNow()).toBe(false);
      expect(codes(await mismatch(desk, victim, await issueCard(holder)))).toEqual(['CREDENTIAL_MISMATCH']);
    }
    expect(await suspendedNow()).toBe(true);

    // liftCredentialSuspension names one card but lifts the person's suspension, as liftSettlementSuspension does.
    const [latest] = (await gql('query($id: ID!) { person(id: $id) { credentials { id } } }', { id: holder }, { token: admin })).data.person
      .credentials;
    expect(
      (
        await gql(
          'mutation($id: ID!) { liftCredentialSuspension(credentialId: $id) { id suspendedAt } }',
          { id: latest.id },
          { token: admin },
        )
      ).data.liftCredentialSuspension,
    ).toEqual({ id: latest.id, suspendedAt: null });
    expect(await suspendedNow()).toBe(false);

    // The three mismatches before the lift no longer count: two more do not suspend him again, a third does.
    for (let attempt = 0; attempt < 2; attempt += 1)
      expect(codes(await mismatch(desk, victim, await issueCard(holder)))).toEqual(['CREDENTIAL_MISMATCH']);
    expect(await suspendedNow()).toBe(false);
    expect(codes(await mismatch(desk, victim, await issueCard(holder)))).toEqual(['CREDENTIAL_MISMATCH']);
    expect(await suspendedNow()).toBe(true);
    const refusals = await refusalsAt(desk, '650100');
    expect(refusals.map((refusal) => [refusal.code, refusal.holder?.id, refusal.claimedPatientIds])).toEqual(
      Array.from({ length: 6 }, () => ['CREDENTIAL_MISMATCH', holder, [victim]]),
    );
    expect((await auditActions(holder)).filter((action) => action.includes('SETTLEMENT'))).toEqual([
      'SUSPEND_SETTLEMENT',
      'LIFT_SETTLEMENT_SUSPENSION',
      'SUSPEND_SETTLEMENT',
    ]);
  });
});
