import { readEnv } from '../shared/env';
import { exitOnSignals } from '../shared/http';
import { createObservability } from '../shared/observability';
import { runSubgraph } from '../shared/subgraph';
import { createAccountsSubgraph } from './service';

async function main(): Promise<void> {
  const env = readEnv();
  const observability = createObservability('accounts', env.LOG_LEVEL);
  const subgraph = await createAccountsSubgraph(env, observability);
  exitOnSignals(await runSubgraph(subgraph, env, observability), observability);
}

main().catch((error: unknown) => {
  console.error(`accounts failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
