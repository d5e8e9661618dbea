import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { readFileSync } from 'node:fs';
import { Histogram } from 'prom-client';
import { serviceUrl, SUBGRAPHS, type Env, type ServiceName } from '../subgraphs/shared/env';
import { fail, isKnownCode, maskError } from '../subgraphs/shared/errors';
import { executeApollo } from '../subgraphs/shared/apolloHttp';
import { HttpError, sendJson, startService, type RunningService } from '../subgraphs/shared/http';
import { REQUEST_ID_HEADER, signIdentity, type Identity } from '../subgraphs/shared/identity';
import { InternalClient } from '../subgraphs/shared/internal';
import type { Observability } from '../subgraphs/shared/observability';
import { projectFile } from '../subgraphs/shared/policy/config';
import { loggingPlugin, type SubgraphContext } from '../subgraphs/shared/subgraph';
import { authenticate } from './auth';
import { serveExplorerAsset, serveExplorerPage, wantsHtml } from './explorer';

export type GatewayContext = SubgraphContext;

const CREDENTIAL_HEADER = 'x-insurance-credential';
const INTROSPECTION_ROLES: ReadonlySet<Identity['role']> = new Set(['ADMIN', 'ANALYST']);
const HEALTH_TIMEOUT_MS = 2_000;

/** Introspection is for ADMIN and ANALYST only; `__typename` is open to everyone. */
function introspectionPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          if (INTROSPECTION_ROLES.has(contextValue.identity.role)) return;
          const text = JSON.stringify(document);
          if (text.includes('"value":"__schema"') || text.includes('"value":"__type"')) {
            fail('FORBIDDEN', '只有管理员和分析人员可以内省模式', 'Introspection is for ADMIN and ANALYST callers only');
          }
        },
      };
    },
  };
}

function subgraphFetchTimer(observability: Observability): Histogram<'subgraph'> {
  return new Histogram({
    name: 'gateway_subgraph_fetch_seconds', help: 'Latency of gateway calls to each subgraph', labelNames: ['subgraph'],
    registers: [observability.registry], buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });
}

/** Passes the verified identity to every subgraph call, signed so that subgraphs can trust it. */
class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string, private readonly secret: string) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!context.identity) return;
    for (const [name, value] of Object.entries(signIdentity(context.identity, this.secret))) request.http?.headers.set(name, value);
    request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }

  /**
   * A subgraph answers bad variables (e.g. a malformed Money) with HTTP 400 and a coded error; pass
   * that error on as it is rather than as an opaque "400: Bad Request".
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const body = await response.clone().json().catch(() => undefined) as { errors?: Array<{ message: string; extensions?: { code?: unknown } }> } | undefined;
    const first = body?.errors?.[0];
    if (first && isKnownCode(first.extensions?.code)) return new GraphQLError(first.message, { extensions: { code: first.extensions.code } });
    return super.errorFromResponse(response);
  }
}

export async function startGateway(env: Env, observability: Observability): Promise<RunningService> {
  const supergraphSdl = readFileSync(projectFile('schema/supergraph.graphql'), 'utf8');
  const fetchSeconds = subgraphFetchTimer(observability);
  const urls = new Map(SUBGRAPHS.map((name) => [name, serviceUrl(env, name)]));
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => {
      const source = new SignedDataSource(`${urls.get(name as ServiceName)}/graphql`, env.SERVICE_SECRET);
      // Node's own fetch keeps connections alive; the default fetcher does not, and costs a handshake per call.
      source.fetcher = (async (input: string, init: RequestInit) => {
        const stop = fetchSeconds.labels(name).startTimer();
        try {
          return await fetch(input, init);
        } finally {
          stop();
        }
      }) as unknown as typeof source.fetcher;
      return source;
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: [ApolloServerPluginLandingPageDisabled(), loggingPlugin(observability), introspectionPlugin()],
    formatError: (formatted, original) => maskError(formatted, original).masked,
    includeStacktraceInErrorResponses: false,
    introspection: true,
  });
  await apollo.start();
  const accounts = new InternalClient(urls.get('accounts')!, env.SERVICE_SECRET);

  /** A counter may read the person whose own credential it presents (DESIGN.md, Callers). */
  async function withCredentialHolder(identity: Identity, credential: string | undefined): Promise<Identity> {
    if (identity.role !== 'TERMINAL' || !credential) return identity;
    const { holders } = await accounts.call<{ holders: Array<string | null> }>('/internal/credentials/resolve', { tokens: [credential] }, identity.requestId);
    return holders[0] ? { ...identity, credentialHolderId: holders[0] } : identity;
  }

  async function health(): Promise<boolean> {
    const answers = await Promise.all([...urls.values()].map((url) =>
      fetch(`${url}/health`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) }).then((response) => response.ok, () => false)));
    return answers.every(Boolean);
  }

  return startService({
    name: 'gateway',
    host: env.HOST,
    port: env.GATEWAY_PORT,
    graceMs: env.SHUTDOWN_GRACE_MS,
    observability,
    onClose: () => apollo.stop(),
    handle: async ({ req, res, url, requestId }) => {
      if (url.pathname === '/health' && req.method === 'GET') {
        const healthy = await health();
        sendJson(res, healthy ? 200 : 503, { status: healthy ? 'ok' : 'degraded' });
        return;
      }
      if (url.pathname.startsWith('/graphql/assets/') && req.method === 'GET') {
        if (serveExplorerAsset(res, url.pathname.slice('/graphql/assets/'.length))) return;
        throw new HttpError(404, 'NOT_FOUND', 'not found');
      }
      if (url.pathname !== '/graphql') throw new HttpError(404, 'NOT_FOUND', 'not found');
      if (req.method === 'GET' && wantsHtml(req.headers.accept) && !url.search) {
        serveExplorerPage(res);
        return;
      }
      const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
      const identity = await withCredentialHolder(await authenticate(header('authorization'), env.JWT_SECRET, requestId), header(CREDENTIAL_HEADER));
      await executeApollo(apollo, req, res, url, { identity, requestId });
    },
  });
}
