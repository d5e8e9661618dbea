import fc from 'fast-check';
import { DomainError } from '../errors';
import { documentOf, loadRegionsConfig } from './config';
import type { VersionList } from '../contracts/policies';
import { PolicyVersions } from './versions';

/**
 * How every replica of every service applies a scheduled version at its instant, on the clock
 * parameter of PolicyVersions: the list is read again once it is older than half the lead time, and a
 * version is scheduled at least the lead time ahead, so whoever decides at or after its instant knows it.
 */
const LEAD_TIME_MS = 2_000;
const REGION = '430100';
const T0 = Date.parse('2026-11-23T02:00:00Z');

/** Version 1 of the region as the accounts subgraph lists it, and a version 2 from `effectiveFromMs`. */
function versionList(effectiveFromMs?: number): VersionList {
  const first = loadRegionsConfig(undefined).knownRegion(REGION).versions[0];
  // As it travels: the policy document (retainedFloor in fen) with its version and instant.
  const document = { ...documentOf(first), version: first.version };
  const listed = [{ ...document, effectiveFrom: first.effectiveFrom.toISOString() }];
  if (effectiveFromMs !== undefined) listed.push({ ...document, version: 2, effectiveFrom: new Date(effectiveFromMs).toISOString() });
  return { [REGION]: listed };
}

/** A replica's PolicyVersions on a clock the test sets, reading a list the test controls. */
function replica(read: () => Promise<VersionList>) {
  const clock = { nowMs: T0 };
  const versions = new PolicyVersions(loadRegionsConfig(undefined), read, LEAD_TIME_MS, () => clock.nowMs);
  /** A request at `atMs`: refresh as every request does, then the version that decides it. */
  const decide = async (atMs: number) => {
    clock.nowMs = atMs;
    return (await versions.fresh()).knownPolicyAt(REGION, new Date(atMs)).version;
  };
  return { clock, versions, decide };
}

test('the list is read again once it is half a lead time old, and concurrent requests share one read', async () => {
  let reads = 0;
  const { clock, versions } = replica(async () => {
    reads += 1;
    return versionList();
  });
  const half = LEAD_TIME_MS / 2;
  for (const [atMs, expected] of [
    [0, 1],
    [half - 1, 1],
    [half, 2],
    [2 * half - 1, 2],
    [2 * half, 3],
  ]) {
    clock.nowMs = T0 + atMs;
    await Promise.all([versions.fresh(), versions.fresh(), versions.fresh()]);
    expect([atMs, reads]).toEqual([atMs, expected]);
  }
});

test('a list that cannot be read is used for up to the lead time, then requests are SERVICE_UNAVAILABLE', async () => {
  let answering = true;
  const { clock, versions } = replica(async () => {
    if (!answering) throw new Error('accounts unreachable');
    return versionList();
  });
  await versions.fresh();
  answering = false;
  for (const atMs of [LEAD_TIME_MS / 2, LEAD_TIME_MS - 1]) {
    clock.nowMs = T0 + atMs;
    expect((await versions.fresh()).knownPolicyAt(REGION, new Date(clock.nowMs)).version).toBe(1);
  }
  clock.nowMs = T0 + LEAD_TIME_MS;
  const refused = await versions.fresh().catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(DomainError);
  expect(refused).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
});

test("whenever a replica's requests come, a version scheduled the lead time ahead decides every request from its instant on, and none before", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 5 * LEAD_TIME_MS }),
      fc.integer({ min: 0, max: 3 * LEAD_TIME_MS }),
      fc.array(fc.integer({ min: 0, max: 12 * LEAD_TIME_MS }), { minLength: 1, maxLength: 12 }),
      async (scheduledAfterMs, beyondLeadTimeMs, requestOffsetsMs) => {
        const scheduledAtMs = T0 + scheduledAfterMs;
        const effectiveFromMs = scheduledAtMs + LEAD_TIME_MS + beyondLeadTimeMs;
        // The list as the accounts subgraph answers it at the replica's current instant.
        const { clock, decide } = replica(async () => versionList(clock.nowMs >= scheduledAtMs ? effectiveFromMs : undefined));
        for (const atMs of requestOffsetsMs.map((offset) => T0 + offset).sort((a, b) => a - b)) {
          expect([atMs, await decide(atMs)]).toEqual([atMs, atMs >= effectiveFromMs ? 2 : 1]);
        }
      },
    ),
  );
});

test('a list from an accounts replica of the release before pooling rules were versioned: each version has the rules before it, version 1 the config’s', async () => {
  const configured = versionList(T0 + LEAD_TIME_MS)[REGION];
  const nextYear = [
    { scheme: 'EMPLOYEE' as const, purpose: 'OUTPATIENT' as const, annualDeductible: 0, ratePercent: 80, annualCap: 500000 },
  ];
  const withoutRules = configured.map(({ poolingRules: _rules, ...version }) => version);
  const { versions } = replica(async () => ({
    [REGION]: [...withoutRules, { ...withoutRules[1], version: 3, poolingRules: nextYear }, { ...withoutRules[1], version: 4 }],
  }));
  const book = await versions.fresh();
  expect(book.knownRegion(REGION).versions.map((version) => version.poolingRules.map((rule) => rule.annualDeductibleFen))).toEqual([
    configured[0].poolingRules?.map((rule) => rule.annualDeductible),
    configured[0].poolingRules?.map((rule) => rule.annualDeductible),
    [0],
    [0],
  ]);
});

test('a slow read counts its age from when it was sent: a version scheduled while it was in flight still decides from its instant', async () => {
  // The accounts subgraph answers with the list as it was when the request reached it, then the
  // answer takes longer than half the lead time to arrive (a loaded replica, a Galera node stalling).
  const readTookMs = LEAD_TIME_MS - 100;
  const scheduledAtMs = T0 + 1;
  const effectiveFromMs = scheduledAtMs + LEAD_TIME_MS;
  const { clock, versions, decide } = replica(async () => {
    const listed = versionList(clock.nowMs >= scheduledAtMs ? effectiveFromMs : undefined);
    clock.nowMs += readTookMs;
    return listed;
  });
  await versions.fresh();
  expect(clock.nowMs).toBe(T0 + readTookMs);
  expect(await decide(effectiveFromMs)).toBe(2);
});

test('of two reads in flight at once, the one asked later wins, whichever answers last', async () => {
  const answers: Array<() => void> = [];
  let scheduled = false;
  const { versions } = replica(async () => {
    const listed = versionList(scheduled ? T0 + LEAD_TIME_MS : undefined);
    await new Promise<void>((resolve) => answers.push(resolve));
    return listed;
  });
  const older = versions.reread();
  scheduled = true;
  const newer = versions.reread();
  answers[1]();
  await newer;
  answers[0]();
  await older;
  expect(versions.book.knownRegion(REGION).versions.map((version) => version.version)).toEqual([1, 2]);
});
