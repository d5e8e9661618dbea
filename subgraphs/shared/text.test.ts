import { checkIdempotencyKey, textProblem } from './text';

test.each<[string, string, 'ID' | 'String', RegExp | null]>([
  ['input.name', '张三', 'String', null],
  ['input.name', '张'.repeat(50), 'String', null],
  ['input.name', '张'.repeat(51), 'String', /input\.name must be at most 50 characters/],
  // 50 characters outside the BMP are 100 UTF-16 units and still a valid name.
  ['input.name', '𠮷'.repeat(50), 'String', null],
  ['input.name', 'a\u0000b', 'String', /input\.name contains the control character U\+0000/],
  ['input.name', 'tab\there', 'String', /U\+0009/],
  ['input.name', 'del\u007f', 'String', /U\+007F/],
  ['input.name', 'unit\u001fseparator', 'String', /U\+001F/],
  ['input.name', 'first\u0007then\u0000', 'String', /U\+0007;/],
  // U+0080 and above are text (DESIGN.md names U+0000–U+001F and U+007F only).
  ['input.name', 'c1\u0080\u009f', 'String', null],
  ['input.name', 'Zoë · 阿依古丽', 'String', null],
  ['input.beneficiaryName', '张'.repeat(51), 'String', /at most 50/],
  ['note', 'x'.repeat(500), 'String', null],
  ['note', 'x'.repeat(501), 'String', /note must be at most 500/],
  ['input.memo', 'x'.repeat(201), 'String', /at most 200/],
  ['input.evidence[3]', 'x'.repeat(201), 'String', /input\.evidence\[3\] must be at most 200/],
  ['input.idempotencyKey', 'k'.repeat(128), 'String', null],
  ['input.idempotencyKey', 'k'.repeat(129), 'String', /at most 128/],
  ['input.idempotencyKey', '交易-1', 'String', /visible ASCII/],
  ['input.idempotencyKey', 'a b', 'String', /visible ASCII/],
  ['input.institutionId', 'H'.repeat(65), 'String', /at most 64/],
  ['token', `430700.${'A'.repeat(43)}`, 'String', null],
  ['personId', 'x'.repeat(65), 'ID', /personId must be at most 64/],
  ['after', 'x'.repeat(200), 'String', null],
  ['after', 'x'.repeat(201), 'String', /at most 200/],
])('%s = %j (%s)', (path, value, type, expected) => {
  const problem = textProblem(path, value, type);
  if (expected === null) expect(problem).toBeNull();
  else expect(problem?.en).toMatch(expected);
});

test('every refusal is a bilingual BAD_USER_INPUT naming the field', () => {
  expect(textProblem('input.name', '\u0000')).toEqual({
    code: 'BAD_USER_INPUT',
    zh: 'input.name 含有控制字符 U+0000',
    en: expect.stringContaining('input.name'),
  });
});

test('an idempotency key is not empty', () => {
  expect(() => checkIdempotencyKey('input.idempotencyKey', '')).toThrow(/must not be empty/);
  expect(() => checkIdempotencyKey('input.idempotencyKey', 'k-1')).not.toThrow();
});
