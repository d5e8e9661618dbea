import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, saveState, startStack } from '../../scripts/stack';

/** Compiles once and starts one stack for the whole jest run (STACK.md, trap 11). */
export default async function globalSetup(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  saveState(await startStack());
}
