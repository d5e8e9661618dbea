import { Authenticator, checkTokenRules, issueToken } from './auth';
import { tokenKeys } from './tokenKeys';
import { tokenSettings } from './tokenSettings';
import { readEnv } from '../subgraphs/shared/env';

/** An authenticator configured as the gateway is from this environment. */
function authenticatorFor(env: NodeJS.ProcessEnv): Authenticator {
  const settings = tokenSettings(readEnv(env));
  return new Authenticator(settings, tokenKeys(settings));
}
const SECRET = 'unit-test-secret-0123456789abcdef';

const NOW_S = 1_800_000_000;
const HOUR_S = 3600;

test.each<[string, Record<string, unknown>, string | null]>([
  ['a 24 h token', { sub: 'u', role: 'ADMIN', iat: NOW_S, exp: NOW_S + 24 * HOUR_S }, null],
  ['one second longer', { sub: 'u', role: 'ADMIN', iat: NOW_S, exp: NOW_S + 24 * HOUR_S + 1 }, 'lifetime exp - iat exceeds 24 h'],
  ['100 years', { sub: 'u', role: 'ADMIN', iat: NOW_S, exp: NOW_S + 100 * 365 * 24 * HOUR_S }, 'lifetime exp - iat exceeds 24 h'],
  ['issued 60 s ahead', { sub: 'u', role: 'ADMIN', iat: NOW_S + 60, exp: NOW_S + 600 }, null],
  ['issued 61 s ahead', { sub: 'u', role: 'ADMIN', iat: NOW_S + 61, exp: NOW_S + 600 }, 'iat lies more than 60 s in the future'],
  ['sub as an object', { sub: { id: 'u' }, role: 'ADMIN', iat: NOW_S, exp: NOW_S + 60 }, 'claim sub must be a string'],
  ['role as a list', { sub: 'u', role: ['ADMIN'], iat: NOW_S, exp: NOW_S + 60 }, 'claim role must be a string'],
  ['personId as a number', { sub: 'u', role: 'INSURED', personId: 7, iat: NOW_S, exp: NOW_S + 60 }, 'claim personId must be a string'],
  [
    'institutionId as null',
    { sub: 'u', role: 'TERMINAL', institutionId: null, iat: NOW_S, exp: NOW_S + 60 },
    'claim institutionId must be a string',
  ],
  ['region as a number', { sub: 'u', role: 'ADMIN', region: 350100, iat: NOW_S, exp: NOW_S + 60 }, 'claim region must be a string'],
  [
    'partnerCode as an object on any role',
    { sub: 'u', role: 'ANALYST', partnerCode: {}, iat: NOW_S, exp: NOW_S + 60 },
    'claim partnerCode must be a string',
  ],
])('%s', (_name, payload, broken) => {
  const checked = checkTokenRules(payload, 24, NOW_S);
  expect('broken' in checked ? checked.broken : null).toBe(broken);
});

test('the lifetime limit follows TOKEN_MAX_LIFETIME_HOURS', () => {
  expect(checkTokenRules({ sub: 'u', role: 'ADMIN', iat: NOW_S, exp: NOW_S + 2 * HOUR_S }, 1, NOW_S)).toEqual({
    broken: 'lifetime exp - iat exceeds 1 h',
  });
  expect(checkTokenRules({ sub: 'u', role: 'ADMIN', iat: NOW_S, exp: NOW_S + HOUR_S }, 1, NOW_S)).toEqual({ claims: { role: 'ADMIN' } });
});

test('issueToken mints what authenticate accepts', async () => {
  const authenticator = authenticatorFor({ JWT_SECRET: SECRET });
  const token = await issueToken({ sub: 'u', role: 'TERMINAL', institutionId: 'H1' }, SECRET, 24 * HOUR_S);
  expect(await authenticator.authenticate(`Bearer ${token}`, 'r')).toEqual({
    sub: 'u',
    role: 'TERMINAL',
    institutionId: 'H1',
    requestId: 'r',
  });
  const tooLong = await issueToken({ sub: 'u', role: 'ANALYST' }, SECRET, 24 * HOUR_S + 1);
  await expect(authenticator.authenticate(`Bearer ${tooLong}`, 'r')).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
});

test('a remembered token is still refused once it expires, and a refused one is never remembered', async () => {
  const authenticator = authenticatorFor({ JWT_SECRET: SECRET });
  const token = await issueToken({ sub: 'u', role: 'ADMIN' }, SECRET, 60);
  const issuedAt = new Date();
  expect(await authenticator.authenticate(`Bearer ${token}`, 'first', issuedAt)).toMatchObject({ role: 'ADMIN', requestId: 'first' });
  expect(await authenticator.authenticate(`Bearer ${token}`, 'again', issuedAt)).toMatchObject({ role: 'ADMIN', requestId: 'again' });
  const afterExpiry = new Date(issuedAt.getTime() + 61_000);
  await expect(authenticator.authenticate(`Bearer ${token}`, 'late', afterExpiry)).rejects.toMatchObject({
    status: 401,
    message: expect.stringContaining('expired'),
  });
  const forged = `${token.slice(0, -2)}xx`;
  await expect(authenticator.authenticate(`Bearer ${forged}`, 'r', issuedAt)).rejects.toMatchObject({ status: 401 });
  await expect(authenticator.authenticate(`Bearer ${forged}`, 'r', issuedAt)).rejects.toMatchObject({ status: 401 });
});
