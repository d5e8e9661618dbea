import type { Identity } from '../../shared/identity';
import { canSeeBinding, canSeeBindingsOf, canSeeBindingThroughRecord, canSeeHistory } from './visibility';

const binding = { authorizerId: '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0A', beneficiaryId: '650100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0B' };
const as = (identity: Partial<Identity>): Identity => ({ role: null, requestId: 'r', ...identity });

test.each<[string, Identity, boolean, boolean]>([
  ['the authorizer', as({ role: 'INSURED', personId: binding.authorizerId }), true, false],
  ['the beneficiary', as({ role: 'INSURED', personId: binding.beneficiaryId }), true, false],
  ['another insured person', as({ role: 'INSURED', personId: '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0C' }), false, false],
  ['ADMIN of all regions', as({ role: 'ADMIN' }), true, true],
  ["ADMIN of the authorizer's region", as({ role: 'ADMIN', region: '350100' }), true, true],
  ["ADMIN of the beneficiary's region", as({ role: 'ADMIN', region: '650100' }), true, true],
  ['ADMIN of a third region', as({ role: 'ADMIN', region: '430700' }), false, false],
  ['an analyst', as({ role: 'ANALYST' }), false, false],
  ['a partner', as({ role: 'PARTNER', partnerCode: 'HS' }), false, false],
  ['a counter', as({ role: 'TERMINAL', institutionId: 'H1' }), false, false],
  ['anonymous', as({}), false, false],
])('%s: binding %p, history %p', (_name, identity, binding_, history) => {
  expect(canSeeBinding(identity, binding)).toBe(binding_);
  expect(canSeeHistory(identity, binding)).toBe(history);
});

test("a person's list is for himself and an ADMIN of his region", () => {
  expect(canSeeBindingsOf(as({ role: 'INSURED', personId: binding.authorizerId }), binding.authorizerId)).toBe(true);
  expect(canSeeBindingsOf(as({ role: 'INSURED', personId: binding.beneficiaryId }), binding.authorizerId)).toBe(false);
  expect(canSeeBindingsOf(as({ role: 'ADMIN', region: '350100' }), binding.authorizerId)).toBe(true);
  expect(canSeeBindingsOf(as({ role: 'ADMIN', region: '650100' }), binding.authorizerId)).toBe(false);
});

test('through a settlement a counter and any ADMIN see the binding; analysts and strangers do not', () => {
  expect(canSeeBindingThroughRecord(as({ role: 'TERMINAL', institutionId: 'H1' }), binding)).toBe(true);
  expect(canSeeBindingThroughRecord(as({ role: 'ADMIN', region: '430700' }), binding)).toBe(true);
  expect(canSeeBindingThroughRecord(as({ role: 'INSURED', personId: binding.beneficiaryId }), binding)).toBe(true);
  expect(canSeeBindingThroughRecord(as({ role: 'INSURED', personId: '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0C' }), binding)).toBe(false);
  expect(canSeeBindingThroughRecord(as({ role: 'ANALYST' }), binding)).toBe(false);
});
