import { operationLabel } from './observability';

const REGISTERED = new Set(['Settle', 'Patient']);

test.each([
  ['a registered operation', 'Settle', 'Settle'],
  ['its part planned for a subgraph', 'Settle__accounts__0', 'Settle'],
  ['a later part', 'Patient__settlements__12', 'Patient'],
  ['no name', undefined, 'anonymous'],
  ['an empty name', '', 'anonymous'],
  ['a made-up name', 'Flood1', 'other'],
  ['a made-up name planned for a subgraph', 'Flood1__accounts__0', 'other'],
  ['a registered name with something else after it', 'Settle__x', 'other'],
  ['a registered name as prefix', 'SettleMore', 'other'],
  ['a 50 KB name', `Settle__${'a_'.repeat(25_000)}__x`, 'other'],
])('%s: %s → %s', (_case, name, label) => {
  expect(operationLabel(name, REGISTERED)).toBe(label);
});
