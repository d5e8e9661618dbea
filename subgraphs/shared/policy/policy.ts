import { must } from '../must';
import type { CarePurpose, Purpose, Relationship, Scheme } from './vocabulary';

/** One version of a region's mutual-aid policy (as written in config and stored: config.ts, PolicyDocument). */
export interface MutualAidPolicy {
  version: number;
  /** From this instant on, this version decides bindings and settlements in its region. */
  effectiveFrom: Date;
  allowedRelationships: Relationship[];
  /** What a relative's payment never takes the authorizer's account below (Fuzhou 2000.00; 0: no floor). */
  retainedFloorFen: number;
  allowedPurposes: Purpose[];
  coversOutOfScope: boolean;
  crossProvince: boolean;
  requiresReview: boolean;
  /** How the fund shares in-catalogue costs of the region's patients while this version is in force (one per scheme and purpose at most). */
  poolingRules: PoolingRule[];
  /** Whether a new binding waits for the beneficiary to accept it (接受绑定) before review or activation. */
  requiresBeneficiaryConsent: boolean;
}

export interface PoolingRule {
  scheme: Scheme;
  /** Only care purposes have a fund share. */
  purpose: CarePurpose;
  annualDeductibleFen: number;
  ratePercent: number;
  annualCapFen: number;
}

export interface Region {
  code: string;
  name: string;
  provinceCode: string;
  /** Oldest first. */
  versions: MutualAidPolicy[];
}

/**
 * Every region's policy versions. Rules ask for "the version in force at instant t", never for
 * "the current one", so a process never keeps applying a version after its successor's instant.
 */
export class PolicyBook {
  private byCode: ReadonlyMap<string, Region>;

  constructor(regions: Region[]) {
    this.byCode = new Map(regions.map((region) => [region.code, region]));
  }

  /** Replaces every region's list of versions (the scheduled ones included) with a newer reading. */
  replaceVersions(versions: ReadonlyMap<string, MutualAidPolicy[]>): void {
    this.byCode = new Map([...this.byCode].map(([code, region]) => [code, { ...region, versions: versions.get(code) ?? region.versions }]));
  }

  regions(): Region[] {
    return [...this.byCode.values()];
  }

  region(code: string): Region | undefined {
    return this.byCode.get(code);
  }

  /** A region the system itself names (a stored person's, an id's): only configured regions enrol anyone. */
  knownRegion(code: string): Region {
    return must(this.region(code), `a region the system names is configured: ${code}`);
  }

  provinces(): string[] {
    return [...new Set(this.regions().map((region) => region.provinceCode))].sort();
  }

  /**
   * The provinces that may hold bindings of a beneficiary of this region: his own, and where any
   * version of his region's policy allows cross-province mutual aid, those of every region whose
   * policy ever allows it.
   */
  bindingProvincesFor(regionCode: string): string[] {
    const region = this.byCode.get(regionCode);
    if (!region) return [];
    const crossProvince = (candidate: Region) => candidate.versions.some((version) => version.crossProvince);
    const others = crossProvince(region)
      ? this.regions()
          .filter(crossProvince)
          .map((candidate) => candidate.provinceCode)
      : [];
    return [...new Set([region.provinceCode, ...others])].sort();
  }

  /** The version in force at `at`, or undefined for an unknown region. */
  policyAt(code: string, at: Date): MutualAidPolicy | undefined {
    return policyInForce(this.byCode.get(code)?.versions ?? [], at);
  }

  /** The version in force at `at` in a region the system names: version 1 is in force from the beginning (config.ts). */
  knownPolicyAt(code: string, at: Date): MutualAidPolicy {
    return must(policyInForce(this.knownRegion(code).versions, at), `version 1 of region ${code} is in force from the beginning`);
  }
}

/**
 * The fund's rule for a scheme and purpose under a policy version; undefined: the fund pays no share
 * of it. A settlement is planned with the version in force at its instant, and the versions never
 * change once written, so the rule a settlement was computed with is found again from its instant.
 */
export function poolingRuleOf(policy: MutualAidPolicy, scheme: Scheme, purpose: Purpose): PoolingRule | undefined {
  return policy.poolingRules.find((rule) => rule.scheme === scheme && rule.purpose === purpose);
}

export function policyInForce(versions: readonly MutualAidPolicy[], at: Date): MutualAidPolicy | undefined {
  let inForce: MutualAidPolicy | undefined;
  for (const version of versions) if (version.effectiveFrom.getTime() <= at.getTime()) inForce = version;
  return inForce;
}

/**
 * The floor rule, wherever money is taken or shown as usable: what a balance holds above a floor
 * (a region's retained floor for relatives, 0 for the owner), never below zero.
 */
export function aboveFloorFen(balanceFen: number, floorFen: number): number {
  return Math.max(0, balanceFen - floorFen);
}
