import type { Identity } from '../../shared/identity';
import { canListSettlementsOf, canReadProduct, canSeeSettlement } from './visibility';

const settlement = { institutionId: 'H1', patientId: '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0A', payments: [{ accountId: '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0B' }] };
const as = (identity: Partial<Identity>): Identity => ({ role: null, requestId: 'r', ...identity });

test.each<[string, Identity, boolean]>([
  ['the counter of the institution', as({ role: 'TERMINAL', institutionId: 'H1' }), true],
  ['another institution\'s counter', as({ role: 'TERMINAL', institutionId: 'H2' }), false],
  ['the patient', as({ role: 'INSURED', personId: settlement.patientId }), true],
  ['the authorizer who paid', as({ role: 'INSURED', personId: settlement.payments[0].accountId }), true],
  ['another insured person', as({ role: 'INSURED', personId: '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0C' }), false],
  ['ADMIN of the patient\'s region', as({ role: 'ADMIN', region: '350100' }), true],
  ['ADMIN of another region', as({ role: 'ADMIN', region: '650100' }), false],
  ['an analyst', as({ role: 'ANALYST' }), false],
  ['a partner', as({ role: 'PARTNER', partnerCode: 'H' }), false],
])('%s: %p', (_name, identity, expected) => {
  expect(canSeeSettlement(identity, settlement)).toBe(expected);
});

test('a patient\'s list is for himself and an ADMIN of his region', () => {
  expect(canListSettlementsOf(as({ role: 'INSURED', personId: settlement.patientId }), settlement.patientId)).toBe(true);
  expect(canListSettlementsOf(as({ role: 'INSURED', personId: settlement.payments[0].accountId }), settlement.patientId)).toBe(false);
  expect(canListSettlementsOf(as({ role: 'TERMINAL', institutionId: 'H1' }), settlement.patientId)).toBe(false);
});

test.each<[string, Identity, string, boolean]>([
  ['own product', as({ role: 'PARTNER', partnerCode: 'HSHMB' }), 'HSHMB-2026', true],
  ['another partner\'s product', as({ role: 'PARTNER', partnerCode: 'HSHMB' }), 'FZHMB-2026', false],
  ['a prefix of its code only', as({ role: 'PARTNER', partnerCode: 'HSHMB' }), 'HSH', false],
  ['ADMIN', as({ role: 'ADMIN' }), 'FZHMB-2026', true],
  ['ANALYST', as({ role: 'ANALYST' }), 'HSHMB-2026', false],
])('premium product: %s', (_name, identity, code, expected) => {
  expect(canReadProduct(identity, code)).toBe(expected);
});
