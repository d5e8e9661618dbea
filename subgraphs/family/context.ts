import DataLoader from 'dataloader';
import type { Identity } from '../shared/identity';
import type { PolicyBook } from '../shared/policy/policy';
import type { PolicyVersions } from '../shared/policy/versions';
import type { ServerContext } from '../shared/server/context';
import type { BindingEvent, BindingRecord, Bindings } from './bindings/service';

export interface FamilyServices {
  policies: PolicyBook;
  versions: PolicyVersions;
  bindings: Bindings;
}

/** Per-request loaders: a list of persons costs one statement per province, not one per person. */
export interface FamilyLoaders {
  binding: DataLoader<string, BindingRecord | null>;
  asAuthorizer: DataLoader<string, BindingRecord[]>;
  asBeneficiary: DataLoader<string, BindingRecord[]>;
  history: DataLoader<string, BindingEvent[]>;
}

export interface FamilyContext extends ServerContext {
  services: FamilyServices;
  loaders: FamilyLoaders;
}

export function createContext(services: FamilyServices, identity: Identity): FamilyContext {
  const { bindings } = services;
  return {
    identity,
    requestId: identity.requestId,
    services,
    loaders: {
      binding: new DataLoader(async (ids) => {
        const found = await bindings.load(ids);
        return ids.map((id) => found.get(id) ?? null);
      }),
      asAuthorizer: new DataLoader(async (ids) => {
        const found = await bindings.byAuthorizers(ids);
        return ids.map((id) => found.get(id) ?? []);
      }),
      asBeneficiary: new DataLoader(async (ids) => {
        const found = await bindings.byBeneficiaries(ids);
        return ids.map((id) => found.get(id) ?? []);
      }),
      history: new DataLoader(async (ids) => {
        const found = await bindings.events(ids);
        return ids.map((id) => found.get(id) ?? []);
      }),
    },
  };
}
