import { settlementsApi } from '../shared/contracts/settlements';
import { internalRoutes, route, type InternalRoutes } from '../shared/internal';
import type { SettlementsServices } from './context';

/** The settlements subgraph's internal API: whose settlement an id is, for the gateway's own-card rule (contract: shared/contracts/settlements.ts). */
export function settlementsInternalRoutes(services: SettlementsServices): InternalRoutes {
  return internalRoutes(
    route(settlementsApi.patients, async ({ ids }) => {
      const found = await services.reads.load(ids);
      return { patients: ids.map((id) => found.get(id)?.patientId ?? null) };
    }),
  );
}
