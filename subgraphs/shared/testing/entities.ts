import type { ApolloServer } from '@apollo/server';
import type { Identity } from '../identity';
import type { ServerContext } from '../server/context';

/**
 * Support for the in-process subgraph tests (`subgraphs/<name>/entities.test.ts`, Apollo's subgraph
 * template pattern): the subgraph's own server asked for `_entities` with representations, exactly
 * as the gateway asks when another subgraph's record points at one of its entities.
 */

/** An identity as the gateway would sign it: anonymous unless the claims say otherwise. */
export function identityOf(claims: Partial<Identity>): Identity {
  return { role: null, requestId: 'entities-test', ...claims };
}

/**
 * An in-memory stand-in for a service's batched read (`load(ids)` answering a map of what exists),
 * keeping every batch it was asked for, so a test can show that one request made one batch.
 */
export function batchedReads<V>(stored: ReadonlyMap<string, V>): {
  read(ids: readonly string[]): Promise<Map<string, V>>;
  batches: string[][];
} {
  const batches: string[][] = [];
  return {
    batches,
    async read(ids) {
      batches.push([...ids]);
      return new Map(
        ids.flatMap((id) => {
          const value = stored.get(id);
          return value === undefined ? [] : [[id, value] as const];
        }),
      );
    },
  };
}

export interface EntitiesAnswer {
  /** One per representation, in their order: the selected fields, or null. */
  entities: Array<Record<string, unknown> | null>;
  /** `<code> at <path>` for every error, e.g. `FORBIDDEN at _entities.1.name`. */
  errors: string[];
}

/**
 * Resolves `{ __typename, id }` representations and reads `selection` on each, the query the
 * gateway's query plan sends: `_entities(representations: $r) { ... on <typename> { <selection> } }`.
 */
export async function resolveEntities<C extends ServerContext>(
  server: ApolloServer<C>,
  contextValue: C,
  typename: string,
  ids: readonly string[],
  selection: string,
): Promise<EntitiesAnswer> {
  const response = await server.executeOperation(
    {
      query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`,
      variables: { r: ids.map((id) => ({ __typename: typename, id })) },
    },
    { contextValue },
  );
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  return {
    entities: (data as { _entities: EntitiesAnswer['entities'] } | null)?._entities ?? [],
    errors: (errors ?? []).map((error) => `${String(error.extensions?.code)} at ${(error.path ?? []).join('.')}`),
  };
}
