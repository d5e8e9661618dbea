import { catalogueProblems, type Samples } from '../shared/testing/catalogue';
import { AccountsError } from './errors';

const SAMPLES: Samples<typeof AccountsError> = {
  personNotFound: ['350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P'],
  credentialNotFound: ['350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0C'],
  policyInvalid: ['allowedPurposes', 'Duplicate purpose'],
  policyTooSoon: [2000],
  policyNotAfterLast: [3, new Date('2026-12-01T00:00:00.000Z')],
  accountNotFound: ['430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0A'],
  balanceCeiling: [1_000_000_000_000],
  transferNotFound: ['430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0T'],
  pendingNotFound: ['430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0H'],
};

test('every outcome has a known code, Chinese and English, printable, and a message of its own', () => {
  expect(catalogueProblems(AccountsError, SAMPLES)).toEqual([]);
});
