import { z } from 'zod';
import { route, type InternalRoutes } from '../shared/internal';
import type { SettlementsServices } from './context';

/** At most this many settlement ids per look-up; the gateway batches larger sets. */
export const MAX_IDS_PER_LOOKUP = 50;

/** The settlements subgraph's internal API: whose settlement an id is, for the gateway's own-card rule. */
export function settlementsInternalRoutes(services: SettlementsServices): InternalRoutes {
  return {
    '/internal/settlements/patients': route(z.object({ ids: z.array(z.string().max(64)).max(MAX_IDS_PER_LOOKUP) }), async ({ ids }) => {
      const found = await services.reads.load(ids);
      return { patients: ids.map((id) => found.get(id)?.patientId ?? null) };
    }),
  };
}
