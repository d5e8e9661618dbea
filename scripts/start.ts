import concurrently from 'concurrently';
import { join } from 'node:path';
import { SUBGRAPHS } from '../subgraphs/shared/env';

/**
 * `npm start`: every subgraph and the gateway as separate processes with prefixed logs. Ctrl-C
 * (or one process exiting) stops them all; each stops cleanly on the signal it receives.
 */
const dist = join(__dirname, '..');
const { result } = concurrently(
  [
    ...SUBGRAPHS.map((name) => ({ name, command: `node ${join(dist, 'subgraphs', name, 'main.js')}` })),
    { name: 'gateway', command: `node ${join(dist, 'gateway', 'main.js')}` },
  ],
  // Ctrl-C reaches every process from concurrently itself; a process that fails stops the others.
  { prefix: 'name', killOthersOn: ['failure'], killSignal: 'SIGTERM' },
);

result.then(
  () => process.exit(0),
  () => process.exit(1),
);
