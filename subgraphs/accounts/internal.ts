import { credentialsApi } from '../shared/contracts/credentials';
import { ledgerApi } from '../shared/contracts/ledger';
import { personsApi } from '../shared/contracts/persons';
import { policiesApi } from '../shared/contracts/policies';
import { internalRoutes, route, type InternalRoutes } from '../shared/internal';
import { inBackground } from '../shared/server/observability';
import type { AccountsServices } from './context';

/**
 * The accounts subgraph's internal API, for the gateway (credentials) and the other subgraphs
 * (policies, persons, balances, the ledger). Signed with SERVICE_SECRET; never exposed through the
 * gateway. What each route takes and answers is its contract in shared/contracts/.
 */
export function accountsInternalRoutes(services: AccountsServices): InternalRoutes {
  return internalRoutes(
    // Other services refresh their cached versions with this; it is background work, not a request's.
    route(policiesApi.versions, () => inBackground(() => services.regionPolicies.list())),
    route(credentialsApi.resolve, async ({ tokens }) => ({ credentials: await services.credentials.resolve(tokens) })),
    route(credentialsApi.recordRefusal, (refusal) => services.credentials.recordRefusal(refusal)),
    route(personsApi.lookup, async (input) => {
      const [found, accounts] = await Promise.all([services.persons.load(input.ids), services.reads.accounts(input.ids)]);
      return {
        persons: input.ids.map((id) => {
          const person = found.get(id);
          return person
            ? {
                id,
                regionCode: person.regionCode,
                scheme: person.scheme,
                status: person.status,
                hasPersonalAccount: accounts.has(id),
                balanceFen: accounts.get(id)?.balanceFen ?? null,
              }
            : null;
        }),
      };
    }),
    route(personsApi.match, async ({ idNumber, name }) => ({ personId: await services.persons.matchByIdNumber(idNumber, name) })),
    route(ledgerApi.debit, (request) => services.ledger.debit(request)),
    route(ledgerApi.reverse, (request) => services.ledger.reverse(request)),
    route(ledgerApi.hold, (request) => services.ledger.createPending(request)),
    route(ledgerApi.post, ({ holdId }) => services.ledger.postPending(holdId)),
    route(ledgerApi.voidKey, (request) => services.ledger.voidKey(request)),
    route(ledgerApi.void, async ({ holdId }) => {
      await services.ledger.voidPending(holdId);
      return { voided: true } as const;
    }),
  );
}
