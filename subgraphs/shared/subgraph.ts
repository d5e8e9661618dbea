import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import type { DataSource } from 'typeorm';
import { answers, type BackendState, type ProvinceBackends } from './db/backends';
import { readEnv, type Env } from './env';
import { maskError, SharedError } from './errors';
import { executeApollo, requestText } from './server/apolloHttp';
import { exitOnSignals, HttpError, sendJson, startService, type RequestContext, type RunningService } from './server/http';
import { IDENTITY_HEADER, IDENTITY_SIGNATURE_HEADER, verifyIdentity, type Identity } from './identity';
import { serveInternal, type InternalRoutes } from './internal';
import { createObservability, type Observability } from './server/observability';
import type { ServerContext } from './server/context';
import { loggingPlugin } from './server/loggingPlugin';
import { startTracing } from './server/tracing';
import { projectFile } from './policy/config';
import { registeredOperationNames } from './registeredOperations';
import type { PolicyVersions } from './policy/versions';

/**
 * Readiness of one subgraph replica (GET /ready), as JSON: its national database, if it has one, and
 * each province backend. A replica is ready while its national database answers (nationwide records
 * such as the resident registry, policy versions and partner products live there). A province that is
 * down never makes it unready: every replica would answer that province's requests with
 * SERVICE_UNAVAILABLE alike, and taking replicas out of service would stop the other provinces too.
 */
export interface Readiness {
  ready: boolean;
  national?: BackendState;
  provinces: Record<string, BackendState>;
}

export async function readiness(backends: ProvinceBackends, national?: DataSource): Promise<Readiness> {
  const [nationalState, provinces] = await Promise.all([national ? answers(national) : undefined, backends.states()]);
  return { ready: nationalState !== 'down', ...(nationalState ? { national: nationalState } : {}), provinces };
}

export interface SubgraphDefinition<C extends ServerContext> {
  name: 'accounts' | 'family' | 'settlements';
  port: number;
  resolvers: GraphQLResolverMap<C>;
  context(identity: Identity): C;
  /** Read fresh before every request, so each request decides under the policy versions in force. */
  policyVersions: PolicyVersions;
  internalRoutes: InternalRoutes;
  /** Whether this replica should get traffic, with the state of each database behind it. */
  readiness(): Promise<Readiness>;
  close(): Promise<void>;
}

/** The SDL a subgraph serves is schema/<name>.graphql, the same file composition reads. */
export function subgraphSdl(name: string): string {
  return readFileSync(projectFile(join('schema', `${name}.graphql`)), 'utf8');
}

/**
 * A subgraph's Apollo server: schema/<name>.graphql with its resolvers, errors masked for clients.
 * runSubgraph serves it over HTTP; the in-process tests (`<subgraph>/entities.test.ts`) query it directly.
 */
export function subgraphServer<C extends ServerContext>(
  name: SubgraphDefinition<C>['name'],
  resolvers: GraphQLResolverMap<C>,
  plugins: ApolloServerPlugin<C>[] = [],
): ApolloServer<C> {
  return new ApolloServer<C>({
    schema: buildSubgraphSchema({ typeDefs: parse(subgraphSdl(name)), resolvers: resolvers as GraphQLResolverMap<unknown> }),
    // No cache hints: answers are personal and never cached by anyone, and the cache-control plugin
    // would wrap every field resolver to compute them (issue 14).
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ...plugins,
    ],
    formatError: (formatted, original) => maskError(formatted, original).masked,
    includeStacktraceInErrorResponses: false,
    // Only the gateway calls a subgraph, with signed identity headers; there is no browser here.
    csrfPrevention: false,
    // exitOnSignals stops the whole service (HTTP, Apollo, pools) in order; Apollo's own handler would re-raise the signal.
    stopOnTerminationSignals: false,
  });
}

export async function runSubgraph<C extends ServerContext>(
  definition: SubgraphDefinition<C>,
  env: Env,
  observability: Observability,
): Promise<RunningService> {
  const apollo = subgraphServer(definition.name, definition.resolvers, [loggingPlugin(observability)]);
  await apollo.start();

  /** One GraphQL request from the gateway: its identity checked against the body it signed, then Apollo. */
  async function serveGraphql({ req, res, url, requestId }: RequestContext): Promise<void> {
    const text = await requestText(req);
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const identity = verifyIdentity(
      header(IDENTITY_HEADER),
      header(IDENTITY_SIGNATURE_HEADER),
      { audience: definition.name, body: text },
      env.SERVICE_SECRET,
    );
    if (!identity) throw new HttpError(SharedError.subgraphCallUnsigned);
    await definition.policyVersions.fresh();
    await executeApollo(apollo, req, res, url, text, definition.context({ ...identity, requestId }));
  }

  return startService({
    name: definition.name,
    host: env.HOST,
    port: definition.port,
    graceMs: env.SHUTDOWN_GRACE_MS,
    metricsToken: env.METRICS_TOKEN,
    observability,
    onClose: async () => {
      await apollo.stop();
      await definition.close();
    },
    handle: async (context) => {
      const { req, res, url } = context;
      if (url.pathname.startsWith('/internal/'))
        return serveInternal(definition.internalRoutes, context, env.SERVICE_SECRET, observability);
      // Liveness: the process answers. Restarting it would not bring a database back.
      if (url.pathname === '/health' && req.method === 'GET') {
        sendJson(res, 200, { status: 'ok' });
        return;
      }
      if (url.pathname === '/ready' && req.method === 'GET') {
        const { ready, ...states } = await definition.readiness();
        sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', ...states });
        return;
      }
      if (url.pathname !== '/graphql') throw new HttpError(SharedError.notFound);
      // The identity signature covers the body; a GET carries its operation in the URL, so only POST is served.
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        throw new HttpError(SharedError.subgraphPostOnly, { protocolStatus: 405 });
      }
      return serveGraphql(context);
    },
    tracedRoute: ({ url }) => (url.pathname === '/graphql' ? url.pathname : definition.internalRoutes.get(url.pathname)?.path),
  });
}

/** The entry point of a subgraph process: read the environment, build, serve, stop cleanly on SIGTERM. */
export function subgraphMain<C extends ServerContext>(
  name: SubgraphDefinition<C>['name'],
  create: (env: Env, observability: Observability) => Promise<SubgraphDefinition<C>>,
): void {
  const start = async () => {
    const env = readEnv();
    startTracing(name, env);
    const observability = createObservability(name, env.LOG_LEVEL, registeredOperationNames(env));
    exitOnSignals(await runSubgraph(await create(env, observability), env, observability), observability);
  };
  start().catch((error: unknown) => {
    console.error(`${name} failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
