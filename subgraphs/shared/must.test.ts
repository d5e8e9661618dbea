import { DomainError } from './errors';
import { must } from './must';

test.each([0, '', false, [], 'ACTIVE'])('keeps a present value, falsy ones included: %p', (value) => {
  expect(must(value, 'present')).toBe(value);
});

test.each([null, undefined])('throws a bug, not an outcome, saying which promise broke: %p', (value) => {
  expect(() => must(value, 'every stored id names its region')).toThrow('Invariant broken: every stored id names its region');
  expect(() => must(value, 'why')).not.toThrow(DomainError);
});
