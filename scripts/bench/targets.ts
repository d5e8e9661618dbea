import { signIdentity } from '../../subgraphs/shared/identity';
import { BENCH_IDENTITY_HEADER } from './apolloBaseline';
import type { Request, Target } from './load';

/**
 * The servers a scenario is sent to, and how each is addressed: our gateway as clients call it, a
 * baseline gateway with the identity our gateway would have verified (no token, no card), or the
 * accounts subgraph directly with that identity signed as our gateway signs it.
 */
export const SERVERS = {
  ours: 'ours',
  defaults: '@apollo/gateway defaults',
  tuned: '@apollo/gateway tuned',
  direct: 'subgraph direct',
} as const;

export function ours(gatewayPort: number): Target {
  return { server: SERVERS.ours, url: `http://127.0.0.1:${gatewayPort}/graphql`, front: 'gateway', adapt: (request) => request };
}

/** A baseline gateway (its process named `front` for CPU): the verified identity instead of the token and the card. */
export function baseline(server: string, url: string, front: string): Target {
  return {
    server,
    url,
    front,
    adapt: ({ body, identity, headers }) => {
      const { authorization: _token, 'x-insurance-credential': _card, ...rest } = headers;
      return { body, identity, headers: { ...rest, [BENCH_IDENTITY_HEADER]: JSON.stringify(identity) } };
    },
  };
}

/** The accounts subgraph called straight: a one-subgraph read's body is the one the gateway would send it. */
export function direct(accountsPort: number, serviceSecret: string): Target {
  let turn = 0;
  return {
    server: SERVERS.direct,
    url: `http://127.0.0.1:${accountsPort}/graphql`,
    front: null,
    adapt: ({ body, identity }): Request => {
      turn += 1;
      const headers = signIdentity({ ...identity, requestId: `bench-direct-${turn}` }, { audience: 'accounts', body }, serviceSecret);
      return { body, identity, headers };
    },
  };
}
