import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readBody } from './http';

/** Hands one node:http request to Apollo Server and writes its answer back. */
export async function executeApollo<C extends BaseContext>(apollo: ApolloServer<C>, req: IncomingMessage, res: ServerResponse, url: URL, context: C): Promise<void> {
  const text = req.method === 'POST' ? await readBody(req) : '';
  let body: unknown = text;
  if (text && /^application\/(graphql-response\+)?json/i.test(req.headers['content-type'] ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'BAD_REQUEST', '请求体不是合法的 JSON / The request body is not valid JSON');
    }
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
    context: async () => context,
  });
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
