import type { DataSource } from 'typeorm';
import { isDuplicateKey, query } from '../../shared/db/transaction';
import { fail, SharedError } from '../../shared/errors';
import { AccountsError } from '../errors';
import type { Identity } from '../../shared/identity';
import { formatMoney } from '../../shared/money';
import { must } from '../../shared/must';
import {
  configPoolingRules,
  documentOf,
  inheritPoolingRules,
  policyFromDocument,
  PolicyInputSchema,
  PoolingRulesSchema,
  type PolicyDocument,
  type PoolingRuleDocument,
} from '../../shared/policy/config';
import type { MutualAidPolicy, PolicyBook } from '../../shared/policy/policy';
import type { VersionList } from '../../shared/contracts/policies';

/**
 * Policy versions as the accounts subgraph keeps them (region_policy_versions, national database).
 * Version 1 of each region comes from the config at first start, in force from the beginning;
 * an ADMIN of the region schedules the next ones, validated like the config file.
 */
export interface ScheduleInput {
  regionCode: string;
  effectiveFrom: Date;
  allowedRelationships: string[];
  retainedFloorFen: number;
  allowedPurposes: string[];
  coversOutOfScope: boolean;
  crossProvince: boolean;
  requiresReview: boolean;
  /** The fund's rules from this version on, as asked (validated here); undefined: the previous version's. */
  poolingRules?: RuleInput[];
  requiresBeneficiaryConsent: boolean;
}

const BEGINNING = new Date(0);

interface RuleInput {
  scheme: string;
  purpose: string;
  annualDeductibleFen: number;
  ratePercent: number;
  annualCapFen: number;
}

/**
 * A stored document as an earlier release may have written it: before pooling rules were versioned it
 * has none, before the consent rule it has no requiresBeneficiaryConsent.
 */
type StoredDocument = Omit<PolicyDocument, 'poolingRules' | 'requiresBeneficiaryConsent'> & {
  poolingRules?: PoolingRuleDocument[];
  requiresBeneficiaryConsent?: boolean;
};

export interface StoredVersionRow {
  region_code: string;
  version: number;
  effective_from: Date;
  /** A StoredDocument as JSON. */
  policy: string;
}

/** The versions as the policies API sends them, every one with its pooling rules. */
export type StoredVersionList = Record<string, Array<VersionList[string][number] & { poolingRules: PoolingRuleDocument[] }>>;

/** The stored versions (ordered by region and version) as the policies API sends them. */
export function versionListOf(
  rows: readonly StoredVersionRow[],
  configRules: ReadonlyMap<string, PoolingRuleDocument[]>,
): StoredVersionList {
  const stored = new Map<string, VersionList[string]>();
  for (const row of rows) {
    stored.set(row.region_code, [
      ...(stored.get(row.region_code) ?? []),
      {
        // Versions stored before the consent rule existed asked for no consent.
        requiresBeneficiaryConsent: false,
        ...(JSON.parse(row.policy) as StoredDocument),
        version: row.version,
        effectiveFrom: row.effective_from.toISOString(),
      },
    ]);
  }
  return Object.fromEntries([...stored].map(([code, versions]) => [code, inheritPoolingRules(versions, configRules.get(code) ?? [])]));
}

export class RegionPolicies {
  /** Version 1 of each region as the config writes it, pooling rules included. */
  private readonly configured: ReadonlyMap<string, PolicyDocument>;
  private readonly configRules: ReadonlyMap<string, PoolingRuleDocument[]>;

  constructor(
    private readonly national: DataSource,
    /** The book as read from the config file, before any stored version replaced its lists. */
    configured: PolicyBook,
    private readonly leadTimeMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.configured = new Map(configured.regions().map((region) => [region.code, documentOf(region.versions[0])]));
    this.configRules = configPoolingRules(configured);
  }

  /** Writes version 1 of every configured region that has none yet; concurrent replicas agree by primary key. */
  async seed(): Promise<void> {
    for (const [code, document] of this.configured) {
      await query(
        this.national,
        'national',
        "INSERT IGNORE INTO region_policy_versions (region_code, version, effective_from, policy, actor_role, actor_sub, request_id, created_at) VALUES (?, 1, ?, ?, 'CONFIG', 'regions config', 'start', ?)",
        [code, BEGINNING, JSON.stringify(document), this.clock()],
      );
    }
  }

  async list(): Promise<StoredVersionList> {
    const rows = await query<StoredVersionRow[]>(
      this.national,
      'national',
      'SELECT region_code, version, effective_from, policy FROM region_policy_versions ORDER BY region_code, version',
    );
    return versionListOf(rows, this.configRules);
  }

  async schedule(input: ScheduleInput, book: PolicyBook, actor: Identity): Promise<MutualAidPolicy> {
    if (!book.region(input.regionCode)) fail(SharedError.unknownRegion(input.regionCode));
    const { regionCode: _code, effectiveFrom, retainedFloorFen, poolingRules, ...fields } = input;
    const parsed = PolicyInputSchema.safeParse({ ...fields, retainedFloor: formatMoney(retainedFloorFen) });
    if (!parsed.success) invalid(parsed.error.issues[0]);
    const rules = poolingRules && PoolingRulesSchema.safeParse(poolingRules.map(ruleAsWritten));
    if (rules && !rules.success) invalid(rules.error.issues[0], 'poolingRules');
    const earliest = this.clock().getTime() + this.leadTimeMs;
    if (effectiveFrom.getTime() < earliest) fail(AccountsError.policyTooSoon(this.leadTimeMs));
    // The last version written, scheduled ones included: the new one must follow it, and keeps its
    // pooling rules when none are given.
    const last = must((await this.list())[input.regionCode]?.at(-1), `version 1 of region ${input.regionCode} is seeded at start`);
    const lastFrom = new Date(last.effectiveFrom);
    if (effectiveFrom.getTime() <= lastFrom.getTime()) fail(AccountsError.policyNotAfterLast(last.version, lastFrom));
    const version = last.version + 1;
    const document: PolicyDocument = { ...parsed.data, poolingRules: rules ? rules.data : last.poolingRules };
    try {
      await query(
        this.national,
        'national',
        'INSERT INTO region_policy_versions (region_code, version, effective_from, policy, actor_role, actor_sub, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [
          input.regionCode,
          version,
          effectiveFrom,
          JSON.stringify(document),
          actor.role ?? 'NONE',
          actor.sub ?? '',
          actor.requestId,
          this.clock(),
        ],
      );
    } catch (error) {
      if (isDuplicateKey(error)) fail(AccountsError.policyScheduledMeanwhile);
      throw error;
    }
    return policyFromDocument(document, version, effectiveFrom);
  }
}

/** A pooling rule of the input as the config writes it, so both are validated by one schema. */
function ruleAsWritten({ annualDeductibleFen, annualCapFen, ...rule }: RuleInput) {
  return { ...rule, annualDeductible: formatMoney(annualDeductibleFen), annualCap: formatMoney(annualCapFen) };
}

/** BAD_USER_INPUT naming the input field that broke the policy schema. */
function invalid(issue: { path: readonly PropertyKey[]; message: string }, under?: string): never {
  fail(AccountsError.policyInvalid([...(under ? [under] : []), ...issue.path].map(String).join('.'), issue.message));
}
