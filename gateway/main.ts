import './telemetry';
import { readEnv } from '../subgraphs/shared/env';
import { exitOnSignals } from '../subgraphs/shared/server/http';
import { createObservability } from '../subgraphs/shared/server/observability';
import { registeredOperationNames } from '../subgraphs/shared/registeredOperations';
import { startTracing } from '../subgraphs/shared/server/tracing';
import { startGateway } from './server';

async function main(): Promise<void> {
  const env = readEnv();
  startTracing('gateway', env);
  const observability = createObservability('gateway', env.LOG_LEVEL, registeredOperationNames(env));
  exitOnSignals(await startGateway(env, observability), observability);
}

main().catch((error: unknown) => {
  console.error(`gateway failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
