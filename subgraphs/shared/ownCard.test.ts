import { ownCardRefusal, type PresentedCard } from './ownCard';

const holder = (holderId: string | null, suspended = false): PresentedCard => ({ presented: true, holderId, suspended });

test.each([
  ['no card', { presented: false, holderId: null, suspended: false }, ['p1'], 'CREDENTIAL_REQUIRED'],
  ['an unknown or revoked card', holder(null), ['p1'], 'CREDENTIAL_INVALID'],
  ['a suspended card, even for its own holder', holder('p1', true), ['p1'], 'CREDENTIAL_SUSPENDED'],
  ["another person's card", holder('p2'), ['p1'], 'CREDENTIAL_MISMATCH'],
  ['two patients, one of them the holder', holder('p1'), ['p1', 'p2'], 'CREDENTIAL_MISMATCH'],
  ["the patient's own card", holder('p1'), ['p1'], null],
  ['the same patient named twice', holder('p1'), ['p1', 'p1'], null],
])('%s', (_name, card, claimed, refusal) => {
  expect(ownCardRefusal(card, claimed)).toBe(refusal);
});
