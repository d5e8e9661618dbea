import { loadState, stopStack } from '../../scripts/stack';

export default async function globalTeardown(): Promise<void> {
  await stopStack(loadState());
}
