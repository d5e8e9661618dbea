import type { Identity } from '../../shared/identity';
import { directView, referenceView } from './visibility';

const person = { id: '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P', regionCode: '350100' };
const as = (identity: Partial<Identity>): Identity => ({ role: null, requestId: 'r', ...identity });

test.each<[string, Identity, string, string]>([
  ['ADMIN of all regions', as({ role: 'ADMIN' }), 'FULL', 'FULL'],
  ['ADMIN of the region', as({ role: 'ADMIN', region: '350100' }), 'FULL', 'FULL'],
  ['ADMIN of another region', as({ role: 'ADMIN', region: '430700' }), 'NONE', 'RELATIVE'],
  ['the person himself', as({ role: 'INSURED', personId: person.id }), 'FULL', 'FULL'],
  ['another insured person', as({ role: 'INSURED', personId: '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0Q' }), 'NONE', 'RELATIVE'],
  ['the counter presenting his credential', as({ role: 'TERMINAL', institutionId: 'H1', credentialHolderId: person.id }), 'FULL', 'FULL'],
  ['a counter without his credential', as({ role: 'TERMINAL', institutionId: 'H1' }), 'NONE', 'RELATIVE'],
  ['an analyst', as({ role: 'ANALYST' }), 'NONE', 'NONE'],
  ['a partner', as({ role: 'PARTNER', partnerCode: 'HS' }), 'NONE', 'RELATIVE'],
  ['anonymous', as({}), 'NONE', 'NONE'],
])('%s: direct %s, through a record %s', (_name, identity, direct, reference) => {
  expect(directView(identity, person)).toBe(direct);
  expect(referenceView(identity, person)).toBe(reference);
});
