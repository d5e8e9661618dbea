import { newCredentialToken, newId, provinceOfRegion, regionOfCredentialToken, regionOfId, regionOfKnownId } from './ids';

test('ids start with their region and route back to it', () => {
  const id = newId('350100');
  expect(id).toMatch(/^350100-[0-9A-Z]{26}$/);
  expect(regionOfId(id)).toBe('350100');
  expect(provinceOfRegion(regionOfKnownId(id))).toBe('35');
});

test('ids made in one process sort in creation order', () => {
  const ids = Array.from({ length: 1000 }, () => newId('430700'));
  expect([...ids].sort()).toEqual(ids);
});

test.each([['430700-'], ['43070-01ARZ3NDEKTSV4RRFFQ69G5FAV'], ['x'], [''], ['430700-01ARZ3NDEKTSV4RRFFQ69G5FA!']])(
  'a foreign id %j has no region',
  (id) => {
    expect(regionOfId(id)).toBeNull();
    // Where the system's own invariant says the id is ours, a foreign one is a bug, not "unknown".
    expect(() => regionOfKnownId(id)).toThrow('Invariant broken');
  },
);

test('credential tokens route by region and carry 256 random bits', () => {
  const token = newCredentialToken('650100');
  expect(regionOfCredentialToken(token)).toBe('650100');
  expect(newCredentialToken('650100')).not.toBe(token);
  expect(regionOfCredentialToken('650100.short')).toBeNull();
});

test('a malformed region code is refused', () => {
  expect(() => newId('43070')).toThrow();
});
