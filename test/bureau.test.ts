import { usagePageSql } from '../subgraphs/accounts/ledger/reads';
import { adminRefundsSql } from '../subgraphs/settlements/settle/records';
import { chinaToday } from '../subgraphs/shared/chinaTime';
import { accountsUrl, codes, database, gql, metricSum, register, token, uniqueKey } from './client';
import { activeBinding, counter, employee, issueCard, REFUND, settleAt } from './counter';
import { until } from './until';

/**
 * The bureau's side of issue 15 (accounts): a new year's pooling rules scheduled ahead, what an
 * account paid for relatives (共济记录), and the audit reads of an ADMIN of the region.
 */

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

const POLICY_FIELDS =
  'version effectiveFrom allowedRelationships retainedFloor allowedPurposes coversOutOfScope crossProvince requiresReview poolingRules { scheme purpose annualDeductible ratePercent annualCap }';
const REGION = `query($code: ID!) { region(code: $code) { policy { ${POLICY_FIELDS} } poolingRules { scheme purpose annualDeductible ratePercent annualCap } policyHistory { version poolingRules { scheme purpose annualDeductible ratePercent annualCap } } } }`;
const SCHEDULE = `mutation($input: RegionPolicyInput!) { scheduleRegionPolicy(input: $input) { ${POLICY_FIELDS} } }`;
const SETTLEMENT = 'query($id: ID!) { settlement(id: $id) { fundPaid steps { source amount note } } }';

interface PolicyAnswer {
  version: number;
  effectiveFrom: string;
  poolingRules: Array<Record<string, unknown>>;
  [field: string]: unknown;
}

/** The policy in force now as RegionPolicyInput: a new version that changes only what `change` says. */
function inputFrom(regionCode: string, policy: PolicyAnswer, change: Record<string, unknown>) {
  const { version: _version, effectiveFrom: _from, poolingRules: _rules, ...fields } = policy;
  return { regionCode, ...fields, ...change };
}

describe('pooling rules in policy versions', () => {
  const REGION_CODE = '430100';

  test('are validated like the config: a coded error naming the rule and field', async () => {
    const admin = await token({ role: 'ADMIN', region: REGION_CODE });
    const policy: PolicyAnswer = (await gql(REGION, { code: REGION_CODE })).data.region.policy;
    const rule = { scheme: 'EMPLOYEE', purpose: 'OUTPATIENT', annualDeductible: '100.00', ratePercent: 60, annualCap: '3000.00' };
    const cases: Array<[Array<Record<string, unknown>>, RegExp]> = [
      [[{ ...rule, ratePercent: 101 }], /poolingRules\.0\.ratePercent/],
      [[rule, { ...rule, scheme: 'RESIDENT', ratePercent: -1 }], /poolingRules\.1\.ratePercent/],
      [[{ ...rule, annualDeductible: '-0.01' }], /Money|annualDeductible/],
      [[{ ...rule, annualCap: '-1.00' }], /Money|annualCap/],
      [[rule, { ...rule, ratePercent: 70 }], /poolingRules: has at most one rule per scheme and purpose/],
      [[{ ...rule, purpose: 'RESIDENT_PREMIUM' }], /poolingRules\.0\.purpose/],
    ];
    for (const [poolingRules, message] of cases) {
      const result = await gql(
        SCHEDULE,
        { input: inputFrom(REGION_CODE, policy, { effectiveFrom: inSeconds(60), poolingRules }) },
        { token: admin },
      );
      expect([poolingRules, codes(result)]).toEqual([poolingRules, ['BAD_USER_INPUT']]);
      expect(result.errors?.[0].message).toMatch(message);
    }
    // An ADMIN of another region may not schedule them.
    const other = await gql(
      SCHEDULE,
      { input: inputFrom(REGION_CODE, policy, { effectiveFrom: inSeconds(60), poolingRules: [rule] }) },
      { token: await token({ role: 'ADMIN', region: '430700' }) },
    );
    expect(codes(other)).toEqual(['FORBIDDEN']);
  });

  test("next year's rules scheduled ahead: a settle before the instant uses the old rules, after it the new; old settlements keep their explanation", async () => {
    const admin = await token({ role: 'ADMIN', region: REGION_CODE });
    const before: { policy: PolicyAnswer; poolingRules: unknown[] } = (await gql(REGION, { code: REGION_CODE })).data.region;
    const oldRule = before.poolingRules.find(
      (rule) => (rule as { scheme: string }).scheme === 'EMPLOYEE' && (rule as { purpose: string }).purpose === 'OUTPATIENT',
    );
    expect(oldRule).toEqual({
      scheme: 'EMPLOYEE',
      purpose: 'OUTPATIENT',
      annualDeductible: '200.00',
      ratePercent: 50,
      annualCap: '2000.00',
    });

    const newRules = [
      { scheme: 'EMPLOYEE', purpose: 'OUTPATIENT', annualDeductible: '0.00', ratePercent: 80, annualCap: '5000.00' },
      { scheme: 'EMPLOYEE', purpose: 'INPATIENT', annualDeductible: '900.00', ratePercent: 90, annualCap: '400000.00' },
    ];
    const effectiveFrom = inSeconds(4);
    const scheduled = await gql(
      SCHEDULE,
      { input: inputFrom(REGION_CODE, before.policy, { effectiveFrom, poolingRules: newRules }) },
      { token: admin },
    );
    expect(scheduled.errors).toBeUndefined();
    const version = scheduled.data.scheduleRegionPolicy.version;
    expect(scheduled.data.scheduleRegionPolicy.poolingRules).toEqual(newRules);

    // Scheduled, not yet in force: the history shows it, the region's rules are still the old ones.
    const pending = (await gql(REGION, { code: REGION_CODE })).data.region;
    expect(pending.policyHistory.at(-1)).toEqual({ version, poolingRules: newRules });
    expect(pending.poolingRules).toEqual(before.poolingRules);

    // Before the instant: deductible 200.00, 50 % → a 1000.00 outpatient bill gets 400.00 from the fund.
    const desk = await counter();
    const early = await employee(REGION_CODE);
    const earlyCard = await issueCard(early);
    const first = (await settleAt(desk, early, earlyCard, { purpose: 'OUTPATIENT', inScopeAmount: '1000.00' })).data.settle;
    expect(Date.now()).toBeLessThan(Date.parse(effectiveFrom));
    expect(first.fundPaid).toBe('400.00');
    const firstExplained = (await gql(SETTLEMENT, { id: first.id }, { token: admin })).data.settlement;

    // From the instant on, on every replica (the versions are in the database): no deductible, 80 %.
    await until('the new pooling rules to be in force', async () => {
      const region = (await gql(REGION, { code: REGION_CODE })).data.region;
      return region.policy.version === version && region;
    });
    const after = await employee(REGION_CODE);
    const second = (await settleAt(desk, after, await issueCard(after), { purpose: 'OUTPATIENT', inScopeAmount: '1000.00' })).data.settle;
    expect(second.fundPaid).toBe('800.00');
    expect((await gql(REGION, { code: REGION_CODE })).data.region.poolingRules).toEqual(newRules);
    // A rule the new version leaves out: no fund share for it any more.
    const resident = await register(REGION_CODE, 'RESIDENT');
    const residentBill = (await settleAt(desk, resident, await issueCard(resident), { purpose: 'OUTPATIENT', inScopeAmount: '100.00' }))
      .data.settle;
    expect(residentBill.fundPaid).toBe('0.00');

    // The first settlement explains itself as it did, under the rule it was paid under.
    expect((await gql(SETTLEMENT, { id: first.id }, { token: admin })).data.settlement).toEqual(firstExplained);
    expect(firstExplained.steps.find((step: { source: string }) => step.source === 'FUND')).toMatchObject({ amount: '400.00' });

    // The early patient again, under the new rule: the deductible he used does not matter to it (80 % of 1000.00).
    const later = (await settleAt(desk, early, earlyCard, { purpose: 'OUTPATIENT', inScopeAmount: '1000.00' })).data.settle;
    expect(later.fundPaid).toBe('800.00');
    // His first settlement may be refunded: the later one's share, by the rule it was made under, does not depend on it.
    const refunded = await gql(REFUND, { id: first.id, key: uniqueKey() }, { token: desk.token, credential: earlyCard });
    expect(refunded.errors).toBeUndefined();
    expect(refunded.data.refundSettlement.status).toBe('REFUNDED');

    // Put the region's rules back as config has them, for the tests that follow in this run.
    const current: PolicyAnswer = (await gql(REGION, { code: REGION_CODE })).data.region.policy;
    const restore = await gql(
      SCHEDULE,
      { input: inputFrom(REGION_CODE, current, { effectiveFrom: inSeconds(2.5), poolingRules: before.poolingRules }) },
      { token: admin },
    );
    expect(restore.errors).toBeUndefined();
    // Omitted rules are the previous version's.
    const restoredVersion = restore.data.scheduleRegionPolicy.version;
    await until('the restored rules to be in force', async () => {
      const region = (await gql(REGION, { code: REGION_CODE })).data.region;
      return region.policy.version === restoredVersion && region;
    });
    const kept = await gql(SCHEDULE, { input: inputFrom(REGION_CODE, current, { effectiveFrom: inSeconds(2.5) }) }, { token: admin });
    expect(kept.data.scheduleRegionPolicy.poolingRules).toEqual(before.poolingRules);
    await until('the last version to be in force', async () => {
      const region = (await gql(REGION, { code: REGION_CODE })).data.region;
      return region.policy.version === kept.data.scheduleRegionPolicy.version && region;
    });
  });
});

const USAGE = `query($id: ID!, $from: DateTime, $to: DateTime, $beneficiary: ID, $first: Int, $after: String) {
  person(id: $id) { personalAccount { usage(from: $from, to: $to, beneficiaryId: $beneficiary, first: $first, after: $after) {
    nodes { id amount kind beneficiary { id } createdAt } endCursor hasNextPage } } } }`;

describe('PersonalAccount.usage: what an account paid for relatives (共济记录)', () => {
  const REGION_CODE = '430700';

  test('newest first, by period and relative, paged; the owner and an ADMIN of the region only', async () => {
    const owner = await employee(REGION_CODE, '1000.00');
    const child = await register(REGION_CODE, 'RESIDENT');
    const parent = await register(REGION_CODE, 'RESIDENT');
    await activeBinding(owner, child, 'CHILD');
    await activeBinding(owner, parent, 'PARENT');
    const desk = await counter();
    const ownerToken = await token({ role: 'INSURED', personId: owner });
    const childCard = await issueCard(child);

    await settleAt(desk, child, childCard, { inScopeAmount: '10.00' });
    await settleAt(desk, parent, await issueCard(parent), { inScopeAmount: '20.00' });
    // His own purchase and the monthly credit are not usage for relatives.
    await settleAt(desk, owner, await issueCard(owner), { inScopeAmount: '5.00' });
    const premium = await gql(
      'mutation($i: PayPremiumInput!) { payPremium(input: $i) { id } }',
      {
        i: {
          idempotencyKey: uniqueKey(),
          payerId: owner,
          beneficiaryId: child,
          purpose: 'RESIDENT_PREMIUM',
          productCode: 'HN-JM-2027',
          amount: '30.00',
        },
      },
      { token: ownerToken },
    );
    expect(premium.errors).toBeUndefined();
    await settleAt(desk, child, childCard, { inScopeAmount: '40.00' });

    const usage = async (variables: Record<string, unknown>, caller = ownerToken) =>
      gql(USAGE, { id: owner, ...variables }, { token: caller });
    const all = (await usage({})).data.person.personalAccount.usage;
    expect(
      all.nodes.map((entry: { amount: string; kind: string; beneficiary: { id: string } }) => [
        entry.amount,
        entry.kind,
        entry.beneficiary.id,
      ]),
    ).toEqual([
      ['-40.00', 'MUTUAL_AID_PAYMENT', child],
      ['-30.00', 'PREMIUM_PAYMENT', child],
      ['-20.00', 'MUTUAL_AID_PAYMENT', parent],
      ['-10.00', 'MUTUAL_AID_PAYMENT', child],
    ]);
    expect(all.hasNextPage).toBe(false);

    // By relative.
    const forChild = (await usage({ beneficiary: child })).data.person.personalAccount.usage.nodes;
    expect(forChild.map((entry: { amount: string }) => entry.amount)).toEqual(['-40.00', '-30.00', '-10.00']);

    // By period [from, to): the instants of the entries themselves bound it.
    const instants = all.nodes.map((entry: { createdAt: string }) => entry.createdAt);
    const period = (await usage({ from: instants[2], to: instants[0] })).data.person.personalAccount.usage.nodes;
    expect(period.map((entry: { amount: string }) => entry.amount)).toEqual(['-30.00', '-20.00']);
    const childInPeriod = (await usage({ from: instants[3], to: instants[1], beneficiary: child })).data.person.personalAccount.usage.nodes;
    expect(childInPeriod.map((entry: { amount: string }) => entry.amount)).toEqual(['-10.00']);

    // Pages of one: every entry once, in order, and a cursor that says where it stopped.
    const paged: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const answer: { nodes: Array<{ id: string }>; endCursor: string | null; hasNextPage: boolean } = (await usage({ first: 1, after }))
        .data.person.personalAccount.usage;
      paged.push(...answer.nodes.map((entry) => entry.id));
      if (!answer.hasNextPage) break;
      after = answer.endCursor;
    }
    expect(paged).toEqual(all.nodes.map((entry: { id: string }) => entry.id));
    expect(codes(await usage({ after: 'bm90LWEtY3Vyc29y' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await usage({ first: 101 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await usage({ from: instants[0], to: instants[3] }))).toEqual(['BAD_USER_INPUT']);
    // An empty period [t, t) is no error: nothing in it.
    expect((await usage({ from: instants[1], to: instants[1] })).data.person.personalAccount.usage.nodes).toEqual([]);

    // An ADMIN of the region reads it; another insured person, an ADMIN of another region and a counter do not.
    const admin = await token({ role: 'ADMIN', region: REGION_CODE });
    expect((await usage({}, admin)).data.person.personalAccount.usage.nodes).toHaveLength(4);
    const stranger = await employee(REGION_CODE);
    expect(codes(await usage({}, await token({ role: 'INSURED', personId: stranger })))).toEqual(['FORBIDDEN']);
    expect(codes(await usage({}, await token({ role: 'INSURED', personId: child })))).toEqual(['FORBIDDEN']);
    expect(codes(await usage({}, await token({ role: 'ADMIN', region: '350100' })))).toEqual(['FORBIDDEN']);
    const ownerCard = await issueCard(owner);
    const atCounter = await gql(
      '{ patientByCredential { personalAccount { usage { nodes { id } } } } }',
      {},
      { token: desk.token, credential: ownerCard },
    );
    expect(new Set(codes(atCounter))).toEqual(new Set(['FORBIDDEN']));
    expect(new Set(codes(await usage({}, await token({ role: 'ANALYST' }))))).toEqual(new Set(['FORBIDDEN']));
  });

  test('several accounts in one request; each reads its own rows through its index', async () => {
    const [a, b] = [await employee(REGION_CODE, '100.00'), await employee(REGION_CODE, '100.00')];
    const child = await register(REGION_CODE, 'RESIDENT');
    await activeBinding(a, child, 'CHILD');
    await activeBinding(b, child, 'PARENT');
    // 100.00 from a (the older binding), then the rest of the 150.00 from b.
    await settleAt(await counter(), child, await issueCard(child), { inScopeAmount: '150.00' });
    const both = await gql(
      `query($a: ID!, $b: ID!) { a: person(id: $a) { personalAccount { usage { nodes { amount } } } }
        b: person(id: $b) { personalAccount { usage(beneficiaryId: "${child}") { nodes { amount } } } } }`,
      { a, b },
      { token: await token({ role: 'ADMIN', region: REGION_CODE }) },
    );
    expect(both.errors).toBeUndefined();
    expect([both.data.a.personalAccount.usage.nodes, both.data.b.personalAccount.usage.nodes]).toEqual([
      [{ amount: '-100.00' }],
      [{ amount: '-50.00' }],
    ]);

    const connection = await database('accounts', '43');
    try {
      const page = { accountId: a, first: 20, from: new Date(Date.now() - 86_400_000), to: new Date(), after: null };
      for (const [beneficiaryId, index] of [
        [null, 'ix_ledger_entries_usage'],
        [child, 'ix_ledger_entries_usage_beneficiary'],
      ] as const) {
        const { sql, params } = usagePageSql({ ...page, beneficiaryId });
        const [plan] = await connection.query(`EXPLAIN ${sql}`, params);
        const rows = plan as Array<{ key: string | null; type: string }>;
        expect([beneficiaryId, rows.map((row) => [row.key, row.type])]).toEqual([beneficiaryId, [[index, 'range']]]);
      }
    } finally {
      await connection.end();
    }
  });
});

describe('audit reads for an ADMIN of the region', () => {
  const TRAIL = `query($id: ID!, $first: Int, $after: String) { person(id: $id) { auditTrail(first: $first, after: $after) {
    nodes { id action actorRole actorSub detail at } endCursor hasNextPage } } }`;

  test("Person.auditTrail: the person's recorded changes, newest first, paged; only an ADMIN of his region", async () => {
    const REGION_CODE = '532300';
    const admin = await token({ role: 'ADMIN', region: REGION_CODE, sub: 'clerk-7' });
    const person = await register(REGION_CODE, 'EMPLOYEE');
    const status = 'mutation($id: ID!, $status: EnrollmentStatus!) { setEnrollmentStatus(personId: $id, status: $status) { status } }';
    await gql(status, { id: person, status: 'SUSPENDED' }, { token: admin });
    await gql(status, { id: person, status: 'ACTIVE' }, { token: admin });
    const card = await issueCard(person);
    expect((await gql('mutation($t: String!) { revokeCredential(token: $t) }', { t: card }, { token: admin })).data.revokeCredential).toBe(
      true,
    );

    const trail = (await gql(TRAIL, { id: person }, { token: admin })).data.person.auditTrail;
    expect(trail.nodes.map((event: { action: string; detail: string }) => [event.action, event.detail])).toEqual([
      ['REVOKE_CREDENTIAL', 'credential revoked'],
      ['ISSUE_CREDENTIAL', 'credential issued'],
      ['SET_STATUS', 'SUSPENDED -> ACTIVE'],
      ['SET_STATUS', 'ACTIVE -> SUSPENDED'],
      ['REGISTER', `EMPLOYEE in ${REGION_CODE}`],
    ]);
    expect(trail.nodes[2]).toMatchObject({ actorRole: 'ADMIN', actorSub: 'clerk-7' });
    expect(trail.hasNextPage).toBe(false);

    const pages: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 4; page += 1) {
      const answer: { nodes: Array<{ id: string }>; endCursor: string; hasNextPage: boolean } = (
        await gql(TRAIL, { id: person, first: 2, after }, { token: admin })
      ).data.person.auditTrail;
      pages.push(...answer.nodes.map((event) => event.id));
      if (!answer.hasNextPage) break;
      after = answer.endCursor;
    }
    expect(pages).toEqual(trail.nodes.map((event: { id: string }) => event.id));

    // A national ADMIN reads it too; an ADMIN of another region, the person himself and an analyst do not.
    expect((await gql(TRAIL, { id: person }, { token: await token({ role: 'ADMIN' }) })).data.person.auditTrail.nodes).toHaveLength(5);
    expect(codes(await gql(TRAIL, { id: person }, { token: await token({ role: 'ADMIN', region: '430700' }) }))).toEqual(['FORBIDDEN']);
    for (const caller of [await token({ role: 'INSURED', personId: person }), await token({ role: 'ANALYST' })]) {
      expect(new Set(codes(await gql(TRAIL, { id: person }, { token: caller })))).toEqual(new Set(['FORBIDDEN']));
    }
  });
});

test('credentialRefusals by region: a national ADMIN filters by region; a regional ADMIN reads only his own', async () => {
  const holder = await employee('350100');
  const card = await issueCard(holder);
  const victim = await register('350100', 'RESIDENT');
  const desk = await counter();
  expect(codes(await settleAt(desk, victim, card, { inScopeAmount: '1.00' }))).toEqual(['CREDENTIAL_MISMATCH']);

  const REFUSALS = 'query($region: ID) { credentialRefusals(regionCode: $region, first: 100) { nodes { institutionId holder { id } } } }';
  const ofDesk = (nodes: Array<{ institutionId: string }>) => nodes.filter((node) => node.institutionId === desk.institutionId);
  const national = await token({ role: 'ADMIN' });
  const fuzhou = (await gql(REFUSALS, { region: '350100' }, { token: national })).data.credentialRefusals.nodes;
  expect(ofDesk(fuzhou)).toEqual([{ institutionId: desk.institutionId, holder: { id: holder } }]);
  const urumqi = (await gql(REFUSALS, { region: '650100' }, { token: national })).data.credentialRefusals.nodes;
  expect(ofDesk(urumqi)).toEqual([]);
  const regional = await token({ role: 'ADMIN', region: '350100' });
  expect(ofDesk((await gql(REFUSALS, { region: '350100' }, { token: regional })).data.credentialRefusals.nodes)).toHaveLength(1);
  expect(codes(await gql(REFUSALS, { region: '650100' }, { token: regional }))).toEqual(['FORBIDDEN']);
});

describe("the bureau's own refunds and 对账 calls", () => {
  const ADMIN_REFUND =
    'mutation($id: ID!, $key: String!, $reason: String!) { adminRefundSettlement(settlementId: $id, idempotencyKey: $key, reason: $reason) { id status } }';
  const REFUNDS = `query($region: ID!, $first: Int, $after: String) { adminRefunds(regionCode: $region, first: $first, after: $after) {
    nodes { actor reason settlement { id status refundedAt patient { id } } } endCursor hasNextPage } }`;

  test("adminRefunds: a region's refunds by the bureau, newest first, paged, with who and why; only an ADMIN of that region", async () => {
    const REGION_CODE = '650100';
    const admin = await token({ role: 'ADMIN', region: REGION_CODE, sub: 'refund-officer' });
    const desk = await counter();
    const refunded: string[] = [];
    for (const reason of ['卡遗失 card lost', '参保人死亡 deceased']) {
      const patient = await employee(REGION_CODE, '100.00');
      const made = (await settleAt(desk, patient, await issueCard(patient), { inScopeAmount: '20.00' })).data.settle;
      const result = await gql(ADMIN_REFUND, { id: made.id, key: uniqueKey(), reason }, { token: admin });
      expect(result.data.adminRefundSettlement.status).toBe('REFUNDED');
      refunded.push(made.id);
    }
    // A counter's refund is not the bureau's.
    const patient = await employee(REGION_CODE, '100.00');
    const card = await issueCard(patient);
    const byCounter = (await settleAt(desk, patient, card, { inScopeAmount: '5.00' })).data.settle;
    expect((await gql(REFUND, { id: byCounter.id, key: uniqueKey() }, { token: desk.token, credential: card })).errors).toBeUndefined();

    const page = (await gql(REFUNDS, { region: REGION_CODE, first: 2 }, { token: admin })).data.adminRefunds;
    expect(page.nodes.map((node: { settlement: { id: string } }) => node.settlement.id)).toEqual([refunded[1], refunded[0]]);
    expect(page.nodes[0]).toMatchObject({ actor: expect.stringContaining('refund-officer'), reason: '参保人死亡 deceased' });
    expect(page.nodes[0].settlement.status).toBe('REFUNDED');
    // Other tests' ADMIN refunds of the region come after them, never a counter's refund.
    let after = page.endCursor;
    const seen = new Set(page.nodes.map((node: { settlement: { id: string } }) => node.settlement.id));
    while (after) {
      const next = (await gql(REFUNDS, { region: REGION_CODE, first: 50, after }, { token: admin })).data.adminRefunds;
      for (const node of next.nodes) {
        expect(seen.has(node.settlement.id)).toBe(false);
        seen.add(node.settlement.id);
      }
      after = next.hasNextPage ? next.endCursor : null;
    }
    expect(seen.has(byCounter.id)).toBe(false);

    expect(codes(await gql(REFUNDS, { region: REGION_CODE }, { token: await token({ role: 'ADMIN', region: '350100' }) }))).toEqual([
      'FORBIDDEN',
    ]);
    for (const caller of [await token({ role: 'ANALYST' }), desk.token, await token({ role: 'INSURED', personId: patient })]) {
      expect(codes(await gql(REFUNDS, { region: REGION_CODE }, { token: caller }))).toEqual(['FORBIDDEN']);
    }
    // Another region's list does not show them.
    const fuzhou = (await gql(REFUNDS, { region: '350100', first: 100 }, { token: await token({ role: 'ADMIN' }) })).data.adminRefunds;
    expect(fuzhou.nodes.some((node: { settlement: { id: string } }) => refunded.includes(node.settlement.id))).toBe(false);

    const connection = await database('settlements', '65');
    try {
      const { sql, params } = adminRefundsSql(REGION_CODE, 20, { createdAt: new Date(), id: `${REGION_CODE}-Z` });
      const [plan] = await connection.query(`EXPLAIN ${sql}`, params);
      expect((plan as Array<{ key: string | null }>).map((row) => row.key)).toEqual(['ix_settlements_admin_refunds']);
    } finally {
      await connection.end();
    }
  });

  test("reconciliationAttempts: an institution's 对账 calls, newest first; a regional ADMIN reads only those made for its region", async () => {
    const RECONCILE = 'mutation($input: ReconcileInput!) { reconcileInstitutionDay(input: $input) { matched } }';
    const ATTEMPTS = `query($institution: String!, $first: Int, $after: String) { reconciliationAttempts(institutionId: $institution, first: $first, after: $after) {
      nodes { id at institutionId date regionCode matched missingAtInstitution unknownToSystem actorRole actorSub } endCursor hasNextPage } }`;
    const desk = await counter();
    const date = chinaToday();
    const figures = {
      institutionId: desk.institutionId,
      date,
      fundPaid: '0.00',
      ownAccountPaid: '0.00',
      mutualAidPaid: '0.00',
      cashPaid: '0.00',
    };
    const urumqi = await token({ role: 'ADMIN', region: '650100', sub: 'auditor-65' });
    const calls: Array<[string, Record<string, unknown>]> = [
      [desk.token, { ...figures, settlements: 0 }],
      [urumqi, { ...figures, settlements: 1 }],
      [desk.token, { ...figures, settlements: 0, settlementIds: ['650100-NOTMADE'] }],
    ];
    for (const [caller, input] of calls) expect((await gql(RECONCILE, { input }, { token: caller })).errors).toBeUndefined();

    const national = await token({ role: 'ADMIN' });
    const all = (await gql(ATTEMPTS, { institution: desk.institutionId }, { token: national })).data.reconciliationAttempts;
    expect(all.nodes.map((node: Record<string, unknown>) => [node.actorRole, node.regionCode, node.matched, node.unknownToSystem])).toEqual(
      [
        ['TERMINAL', null, false, 1],
        ['ADMIN', '650100', false, 0],
        ['TERMINAL', null, true, 0],
      ],
    );
    expect(all.nodes[1]).toMatchObject({ institutionId: desk.institutionId, date, actorSub: 'auditor-65' });
    const first = (await gql(ATTEMPTS, { institution: desk.institutionId, first: 1 }, { token: national })).data.reconciliationAttempts;
    const rest = (await gql(ATTEMPTS, { institution: desk.institutionId, after: first.endCursor }, { token: national })).data
      .reconciliationAttempts;
    expect([...first.nodes, ...rest.nodes].map((node: { id: string }) => node.id)).toEqual(
      all.nodes.map((node: { id: string }) => node.id),
    );

    // The region's ADMIN sees the call made for its patients only; another region's ADMIN sees none.
    const regional = (await gql(ATTEMPTS, { institution: desk.institutionId }, { token: urumqi })).data.reconciliationAttempts;
    expect(regional.nodes.map((node: { id: string }) => node.id)).toEqual([all.nodes[1].id]);
    const other = (await gql(ATTEMPTS, { institution: desk.institutionId }, { token: await token({ role: 'ADMIN', region: '350100' }) }))
      .data.reconciliationAttempts;
    expect(other.nodes).toEqual([]);
    for (const caller of [desk.token, await token({ role: 'ANALYST' })]) {
      expect(codes(await gql(ATTEMPTS, { institution: desk.institutionId }, { token: caller }))).toEqual(['FORBIDDEN']);
    }
  });
});

test('usage and auditTrail for many persons in one request: one statement per province each, however many persons', async () => {
  const ids: string[] = [];
  for (let index = 0; index < 20; index += 1) ids.push(await register(index % 2 === 0 ? '430700' : '430100'));
  const admin = await token({ role: 'ADMIN' });
  const statementsFor = async (persons: string[]) => {
    const query = `query Many { ${persons
      .map(
        (id, index) =>
          `p${index}: person(id: "${id}") { personalAccount { usage(first: 5) { nodes { amount } } } auditTrail(first: 3) { nodes { action } } }`,
      )
      .join('\n')} }`;
    const before = await metricSum(accountsUrl, 'db_queries_total', 'origin="request"');
    const result = await gql(query, {}, { token: admin });
    const after = await metricSum(accountsUrl, 'db_queries_total', 'origin="request"');
    expect(result.errors).toBeUndefined();
    expect(
      Object.values(result.data).every((person) => (person as { auditTrail: { nodes: unknown[] } }).auditTrail.nodes.length === 1),
    ).toBe(true);
    return after - before;
  };
  const two = await statementsFor(ids.slice(0, 2));
  const twenty = await statementsFor(ids);
  expect(twenty).toBe(two);
  // persons, accounts, usage pages and audit pages: one statement each for the one province involved.
  expect(twenty).toBeLessThanOrEqual(4);
});
