import { z } from 'zod';
import { route, type InternalRoutes } from '../shared/internal';
import type { FamilyServices } from './context';

/** The family subgraph's internal API: who pays for whom, for the settlements subgraph. */
export function familyInternalRoutes(services: FamilyServices): InternalRoutes {
  return {
    '/internal/bindings/payers': route(
      z.object({ beneficiaryIds: z.array(z.string().max(64)).max(1000), at: z.iso.datetime().optional() }),
      async ({ beneficiaryIds, at }) => {
        // Which provinces may hold a beneficiary's bindings depends on the policy versions.
        await services.versions.fresh();
        const payers = await services.bindings.payers(beneficiaryIds, at ? new Date(at) : new Date());
        return { payers: beneficiaryIds.map((id) => payers.get(id) ?? []) };
      },
    ),
    '/internal/bindings/active-count': route(z.object({ regionCode: z.string().regex(/^[1-9][0-9]{5}$/) }), async ({ regionCode }) =>
      ({ count: await services.bindings.activeCount(regionCode) })),
  };
}
