import { z } from 'zod';
import { ENROLLMENT_STATUSES, SCHEMES } from '../policy/vocabulary';
import { contract, idList } from './contract';

/** The accounts subgraph's persons and personal accounts, as the other subgraphs read them. */

/** Ids per call; callers ask for one request's worth at a time. */
const ids = idList(1000);

/** What other services may know of a person: enough to apply the rules, nothing personal. */
const PersonSummarySchema = z.object({
  id: z.string(),
  regionCode: z.string(),
  scheme: z.enum(SCHEMES),
  status: z.enum(ENROLLMENT_STATUSES),
  hasPersonalAccount: z.boolean(),
  /** The personal account's balance in fen; null without one. With the person, so a settlement gathers both in one call. */
  balanceFen: z.number().int().nullable(),
});

export const personsApi = {
  /** One summary per id asked, in order; null for an unknown id. */
  lookup: contract('/internal/persons/lookup', z.object({ ids }), z.object({ persons: z.array(PersonSummarySchema.nullable()) })),
  /**
   * The person enrolled under a resident id number with exactly this name, or null for any mismatch
   * (malformed or unknown number, another name): the answer never tells which.
   */
  match: contract(
    '/internal/persons/match',
    z.object({ idNumber: z.string().max(32), name: z.string().max(50) }),
    z.object({ personId: z.string().nullable() }),
  ),
};

export type PersonSummary = z.infer<typeof PersonSummarySchema>;
