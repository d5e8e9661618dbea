import { SharedError } from '../subgraphs/shared/errors';
import { catalogueProblems, type Samples } from '../subgraphs/shared/testing/catalogue';
import { GatewayError } from './errors';

const SAMPLES: Samples<typeof GatewayError> = {
  invalidToken: ['expired'],
  rateLimited: [2],
  tooManyMergeComparisons: [1500, 1000],
  tooDeep: [10],
  tooCostly: [5000],
  tooNested: [40],
  noSuchOperation: ['Settle'],
  fieldNeedsToken: ['person'],
  roleMayNotUse: ['ANALYST', 'person'],
  argumentText: ['registerInsured', SharedError.textTooLong('input.name', 50)],
  patientArgumentInvalid: ['Variable "$id" is not a person id'],
  subgraphTimedOut: ['settlements', 10000],
  subgraphUnavailable: ['settlements'],
  devTokenRequest: ['the body must be JSON'],
};

test('every outcome has a known code, Chinese and English, printable, and a message of its own', () => {
  expect(catalogueProblems(GatewayError, SAMPLES)).toEqual([]);
});
