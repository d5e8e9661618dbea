import { beneficiaryRefusal, eligibilityReason, premiumYear, productRefusal } from './rules';

test.each([
  ['RESIDENT_PREMIUM', 'ACTIVE', 'RESIDENT', null],
  ['RESIDENT_PREMIUM', 'ACTIVE', 'EMPLOYEE', 'SCHEME_NOT_ALLOWED'],
  ['RESIDENT_PREMIUM', 'SUSPENDED', 'RESIDENT', 'SUSPENDED'],
  ['RESIDENT_PREMIUM', 'TERMINATED', 'RESIDENT', 'NOT_INSURED'],
  ['LONG_TERM_CARE_PREMIUM', 'ACTIVE', 'EMPLOYEE', null],
  ['COMMERCIAL_HEALTH_INSURANCE', 'ACTIVE', 'EMPLOYEE', null],
  ['COMMERCIAL_HEALTH_INSURANCE', 'TERMINATED', 'EMPLOYEE', 'NOT_INSURED'],
] as const)('a %s for a %s %s beneficiary: %s', (purpose, status, scheme, expected) => {
  expect(beneficiaryRefusal(purpose, { status, scheme })).toBe(expected);
});

test("a partner's product is paid only from accounts of its regions; other premiums name no product", () => {
  expect(productRefusal({ regionCodes: ['650100'] }, '650100')).toBeNull();
  expect(productRefusal({ regionCodes: ['650100'] }, '350100')).toBe('REGION_NOT_ALLOWED');
  expect(productRefusal(null, '350100')).toBeNull();
});

test("the year is the product's, else the China-Standard-Time year of payment", () => {
  expect(premiumYear({ year: 2027 }, new Date('2026-11-27T00:00:00Z'))).toBe(2027);
  expect(premiumYear(null, new Date('2026-12-31T15:59:59.999Z'))).toBe(2026);
  expect(premiumYear(null, new Date('2026-12-31T16:00:00Z'))).toBe(2027);
});

describe('eligibility', () => {
  test('the beneficiary comes first, then the year, then the accounts', () => {
    expect(eligibilityReason({ beneficiary: 'SUSPENDED', alreadyPaid: true, payers: [null] })).toBe('SUSPENDED');
    expect(eligibilityReason({ beneficiary: null, alreadyPaid: true, payers: [null] })).toBe('ALREADY_PAID');
  });

  test('eligible when any account may pay, whichever', () => {
    expect(eligibilityReason({ beneficiary: null, alreadyPaid: false, payers: [null] })).toBeNull();
    expect(eligibilityReason({ beneficiary: null, alreadyPaid: false, payers: ['REGION_NOT_ALLOWED', null] })).toBeNull();
  });

  test('otherwise the first account says why, or there is no account at all', () => {
    expect(eligibilityReason({ beneficiary: null, alreadyPaid: false, payers: ['REGION_NOT_ALLOWED', 'PURPOSE_NOT_ALLOWED'] })).toBe(
      'REGION_NOT_ALLOWED',
    );
    expect(eligibilityReason({ beneficiary: null, alreadyPaid: false, payers: [] })).toBe('NO_PERSONAL_ACCOUNT');
  });
});
