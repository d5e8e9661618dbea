import DataLoader from 'dataloader';
import type { ProvinceBackends } from '../shared/db/backends';
import type { Identity } from '../shared/identity';
import type { PolicyBook } from '../shared/policy/policy';
import type { PolicyVersions } from '../shared/policy/versions';
import type { RegionPolicies } from './policy/service';
import type { ServerContext } from '../shared/server/context';
import type { CredentialRecord, Credentials } from './credentials/service';
import { type AccountReads, type AccountRecord, type EntryPage, type EntryPageKey, type UsagePageKey, usageKeyOf } from './ledger/reads';
import type { Ledger } from './ledger/service';
import type { PersonRecord, Persons } from './persons/service';
import { auditKeyOf, auditPages, type AuditPage, type AuditPageKey } from './persons/audit';

export interface AccountsServices {
  policies: PolicyBook;
  versions: PolicyVersions;
  regionPolicies: RegionPolicies;
  backends: ProvinceBackends;
  persons: Persons;
  reads: AccountReads;
  ledger: Ledger;
  credentials: Credentials;
}

/** Per-request loaders: every lookup of a request is batched into one statement per province. */
export interface AccountsLoaders {
  person: DataLoader<string, PersonRecord | null>;
  account: DataLoader<string, AccountRecord | null>;
  entryPage: DataLoader<EntryPageKey, EntryPage, string>;
  usagePage: DataLoader<UsagePageKey, EntryPage, string>;
  auditPage: DataLoader<AuditPageKey, AuditPage, string>;
  credentials: DataLoader<string, CredentialRecord[]>;
}

export interface AccountsContext extends ServerContext {
  services: AccountsServices;
  loaders: AccountsLoaders;
  /** One instant per request, so every field of a response is judged under the same policy version. */
  now: Date;
}

export function createLoaders(services: AccountsServices): AccountsLoaders {
  return {
    person: new DataLoader(async (ids) => {
      const found = await services.persons.load(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    account: new DataLoader(async (ids) => {
      const found = await services.reads.accounts(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    entryPage: new DataLoader((keys) => services.reads.entryPages(keys), {
      cacheKeyFn: (key) => `${key.accountId}|${key.first}|${key.beforeSeq}`,
    }),
    usagePage: new DataLoader((keys) => services.reads.usagePages(keys), { cacheKeyFn: usageKeyOf }),
    auditPage: new DataLoader((keys) => auditPages(services.backends, keys), { cacheKeyFn: auditKeyOf }),
    credentials: new DataLoader(async (ids) => {
      const found = await services.credentials.byHolders(ids);
      return ids.map((id) => found.get(id) ?? []);
    }),
  };
}

export function createContext(services: AccountsServices, identity: Identity): AccountsContext {
  return { identity, requestId: identity.requestId, services, loaders: createLoaders(services), now: new Date() };
}
