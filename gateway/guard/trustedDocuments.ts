import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse, print, Kind, type DocumentNode } from 'graphql';
import { HttpError } from '../../subgraphs/shared/server/http';
import { GatewayError } from '../errors';
import { readManifest, type Manifest } from '../../subgraphs/shared/registeredOperations';

/**
 * Trusted documents for counters: when switched on, a TERMINAL caller may send only registered
 * operations, named by the SHA-256 of their text (Apollo's persisted-query manifest format). It
 * shrinks what a stolen counter token can ask to the few operations a counter needs.
 */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** One manifest entry per operation of a .graphql file, each body printed on its own. */
export function manifestOf(document: DocumentNode): Manifest {
  const operations = document.definitions.flatMap((definition) => {
    if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name) return [];
    const body = print(definition);
    return [{ id: sha256(body), name: definition.name.value, type: definition.operation as 'query' | 'mutation', body }];
  });
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

export function manifestFromGraphQL(path: string): Manifest {
  return manifestOf(parse(readFileSync(path, 'utf8')));
}

export class TrustedDocuments {
  private readonly byId: ReadonlyMap<string, string>;

  constructor(manifest: Manifest) {
    this.byId = new Map(manifest.operations.map((operation) => [operation.id, operation.body]));
  }

  static load(path: string): TrustedDocuments {
    return new TrustedDocuments(readManifest(path));
  }

  /**
   * The request body with its registered query: from `extensions.persistedQuery.sha256Hash`, or a
   * full `query` whose hash is registered. Anything else is PERSISTED_QUERY_NOT_FOUND.
   */
  admit(body: unknown): unknown {
    const request = (body ?? {}) as { query?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } };
    const hash = request.extensions?.persistedQuery?.sha256Hash ?? (typeof request.query === 'string' ? sha256(request.query) : undefined);
    const query = typeof hash === 'string' ? this.byId.get(hash) : undefined;
    if (!query || (typeof request.query === 'string' && request.query !== query)) {
      throw new HttpError(GatewayError.notRegistered);
    }
    const { extensions, ...rest } = request;
    const { persistedQuery: _registered, ...otherExtensions } = extensions ?? {};
    return { ...rest, query, ...(Object.keys(otherExtensions).length > 0 ? { extensions: otherExtensions } : {}) };
  }
}
