import { must } from '../must';
import type { Purpose, Relationship, Scheme } from './vocabulary';

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
  /** Whether a new binding waits for the beneficiary to accept it (接受绑定) before review or activation. */
  requiresBeneficiaryConsent: boolean;
}

export interface PoolingRule {
  scheme: Scheme;
  purpose: Purpose;
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
  poolingRules: PoolingRule[];
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

  /**
   * Replaces every region's list of versions (the scheduled ones included) with a newer reading.
   * Regions keep their pooling rules, which are not versioned.
   */
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

  /** The fund's rule for a scheme and purpose in a region; undefined: the fund pays no share of it. */
  poolingRule(code: string, scheme: Scheme, purpose: Purpose): PoolingRule | undefined {
    return this.byCode.get(code)?.poolingRules.find((rule) => rule.scheme === scheme && rule.purpose === purpose);
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
