import type { Identity } from '../../shared/identity';
import { isPatientOrHisAdmin, canReadProduct, canSeeSettlement } from './visibility';

const settlement = {
  institutionId: 'H1',
  patientId: '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0A',
  payments: [{ accountId: '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0B' }],
};
const as = (identity: Partial<Identity>): Identity => ({ role: null, requestId: 'r', ...identity });

test.each<[string, Identity, boolean]>([
  ['the counter of the institution', as({ role: 'TERMINAL', institutionId: 'H1' }), true],
  ["another institution's counter", as({ role: 'TERMINAL', institutionId: 'H2' }), false],
  ['the patient', as({ role: 'INSURED', personId: settlement.patientId }), true],
  ['the authorizer who paid', as({ role: 'INSURED', personId: settlement.payments[0].accountId }), true],
  ['another insured person', as({ role: 'INSURED', personId: '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0C' }), false],
  ["ADMIN of the patient's region", as({ role: 'ADMIN', region: '350100' }), true],
  ['ADMIN of another region', as({ role: 'ADMIN', region: '650100' }), false],
  ['an analyst', as({ role: 'ANALYST' }), false],
  ['a partner', as({ role: 'PARTNER', partnerCode: 'H' }), false],
])('%s: %p', (_name, identity, expected) => {
  expect(canSeeSettlement(identity, settlement)).toBe(expected);
});

test("a patient's list is for himself and an ADMIN of his region", () => {
  expect(isPatientOrHisAdmin(as({ role: 'INSURED', personId: settlement.patientId }), settlement.patientId)).toBe(true);
  expect(isPatientOrHisAdmin(as({ role: 'INSURED', personId: settlement.payments[0].accountId }), settlement.patientId)).toBe(false);
  expect(isPatientOrHisAdmin(as({ role: 'TERMINAL', institutionId: 'H1' }), settlement.patientId)).toBe(false);
});

const hongshan = { partnerCode: 'HSHMB' };
test.each<[string, Identity, { partnerCode: string } | null, boolean]>([
  ['its own product', as({ role: 'PARTNER', partnerCode: 'HSHMB' }), hongshan, true],
  ["another partner's product", as({ role: 'PARTNER', partnerCode: 'FZHMB' }), hongshan, false],
  ["a partner whose code is a prefix of the owner's", as({ role: 'PARTNER', partnerCode: 'HS' }), hongshan, false],
  ['an unregistered code', as({ role: 'PARTNER', partnerCode: 'HSHMB' }), null, false],
  ['ADMIN, any code', as({ role: 'ADMIN' }), null, true],
  ['ANALYST', as({ role: 'ANALYST' }), hongshan, false],
])('premium product: %s', (_name, identity, product, expected) => {
  expect(canReadProduct(identity, product)).toBe(expected);
});
