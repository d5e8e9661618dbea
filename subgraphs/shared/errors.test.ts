import { ERROR_CODES, HTTP_STATUS, maskError, messageOf, SharedError } from './errors';
import { CARD_REFUSALS } from './ownCard';
import { catalogueProblems, outcomeProblems, repeatedMessages, SHARED_SAMPLES } from './testing/catalogue';

test('every shared outcome has a known code, Chinese and English, printable, and a message of its own', () => {
  expect(catalogueProblems(SharedError, SHARED_SAMPLES)).toEqual([]);
});

test.each([
  ['an unknown code', { code: 'TEAPOT', zh: '茶壶', en: 'Teapot' }, ['unknown code TEAPOT']],
  ['an empty half', { code: 'NOT_FOUND', zh: '', en: 'Gone' }, ['zh is empty or padded', 'zh has no Chinese']],
  ['a padded half', { code: 'NOT_FOUND', zh: '不存在', en: 'Gone ' }, ['en is empty or padded']],
  [
    'a control character',
    { code: 'NOT_FOUND', zh: '不存在\n', en: 'Gone\u0007' },
    expect.arrayContaining(['zh has a control character', 'en has a control character']),
  ],
  ['the separator inside a half', { code: 'NOT_FOUND', zh: '不存在 / Gone', en: 'Gone' }, ['zh contains " / "']],
  ['English where Chinese belongs', { code: 'NOT_FOUND', zh: 'Gone', en: 'Gone' }, ['zh has no Chinese']],
  ['Chinese only', { code: 'NOT_FOUND', zh: '不存在', en: '不存在' }, ['en has no English']],
])('an outcome with %s breaks the rules', (_name, outcome, problems) => {
  expect(outcomeProblems(outcome as never)).toEqual(problems);
});

test('two outcomes with one message are found', () => {
  const outcome = SharedError.cursorInvalid;
  expect(
    repeatedMessages([
      ['first', outcome],
      ['other', SharedError.dayMalformed],
      ['second', { ...outcome }],
    ]),
  ).toEqual(['second repeats first']);
});

test('every code has an HTTP status: an error status, or the 200 Apollo answers for PERSISTED_QUERY_NOT_SUPPORTED', () => {
  for (const code of ERROR_CODES) {
    if (code === 'PERSISTED_QUERY_NOT_SUPPORTED') expect(HTTP_STATUS[code]).toBe(200);
    else expect(HTTP_STATUS[code]).toBeGreaterThanOrEqual(400);
  }
});

test('each card refusal is the shared outcome of its own code', () => {
  for (const [code, outcome] of Object.entries(CARD_REFUSALS)) expect(outcome.code).toBe(code);
});

test('an error with no known code reaches the client as SharedError.unexpected, and nothing of it leaks', () => {
  const { masked, unexpected } = maskError({ message: 'ER_NO_SUCH_TABLE at db-3.internal:3306' }, new Error('boom'));
  expect(unexpected).toBe(true);
  expect(masked).toMatchObject({ message: messageOf(SharedError.unexpected), extensions: { code: 'SERVICE_UNAVAILABLE' } });
});
