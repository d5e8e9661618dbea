import { readFileSync } from 'node:fs';
import { DEFAULT_REGIONS_FILE, documentOf, loadRegionsConfig, parseRegionsConfig, policyFromDocument } from './config';
import { must } from '../must';
import { aboveFloorFen, policyInForce, poolingRuleOf, type MutualAidPolicy } from './policy';

/** The shipped file as the tests below break it: any field set to anything, or removed. */
interface EditableRegionsFile {
  regions: Array<{ code: string; policy: { allowedRelationships: string[]; allowedPurposes: string[]; [field: string]: unknown } }>;
  poolingDefaults: Array<Record<string, unknown>>;
}

const defaults = (): EditableRegionsFile => JSON.parse(readFileSync(DEFAULT_REGIONS_FILE, 'utf8'));

describe('the shipped regions file', () => {
  const book = loadRegionsConfig(undefined);
  const at = new Date();

  test('has the five regions of DESIGN.md in four provinces', () => {
    expect(
      book
        .regions()
        .map((region) => region.code)
        .sort(),
    ).toEqual(['350100', '430100', '430700', '532300', '650100']);
    expect(book.provinces()).toEqual(['35', '43', '53', '65']);
  });

  test.each([
    ['430700', 8, 0, false, false, false],
    ['532300', 3, 0, true, false, false],
    ['350100', 3, 200000, false, true, true],
    ['650100', 3, 0, false, true, false],
  ])(
    '%s: %d relationships, floor %d fen, out-of-scope %p, cross-province %p, review %p',
    (code, relationships, floor, outOfScope, cross, review) => {
      const policy = book.knownPolicyAt(code, at);
      expect(policy.allowedRelationships).toHaveLength(relationships);
      expect([policy.retainedFloorFen, policy.coversOutOfScope, policy.crossProvince, policy.requiresReview]).toEqual([
        floor,
        outOfScope,
        cross,
        review,
      ]);
    },
  );

  test("the beneficiary's consent (接受绑定) is asked in Hunan only; a file that omits it asks nobody", () => {
    expect(Object.fromEntries(book.regions().map((region) => [region.code, region.versions[0].requiresBeneficiaryConsent]))).toEqual({
      '430700': true,
      '430100': true,
      '532300': false,
      '350100': false,
      '650100': false,
    });
    const file = defaults();
    delete file.regions[0].policy.requiresBeneficiaryConsent;
    expect(parseRegionsConfig(file, 'test').knownPolicyAt(file.regions[0].code, at).requiresBeneficiaryConsent).toBe(false);
    file.regions[0].policy.requiresBeneficiaryConsent = 'yes';
    expect(() => parseRegionsConfig(file, 'test')).toThrow(/regions\.0\.policy\.requiresBeneficiaryConsent/);
  });

  test('purposes differ by region as configured', () => {
    expect(book.knownPolicyAt('350100', at).allowedPurposes).toEqual(expect.arrayContaining(['VACCINE', 'HEALTH_CHECK']));
    expect(book.knownPolicyAt('650100', at).allowedPurposes).toContain('COMMERCIAL_HEALTH_INSURANCE');
    expect(book.knownPolicyAt('430700', at).allowedPurposes).not.toContain('COMMERCIAL_HEALTH_INSURANCE');
  });

  test("pooling defaults apply to every region's version 1", () => {
    expect(book.knownPolicyAt('532300', at).poolingRules).toContainEqual({
      scheme: 'EMPLOYEE',
      purpose: 'OUTPATIENT',
      annualDeductibleFen: 20000,
      ratePercent: 50,
      annualCapFen: 200000,
    });
  });

  test('a region the system names has a version in force at any instant; any other region is a bug', () => {
    expect(book.knownPolicyAt('430700', new Date(0)).version).toBe(1);
    expect(book.policyAt('999999', at)).toBeUndefined();
    expect(() => book.knownPolicyAt('999999', at)).toThrow('Invariant broken');
    expect(() => book.knownRegion('999999')).toThrow('Invariant broken');
  });

  test('a version is stored and sent as it is written, the floor in fen under its config name, and read back the same', () => {
    const fuzhou = book.knownPolicyAt('350100', at);
    const document = documentOf(fuzhou);
    expect(document).toMatchObject({ retainedFloor: 200000 });
    expect(document).not.toHaveProperty('retainedFloorFen');
    expect(policyFromDocument(JSON.parse(JSON.stringify(document)), fuzhou.version, fuzhou.effectiveFrom)).toEqual(fuzhou);
  });
});

describe('a malformed file names the field', () => {
  test.each<[string, (file: EditableRegionsFile) => void, RegExp]>([
    [
      'bad floor',
      (file) => {
        file.regions[0].policy.retainedFloor = '-1';
      },
      /regions\.0\.policy\.retainedFloor/,
    ],
    [
      'unknown relationship',
      (file) => {
        file.regions[1].policy.allowedRelationships.push('COUSIN');
      },
      /regions\.1\.policy\.allowedRelationships/,
    ],
    [
      'repeated purpose',
      (file) => {
        file.regions[2].policy.allowedPurposes.push('OUTPATIENT');
      },
      /regions\.2\.policy\.allowedPurposes/,
    ],
    [
      'bad region code',
      (file) => {
        file.regions[0].code = '4307';
      },
      /regions\.0\.code/,
    ],
    [
      'duplicate region',
      (file) => {
        file.regions[1].code = file.regions[0].code;
      },
      /regions: lists each region code once/,
    ],
    [
      'missing flag',
      (file) => {
        delete file.regions[3].policy.requiresReview;
      },
      /regions\.3\.policy\.requiresReview/,
    ],
    [
      'unknown field',
      (file) => {
        file.regions[0].policy.floor = '1.00';
      },
      /regions\.0\.policy/,
    ],
    [
      'rate above 100',
      (file) => {
        file.poolingDefaults[0].ratePercent = 120;
      },
      /poolingDefaults\.0\.ratePercent/,
    ],
    [
      'rate below 0',
      (file) => {
        file.poolingDefaults[1].ratePercent = -1;
      },
      /poolingDefaults\.1\.ratePercent/,
    ],
    [
      'rate not a whole percent',
      (file) => {
        file.poolingDefaults[1].ratePercent = 50.5;
      },
      /poolingDefaults\.1\.ratePercent/,
    ],
    [
      'negative deductible',
      (file) => {
        file.poolingDefaults[0].annualDeductible = '-0.01';
      },
      /poolingDefaults\.0\.annualDeductible/,
    ],
    [
      'negative cap',
      (file) => {
        file.poolingDefaults[2].annualCap = '-300.00';
      },
      /poolingDefaults\.2\.annualCap/,
    ],
    [
      'two rules for one scheme and purpose',
      (file) => {
        file.poolingDefaults.push({ ...file.poolingDefaults[0], ratePercent: 60 });
      },
      /poolingDefaults: has at most one rule per scheme and purpose/,
    ],
    [
      'a fund share of a premium',
      (file) => {
        file.poolingDefaults[0].purpose = 'RESIDENT_PREMIUM';
      },
      /poolingDefaults\.0\.purpose/,
    ],
  ])('%s', (_name, breakIt, message) => {
    const file = defaults();
    breakIt(file);
    expect(() => parseRegionsConfig(file, 'test')).toThrow(message);
  });

  test('an unreadable file names the variable', () => {
    expect(() => loadRegionsConfig('/nonexistent/regions.json')).toThrow(/REGIONS_CONFIG/);
  });
});

describe('policyInForce', () => {
  const version = (n: number, from: string) => ({ version: n, effectiveFrom: new Date(from) }) as MutualAidPolicy;
  const versions = [version(1, '1970-01-01T00:00:00Z'), version(2, '2026-06-01T00:00:00Z')];

  test.each([
    ['2026-05-31T23:59:59.999Z', 1],
    ['2026-06-01T00:00:00.000Z', 2],
    ['2027-01-01T00:00:00.000Z', 2],
  ])('at %s version %d is in force', (at, expected) => {
    expect(policyInForce(versions, new Date(at))?.version).toBe(expected);
  });
});

describe('pooling rules by instant: each version carries its own', () => {
  const config = loadRegionsConfig(undefined).knownPolicyAt('350100', new Date(0));
  const nextYear: MutualAidPolicy = {
    ...config,
    version: 2,
    effectiveFrom: new Date('2026-12-31T16:00:00Z'), // 2027-01-01 00:00 China Standard Time
    poolingRules: [{ scheme: 'EMPLOYEE', purpose: 'OUTPATIENT', annualDeductibleFen: 30000, ratePercent: 60, annualCapFen: 250000 }],
  };
  const versions = [config, nextYear];

  test.each<[string, number | undefined, number | undefined]>([
    ['2026-12-31T15:59:59.999Z', 20000, 85],
    ['2026-12-31T16:00:00.000Z', 30000, undefined],
    ['2027-06-01T00:00:00.000Z', 30000, undefined],
  ])('at %s the employee outpatient deductible is %p fen; the inpatient rate %p', (at, deductibleFen, inpatientRate) => {
    const policy = must(policyInForce(versions, new Date(at)), 'version 1 is in force from the beginning');
    expect(poolingRuleOf(policy, 'EMPLOYEE', 'OUTPATIENT')?.annualDeductibleFen).toBe(deductibleFen);
    // A version's rules replace the previous ones whole: a rule it leaves out means no fund share.
    expect(poolingRuleOf(policy, 'EMPLOYEE', 'INPATIENT')?.ratePercent).toBe(inpatientRate);
  });

  test('a version with its pooling rules is stored and sent in fen under the config names, and read back the same', () => {
    const document = documentOf(nextYear);
    expect(document.poolingRules).toEqual([
      { scheme: 'EMPLOYEE', purpose: 'OUTPATIENT', annualDeductible: 30000, ratePercent: 60, annualCap: 250000 },
    ]);
    expect(policyFromDocument(JSON.parse(JSON.stringify(document)), 2, nextYear.effectiveFrom)).toEqual(nextYear);
  });
});

test.each([
  [250000, 50000],
  [200000, 0],
  [150000, 0],
  [0, 0],
])('balance %d fen over a 2000 yuan floor shares %d fen', (balance, shareable) => {
  expect(aboveFloorFen(balance, 200000)).toBe(shareable);
});
