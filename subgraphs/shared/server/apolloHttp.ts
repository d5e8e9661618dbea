import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SharedError } from '../errors';
import { HttpError, readBody } from './http';

/** Admits or rewrites a request body before Apollo sees it (e.g. trusted documents), or throws an HttpError. */
export interface BodyFilter {
  admit(body: unknown): unknown;
}

/** The body text of a GraphQL request (empty for GET), read once: a subgraph verifies its identity signature over it before Apollo parses it. */
export function requestText(req: IncomingMessage): Promise<string> {
  return req.method === 'POST' ? readBody(req) : Promise.resolve('');
}

/**
 * Hands one node:http request, whose body `text` has been read, to Apollo Server and writes its
 * answer back. `check` sees the request as Apollo will (after `filter`) and may refuse it by throwing
 * an HttpError, before Apollo parses it.
 */
export async function executeApollo<C extends BaseContext>(
  apollo: ApolloServer<C>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  text: string,
  context: C,
  filter?: BodyFilter,
  check?: (request: HTTPGraphQLRequest) => void,
): Promise<void> {
  let body: unknown = text;
  if (text && /^application\/(graphql-response\+)?json/i.test(req.headers['content-type'] ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(SharedError.bodyNotJson);
    }
  }
  if (filter) {
    if (req.method !== 'POST' || typeof body !== 'object') throw new HttpError(SharedError.registeredOperationsByPost);
    body = filter.admit(body);
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  const httpGraphQLRequest: HTTPGraphQLRequest = { method: req.method ?? 'GET', headers, search: url.search, body };
  check?.(httpGraphQLRequest);
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest,
    context: async () => context,
  });
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    // With its length known the answer goes out in one write; chunked encoding costs a writev of four buffers.
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
