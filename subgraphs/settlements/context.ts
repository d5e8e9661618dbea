import DataLoader from 'dataloader';
import type { Identity } from '../shared/identity';
import type { FamilyClient } from '../shared/familyClient';
import type { PolicyBook } from '../shared/policy/policy';
import type { ProvinceBackends } from '../shared/db/backends';
import type { ServerContext } from '../shared/server/context';
import type { PartnerDays } from './premiums/partnerDay';
import type { Products } from './premiums/products';
import type { Premiums } from './premiums/service';
import type { InstitutionDays } from './settle/institutionDay';
import type { SettlementPage, SettlementPageKey, SettlementReads, SettlementRecord } from './settle/records';
import type { MutualAidSource, SettlementPlanner } from './settle/planning';
import type { Purpose } from '../shared/policy/vocabulary';
import type { Statistics } from './statistics/service';
import type { SettlementSaga } from './settle/saga';

export interface SettlementsServices {
  policies: PolicyBook;
  backends: ProvinceBackends;
  reads: SettlementReads;
  /** Plans settlements: `quoteSettlement` is a plan alone. */
  planner: SettlementPlanner;
  /** The sagas that move money: settle, refund, 冲正, recovery. */
  settlements: SettlementSaga;
  premiums: Premiums;
  products: Products;
  partnerDays: PartnerDays;
  family: FamilyClient;
  days: InstitutionDays;
  statistics: Statistics;
}

export interface SettlementsLoaders {
  settlement: DataLoader<string, SettlementRecord | null>;
  page: DataLoader<SettlementPageKey, SettlementPage, string>;
  /** Person.mutualAidSources of every person (and purpose) in the request: one gathering per purpose. */
  mutualAidSources: DataLoader<{ patientId: string; purpose: Purpose }, MutualAidSource[], string>;
}

export interface SettlementsContext extends ServerContext {
  services: SettlementsServices;
  loaders: SettlementsLoaders;
}

export function createContext(services: SettlementsServices, identity: Identity): SettlementsContext {
  return {
    identity,
    requestId: identity.requestId,
    services,
    loaders: {
      settlement: new DataLoader(async (ids) => {
        const found = await services.reads.load(ids);
        return ids.map((id) => found.get(id) ?? null);
      }),
      page: new DataLoader((keys) => services.reads.pages(keys), {
        cacheKeyFn: (key) => `${key.patientId}|${key.first}|${key.after?.createdAt.getTime()}|${key.after?.id}`,
      }),
      mutualAidSources: new DataLoader(
        async (keys) => {
          const purposes = [...new Set(keys.map((key) => key.purpose))];
          const byPurpose = new Map(
            await Promise.all(
              purposes.map(
                async (purpose) =>
                  [
                    purpose,
                    await services.planner.sources(
                      keys.filter((key) => key.purpose === purpose).map((key) => key.patientId),
                      purpose,
                      identity.requestId,
                    ),
                  ] as const,
              ),
            ),
          );
          return keys.map((key) => byPurpose.get(key.purpose)?.get(key.patientId) ?? []);
        },
        // 100 patients and their payers (a handful of near relatives each) stay within one persons call (1000 ids).
        { cacheKeyFn: (key) => `${key.patientId}|${key.purpose}`, maxBatchSize: 100 },
      ),
    },
  };
}
