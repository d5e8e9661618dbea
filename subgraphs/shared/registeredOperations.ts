import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, type Env } from './env';
import { projectFile } from './policy/config';

/**
 * The registered operations: Apollo's persisted-query manifest (TRUSTED_DOCUMENTS, default
 * config/trusted-documents.json, written from config/counter-operations.graphql). The gateway admits
 * them as the counters' trusted documents; every service uses their names, and only theirs, as
 * metric labels, so a client cannot add a label value by naming an operation.
 */
export const ManifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), name: z.string(), type: z.enum(['query', 'mutation']), body: z.string() }),
  ),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export function manifestPath(env: Pick<Env, 'TRUSTED_DOCUMENTS'>): string {
  return env.TRUSTED_DOCUMENTS ?? projectFile('config/trusted-documents.json');
}

/** Reads and checks the manifest; a bad file stops start-up naming the field. */
export function readManifest(path: string): Manifest {
  const parsed = ManifestSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new ConfigError(`TRUSTED_DOCUMENTS (${path}): ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

export function registeredOperationNames(env: Pick<Env, 'TRUSTED_DOCUMENTS'>): ReadonlySet<string> {
  return new Set(readManifest(manifestPath(env)).operations.map((operation) => operation.name));
}
