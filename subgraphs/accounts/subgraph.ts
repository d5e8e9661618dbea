import type { Env } from '../shared/env';
import { ProvinceBackends } from '../shared/db/backends';
import { repeatInBackground, type Observability } from '../shared/server/observability';
import { loadRegionsConfig } from '../shared/policy/config';
import { readiness, type SubgraphDefinition } from '../shared/subgraph';
import { createContext, type AccountsContext, type AccountsServices } from './context';
import { Credentials } from './credentials/service';
import { accountsInternalRoutes } from './internal';
import { AccountReads } from './ledger/reads';
import { NATIONAL_MIGRATIONS, PROVINCE_MIGRATIONS } from './migrations';
import { Ledger } from './ledger/service';
import { Persons } from './persons/service';
import { RegionPolicies } from './policy/service';
import { PolicyVersions } from '../shared/policy/versions';
import { resolvers } from './resolvers';

const HOLD_SWEEP_INTERVAL_MS = 5_000;

/** Builds the accounts subgraph: its backends (migrated), services, resolvers and internal API. */
export async function createAccountsSubgraph(
  env: Env,
  observability: Observability,
): Promise<SubgraphDefinition<AccountsContext> & { services: AccountsServices }> {
  const policies = loadRegionsConfig(env.REGIONS_CONFIG);
  const backends = await ProvinceBackends.open(policies.provinces(), {
    env,
    observability,
    owner: 'accounts',
    migrations: PROVINCE_MIGRATIONS,
  });
  const national = await ProvinceBackends.openNational({ env, observability, owner: 'accounts', migrations: NATIONAL_MIGRATIONS });
  const regionPolicies = new RegionPolicies(national, policies, env.POLICY_LEAD_TIME_MS);
  await regionPolicies.seed();
  const versions = new PolicyVersions(policies, () => regionPolicies.list(), env.POLICY_LEAD_TIME_MS);
  await versions.fresh();
  const persons = new Persons(backends, national, policies, observability);
  const services: AccountsServices = {
    policies,
    versions,
    regionPolicies,
    backends,
    persons,
    reads: new AccountReads(backends),
    ledger: new Ledger(backends, observability),
    credentials: new Credentials(
      backends,
      national,
      persons,
      { after: env.CREDENTIAL_SUSPEND_AFTER, windowMs: env.CREDENTIAL_SUSPEND_WINDOW_HOURS * 3_600_000 },
      observability,
    ),
  };
  // Expired holds are voided at start and then every few seconds, on every replica (voiding is idempotent).
  const stopSweeping = repeatInBackground(observability, 'hold sweep', HOLD_SWEEP_INTERVAL_MS, () => services.ledger.voidExpiredPending());
  return {
    name: 'accounts',
    port: env.ACCOUNTS_PORT,
    services,
    resolvers,
    context: (identity) => createContext(services, identity),
    policyVersions: versions,
    internalRoutes: accountsInternalRoutes(services),
    readiness: () => readiness(backends, national),
    close: async () => {
      stopSweeping();
      await backends.close();
      await national.destroy();
    },
  };
}
