import { loadRegionsConfig } from '../../shared/policy/config';
import { bindingRefusal, type BindingRequest, type Party } from './eligibility';

const book = loadRegionsConfig(undefined);
const now = new Date();

function party(id: string, regionCode: string, overrides: Partial<Party> = {}): Party {
  return {
    id,
    regionCode,
    provinceCode: regionCode.slice(0, 2),
    scheme: 'EMPLOYEE',
    status: 'ACTIVE',
    hasPersonalAccount: true,
    ...overrides,
  };
}

function request(authorizerRegion: string, beneficiaryRegion: string, overrides: Partial<BindingRequest> = {}): BindingRequest {
  return {
    authorizer: party('a', authorizerRegion),
    beneficiary: party('b', beneficiaryRegion, { scheme: 'RESIDENT', hasPersonalAccount: false }),
    relationship: 'PARENT',
    commitmentAccepted: true,
    evidence: ['户口簿-001'],
    authorizerPolicy: book.knownPolicyAt(authorizerRegion, now),
    beneficiaryPolicy: book.knownPolicyAt(beneficiaryRegion, now),
    ...overrides,
  };
}

test.each<[string, BindingRequest, string | null]>([
  ['a parent in 430700', request('430700', '430700'), null],
  ['a sibling in 430700 (all near relatives)', request('430700', '430100', { relationship: 'SIBLING' }), null],
  ['a grandchild in 430100', request('430100', '430700', { relationship: 'MATERNAL_GRANDCHILD' }), null],
  [
    'a sibling in 532300 (spouse, parents, children only)',
    request('532300', '532300', { relationship: 'SIBLING' }),
    'RELATIONSHIP_NOT_ALLOWED',
  ],
  ['a grandparent in 350100', request('350100', '350100', { relationship: 'PATERNAL_GRANDPARENT' }), 'RELATIONSHIP_NOT_ALLOWED'],
  ['430700 -> 532300 across provinces', request('430700', '532300'), 'CROSS_PROVINCE_NOT_ALLOWED'],
  ['350100 -> 650100 across provinces (both allow)', request('350100', '650100'), null],
  ['650100 -> 350100 across provinces (both allow)', request('650100', '350100', { evidence: [] }), null],
  ['350100 -> 430700 (only one side allows)', request('350100', '430700'), 'CROSS_PROVINCE_NOT_ALLOWED'],
  [
    'a resident authorizer',
    request('430700', '430700', { authorizer: party('a', '430700', { scheme: 'RESIDENT', hasPersonalAccount: false }) }),
    'NOT_ELIGIBLE',
  ],
  [
    'an employee without an account',
    request('430700', '430700', { authorizer: party('a', '430700', { hasPersonalAccount: false }) }),
    'NOT_ELIGIBLE',
  ],
  ['a suspended authorizer', request('430700', '430700', { authorizer: party('a', '430700', { status: 'SUSPENDED' }) }), 'NOT_INSURED'],
  ['a terminated beneficiary', request('430700', '430700', { beneficiary: party('b', '430700', { status: 'TERMINATED' }) }), 'NOT_INSURED'],
  ['binding oneself', request('430700', '430700', { beneficiary: party('a', '430700') }), 'BAD_USER_INPUT'],
  ['no commitment letter', request('430700', '430700', { commitmentAccepted: false }), 'BAD_USER_INPUT'],
  ['no evidence where the region reviews (350100)', request('350100', '350100', { evidence: [] }), 'BAD_USER_INPUT'],
  ['no evidence where the region does not review (532300)', request('532300', '532300', { evidence: [] }), null],
])('%s -> %s', (_name, given, code) => {
  expect(bindingRefusal(given)?.code ?? null).toBe(code);
});

test('a refusal tells the user what is allowed, in Chinese and English', () => {
  const refusal = bindingRefusal(request('532300', '532300', { relationship: 'SIBLING' }));
  expect(refusal?.zh).toContain('配偶、父母、子女');
  expect(refusal?.en).toContain('SPOUSE, PARENT, CHILD');
});
