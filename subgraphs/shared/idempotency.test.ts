import { requestHash } from './idempotency';

// Hashes are stored beside every key and compared with later retries, so the encoding is pinned.
test("the hash of a request's content is the SHA-256 of its JSON, in hex", () => {
  expect(requestHash({ patientId: '350100-01K', purpose: 'PHARMACY', inScopeFen: 80000 })).toBe(
    '04aa7d8ae1749e8bd4e7c898a22570bf9861cd6437ff215863af66c546f8c454',
  );
});

test('other content, another hash', () => {
  expect(requestHash({ patientId: '350100-01K', purpose: 'PHARMACY', inScopeFen: 80001 })).not.toBe(
    requestHash({ patientId: '350100-01K', purpose: 'PHARMACY', inScopeFen: 80000 }),
  );
});
