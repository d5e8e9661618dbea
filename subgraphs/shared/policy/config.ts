import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../env';
import { isRegionCode, provinceOfRegion } from '../ids';
import { DomainError } from '../errors';
import { boundedFen, MoneyFormatError, parseMoney } from '../money';
import { CARE_PURPOSES, PURPOSES, RELATIONSHIPS, SCHEMES } from './vocabulary';
import { PolicyBook, type MutualAidPolicy, type Region } from './policy';

/**
 * The regions file (REGIONS_CONFIG; default config/regions.json): every region's version-1 policy,
 * its pooling rules included. Validated at start; a bad file stops start-up with a message naming the field.
 */
/** Floors, deductibles and caps are balance-sized amounts: not negative, at most 10^10 yuan. */
const money = (field: string) =>
  z.string().transform((text, context) => {
    try {
      return boundedFen(parseMoney(text), 'BALANCE', field);
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: error instanceof MoneyFormatError || error instanceof DomainError ? error.message : String(error),
      });
      return z.NEVER;
    }
  });

const uniqueList = <T extends string>(values: readonly [T, ...T[]]) =>
  z.array(z.enum(values)).refine((list) => new Set(list).size === list.length, 'lists each value at most once');

export const PolicyInputSchema = z
  .object({
    allowedRelationships: uniqueList(RELATIONSHIPS),
    retainedFloor: money('retainedFloor'),
    allowedPurposes: uniqueList(PURPOSES),
    coversOutOfScope: z.boolean(),
    crossProvince: z.boolean(),
    requiresReview: z.boolean(),
    /** Hunan's 接受绑定: a new binding waits for the beneficiary's acceptance. Absent: false, as before the rule existed. */
    requiresBeneficiaryConsent: z.boolean().default(false),
  })
  .strict();

/**
 * The fund's rule for one scheme and purpose as written: amounts in yuan text in the regions file and
 * in scheduleRegionPolicy's input, in fen under the same names once parsed, stored and sent
 * (PoolingRuleDocument); inside the code they carry their unit (PoolingRule). Only care purposes have
 * a fund share: premiums are paid in full by whoever pays them.
 */
const PoolingRuleSchema = z
  .object({
    scheme: z.enum(SCHEMES),
    purpose: z.enum(CARE_PURPOSES),
    annualDeductible: money('annualDeductible'),
    ratePercent: z.number().int().min(0).max(100),
    annualCap: money('annualCap'),
  })
  .strict();

export const PoolingRulesSchema = z
  .array(PoolingRuleSchema)
  .refine(
    (rules) => new Set(rules.map((rule) => `${rule.scheme}/${rule.purpose}`)).size === rules.length,
    'has at most one rule per scheme and purpose',
  );

export type PoolingRuleDocument = z.output<typeof PoolingRuleSchema>;

/**
 * A policy version as written: in the regions file (`retainedFloor` in yuan text, read as fen; the
 * pooling rules beside it), and in fen under the same names in region_policy_versions and on the
 * internal policies API. Those names stay, so stored versions and every replica read the same; inside
 * the code the amounts carry their unit (MutualAidPolicy.retainedFloorFen, PoolingRule).
 */
export type PolicyDocument = z.output<typeof PolicyInputSchema> & { poolingRules: PoolingRuleDocument[] };

/**
 * A region's versions, oldest first, as written or sent, with the pooling rules of those that have
 * none: a version stored, or a list sent, by a replica of the release before pooling rules were
 * versioned. Each has the rules of the version before it, as scheduling without rules means; version
 * 1, the config's.
 */
export function inheritPoolingRules<T extends { poolingRules?: PoolingRuleDocument[] }>(
  versions: readonly T[],
  configRules: PoolingRuleDocument[],
): Array<T & { poolingRules: PoolingRuleDocument[] }> {
  let previous = configRules;
  return versions.map((version) => {
    previous = version.poolingRules ?? previous;
    return { ...version, poolingRules: previous };
  });
}

/** Each region's version-1 pooling rules in a book read from the config file. */
export function configPoolingRules(book: PolicyBook): ReadonlyMap<string, PoolingRuleDocument[]> {
  return new Map(book.regions().map((region) => [region.code, documentOf(region.versions[0]).poolingRules]));
}

export function policyFromDocument(
  { retainedFloor, poolingRules, ...fields }: PolicyDocument,
  version: number,
  effectiveFrom: Date,
): MutualAidPolicy {
  return {
    version,
    effectiveFrom,
    ...fields,
    retainedFloorFen: retainedFloor,
    poolingRules: poolingRules.map(({ annualDeductible, annualCap, ...rule }) => ({
      ...rule,
      annualDeductibleFen: annualDeductible,
      annualCapFen: annualCap,
    })),
  };
}

export function documentOf({
  version: _version,
  effectiveFrom: _from,
  retainedFloorFen,
  poolingRules,
  ...fields
}: MutualAidPolicy): PolicyDocument {
  return {
    ...fields,
    retainedFloor: retainedFloorFen,
    poolingRules: poolingRules.map(({ annualDeductibleFen, annualCapFen, ...rule }) => ({
      ...rule,
      annualDeductible: annualDeductibleFen,
      annualCap: annualCapFen,
    })),
  };
}

const RegionsFileSchema = z
  .object({
    poolingDefaults: PoolingRulesSchema,
    regions: z
      .array(
        z
          .object({
            code: z.string().refine(isRegionCode, 'must be a 6-digit region code'),
            name: z.string().min(1),
            policy: PolicyInputSchema,
            /** Replaces poolingDefaults in this region's version 1 when given. */
            poolingRules: PoolingRulesSchema.optional(),
          })
          .strict(),
      )
      .min(1)
      .refine((regions) => new Set(regions.map((region) => region.code)).size === regions.length, 'lists each region code once'),
  })
  .strict();

/** config/regions.json of the project, found from here whether running from sources or from dist/. */
export function projectFile(relative: string): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, relative);
  }
  throw new ConfigError(`cannot find the project root from ${__dirname}`);
}

/** The JSON of a config file named by `variable` (e.g. REGIONS_CONFIG); a file that cannot be read stops start-up naming both. */
export function readConfigFile(variable: string, file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${variable} (${file}): ${(error as Error).message}`);
  }
}

/** A config file's content checked by its schema; the first problem stops start-up naming the field. */
export function parseConfig<S extends z.ZodType>(schema: S, raw: unknown, source: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

export const DEFAULT_REGIONS_FILE = projectFile(join('config', 'regions.json'));

export function parseRegionsConfig(raw: unknown, source: string): PolicyBook {
  const file = parseConfig(RegionsFileSchema, raw, source);
  const regions: Region[] = file.regions.map((region) => {
    const policy = policyFromDocument({ ...region.policy, poolingRules: region.poolingRules ?? file.poolingDefaults }, 1, new Date(0));
    return { code: region.code, name: region.name, provinceCode: provinceOfRegion(region.code), versions: [policy] };
  });
  return new PolicyBook(regions);
}

export function loadRegionsConfig(path: string | undefined): PolicyBook {
  const file = path ?? DEFAULT_REGIONS_FILE;
  return parseRegionsConfig(readConfigFile('REGIONS_CONFIG', file), `REGIONS_CONFIG (${file})`);
}
