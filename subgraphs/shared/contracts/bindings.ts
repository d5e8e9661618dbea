import { z } from 'zod';
import { RELATIONSHIPS } from '../policy/vocabulary';
import { contract, idList } from './contract';

/** The family subgraph's bindings, as the settlements subgraph reads them: who pays for whom. */

/** A binding that pays for a beneficiary, in the order bindings pay (oldest effectiveAt first). */
const PayerSchema = z.object({
  bindingId: z.string(),
  authorizerId: z.string(),
  authorizerRegion: z.string(),
  relationship: z.enum(RELATIONSHIPS),
  /** ISO instant. */
  effectiveAt: z.iso.datetime(),
});

export const bindingsApi = {
  /** For each beneficiary asked, in order, the ACTIVE bindings that pay for him at `at` (default now), in paying order. */
  payers: contract(
    '/internal/bindings/payers',
    z.object({ beneficiaryIds: idList(1000), at: z.iso.datetime().optional() }),
    z.object({ payers: z.array(z.array(PayerSchema)) }),
  ),
  /** ACTIVE bindings whose authorizer is in the region. */
  activeCount: contract(
    '/internal/bindings/active-count',
    z.object({ regionCode: z.string().regex(/^[1-9][0-9]{5}$/) }),
    z.object({ count: z.number().int() }),
  ),
};

export type Payer = z.infer<typeof PayerSchema>;
