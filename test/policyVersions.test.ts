import { codes, database, gql, register, token } from './client';
import { activeBinding, counter, employee, issueCard, settleAt } from './counter';
import { until } from './until';

const SCHEDULE =
  'mutation($input: RegionPolicyInput!) { scheduleRegionPolicy(input: $input) { version effectiveFrom retainedFloor allowedRelationships } }';
const REGION =
  'query($code: ID!) { region(code: $code) { policy { version retainedFloor allowedRelationships } policyHistory { version effectiveFrom retainedFloor } } }';
const base = {
  allowedRelationships: ['SPOUSE', 'PARENT', 'CHILD'],
  retainedFloor: '100.00',
  allowedPurposes: ['OUTPATIENT', 'INPATIENT', 'PHARMACY', 'RESIDENT_PREMIUM'],
  coversOutOfScope: false,
  crossProvince: false,
  requiresReview: false,
};
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

describe('scheduling a policy version', () => {
  test('is validated like the config, ahead by the lead time, for an ADMIN of that region only', async () => {
    const admin = await token({ role: 'ADMIN', region: '430100' });
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ effectiveFrom: inSeconds(-60) }, /effectiveFrom/],
      [{ effectiveFrom: inSeconds(0.5) }, /at least 2000 ms/],
      [{ effectiveFrom: inSeconds(60), allowedPurposes: ['PHARMACY', 'PHARMACY'] }, /allowedPurposes/],
      [{ effectiveFrom: inSeconds(60), retainedFloor: '-1.00' }, /Money/],
    ];
    for (const [change, message] of cases) {
      const result = await gql(SCHEDULE, { input: { regionCode: '430100', ...base, ...change } }, { token: admin });
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0].message).toMatch(message);
    }
    /** The codes of a valid version for `regionCode`, scheduled by `caller`. */
    const scheduledBy = async (regionCode: string, caller: string) =>
      codes(await gql(SCHEDULE, { input: { regionCode, ...base, effectiveFrom: inSeconds(60) } }, { token: caller }));
    expect(await scheduledBy('430100', await token({ role: 'ADMIN', region: '430700' }))).toEqual(['FORBIDDEN']);
    expect(await scheduledBy('430100', await token({ role: 'INSURED', personId: '430100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P' }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(await scheduledBy('999999', await token({ role: 'ADMIN' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('a version that narrows the relationships and raises the floor in 430100', () => {
  test('takes effect at its instant everywhere; old settlements keep their explanation; the binding stays but pays nothing', async () => {
    const authorizer = await employee('430100', '1000.00');
    const sibling = await register('430100', 'RESIDENT');
    const child = await register('430100', 'RESIDENT');
    const siblingBinding = await activeBinding(authorizer, sibling, 'SIBLING');
    await activeBinding(authorizer, child, 'CHILD');
    const desk = await counter();
    const siblingCard = await issueCard(sibling);
    const before = (await settleAt(desk, sibling, siblingCard, { inScopeAmount: '50.00' })).data.settle;
    expect(before.mutualAidPaid).toBe('50.00');

    const admin = await token({ role: 'ADMIN', region: '430100', sub: 'policy-officer' });
    const effectiveFrom = inSeconds(3);
    const scheduled = await gql(SCHEDULE, { input: { regionCode: '430100', ...base, effectiveFrom } }, { token: admin });
    expect(scheduled.errors).toBeUndefined();
    const version = scheduled.data.scheduleRegionPolicy.version;
    expect(version).toBeGreaterThanOrEqual(2);

    const now = (await gql(REGION, { code: '430100' })).data.region;
    expect(now.policy.version).toBe(version - 1);
    expect(now.policyHistory.map((entry: { version: number }) => entry.version)).toEqual(
      Array.from({ length: version }, (_, index) => index + 1),
    );
    expect(now.policyHistory[version - 1]).toMatchObject({ version, effectiveFrom, retainedFloor: '100.00' });
    // Still the old version for a moment: the sibling's binding pays.
    expect((await settleAt(desk, sibling, siblingCard, { inScopeAmount: '10.00' })).data.settle.mutualAidPaid).toBe('10.00');

    // Ask until the new version answers: never for a request answered before its instant, always for one sent at or after it.
    const instant = Date.parse(effectiveFrom);
    const inForce = await until('the new version to take effect', async () => {
      const sentAt = Date.now();
      const policy = (await gql(REGION, { code: '430100' })).data.region.policy;
      const answeredAt = Date.now();
      if (policy.version === version) expect(answeredAt).toBeGreaterThanOrEqual(instant);
      else expect(sentAt).toBeLessThan(instant);
      return policy.version === version && policy;
    });
    expect(inForce).toEqual({ version, retainedFloor: '100.00', allowedRelationships: ['SPOUSE', 'PARENT', 'CHILD'] });

    const after = (await settleAt(desk, sibling, siblingCard, { inScopeAmount: '10.00' })).data.settle;
    expect(after).toMatchObject({ mutualAidPaid: '0.00', cashPaid: '10.00' });
    const steps = (await gql('query($id: ID!) { settlement(id: $id) { steps { source note } } }', { id: after.id }, { token: desk.token }))
      .data.settlement.steps;
    expect(steps.find((step: { source: string }) => step.source === 'MUTUAL_AID').note).toContain(
      `no longer allowed in 430100 (region 430100, policy version ${version})`,
    );
    const binding = (
      await gql(
        'query($id: ID!) { familyBinding(id: $id) { status allowedByPolicy } }',
        { id: siblingBinding },
        { token: await token({ role: 'INSURED', personId: authorizer }) },
      )
    ).data.familyBinding;
    expect(binding).toEqual({ status: 'ACTIVE', allowedByPolicy: false });
    expect(
      codes(
        await gql(
          'mutation($i: RequestBindingInput!) { requestFamilyBinding(input: $i) { id } }',
          {
            i: { authorizerId: authorizer, beneficiaryId: await register('430100'), relationship: 'SIBLING', commitmentAccepted: true },
          },
          { token: await token({ role: 'INSURED', personId: authorizer }) },
        ),
      ),
    ).toEqual(['RELATIONSHIP_NOT_ALLOWED']);

    // The child's settlement is limited by the new floor and names the version.
    const childSettled = (await settleAt(desk, child, await issueCard(child), { inScopeAmount: '2000.00' })).data.settle;
    expect(childSettled.mutualAidPaid).toBe((1000 - 60 - 100).toFixed(2));
    const childPayment = (
      await gql(
        'query($id: ID!) { settlement(id: $id) { mutualAidPayments { policyVersion } steps { source note } } }',
        { id: childSettled.id },
        { token: desk.token },
      )
    ).data.settlement;
    expect(childPayment.mutualAidPayments[0].policyVersion).toBe(version);
    expect(childPayment.steps.find((step: { source: string }) => step.source === 'MUTUAL_AID').note).toContain('retained floor of 100.00');

    // A settlement read now still explains itself under the version it was paid under.
    const old = (
      await gql(
        'query($id: ID!) { settlement(id: $id) { mutualAidPayments { policyVersion } steps { source note } } }',
        { id: before.id },
        { token: desk.token },
      )
    ).data.settlement;
    expect(old.mutualAidPayments[0].policyVersion).toBe(version - 1);
    expect(old.steps.find((step: { source: string }) => step.source === 'MUTUAL_AID').note).toContain(`policy version ${version - 1}`);

    // Every change is audited with who made it.
    const national = await database('accounts', 'national');
    try {
      const [rows] = await national.query(
        'SELECT actor_role, actor_sub FROM region_policy_versions WHERE region_code = ? AND version = ?',
        ['430100', version],
      );
      expect((rows as Array<{ actor_role: string; actor_sub: string }>)[0]).toEqual({ actor_role: 'ADMIN', actor_sub: 'policy-officer' });
    } finally {
      await national.end();
    }
  });
});
