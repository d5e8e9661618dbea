import { signIdentity, signServiceCall, verifyIdentity, verifyServiceCall, type Identity } from './identity';

const admin: Identity = { role: 'ADMIN', sub: 'u1', region: '350100', requestId: 'r1' };

test('a signed identity verifies with the same secret only', () => {
  const headers = signIdentity(admin, 'secret');
  expect(verifyIdentity(headers['x-identity'], headers['x-identity-signature'], 'secret')).toEqual(admin);
  expect(verifyIdentity(headers['x-identity'], headers['x-identity-signature'], 'other')).toBeNull();
});

test('a tampered, unsigned or expired identity is refused', () => {
  const headers = signIdentity(admin, 'secret', 1_000);
  const forged = Buffer.from(JSON.stringify({ ...admin, region: undefined, exp: 99_999 })).toString('base64url');
  expect(verifyIdentity(forged, headers['x-identity-signature'], 'secret', 2_000)).toBeNull();
  expect(verifyIdentity(headers['x-identity'], undefined, 'secret', 2_000)).toBeNull();
  expect(verifyIdentity(headers['x-identity'], headers['x-identity-signature'], 'secret', 2_000)).toEqual(admin);
  expect(verifyIdentity(headers['x-identity'], headers['x-identity-signature'], 'secret', 100_000)).toBeNull();
});

test('a service call signature covers path and body and expires', () => {
  const header = signServiceCall('/internal/ledger/debit', '{"a":1}', 's', 5_000);
  expect(verifyServiceCall('/internal/ledger/debit', '{"a":1}', header, 's', 5_000)).toBe(true);
  expect(verifyServiceCall('/internal/ledger/debit', '{"a":2}', header, 's', 5_000)).toBe(false);
  expect(verifyServiceCall('/internal/ledger/reverse', '{"a":1}', header, 's', 5_000)).toBe(false);
  expect(verifyServiceCall('/internal/ledger/debit', '{"a":1}', header, 's', 500_000)).toBe(false);
  expect(verifyServiceCall('/internal/ledger/debit', '{"a":1}', undefined, 's', 5_000)).toBe(false);
});
