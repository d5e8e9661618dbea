import { AccountsClient } from '../shared/accountsClient';
import { ProvinceBackends } from '../shared/db/backends';
import { serviceUrls, type Env } from '../shared/env';
import { FamilyClient } from '../shared/familyClient';
import { InternalClient } from '../shared/internal';
import { repeatInBackground, type Observability } from '../shared/server/observability';
import { loadRegionsConfig } from '../shared/policy/config';
import { remotePolicyVersions } from '../shared/policy/versions';
import { readiness, type SubgraphDefinition } from '../shared/subgraph';
import { createContext, type SettlementsContext, type SettlementsServices } from './context';
import { settlementsInternalRoutes } from './internal';
import { NATIONAL_MIGRATIONS, PROVINCE_MIGRATIONS } from './migrations';
import { InstitutionDays } from './settle/institutionDay';
import { PremiumClaims } from './premiums/claims';
import { PartnerDays } from './premiums/partnerDay';
import { loadProductsConfig, Products } from './premiums/products';
import { Premiums } from './premiums/service';
import { resolvers } from './resolvers';
import { KeyClaims } from './settle/keyClaims';
import { SettlementLedger } from './settle/ledger';
import { PayerCheck } from './settle/payerCheck';
import { SettlementPlanner } from './settle/planning';
import { SettlementReads } from './settle/records';
import { SettlementSaga } from './settle/saga';
import { SettlementStore } from './settle/store';
import { Statistics } from './statistics/service';

/** An open intent younger than this is probably still being completed by its own request. */
const RECOVER_OLDER_THAN_MS = 10_000;
const RECOVERY_INTERVAL_MS = 15_000;

/** Builds the settlements subgraph: the waterfall, refunds, premiums, summaries, and the recovery pass. */
export async function createSettlementsSubgraph(env: Env, observability: Observability): Promise<SubgraphDefinition<SettlementsContext>> {
  const policies = loadRegionsConfig(env.REGIONS_CONFIG);
  const configuredProducts = loadProductsConfig(env.PRODUCTS_CONFIG, policies);
  const backends = await ProvinceBackends.open(policies.provinces(), {
    env,
    observability,
    owner: 'settlements',
    migrations: PROVINCE_MIGRATIONS,
  });
  const accountsApi = new InternalClient(serviceUrls(env, 'accounts'), env.SERVICE_SECRET, observability);
  const accounts = new AccountsClient(accountsApi);
  const versions = remotePolicyVersions(policies, accountsApi, env.POLICY_LEAD_TIME_MS);
  const family = new FamilyClient(new InternalClient(serviceUrls(env, 'family'), env.SERVICE_SECRET, observability));
  const national = await ProvinceBackends.openNational({ env, observability, owner: 'settlements', migrations: NATIONAL_MIGRATIONS });
  const products = new Products(national, observability);
  await products.seed(configuredProducts);
  const reads = new SettlementReads(backends);
  const planner = new SettlementPlanner(backends, versions, accounts, family);
  const services: SettlementsServices = {
    policies,
    backends,
    reads,
    family,
    planner,
    settlements: new SettlementSaga(
      backends,
      new SettlementStore(backends, reads),
      planner,
      new KeyClaims(national),
      new PayerCheck(versions, accounts, family),
      new SettlementLedger(accounts, env.LEDGER_HOLD_TIMEOUT_MS),
      observability,
    ),
    premiums: new Premiums(backends, policies, accounts, family, products, new PremiumClaims(national), observability),
    products,
    partnerDays: new PartnerDays(backends),
    days: new InstitutionDays(backends, national),
    statistics: new Statistics(backends, env.STATISTICS_MIN_PATIENTS),
  };
  const stopRecovery = repeatInBackground(observability, 'recovery pass', RECOVERY_INTERVAL_MS, (runId) =>
    Promise.all([services.settlements.recover(RECOVER_OLDER_THAN_MS, runId), services.premiums.recover(RECOVER_OLDER_THAN_MS, runId)]),
  );
  return {
    name: 'settlements',
    port: env.SETTLEMENTS_PORT,
    resolvers,
    context: (identity) => createContext(services, identity),
    policyVersions: versions,
    internalRoutes: settlementsInternalRoutes(services),
    readiness: () => readiness(backends, national),
    close: async () => {
      stopRecovery();
      await backends.close();
      await national.destroy();
    },
  };
}
