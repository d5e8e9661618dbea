import { claimAt, mapClaims } from './claimMapping';
import { OWN_CLAIM_NAMES } from './tokenSettings';

const KEYCLOAK = { ...OWN_CLAIM_NAMES, role: 'realm_access.roles', personId: 'person_id' };

test('a claim of that exact name comes first, then the dotted path; only own properties are read', () => {
  const payload = { 'https://ybj.example/role': 'ADMIN', realm_access: { roles: ['x'] }, a: { b: { c: 'deep' } } };
  expect(claimAt(payload, 'https://ybj.example/role')).toBe('ADMIN');
  expect(claimAt(payload, 'realm_access.roles')).toEqual(['x']);
  expect(claimAt(payload, 'a.b.c')).toBe('deep');
  expect(claimAt(payload, 'a.b.c.d')).toBeUndefined();
  expect(claimAt(payload, 'missing.path')).toBeUndefined();
  expect(claimAt(payload, 'constructor')).toBeUndefined();
  expect(claimAt(payload, 'a.__proto__')).toBeUndefined();
  expect(claimAt({ list: ['ADMIN'] }, 'list.0')).toBeUndefined();
});

test('our own token format: every claim a string under its own name', () => {
  expect(mapClaims({ sub: 'u', role: 'INSURED', personId: '350100-01J', other: 7 }, OWN_CLAIM_NAMES)).toEqual({
    claims: { role: 'INSURED', personId: '350100-01J' },
  });
  expect(mapClaims({ sub: 'u', role: ['ADMIN'] }, OWN_CLAIM_NAMES)).toEqual({ broken: 'claim role must be a string' });
});

test('a Keycloak token: the first of our roles in realm_access.roles, the person from person_id', () => {
  const token = {
    sub: 'f:1',
    realm_access: { roles: ['offline_access', 'default-roles-ybj', 'INSURED', 'ADMIN'] },
    person_id: '350100-01J',
    personId: 'ignored',
  };
  expect(mapClaims(token, KEYCLOAK)).toEqual({ claims: { role: 'INSURED', personId: '350100-01J' } });
  expect(mapClaims({ sub: 'f:1', realm_access: { roles: 'TERMINAL' } }, KEYCLOAK)).toEqual({ claims: { role: 'TERMINAL' } });
});

test.each<[string, Record<string, unknown>, string]>([
  ['none of our roles', { realm_access: { roles: ['offline_access', 'admin'] } }, 'claim realm_access.roles names none of the roles'],
  [
    'a role list with a non-string',
    { realm_access: { roles: ['ADMIN', { role: 'ADMIN' }] } },
    'claim realm_access.roles must be a list of strings',
  ],
  ['a role as a number', { realm_access: { roles: 1 } }, 'claim realm_access.roles must be a string'],
  ['a mapped person id as a list', { realm_access: { roles: ['INSURED'] }, person_id: ['350100-01J'] }, 'claim person_id must be a string'],
  ['sub as a number', { sub: 7, realm_access: { roles: ['ADMIN'] } }, 'claim sub must be a string'],
])('refuses %s, naming the claim as the token names it', (_name, payload, broken) => {
  const mapped = mapClaims(payload, KEYCLOAK);
  expect('broken' in mapped && mapped.broken).toMatch(new RegExp(`^${broken.replace(/\./g, '\\.')}`));
});
