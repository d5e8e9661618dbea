import type { ChildProcess } from 'node:child_process';
import { CACHE_TTL_MS } from '../gateway/guard/credentials';
import { freePort, stackEnv, startProcess, startStack, stopStack, waitForHealth, type StackState } from '../scripts/stack';
import { SUBGRAPHS } from '../subgraphs/shared/env';
import { idNumber, stackClient, type Result } from './privateStack';
import { until } from './until';

/**
 * Two complete sets of replicas over one set of databases and one Redis (DESIGN.md, Operations:
 * nothing that replicas must agree on lives in process memory): a private stack, then a second
 * gateway, accounts, family and settlements on ports of their own, each calling the others of its
 * set only. Every act goes through gateway 1, every check through gateway 2, as two city front ends
 * behind a load balancer would see it.
 */
jest.setTimeout(120_000);

/** PARTNER requests per second, counted over ten-second windows: a few quick requests spend the allowance wherever a window starts. */
const PARTNER_PER_SECOND = 2;
const WINDOW_SECONDS = 10;
const POLICY_LEAD_TIME_MS = 2_000;
/** Time for one poll of a gateway on a loaded machine, beyond a documented bound. */
const POLL_SLACK_MS = 1_000;

let state: StackState;
const second: ChildProcess[] = [];
let one: ReturnType<typeof stackClient>;
let two: ReturnType<typeof stackClient>;

beforeAll(async () => {
  state = await startStack({
    RATE_LIMIT_PARTNER: String(PARTNER_PER_SECOND),
    RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
    POLICY_LEAD_TIME_MS: String(POLICY_LEAD_TIME_MS),
  });
  // The same databases, Redis and rate-limit prefix (DB_PREFIX), other ports: the second set finds its own members by port.
  const ports = { gateway: await freePort(), accounts: await freePort(), family: await freePort(), settlements: await freePort() };
  const env = {
    ...stackEnv(state),
    GATEWAY_PORT: String(ports.gateway),
    ACCOUNTS_PORT: String(ports.accounts),
    FAMILY_PORT: String(ports.family),
    SETTLEMENTS_PORT: String(ports.settlements),
  };
  second.push(...SUBGRAPHS.map((name) => startProcess(`subgraphs/${name}/main.js`, env)), startProcess('gateway/main.js', env));
  for (const port of Object.values(ports)) await waitForHealth(`http://127.0.0.1:${port}/health`);
  await waitForHealth(`http://127.0.0.1:${ports.gateway}/ready`);
  one = stackClient(state);
  two = stackClient({ ...state, ports });
});

afterAll(async () => {
  for (const child of second) child.kill('SIGTERM');
  await Promise.all(
    second.map((child) =>
      child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined,
    ),
  );
  await stopStack(state);
});

function codes(result: Result): string[] {
  return (result.errors ?? []).map((error) => error.extensions?.code ?? 'NONE');
}

const COUNTER = { role: 'TERMINAL' as const, institutionId: 'FAULT01' };
const WHO = 'query Who { patientByCredential { id settlementSuspended } }';
const admin = { role: 'ADMIN' as const };

/** Asks `ask` until it answers `code`; returns how long after `sinceMs` that was. */
async function refusedWithin(what: string, sinceMs: number, code: string, ask: () => Promise<Result>): Promise<number> {
  await until(what, async () => codes(await ask()).includes(code), { timeoutMs: CACHE_TTL_MS + 2 * POLL_SLACK_MS, pauseMs: 100 });
  return Date.now() - sinceMs;
}

describe('credential revocation through gateway 1', () => {
  test('moves no money through gateway 2 at once, and reads there refuse it within the card cache bound', async () => {
    const { authorizer, patient, card } = await one.setup();
    const reader = await one.card(patient);
    // Gateway 2 has resolved both cards and keeps the valid answers for reads.
    for (const presented of [card, reader]) expect((await two.call(COUNTER, WHO, {}, presented)).data.patientByCredential.id).toBe(patient);

    for (const presented of [card, reader])
      expect((await one.call(admin, 'mutation($t: String!) { revokeCredential(token: $t) }', { t: presented })).data.revokeCredential).toBe(
        true,
      );
    const revokedAt = Date.now();
    expect(codes(await two.settle(patient, card, 'revoked-1'))).toEqual(['CREDENTIAL_INVALID']);
    const elapsedMs = await refusedWithin('gateway 2 to refuse the revoked card in a read', revokedAt, 'CREDENTIAL_INVALID', () =>
      two.call(COUNTER, WHO, {}, reader),
    );
    expect(elapsedMs).toBeLessThanOrEqual(CACHE_TTL_MS + POLL_SLACK_MS);
    expect(await two.balance(authorizer)).toBe('5000.00');
  });
});

describe('suspension for repeated mismatches', () => {
  test('mismatches through both gateways count together; gateway 2 refuses the holder at once, and takes him back at once when gateway 1 lifts it', async () => {
    const { authorizer: holder, patient: victim } = await one.setup();
    const card = await one.card(holder);
    expect((await two.call(COUNTER, WHO, {}, card)).data.patientByCredential).toEqual({ id: holder, settlementSuspended: false });

    // With a count per replica, three mismatches spread over two gateways would suspend nobody.
    for (const [gateway, key] of [
      [one, 'mismatch-1'],
      [two, 'mismatch-2'],
      [one, 'mismatch-3'],
    ] as const)
      expect(codes(await gateway.settle(victim, card, key))).toEqual(['CREDENTIAL_MISMATCH']);

    expect(codes(await two.settle(holder, card, 'suspended-1'))).toEqual(['CREDENTIAL_SUSPENDED']);
    expect(codes(await two.call(COUNTER, WHO, {}, card))).toEqual(['CREDENTIAL_SUSPENDED']);
    expect((await two.call(admin, 'query($id: ID!) { person(id: $id) { settlementSuspended } }', { id: holder })).data.person).toEqual({
      settlementSuspended: true,
    });
    expect(await two.balance(holder)).toBe('5000.00');

    const lifted = await one.call(admin, 'mutation($id: ID!) { liftSettlementSuspension(personId: $id) { settlementSuspended } }', {
      id: holder,
    });
    expect(lifted.data.liftSettlementSuspension).toEqual({ settlementSuspended: false });
    // A suspended answer is never kept: gateway 2 reads and settles with the card again at once.
    expect((await two.call(COUNTER, WHO, {}, card)).data.patientByCredential).toEqual({ id: holder, settlementSuspended: false });
    expect(codes(await two.settle(holder, card, 'lifted-1'))).toEqual([]);
    expect(await two.balance(holder)).toBe('4990.00');
  });
});

describe('rate limits', () => {
  test("a partner's requests spread over both gateways are counted once: the allowance is spent on both together", async () => {
    const partner = { role: 'PARTNER' as const, partnerCode: `P${Date.now().toString(36)}` };
    const allowance = PARTNER_PER_SECOND * WINDOW_SECONDS;
    const answers: string[][] = [];
    for (let request = 0; request < allowance + 2; request += 1)
      answers.push(codes(await [one, two][request % 2].call(partner, 'query Ping { __typename }')));
    // Alternating: with a count per gateway each would have served the whole allowance, 2 × allowance in all.
    expect(answers).toEqual([...Array.from({ length: allowance }, () => []), ['RATE_LIMITED'], ['RATE_LIMITED']]);
  });
});

describe("family's limit on failed matches by id number", () => {
  test('failures through both gateways count together: after five in all, the caller is refused on either, even with the right pair', async () => {
    const son = await one.person('430700', 'EMPLOYEE');
    const motherIdNumber = idNumber();
    expect((await one.register('430700', 'RESIDENT', motherIdNumber)).errors).toBeUndefined();
    const caller = { role: 'INSURED' as const, personId: son };
    const byIdNumber = (gateway: typeof one, beneficiaryIdNumber: string) =>
      gateway.call(
        caller,
        'mutation($input: RequestBindingByIdNumberInput!) { requestFamilyBindingByIdNumber(input: $input) { status } }',
        { input: { authorizerId: son, beneficiaryIdNumber, beneficiaryName: '故障', relationship: 'PARENT', commitmentAccepted: true } },
      );
    // Alternating: with a count per family replica, neither would have reached five.
    for (let attempt = 0; attempt < 5; attempt += 1)
      expect(codes(await byIdNumber([one, two][attempt % 2], idNumber()))).toEqual(['NOT_FOUND']);
    for (const gateway of [one, two]) expect(codes(await byIdNumber(gateway, motherIdNumber))).toEqual(['RATE_LIMITED']);
  });
});

describe('a policy version scheduled through gateway 1', () => {
  test("decides every request behind gateway 2 from its instant on: accounts' policy, family's bindings and settlements' waterfall", async () => {
    const { authorizer, patient, card } = await one.setup();
    const bindings = 'query($id: ID!) { person(id: $id) { bindingsAsBeneficiary { allowedByPolicy } } }';
    const allowedByPolicy = async () =>
      (await two.call(admin, bindings, { id: patient })).data.person.bindingsAsBeneficiary.map(
        (found: { allowedByPolicy: boolean }) => found.allowedByPolicy,
      );
    const paidBefore = await two.settle(patient, card, 'policy-before');
    expect(paidBefore.data.settle.mutualAidPaid).toBe('10.00');
    expect(await allowedByPolicy()).toEqual([true]);

    // The patient is the authorizer's CHILD; the new version allows spouses and parents only.
    const effectiveFrom = new Date(Date.now() + POLICY_LEAD_TIME_MS + 1_000).toISOString();
    const scheduled = await one.call(
      { role: 'ADMIN', region: '430700' },
      'mutation($input: RegionPolicyInput!) { scheduleRegionPolicy(input: $input) { version } }',
      {
        input: {
          regionCode: '430700',
          effectiveFrom,
          allowedRelationships: ['SPOUSE', 'PARENT'],
          retainedFloor: '0.00',
          allowedPurposes: ['OUTPATIENT', 'INPATIENT', 'PHARMACY', 'RESIDENT_PREMIUM'],
          coversOutOfScope: false,
          crossProvince: false,
          requiresReview: false,
        },
      },
    );
    expect(scheduled.errors).toBeUndefined();
    const { version } = scheduled.data.scheduleRegionPolicy;

    // Before its instant the replicas behind gateway 2 still decide by the version before it.
    expect((await two.settle(patient, card, 'policy-scheduled')).data.settle.mutualAidPaid).toBe('10.00');
    const instantMs = Date.parse(effectiveFrom);
    expect(Date.now()).toBeLessThan(instantMs);

    // Never the new version for a request answered before its instant, always for one sent at or after it.
    await until(
      'gateway 2 to answer the new version',
      async () => {
        const sentAtMs = Date.now();
        const policy = (await two.call(admin, 'query($code: ID!) { region(code: $code) { policy { version } } }', { code: '430700' })).data
          .region.policy;
        if (policy.version === version) expect(Date.now()).toBeGreaterThanOrEqual(instantMs);
        else expect(sentAtMs).toBeLessThan(instantMs);
        return policy.version === version;
      },
      { timeoutMs: POLICY_LEAD_TIME_MS + 1_000 + POLL_SLACK_MS, pauseMs: 50 },
    );
    expect(await allowedByPolicy()).toEqual([false]);
    const after = await two.settle(patient, card, 'policy-after');
    expect(after.data.settle).toMatchObject({ mutualAidPaid: '0.00', cashPaid: '10.00' });
    expect(await two.balance(authorizer)).toBe('4980.00');
  });
});
