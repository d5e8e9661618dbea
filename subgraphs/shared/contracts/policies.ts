import { z } from 'zod';
import { CARE_PURPOSES, PURPOSES, RELATIONSHIPS, SCHEMES } from '../policy/vocabulary';
import { contract } from './contract';

/**
 * The accounts subgraph's policy versions (DESIGN.md, Policy per region), read by every other
 * service to keep its PolicyBook fresh (policy/versions.ts).
 */

/** The fund's rule for one scheme and care purpose, amounts in fen. */
const PoolingRuleSchema = z.object({
  scheme: z.enum(SCHEMES),
  purpose: z.enum(CARE_PURPOSES),
  annualDeductible: z.number().int(),
  ratePercent: z.number().int(),
  annualCap: z.number().int(),
});

/** One version of a region's policy as it travels: amounts in fen, `effectiveFrom` an ISO instant. */
const PolicyVersionSchema = z.object({
  allowedRelationships: z.array(z.enum(RELATIONSHIPS)),
  retainedFloor: z.number().int(),
  allowedPurposes: z.array(z.enum(PURPOSES)),
  coversOutOfScope: z.boolean(),
  crossProvince: z.boolean(),
  requiresReview: z.boolean(),
  /** Absent only from an accounts replica of the release before pooling rules were versioned (config.ts, inheritPoolingRules). */
  poolingRules: z.array(PoolingRuleSchema).optional(),
  requiresBeneficiaryConsent: z.boolean(),
  version: z.number().int(),
  effectiveFrom: z.iso.datetime(),
});

/** Every region's versions, scheduled ones included, oldest first, by region code. */
const VersionListSchema = z.record(z.string(), z.array(PolicyVersionSchema));

export const policiesApi = {
  versions: contract('/internal/policies', z.object({}), VersionListSchema),
};

export type VersionList = z.infer<typeof VersionListSchema>;
