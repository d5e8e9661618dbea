import { Supergraph } from '@apollo/federation-internals';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { readFileSync } from 'node:fs';
import { Histogram } from 'prom-client';
import { serviceUrls, type Env, type ServiceName } from '../subgraphs/shared/env';
import { maskError, SharedError } from '../subgraphs/shared/errors';
import { executeApollo, requestText } from '../subgraphs/shared/server/apolloHttp';
import { HttpError, sendJson, startService, type RequestContext, type RunningService } from '../subgraphs/shared/server/http';
import type { Identity } from '../subgraphs/shared/identity';
import { InternalClient } from '../subgraphs/shared/internal';
import { must } from '../subgraphs/shared/must';
import type { Observability } from '../subgraphs/shared/server/observability';
import { projectFile } from '../subgraphs/shared/policy/config';
import { manifestPath } from '../subgraphs/shared/registeredOperations';
import { loggingPlugin } from '../subgraphs/shared/server/loggingPlugin';
import { CredentialResolver } from './guard/credentials';
import { documentLimits, MAX_TOKENS } from './guard/admission';
import { readPatientLocators } from './guard/patientRule';
import { guardPlugin, type GatewayContext } from './guard/plugin';
import { roleSchemas } from './guard/roleSchema';
import { TrustedDocuments } from './guard/trustedDocuments';
import { Authenticator } from './auth';
import { tokenKeys } from './tokenKeys';
import { tokenSettings } from './tokenSettings';
import { RateLimits } from './rateLimit';
import { SubgraphSource } from './subgraphSource';
import { gatewayReadiness } from './readiness';
import { DEV_TOKEN_PATH, serveExplorerAsset, serveExplorerPage, wantsHtml } from './explorer';
import { mintDevToken } from './devTokens';

const CREDENTIAL_HEADER = 'x-insurance-credential';

/** The gateway's latency of each subgraph call (exported so the alert rules' test lists it). */
export function subgraphFetchTimer(observability: Observability): Histogram<'subgraph'> {
  return new Histogram({
    name: 'gateway_subgraph_fetch_seconds',
    help: 'Latency of gateway calls to each subgraph',
    labelNames: ['subgraph'],
    registers: [observability.registry],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });
}

export async function startGateway(env: Env, observability: Observability): Promise<RunningService> {
  const supergraphSdl = readFileSync(projectFile('schema/supergraph.graphql'), 'utf8');
  const rateLimits = RateLimits.fromEnv(env, observability);
  const tokenRules = tokenSettings(env);
  const tokens = new Authenticator(tokenRules, tokenKeys(tokenRules));
  const fetchSeconds = subgraphFetchTimer(observability);
  const accounts = new InternalClient(serviceUrls(env, 'accounts'), env.SERVICE_SECRET, observability);
  const credentials = new CredentialResolver(accounts);
  // The explorer's role picker mints tokens for the demo data: in development only, never anywhere else.
  const devTokens = env.NODE_ENV === 'development';
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) =>
      new SubgraphSource({
        name: name as ServiceName,
        baseUrls: serviceUrls(env, name as ServiceName),
        serviceSecret: env.SERVICE_SECRET,
        timeoutMs: env.SUBGRAPH_TIMEOUT_MS,
        fetchSeconds,
        observability,
      }),
    // Apollo's own spans (gateway.request, .plan, .fetch, …) join our traces when tracing runs; never with the document or error messages, which quote input.
    telemetry: { includeDocument: false, recordExceptions: false },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Answers are personal and never cached: no cache-control policy to compute per request.
      ApolloServerPluginCacheControlDisabled(),
      loggingPlugin(observability),
      guardPlugin({
        observability,
        locators: readPatientLocators(supergraphSdl),
        credentials,
        settlements: new InternalClient(serviceUrls(env, 'settlements'), env.SERVICE_SECRET, observability),
        roleSchemas: roleSchemas(Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema()),
      }),
    ],
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
  const withinLimits = documentLimits(must(gateway.schema, 'apollo.start() has loaded the supergraph'), observability);
  const trusted = env.TERMINAL_TRUSTED_DOCUMENTS_ONLY ? TrustedDocuments.load(manifestPath(env)) : undefined;

  /**
   * The context of one request: the verified caller and the credential presented with it, not yet
   * looked up. The guard resolves the credential only when the operation needs it (the own-card
   * rule, or a counter reading its patient), so no other caller can time whether a credential
   * exists, and only then puts the verified holder into the signed identity.
   */
  function contextFor(identity: Identity, credential: string | undefined): GatewayContext {
    return { identity, requestId: identity.requestId, ...(credential ? { credential } : {}) };
  }

  /** One GraphQL request: token, rate limit, then Apollo with the guard's plugin and the trusted documents of counters. */
  async function serveGraphql({ req, res, url, requestId }: RequestContext): Promise<void> {
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const identity = await tokens.authenticate(header('authorization'), requestId);
    await rateLimits.admit(identity, req);
    const context = contextFor(identity, header(CREDENTIAL_HEADER));
    await executeApollo(
      apollo,
      req,
      res,
      url,
      await requestText(req),
      context,
      identity.role === 'TERMINAL' ? trusted : undefined,
      (request) => {
        context.analysis = withinLimits(request, identity);
      },
    );
  }

  return startService({
    name: 'gateway',
    host: env.HOST,
    port: env.GATEWAY_PORT,
    graceMs: env.SHUTDOWN_GRACE_MS,
    metricsToken: env.METRICS_TOKEN,
    observability,
    onClose: async () => {
      await apollo.stop();
      rateLimits.close();
    },
    handle: async ({ req, res, url, requestId }) => {
      // Liveness: the process answers, whatever the subgraphs and databases behind it do.
      if (url.pathname === '/health' && req.method === 'GET') {
        sendJson(res, 200, { status: 'ok' });
        return;
      }
      if (url.pathname === '/ready' && req.method === 'GET') {
        const { ready, subgraphs } = await gatewayReadiness(env);
        sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', subgraphs });
        return;
      }
      if (url.pathname.startsWith('/graphql/assets/') && req.method === 'GET') {
        if (serveExplorerAsset(res, url.pathname.slice('/graphql/assets/'.length))) return;
        throw new HttpError(SharedError.notFound);
      }
      if (url.pathname === DEV_TOKEN_PATH && req.method === 'POST' && devTokens) {
        sendJson(res, 200, { token: await mintDevToken(await requestText(req), env.JWT_SECRET, accounts, requestId) });
        return;
      }
      if (url.pathname !== '/graphql') throw new HttpError(SharedError.notFound);
      if (req.method === 'GET' && wantsHtml(req.headers.accept) && !url.search) {
        serveExplorerPage(res, { devTokens });
        return;
      }
      return serveGraphql({ req, res, url, requestId });
    },
    tracedRoute: ({ url }) => (url.pathname === '/graphql' ? url.pathname : undefined),
  });
}
