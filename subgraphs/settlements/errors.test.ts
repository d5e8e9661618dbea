import { catalogueProblems, type Samples } from '../shared/testing/catalogue';
import { SettlementsError } from './errors';

const SAMPLES: Samples<typeof SettlementsError> = {
  settlementNotFound: ['350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0S'],
  patientNotFound: ['350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P'],
  refundLaterFirst: [['350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0Z', '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0Y']],
  payerNotFound: ['650100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0A'],
  beneficiaryNotFound: ['650100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0B'],
  payerRefusedByRule: ['PURPOSE_NOT_ALLOWED', { zh: '430700 不允许用途 VACCINE', en: 'Purpose VACCINE not allowed in 430700' }],
  productNotRegistered: ['HSHMB-2030'],
  partnerProductPurpose: ['HSHMB-2026'],
  productRegionNotAllowed: ['HSHMB-2026', '350100'],
  premiumAlreadyPaid: ['650100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0C'],
  premiumNotFound: ['650100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0D'],
  productAlreadyRegistered: ['HSHMB-2026'],
  productInvalid: ['input.year', 'from 2000 to 2100'],
  groupByRepeated: ['MONTH'],
  periodTooLong: [366],
};

test('every outcome has a known code, Chinese and English, printable, and a message of its own', () => {
  expect(catalogueProblems(SettlementsError, SAMPLES)).toEqual([]);
});
