import { loadRegionsConfig } from '../subgraphs/shared/policy/config';
import { residentIdProblem } from '../subgraphs/shared/residentId';
import { DEMO_FAMILIES, DEMO_PERSONS, DEMO_PREMIUM, demoPerson } from './demoData';

/** The demo data stays something the services accept under config/regions.json, so `npm run seed` never fails on it. */
const policies = loadRegionsConfig(undefined);
const firstPolicy = (regionCode: string) => policies.knownRegion(regionCode).versions[0];

test('every demo id number is valid, unique, and issued in the city its holder is enrolled in', () => {
  for (const person of DEMO_PERSONS) {
    expect(`${person.key} ${residentIdProblem(person.idNumber)}`).toBe(`${person.key} null`);
    expect(person.idNumber.slice(0, 4)).toBe(person.regionCode.slice(0, 4));
    expect(person.creditAmount === undefined).toBe(person.scheme === 'RESIDENT');
  }
  expect(new Set(DEMO_PERSONS.map((person) => person.idNumber)).size).toBe(DEMO_PERSONS.length);
  expect(new Set(DEMO_PERSONS.map((person) => person.key)).size).toBe(DEMO_PERSONS.length);
});

test("every demo family is one its regions' policies allow, with an authorizer who has an account", () => {
  for (const family of DEMO_FAMILIES) {
    const authorizer = demoPerson(family.authorizer);
    const beneficiary = demoPerson(family.beneficiary);
    expect(authorizer.scheme).toBe('EMPLOYEE');
    expect(firstPolicy(authorizer.regionCode).allowedRelationships).toContain(family.relationship);
    const crossProvince = authorizer.regionCode.slice(0, 2) !== beneficiary.regionCode.slice(0, 2);
    if (crossProvince) {
      expect([firstPolicy(authorizer.regionCode).crossProvince, firstPolicy(beneficiary.regionCode).crossProvince]).toEqual([true, true]);
    }
    // A binding the seed leaves under review needs a region that reviews.
    if (family.finalStatus === 'PENDING_REVIEW') expect(firstPolicy(authorizer.regionCode).requiresReview).toBe(true);
  }
  // One family per city the task names: Fuzhou, Changde, Chuxiong, and Urumqi across provinces.
  expect(DEMO_FAMILIES.map((family) => demoPerson(family.beneficiary).regionCode)).toEqual(['350100', '430700', '532300', '650100']);
});

test('the demo premium is paid by an account holder in a region of the product', () => {
  const payer = demoPerson(DEMO_PREMIUM.payer);
  expect(payer.scheme).toBe('EMPLOYEE');
  expect(firstPolicy(payer.regionCode).allowedPurposes).toContain('COMMERCIAL_HEALTH_INSURANCE');
});
