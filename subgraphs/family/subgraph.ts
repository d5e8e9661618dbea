import { AccountsClient } from '../shared/accountsClient';
import { ProvinceBackends } from '../shared/db/backends';
import { serviceUrls, type Env } from '../shared/env';
import { FailureLimit } from '../shared/failureLimit';
import { InternalClient } from '../shared/internal';
import type { Observability } from '../shared/server/observability';
import { loadRegionsConfig } from '../shared/policy/config';
import { remotePolicyVersions } from '../shared/policy/versions';
import { readiness, type SubgraphDefinition } from '../shared/subgraph';
import { Bindings } from './bindings/service';
import { createContext, type FamilyContext, type FamilyServices } from './context';
import { familyInternalRoutes } from './internal';
import { PROVINCE_MIGRATIONS } from './migrations';
import { resolvers } from './resolvers';

/** Builds the family subgraph: bindings in the authorizer's province, their review and history. */
export async function createFamilySubgraph(env: Env, observability: Observability): Promise<SubgraphDefinition<FamilyContext>> {
  const policies = loadRegionsConfig(env.REGIONS_CONFIG);
  const backends = await ProvinceBackends.open(policies.provinces(), {
    env,
    observability,
    owner: 'family',
    migrations: PROVINCE_MIGRATIONS,
  });
  const accountsApi = new InternalClient(serviceUrls(env, 'accounts'), env.SERVICE_SECRET, observability);
  const accounts = new AccountsClient(accountsApi);
  const versions = remotePolicyVersions(policies, accountsApi, env.POLICY_LEAD_TIME_MS);
  const matchFailures = FailureLimit.fromEnv(
    env,
    'binding-match',
    env.BINDING_MATCH_FAILURES,
    env.BINDING_MATCH_WINDOW_SECONDS,
    observability,
  );
  const services: FamilyServices = {
    policies,
    versions,
    bindings: new Bindings(backends, policies, accounts, matchFailures, observability),
  };
  return {
    name: 'family',
    port: env.FAMILY_PORT,
    resolvers,
    context: (identity) => createContext(services, identity),
    policyVersions: versions,
    internalRoutes: familyInternalRoutes(services),
    readiness: () => readiness(backends),
    close: () => {
      matchFailures.close();
      return backends.close();
    },
  };
}
