import { bindingsApi } from '../shared/contracts/bindings';
import { internalRoutes, route, type InternalRoutes } from '../shared/internal';
import type { FamilyServices } from './context';

/** The family subgraph's internal API: who pays for whom, for the settlements subgraph (contract: shared/contracts/bindings.ts). */
export function familyInternalRoutes(services: FamilyServices): InternalRoutes {
  return internalRoutes(
    route(bindingsApi.payers, async ({ beneficiaryIds, at }) => {
      // Which provinces may hold a beneficiary's bindings depends on the policy versions.
      await services.versions.fresh();
      const payers = await services.bindings.payers(beneficiaryIds, at ? new Date(at) : new Date());
      return { payers: beneficiaryIds.map((id) => payers.get(id) ?? []) };
    }),
    route(bindingsApi.activeCount, async ({ regionCode }) => ({ count: await services.bindings.activeCount(regionCode) })),
  );
}
