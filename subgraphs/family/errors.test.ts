import { catalogueProblems, type Samples } from '../shared/testing/catalogue';
import { FamilyError } from './errors';

const SAMPLES: Samples<typeof FamilyError> = {
  bindingNotFound: ['430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0B'],
  authorizerNotFound: ['430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0A'],
  beneficiaryNotFound: ['430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0C'],
  relationshipNotAllowed: ['532300', 'SIBLING', ['SPOUSE', 'PARENT', 'CHILD']],
  crossProvinceNotOpen: ['430700', '350100'],
  bindingNotPending: ['ACTIVE'],
  bindingNotOpen: ['REVOKED'],
  bindingNotAwaitingConsent: ['ACTIVE'],
  matchAttemptsExhausted: [60],
};

test('every outcome has a known code, Chinese and English, printable, and a message of its own', () => {
  expect(catalogueProblems(FamilyError, SAMPLES)).toEqual([]);
});
