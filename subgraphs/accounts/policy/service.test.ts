import { configPoolingRules, documentOf, loadRegionsConfig, type PolicyDocument } from '../../shared/policy/config';
import { versionListOf, type StoredVersionRow } from './service';

/** How stored versions become the list every replica reads: pooling rules included, old rows too. */
const config = loadRegionsConfig(undefined);
const configured = configPoolingRules(config);
const FUZHOU = '350100';
const fuzhou = documentOf(config.knownPolicyAt(FUZHOU, new Date(0)));
const nextYearRules = [
  { scheme: 'EMPLOYEE' as const, purpose: 'OUTPATIENT' as const, annualDeductible: 0, ratePercent: 80, annualCap: 500000 },
];

function row(version: number, document: Partial<PolicyDocument>, effectiveFrom = new Date(version * 1000)): StoredVersionRow {
  return { region_code: FUZHOU, version, effective_from: effectiveFrom, policy: JSON.stringify(document) };
}

/** A document as the previous release wrote it: no pooling rules. */
function legacy(document: PolicyDocument): Partial<PolicyDocument> {
  const { poolingRules: _rules, ...rest } = document;
  return rest;
}

test.each<[string, StoredVersionRow[], Array<PolicyDocument['poolingRules']>]>([
  [
    'versions with their own rules keep them',
    [row(1, fuzhou), row(2, { ...fuzhou, poolingRules: nextYearRules })],
    [fuzhou.poolingRules, nextYearRules],
  ],
  ["a version 1 written before rules were versioned has the config's", [row(1, legacy(fuzhou))], [fuzhou.poolingRules]],
  [
    'a later version written without rules has the previous version’s',
    [row(1, fuzhou), row(2, { ...fuzhou, poolingRules: nextYearRules }), row(3, legacy(fuzhou))],
    [fuzhou.poolingRules, nextYearRules, nextYearRules],
  ],
  [
    'an empty list of rules stays empty: no fund share from that version on',
    [row(1, fuzhou), row(2, { ...fuzhou, poolingRules: [] })],
    [fuzhou.poolingRules, []],
  ],
])('%s', (_name, rows, expected) => {
  const list = versionListOf(rows, configured);
  expect(list[FUZHOU].map((version) => version.poolingRules)).toEqual(expected);
  expect(list[FUZHOU].map((version) => version.version)).toEqual(rows.map((stored) => stored.version));
});
