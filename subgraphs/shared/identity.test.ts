import { signIdentity, signServiceCall, verifyIdentity, verifyServiceCall, type Identity } from './identity';

const admin: Identity = { role: 'ADMIN', sub: 'u1', region: '350100', requestId: 'r1' };
const request = { audience: 'accounts', body: '{"query":"{ regions { code } }"}' };

test('a signed identity verifies with the same secret only', () => {
  const headers = signIdentity(admin, request, 'secret');
  expect(verifyIdentity(headers['x-identity'], headers['x-identity-signature'], request, 'secret')).toEqual(admin);
  expect(verifyIdentity(headers['x-identity'], headers['x-identity-signature'], request, 'other')).toBeNull();
});

test('a tampered, unsigned or expired identity is refused', () => {
  const headers = signIdentity(admin, request, 'secret', 1_000);
  const forged = Buffer.from(JSON.stringify({ ...admin, region: undefined, exp: 99_999 })).toString('base64url');
  expect(verifyIdentity(forged, headers['x-identity-signature'], request, 'secret', 2_000)).toBeNull();
  expect(verifyIdentity(headers['x-identity'], undefined, request, 'secret', 2_000)).toBeNull();
  expect(verifyIdentity(headers['x-identity'], headers['x-identity-signature'], request, 'secret', 2_000)).toEqual(admin);
  expect(verifyIdentity(headers['x-identity'], headers['x-identity-signature'], request, 'secret', 100_000)).toBeNull();
});

test('a signed identity is bound to its subgraph and to the exact body', () => {
  const headers = signIdentity(admin, request, 'secret');
  const check = (other: { audience: string; body: string | Buffer }) =>
    verifyIdentity(headers['x-identity'], headers['x-identity-signature'], other, 'secret');
  expect(check({ audience: 'family', body: request.body })).toBeNull();
  expect(check({ audience: 'accounts', body: `${request.body} ` })).toBeNull();
  expect(check({ audience: 'accounts', body: '' })).toBeNull();
  // The same bytes, as text or as a buffer, are the same body.
  expect(check({ audience: 'accounts', body: Buffer.from(request.body) })).toEqual(admin);
  const chinese = { audience: 'accounts', body: '{"variables":{"name":"张三"}}' };
  const signed = signIdentity(admin, chinese, 'secret');
  expect(
    verifyIdentity(signed['x-identity'], signed['x-identity-signature'], { ...chinese, body: Buffer.from(chinese.body, 'utf8') }, 'secret'),
  ).toEqual(admin);
});

test('a service call signature covers path and body and expires', () => {
  const header = signServiceCall('/internal/ledger/debit', '{"a":1}', 's', 5_000);
  expect(verifyServiceCall('/internal/ledger/debit', '{"a":1}', header, 's', 5_000)).toBe(true);
  expect(verifyServiceCall('/internal/ledger/debit', '{"a":2}', header, 's', 5_000)).toBe(false);
  expect(verifyServiceCall('/internal/ledger/reverse', '{"a":1}', header, 's', 5_000)).toBe(false);
  expect(verifyServiceCall('/internal/ledger/debit', '{"a":1}', header, 's', 500_000)).toBe(false);
  expect(verifyServiceCall('/internal/ledger/debit', '{"a":1}', undefined, 's', 5_000)).toBe(false);
});
