import { readFileSync } from 'node:fs';
import { TRUSTED_DOCUMENTS, trustedDocumentsJson } from './trustedDocuments';

test('config/trusted-documents.json is what config/counter-operations.graphql gives (run `npm run trusted-documents` if not)', () => {
  expect(readFileSync(TRUSTED_DOCUMENTS, 'utf8')).toBe(trustedDocumentsJson());
});
