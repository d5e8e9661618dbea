import { accountsUrl, codes, gql, internal, metricSum, register, token, uniqueKey } from './client';
import { balanceOf, counter, employee, issueCard, REFUND, settleAt } from './counter';

/**
 * When the gateway looks a presented credential up, and how fresh the answer must be: only when the
 * operation needs the card (no timing oracle for anyone else), and uncached whenever money moves.
 */
const SQL = ['db_queries_total', 'origin="request"'] as const;

async function accountsStatementsFor(call: () => Promise<unknown>): Promise<number> {
  const before = await metricSum(accountsUrl, ...SQL);
  await call();
  return (await metricSum(accountsUrl, ...SQL)) - before;
}

describe('a credential is looked up only when the operation needs it', () => {
  test('anonymous, ADMIN, ANALYST and INSURED requests with a card header cause no look-up, whether the card exists or not', async () => {
    const holder = await register('430100', 'RESIDENT');
    const unknown = `430100.${'B'.repeat(43)}`;
    const callers: Array<[string, string | undefined, () => Promise<string>]> = [
      ['anonymous, a valid card', undefined, () => issueCard(holder)],
      ['anonymous, an unknown card', undefined, async () => unknown],
      ['ADMIN, a valid card', await token({ role: 'ADMIN' }), () => issueCard(holder)],
      ['ANALYST, an unknown card', await token({ role: 'ANALYST' }), async () => unknown],
      ['INSURED, his own card', await token({ role: 'INSURED', personId: holder }), () => issueCard(holder)],
    ];
    const statements: Array<[string, number]> = [];
    for (const [caller, bearer, card] of callers) {
      const credential = await card();
      statements.push([
        caller,
        await accountsStatementsFor(async () =>
          expect((await gql('{ regions { code } }', {}, { token: bearer, credential })).errors).toBeUndefined(),
        ),
      ]);
    }
    expect(statements).toEqual(callers.map(([caller]) => [caller, 0]));
  });

  test('a counter reading the patient whose card it presents does look it up (the measure above can see a look-up)', async () => {
    const patient = await register('430100', 'RESIDENT');
    const desk = await counter();
    const card = await issueCard(patient);
    let read: Awaited<ReturnType<typeof gql<{ person: unknown }>>> | undefined;
    const statements = await accountsStatementsFor(async () => {
      read = await gql('query($id: ID!) { person(id: $id) { id status } }', { id: patient }, { token: desk.token, credential: card });
    });
    expect(read?.data?.person).toEqual({ id: patient, status: 'ACTIVE' });
    expect(statements).toBeGreaterThan(0);
  });
});

describe('money never moves on a cached answer', () => {
  test('a card revoked a moment ago, just after it settled, neither settles nor refunds again', async () => {
    const patient = await employee('430100', '100.00');
    const desk = await counter();
    const card = await issueCard(patient);
    const first = await settleAt(desk, patient, card, { inScopeAmount: '10.00' });
    expect(first.errors).toBeUndefined();
    expect(await balanceOf(patient)).toBe('90.00');

    const revoked = await gql(
      'mutation($t: String!) { revokeCredential(token: $t) }',
      { t: card },
      { token: await token({ role: 'ADMIN', region: '430100' }) },
    );
    expect(revoked.data.revokeCredential).toBe(true);
    expect(codes(await settleAt(desk, patient, card, { inScopeAmount: '10.00' }))).toEqual(['CREDENTIAL_INVALID']);
    expect(codes(await gql(REFUND, { id: first.data.settle.id, key: uniqueKey() }, { token: desk.token, credential: card }))).toEqual([
      'CREDENTIAL_INVALID',
    ]);
    expect(await balanceOf(patient)).toBe('90.00');
  });

  test('a card suspended through another gateway replica a moment after it settled does not settle here', async () => {
    const patient = await employee('430100', '100.00');
    const victim = await register('430100', 'RESIDENT');
    const desk = await counter();
    const card = await issueCard(patient);
    expect((await settleAt(desk, patient, card, { inScopeAmount: '10.00' })).errors).toBeUndefined();

    // Another replica refuses three impersonation attempts with this card and records them.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const recorded = await internal<{ suspended: boolean }>('/internal/credentials/refusals', {
        code: 'CREDENTIAL_MISMATCH',
        token: card,
        claimedPatients: [victim],
        claimedPatientCount: 1,
        terminalSub: 'replica-2',
        institutionId: desk.institutionId,
        operationName: null,
        requestId: uniqueKey('r'),
      });
      expect(recorded.result?.suspended).toBe(attempt === 2);
    }
    expect(codes(await settleAt(desk, patient, card, { inScopeAmount: '10.00' }))).toEqual(['CREDENTIAL_SUSPENDED']);
    expect(await balanceOf(patient)).toBe('90.00');
  });
});
