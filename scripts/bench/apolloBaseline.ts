import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { readFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { serviceUrls, readEnv, type ServiceName } from '../../subgraphs/shared/env';
import {
  encodeIdentity,
  IDENTITY_HEADER,
  IDENTITY_SIGNATURE_HEADER,
  identitySignature,
  REQUEST_ID_HEADER,
  type Identity,
} from '../../subgraphs/shared/identity';
import { projectFile } from '../../subgraphs/shared/policy/config';
import { executeApollo, requestText } from '../../subgraphs/shared/server/apolloHttp';

/**
 * A baseline gateway for the bench, run as its own process so that its CPU is measured apart:
 * plain `@apollo/gateway` over the same supergraph and the same subgraph processes, doing only what
 * the subgraphs need — the identity header signed for each subgraph and body — and nothing else (no
 * JWT, guard, card rule, rate limit, logs or metrics). The caller's identity comes as JSON in
 * BENCH_IDENTITY_HEADER, as if already verified.
 *
 * BASELINE_MODE=defaults: Apollo's own fetcher (make-fetch-happen) in `startStandaloneServer`.
 * BASELINE_MODE=tuned: a keep-alive `http.Agent` fetcher and a bare `node:http` server.
 */
export const BENCH_IDENTITY_HEADER = 'x-bench-identity';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
interface BaselineContext {
  identity: Identity;
}

/** Signs each subgraph call as the gateway does (gateway/server.ts): the header set before sending, the signature over the final body. */
class SigningDataSource extends RemoteGraphQLDataSource<BaselineContext> {
  constructor(url: string, audience: ServiceName, secret: string, send?: Fetcher) {
    super({ url });
    const base = send ?? this.fetcher;
    this.fetcher = ((input: string, init?: Parameters<Fetcher>[1]) => {
      const payload = init?.headers?.[IDENTITY_HEADER];
      if (!init || !payload) return base(input, init);
      const signature = identitySignature(payload, { audience, body: init.body ?? '' }, secret);
      return base(input, { ...init, headers: { ...init.headers, [IDENTITY_SIGNATURE_HEADER]: signature } });
    }) as Fetcher;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<BaselineContext>): void {
    request.http?.headers.set(IDENTITY_HEADER, encodeIdentity(context.identity));
    request.http?.headers.set(REQUEST_ID_HEADER, context.identity.requestId);
  }
}

/** A fetch over node:http with keep-alive connections: cheaper per call than WHATWG fetch. */
export function keepAliveFetcher(): Fetcher {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return ((input: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) =>
    new Promise((resolve, reject) => {
      const outgoing = httpRequest(input, { method: init?.method ?? 'POST', headers: init?.headers, agent }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === 'string') headers.set(name, value);
          resolve(new Response(Buffer.concat(chunks), { status: incoming.statusCode, headers }));
        });
        incoming.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(init?.body);
    })) as unknown as Fetcher;
}

let requests = 0;
function identityOf(header: string | string[] | undefined): Identity {
  requests += 1;
  const claimed = typeof header === 'string' ? (JSON.parse(header) as Omit<Identity, 'requestId'>) : { role: null };
  return { ...claimed, requestId: `baseline-${requests}` };
}

async function main(): Promise<void> {
  const env = readEnv();
  const mode = process.env.BASELINE_MODE;
  const port = Number(process.env.BASELINE_PORT);
  if (mode !== 'defaults' && mode !== 'tuned') throw new Error('BASELINE_MODE is defaults or tuned');
  const send = mode === 'tuned' ? keepAliveFetcher() : undefined;
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(projectFile('schema/supergraph.graphql'), 'utf8'),
    // Apollo's data source calls one URL: the baseline measures plain Apollo against the first replica.
    buildService: ({ name }) =>
      new SigningDataSource(`${serviceUrls(env, name as ServiceName)[0]}/graphql`, name as ServiceName, env.SERVICE_SECRET, send),
  });
  const apollo = new ApolloServer<BaselineContext>({ gateway });
  if (mode === 'defaults') {
    await startStandaloneServer(apollo, {
      listen: { host: '127.0.0.1', port },
      context: async ({ req }) => ({ identity: identityOf(req.headers[BENCH_IDENTITY_HEADER]) }),
    });
  } else {
    await apollo.start();
    createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requestText(req)
        .then((text) => executeApollo(apollo, req, res, url, text, { identity: identityOf(req.headers[BENCH_IDENTITY_HEADER]) }))
        .catch(() => {
          res.statusCode = 500;
          res.end();
        });
    }).listen(port, '127.0.0.1');
  }
  process.on('SIGTERM', () => process.exit(0));
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
