import type { DataSource } from 'typeorm';
import { isDuplicateKey, query } from '../../shared/db/transaction';
import { fail, SharedError } from '../../shared/errors';
import { AccountsError } from '../errors';
import type { Identity } from '../../shared/identity';
import { formatMoney } from '../../shared/money';
import { documentOf, policyFromDocument, PolicyInputSchema, type PolicyDocument } from '../../shared/policy/config';
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
  requiresBeneficiaryConsent: boolean;
}

const BEGINNING = new Date(0);

/** A stored version as an earlier release may have written it. */
type StoredPolicyDocument = Omit<PolicyDocument, 'requiresBeneficiaryConsent'> &
  Partial<Pick<PolicyDocument, 'requiresBeneficiaryConsent'>>;

export class RegionPolicies {
  constructor(
    private readonly national: DataSource,
    private readonly leadTimeMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Writes version 1 of every configured region that has none yet; concurrent replicas agree by primary key. */
  async seed(book: PolicyBook): Promise<void> {
    for (const region of book.regions()) {
      await query(
        this.national,
        'national',
        "INSERT IGNORE INTO region_policy_versions (region_code, version, effective_from, policy, actor_role, actor_sub, request_id, created_at) VALUES (?, 1, ?, ?, 'CONFIG', 'regions config', 'start', ?)",
        [region.code, BEGINNING, JSON.stringify(documentOf(region.versions[0])), this.clock()],
      );
    }
  }

  async list(): Promise<VersionList> {
    const rows = await query<Array<{ region_code: string; version: number; effective_from: Date; policy: string }>>(
      this.national,
      'national',
      'SELECT region_code, version, effective_from, policy FROM region_policy_versions ORDER BY region_code, version',
    );
    const list: VersionList = {};
    for (const row of rows) {
      list[row.region_code] ??= [];
      list[row.region_code].push({
        // Versions stored before the consent rule existed asked for no consent.
        requiresBeneficiaryConsent: false,
        ...(JSON.parse(row.policy) as StoredPolicyDocument),
        version: row.version,
        effectiveFrom: row.effective_from.toISOString(),
      });
    }
    return list;
  }

  async schedule(input: ScheduleInput, book: PolicyBook, actor: Identity): Promise<MutualAidPolicy> {
    const region = book.region(input.regionCode);
    if (!region) fail(SharedError.unknownRegion(input.regionCode));
    const { regionCode: _code, effectiveFrom, retainedFloorFen, ...fields } = input;
    const parsed = PolicyInputSchema.safeParse({ ...fields, retainedFloor: formatMoney(retainedFloorFen) });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      fail(AccountsError.policyInvalid(issue.path.join('.'), issue.message));
    }
    const earliest = this.clock().getTime() + this.leadTimeMs;
    if (effectiveFrom.getTime() < earliest) fail(AccountsError.policyTooSoon(this.leadTimeMs));
    const latest = region.versions[region.versions.length - 1];
    const [current] = await query<Array<{ version: number; effective_from: Date }>>(
      this.national,
      'national',
      'SELECT version, effective_from FROM region_policy_versions WHERE region_code = ? ORDER BY version DESC LIMIT 1',
      [input.regionCode],
    );
    const last = current ?? { version: latest.version, effective_from: latest.effectiveFrom };
    if (effectiveFrom.getTime() <= last.effective_from.getTime()) fail(AccountsError.policyNotAfterLast(last.version, last.effective_from));
    const version = last.version + 1;
    try {
      await query(
        this.national,
        'national',
        'INSERT INTO region_policy_versions (region_code, version, effective_from, policy, actor_role, actor_sub, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [
          input.regionCode,
          version,
          effectiveFrom,
          JSON.stringify(parsed.data),
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
    return policyFromDocument(parsed.data, version, effectiveFrom);
  }
}
