import type { ApolloServerPlugin } from '@apollo/server';
import { maskError } from '../errors';
import type { ServerContext } from './context';
import type { Observability } from './observability';
import { annotateActiveSpan } from './tracing';

/** A client may name an operation with 50 KB; a log line keeps the first 100 characters. */
const LOGGED_OPERATION_NAME_LENGTH = 100;

/**
 * One log line and one count per GraphQL request, on the gateway and every subgraph alike
 * (DESIGN.md, Operations): request id, operation, role, outcome code, duration. An unexpected
 * error, which the client sees masked, is logged with its stack.
 */
export function loggingPlugin<C extends ServerContext>(observability: Observability): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (maskError({ message: error.message, extensions: error.extensions }, error).unexpected) {
              observability.logger.error(
                { requestId: contextValue.requestId, err: error.originalError ?? error, path: error.path },
                'unexpected error',
              );
            }
          }
        },
        async willSendResponse({ response, operationName }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const outcome = String(body?.errors?.[0]?.extensions?.code ?? 'OK');
          const seconds = (performance.now() - started) / 1000;
          // Labels only from a bounded set; the log keeps what the client sent, cut short.
          const label = observability.operationLabel(operationName);
          observability.requests.labels(label, outcome).inc();
          observability.requestSeconds.labels(label).observe(seconds);
          // The request's span gets the bounded label, never the name as sent.
          annotateActiveSpan({ 'graphql.operation.name': label, 'app.outcome': outcome });
          const operation = operationName ? operationName.slice(0, LOGGED_OPERATION_NAME_LENGTH) : 'anonymous';
          observability.logger.info(
            { requestId: contextValue.requestId, operation, role: contextValue.identity.role, outcome, ms: Math.round(seconds * 1000) },
            'request',
          );
        },
      };
    },
  };
}
