import { z } from 'zod';
import { contract, idList } from './contract';

/** The settlements subgraph's look-up for the gateway's own-card rule: whose settlement an id is. */

/** At most this many settlement ids per look-up; the gateway batches larger sets. */
export const MAX_IDS_PER_LOOKUP = 50;

export const settlementsApi = {
  /** One patient id per settlement id asked, in order; null for an unknown settlement. */
  patients: contract(
    '/internal/settlements/patients',
    z.object({ ids: idList(MAX_IDS_PER_LOOKUP) }),
    z.object({ patients: z.array(z.string().nullable()) }),
  ),
};
