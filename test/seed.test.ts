import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEMO_FAMILIES, DEMO_INSTITUTIONS, DEMO_PERSONS, DEMO_PREMIUM } from '../scripts/demoData';
import type { SeedReport } from '../scripts/seedDemo';
import { ROOT, stackEnv } from '../scripts/stack';
import { gql, stack, token } from './client';

/**
 * `npm run seed` against the shared stack, twice: the demo families exist in the states their
 * regions' policies lead to, the 惠民保 premium is paid once, and the second run changes nothing.
 */
const run = promisify(execFile);
const cardsDir = mkdtempSync(join(tmpdir(), 'seed-cards-'));
const cardsFile = join(cardsDir, 'cards.json');

async function seed(): Promise<SeedReport> {
  const { stdout } = await run(process.execPath, [join(ROOT, 'dist', 'scripts', 'seed.js'), '--json'], {
    env: { ...stackEnv(stack), DEMO_CARDS_FILE: cardsFile },
  });
  return JSON.parse(stdout) as SeedReport;
}

const STATE = `query SeedState($id: ID!) {
  person(id: $id) {
    name scheme region { code }
    personalAccount { balance entries(first: 100) { nodes { id kind amount } } }
    credentials { id revokedAt }
    bindingsAsAuthorizer { id status relationship beneficiary { id } }
  }
}`;
const PREMIUMS = `query SeedPremiums($code: String!) {
  premiumPayments(productCode: $code, first: 100) { nodes { id status amount payer { id } beneficiary { id } } }
}`;
const HISTORY = 'query SeedHistory($id: ID!) { familyBinding(id: $id) { status history { action actorRole } } }';
const PATIENT = 'query PatientByCredential { patientByCredential { id name } }';
const REVIEW = 'mutation Review($id: ID!) { reviewFamilyBinding(id: $id, approve: true, note: "材料齐全") { status } }';
const SETTLE = `mutation Settle($input: SettleInput!) {
  settle(input: $input) { status fundPaid ownAccountPaid mutualAidPaid cashPaid mutualAidPayments { amount authorizer { name maskedIdNumber } } }
}`;
const BIND_BY_ID_NUMBER = `mutation BindByIdNumber($input: RequestBindingByIdNumberInput!) {
  requestFamilyBindingByIdNumber(input: $input) { status }
}`;

/** Everything the seed could have written, read back through the gateway. */
async function snapshot(report: SeedReport) {
  const admin = await token({ role: 'ADMIN' });
  const persons = [];
  for (const person of report.persons) persons.push((await gql(STATE, { id: person.id }, { token: admin })).data?.person);
  const premiums = (await gql(PREMIUMS, { code: DEMO_PREMIUM.productCode }, { token: admin })).data?.premiumPayments.nodes;
  return { persons, premiums };
}

afterAll(() => rmSync(cardsDir, { recursive: true, force: true }));

test('the seed creates every demo family in its region policy’s state, and a second run changes nothing', async () => {
  const first = await seed();
  expect(first.changes.length).toBeGreaterThan(0);

  // Every demo person, enrolled as written in demoData, with a card and the monthly credit.
  expect(first.persons.map((person) => [person.key, person.name, person.regionCode, person.scheme])).toEqual(
    DEMO_PERSONS.map((person) => [person.key, person.name, person.regionCode, person.scheme]),
  );
  const byKey = new Map(first.persons.map((person) => [person.key, person]));
  for (const demo of DEMO_PERSONS) {
    const seeded = byKey.get(demo.key);
    expect(seeded?.id.slice(0, 6)).toBe(demo.regionCode);
    expect(seeded?.maskedIdNumber).toBe(`${demo.idNumber.slice(0, 4)}**********${demo.idNumber.slice(-4)}`);
    expect(seeded?.cardToken).toMatch(new RegExp(`^${demo.regionCode}\\.`));
  }
  // Urumqi's patient paid his 惠民保 premium from his 300.00.
  expect(byKey.get('maFuhai')?.balance).toBe('201.00');
  expect(byKey.get('linJianguo')?.balance).toBe('2500.00');
  expect(byKey.get('linXiaoyu')?.balance).toBeNull();

  // Bindings: Fuzhou's child waits for review; Hunan's sister accepted; Chuxiong's spouse needs neither;
  // the cross-province one was reviewed in Fuzhou, the authorizer's region.
  const statuses = Object.fromEntries(first.families.map((family) => [family.key, [family.relationship, family.status]]));
  expect(statuses).toEqual({
    fuzhou: ['CHILD', 'PENDING_REVIEW'],
    changde: ['SIBLING', 'ACTIVE'],
    chuxiong: ['SPOUSE', 'ACTIVE'],
    urumqi: ['PARENT', 'ACTIVE'],
  });
  const admin = await token({ role: 'ADMIN' });
  const actions = async (key: string) => {
    const family = first.families.find((candidate) => candidate.key === key);
    const result = await gql(HISTORY, { id: family?.bindingId }, { token: admin });
    return result.data?.familyBinding.history.map((event: { action: string; actorRole: string }) => `${event.action} ${event.actorRole}`);
  };
  expect(await actions('fuzhou')).toEqual(['REQUEST INSURED']);
  expect(await actions('changde')).toEqual(['REQUEST INSURED', 'ACCEPT INSURED']);
  expect(await actions('chuxiong')).toEqual(['REQUEST INSURED']);
  expect(await actions('urumqi')).toEqual(['REQUEST INSURED', 'APPROVE ADMIN']);
  for (const family of DEMO_FAMILIES) {
    const seeded = first.families.find((candidate) => candidate.key === family.key);
    expect(seeded?.authorizerId).toBe(byKey.get(family.authorizer)?.id);
    expect(seeded?.beneficiaryId).toBe(byKey.get(family.beneficiary)?.id);
  }

  // The premium: paid by the Urumqi payer for the product of config/products.json.
  expect(first.premium).toMatchObject({
    productCode: 'HSHMB-2026',
    amount: DEMO_PREMIUM.amount,
    status: 'PAID',
    payerId: byKey.get('maFuhai')?.id,
    beneficiaryId: byKey.get('maFuhai')?.id,
  });

  // A printed card works at a counter of its region.
  const child = byKey.get('linXiaoyu');
  const counter = await token({ role: 'TERMINAL', institutionId: DEMO_INSTITUTIONS.fuzhou });
  const patient = await gql(PATIENT, {}, { token: counter, credential: child?.cardToken ?? '' });
  expect(patient.data?.patientByCredential).toEqual({ id: child?.id, name: '林小雨' });
  // The cards file holds tokens that settle money: its owner's only.
  expect(statKeepsOwnerOnly(cardsFile)).toBe(true);

  const before = await snapshot(first);
  const second = await seed();
  expect(second.changes).toEqual([]);
  expect(second).toEqual({ ...first, changes: [] });
  expect(await snapshot(first)).toEqual(before);
  // One premium for the payer, one credit per account, one card and one binding per person and pair.
  expect(before.premiums.filter((premium: { payer: { id: string } }) => premium.payer.id === first.premium.payerId)).toHaveLength(1);
  for (const person of before.persons) {
    expect(person.credentials).toHaveLength(1);
    if (person.personalAccount) {
      expect(person.personalAccount.entries.nodes.filter((entry: { kind: string }) => entry.kind === 'CREDIT')).toHaveLength(1);
    }
  }
  expect(before.persons.flatMap((person) => person.bindingsAsAuthorizer)).toHaveLength(DEMO_FAMILIES.length);
}, 120_000);

test("README's examples work on the seeded people: the reviewed Fuzhou child settles at the counter, 王秀英 is bound by id number", async () => {
  const report = await seed();
  const byKey = new Map(report.persons.map((person) => [person.key, person]));
  const fuzhou = report.families.find((family) => family.key === 'fuzhou');
  const reviewer = await token({ role: 'ADMIN', region: '350100' });
  const reviewed = await gql(REVIEW, { id: fuzhou?.bindingId }, { token: reviewer });
  expect(reviewed.data?.reviewFamilyBinding.status).toBe('ACTIVE');

  const child = byKey.get('linXiaoyu');
  const counter = await token({ role: 'TERMINAL', institutionId: DEMO_INSTITUTIONS.fuzhou });
  const input = {
    idempotencyKey: 'H35010001-20261127-000042',
    patientId: child?.id,
    institutionId: DEMO_INSTITUTIONS.fuzhou,
    purpose: 'PHARMACY',
    inScopeAmount: '800.00',
    outOfScopeAmount: '0.00',
  };
  const settled = await gql(SETTLE, { input }, { token: counter, credential: child?.cardToken ?? '' });
  expect(settled.data?.settle).toEqual({
    status: 'SETTLED',
    fundPaid: '0.00',
    ownAccountPaid: '0.00',
    mutualAidPaid: '500.00',
    cashPaid: '300.00',
    mutualAidPayments: [{ amount: '500.00', authorizer: { name: '林建国', maskedIdNumber: '3501**********0019' } }],
  });

  const son = byKey.get('wangZhiqiang');
  const byIdNumber = await gql(
    BIND_BY_ID_NUMBER,
    {
      input: {
        authorizerId: son?.id,
        beneficiaryIdNumber: '430702195403120028',
        beneficiaryName: '王秀英',
        relationship: 'PARENT',
        commitmentAccepted: true,
      },
    },
    { token: await token({ role: 'INSURED', personId: son?.id, sub: son?.id }) },
  );
  expect(byIdNumber.data?.requestFamilyBindingByIdNumber.status).toBe('PENDING_CONSENT');
});

function statKeepsOwnerOnly(file: string): boolean {
  return (statSync(file).mode & 0o077) === 0;
}
