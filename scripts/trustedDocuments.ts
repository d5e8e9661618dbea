import { writeFileSync } from 'node:fs';
import { manifestFromGraphQL } from '../gateway/guard/trustedDocuments';
import { projectFile } from '../subgraphs/shared/policy/config';

/** `npm run trusted-documents`: writes config/trusted-documents.json from config/counter-operations.graphql. */
export const COUNTER_OPERATIONS = projectFile('config/counter-operations.graphql');
export const TRUSTED_DOCUMENTS = projectFile('config/trusted-documents.json');

export function trustedDocumentsJson(): string {
  return `${JSON.stringify(manifestFromGraphQL(COUNTER_OPERATIONS), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(TRUSTED_DOCUMENTS, trustedDocumentsJson());
  console.log(`wrote ${TRUSTED_DOCUMENTS}`);
}
