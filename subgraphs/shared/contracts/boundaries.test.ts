import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { preProcessFile } from 'typescript';

/**
 * The boundaries of the code (DESIGN.md, Layout): each subgraph is its own process and reaches
 * another only through its internal API, whose contract lives in subgraphs/shared/contracts. So the
 * gateway and shared code import no subgraph's own folder, and a subgraph imports neither another
 * subgraph's folder nor the gateway. scripts/ and test/ drive whole stacks and may import anything;
 * nothing else imports them.
 */
const ROOT = resolve(__dirname, '../../..');

/** Where a file lives: `gateway`, `shared`, a subgraph's name, `scripts`, `test`, or undefined elsewhere. */
function areaOf(path: string): string | undefined {
  const [top, second, third] = relative(ROOT, path).split(sep);
  if (top === 'subgraphs') return third === undefined ? undefined : second;
  return ['gateway', 'scripts', 'test'].includes(top) ? top : undefined;
}

function mayImport(from: string, to: string | undefined): boolean {
  if (from === 'scripts' || from === 'test') return true;
  if (to === undefined || to === 'scripts' || to === 'test') return false;
  return to === 'shared' || to === from;
}

/** Every relative import (static, type-only, re-export or dynamic) of `file` that its area may not make. */
function forbiddenImports(file: string, text: string): string[] {
  const from = areaOf(file);
  if (from === undefined) return [];
  return preProcessFile(text, true, true)
    .importedFiles.map(({ fileName }) => fileName)
    .filter((specifier) => specifier.startsWith('.') && !mayImport(from, areaOf(resolve(dirname(file), specifier))))
    .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const at = (path: string) => join(ROOT, path);

test.each([
  ['gateway/guard/x.ts', 1, "import { REFUSAL_LIMITS } from '../../subgraphs/accounts/credentials/service';"],
  [
    'gateway/x.ts',
    0,
    "import { sendJson } from '../subgraphs/shared/server/http';\nimport { authenticate } from './auth';\nimport { z } from 'zod';",
  ],
  ['subgraphs/shared/x.ts', 1, "import type { Payer } from '../family/bindings/service';"],
  ['subgraphs/shared/x.ts', 1, "import { startGateway } from '../../gateway/server';"],
  ['subgraphs/settlements/settle/x.ts', 1, "export type { DebitResult } from '../../accounts/ledger/service';"],
  [
    'subgraphs/family/x.ts',
    1,
    "const server = import('../../gateway/server');\nimport { fail } from '../shared/errors';\nimport { Bindings } from './bindings/service';",
  ],
  ['subgraphs/accounts/x.ts', 1, "import { startStack } from '../../scripts/stack';"],
  ['test/x.ts', 0, "import { Ledger } from '../subgraphs/accounts/ledger/service';\nimport { startGateway } from '../gateway/server';"],
])('%s: %i forbidden import(s)', (file, count, text) => {
  expect(forbiddenImports(at(file), text)).toHaveLength(count);
});

test('the gateway and shared code import no subgraph, and no subgraph imports another or the gateway', () => {
  const files = [...sourceFiles(at('gateway')), ...sourceFiles(at('subgraphs'))];
  // The walk reaches every area the rule is about, so an empty pass cannot hide a broken walk.
  expect(new Set(files.map(areaOf))).toEqual(new Set(['gateway', 'shared', 'accounts', 'family', 'settlements']));
  expect(files.flatMap((file) => forbiddenImports(file, readFileSync(file, 'utf8')))).toEqual([]);
});
