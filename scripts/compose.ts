import { composeServices } from '@apollo/composition';
import { writeFileSync } from 'node:fs';
import { parse } from 'graphql';
import { readEnv, serviceUrls, SUBGRAPHS } from '../subgraphs/shared/env';
import { projectFile } from '../subgraphs/shared/policy/config';
import { subgraphSdl } from '../subgraphs/shared/subgraph';

/**
 * Composes schema/<subgraph>.graphql into schema/supergraph.graphql at build time. The gateway
 * serves the checked-in file; a test fails when it is stale. URLs in it are the defaults (one
 * replica each, since composition reads no environment); the gateway maps each subgraph to its
 * configured replicas at start and never calls these.
 */
export const SUPERGRAPH_FILE = projectFile('schema/supergraph.graphql');

export function composeSupergraph(): string {
  const env = readEnv({});
  const result = composeServices(
    SUBGRAPHS.map((name) => ({ name, url: `${serviceUrls(env, name)[0]}/graphql`, typeDefs: parse(subgraphSdl(name)) })),
  );
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  return `${result.supergraphSdl.trimEnd()}\n`;
}

if (require.main === module) {
  writeFileSync(SUPERGRAPH_FILE, composeSupergraph());
  console.log(`wrote ${SUPERGRAPH_FILE}`);
}
