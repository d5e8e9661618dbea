import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../env';
import { isRegionCode, provinceOfRegion } from '../ids';
import { DomainError } from '../errors';
import { boundedFen, MoneyFormatError, parseMoney } from '../money';
import { PURPOSES, RELATIONSHIPS, SCHEMES } from './vocabulary';
import { PolicyBook, type MutualAidPolicy, type PoolingRule, type Region } from './policy';

/**
 * The regions file (REGIONS_CONFIG; default config/regions.json): every region's version-1 policy
 * and pooling rules. Validated at start; a bad file stops start-up with a message naming the field.
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
 * A policy version as written: in the regions file (`retainedFloor` in yuan text, read as fen), and in
 * fen under the same name in region_policy_versions and on the internal policies API. Those names
 * stay, so stored versions and every replica read the same; inside the code the amount carries its
 * unit (MutualAidPolicy.retainedFloorFen).
 */
export type PolicyDocument = z.output<typeof PolicyInputSchema>;

export function policyFromDocument({ retainedFloor, ...fields }: PolicyDocument, version: number, effectiveFrom: Date): MutualAidPolicy {
  return { version, effectiveFrom, ...fields, retainedFloorFen: retainedFloor };
}

export function documentOf({ version: _version, effectiveFrom: _from, retainedFloorFen, ...fields }: MutualAidPolicy): PolicyDocument {
  return { ...fields, retainedFloor: retainedFloorFen };
}

/** Pooling rules are config only; inside the code their amounts carry their unit. */
const PoolingRuleSchema = z
  .object({
    scheme: z.enum(SCHEMES),
    purpose: z.enum(PURPOSES),
    annualDeductible: money('annualDeductible'),
    ratePercent: z.number().int().min(0).max(100),
    annualCap: money('annualCap'),
  })
  .strict()
  .transform(
    ({ annualDeductible, annualCap, ...rule }): PoolingRule => ({
      ...rule,
      annualDeductibleFen: annualDeductible,
      annualCapFen: annualCap,
    }),
  );

const poolingRules = z
  .array(PoolingRuleSchema)
  .refine(
    (rules) => new Set(rules.map((rule) => `${rule.scheme}/${rule.purpose}`)).size === rules.length,
    'has at most one rule per scheme and purpose',
  );

const RegionsFileSchema = z
  .object({
    poolingDefaults: poolingRules,
    regions: z
      .array(
        z
          .object({
            code: z.string().refine(isRegionCode, 'must be a 6-digit region code'),
            name: z.string().min(1),
            policy: PolicyInputSchema,
            /** Replaces poolingDefaults for this region when given. */
            poolingRules: poolingRules.optional(),
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
    const policy = policyFromDocument(region.policy, 1, new Date(0));
    const rules: PoolingRule[] = region.poolingRules ?? file.poolingDefaults;
    return { code: region.code, name: region.name, provinceCode: provinceOfRegion(region.code), versions: [policy], poolingRules: rules };
  });
  return new PolicyBook(regions);
}

export function loadRegionsConfig(path: string | undefined): PolicyBook {
  const file = path ?? DEFAULT_REGIONS_FILE;
  return parseRegionsConfig(readConfigFile('REGIONS_CONFIG', file), `REGIONS_CONFIG (${file})`);
}
