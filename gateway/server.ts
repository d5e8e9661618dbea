import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { readFileSync } from 'node:fs';
import { Histogram } from 'prom-client';
import { serviceUrl, SUBGRAPHS, type Env, type ServiceName } from '../subgraphs/shared/env';
import { DomainError, isKnownCode, maskError } from '../subgraphs/shared/errors';
import { executeApollo } from '../subgraphs/shared/apolloHttp';
import { HttpError, sendJson, startService, type RunningService } from '../subgraphs/shared/http';
import { REQUEST_ID_HEADER, signIdentity, type Identity } from '../subgraphs/shared/identity';
import { InternalClient } from '../subgraphs/shared/internal';
import type { Observability } from '../subgraphs/shared/observability';
import { projectFile } from '../subgraphs/shared/policy/config';
import { loggingPlugin } from '../subgraphs/shared/subgraph';
import { CredentialResolver } from './guard/credentials';
import { documentLimits, MAX_TOKENS } from './guard/admission';
import { readPatientLocators } from './guard/patientRule';
import { guardPlugin, type GatewayContext } from './guard/plugin';
import { TrustedDocuments } from './guard/trustedDocuments';
import { authenticate } from './auth';
import { serveExplorerAsset, serveExplorerPage, wantsHtml } from './explorer';

const CREDENTIAL_HEADER = 'x-insurance-credential';
const HEALTH_TIMEOUT_MS = 2_000;

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
  const credentials = new CredentialResolver(new InternalClient(urls.get('accounts')!, env.SERVICE_SECRET));
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => {
      const source = new SignedDataSource(`${urls.get(name as ServiceName)}/graphql`, env.SERVICE_SECRET);
      // Node's own fetch keeps connections alive; the default fetcher does not, and costs a handshake per call.
      source.fetcher = (async (input: string, init: RequestInit) => {
        const stop = fetchSeconds.labels(name).startTimer();
        try {
          return await fetch(input, { ...init, signal: AbortSignal.timeout(env.SUBGRAPH_TIMEOUT_MS) });
        } catch (error) {
          if ((error as Error).name === 'TimeoutError') {
            throw new DomainError('SERVICE_UNAVAILABLE', `${name} 服务在 ${env.SUBGRAPH_TIMEOUT_MS} 毫秒内未响应，请用同一交易流水号重试`,
              `The ${name} service did not answer within ${env.SUBGRAPH_TIMEOUT_MS} ms; retry with the same idempotency key`);
          }
          throw new DomainError('SERVICE_UNAVAILABLE', `${name} 服务暂时不可用，请稍后重试`, `The ${name} service is unavailable; retry later`);
        } finally {
          stop();
        }
      }) as unknown as typeof source.fetcher;
      return source;
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: [ApolloServerPluginLandingPageDisabled(), loggingPlugin(observability), guardPlugin({ observability, locators: readPatientLocators(supergraphSdl), credentials, settlements: new InternalClient(urls.get('settlements')!, env.SERVICE_SECRET) })],
    formatError: (formatted, original) => maskError(formatted, original).masked,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // Counters use trusted documents (below); nothing else needs queries cached by hash.
    persistedQueries: false,
    // exitOnSignals stops the whole service in order; Apollo's own handler would re-raise the signal.
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: MAX_TOKENS },
  });
  await apollo.start();
  const withinLimits = documentLimits(gateway.schema!, observability);
  const trusted = env.TERMINAL_TRUSTED_DOCUMENTS_ONLY ? TrustedDocuments.load(env.TRUSTED_DOCUMENTS ?? projectFile('config/trusted-documents.json')) : undefined;

  /**
   * The context of one request: the verified caller and the credential presented with it. The holder
   * goes into the signed identity only when the credential is valid and not suspended, so a counter
   * reads the person whose own card it presents (DESIGN.md, Callers) and nobody else.
   */
  async function contextFor(identity: Identity, credential: string | undefined): Promise<GatewayContext> {
    if (!credential) return { identity, requestId: identity.requestId };
    const resolution = await credentials.resolve(credential);
    const holder = resolution && !resolution.suspended ? { credentialHolderId: resolution.holderId } : {};
    return { identity: { ...identity, ...holder }, requestId: identity.requestId, credential, resolution };
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
      const identity = await authenticate(header('authorization'), env.JWT_SECRET, requestId);
      const context = await contextFor(identity, header(CREDENTIAL_HEADER));
      await executeApollo(apollo, req, res, url, context, identity.role === 'TERMINAL' ? trusted : undefined, (request) => withinLimits(request, identity));
    },
  });
}
