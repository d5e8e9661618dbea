import { generate } from '@graphql-codegen/cli';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import config from '../codegen';
import { ROOT } from '../scripts/stack';

/** The typed resolvers are generated from the SDL the subgraphs serve; run `npm run codegen` when this fails. */
test('the generated resolver types are those of the current schemas', async () => {
  const outputs = (await generate({ ...config, cwd: ROOT, silent: true }, false)) as Array<{ filename: string; content: string }>;
  expect(outputs.length).toBe(3);
  for (const output of outputs) {
    expect([output.filename, readFileSync(join(ROOT, output.filename), 'utf8')]).toEqual([output.filename, output.content]);
  }
});
