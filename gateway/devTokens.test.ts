import { decodeJwt } from 'jose';
import type { InternalClient } from '../subgraphs/shared/internal';
import { HttpError } from '../subgraphs/shared/server/http';
import { DEV_INSTITUTION_ID, DEV_PARTNER_CODE, DEV_TOKEN_LIFETIME_S, devClaims, mintDevToken } from './devTokens';

const SECRET = 'a-development-secret-of-32-chars!';
const PERSON = '430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P';

/** The accounts internal API as the dev endpoint uses it: one person enrolled under one id number and name. */
function accounts(calls: unknown[] = []): InternalClient {
  return {
    call: async (_contract: unknown, request: { idNumber: string; name: string }) => {
      calls.push(request);
      return { personId: request.idNumber === '43070219740203002X' && request.name === '王秀兰' ? PERSON : null };
    },
  } as unknown as InternalClient;
}

test('each role gets the claims of the demo data', () => {
  expect(devClaims('TERMINAL', null)).toEqual({ role: 'TERMINAL', sub: 'explorer-dev-terminal', institutionId: DEV_INSTITUTION_ID });
  expect(devClaims('PARTNER', null)).toEqual({ role: 'PARTNER', sub: 'explorer-dev-partner', partnerCode: DEV_PARTNER_CODE });
  expect(devClaims('ADMIN', null)).toEqual({ role: 'ADMIN', sub: 'explorer-dev-admin' });
  expect(devClaims('ANALYST', null)).toEqual({ role: 'ANALYST', sub: 'explorer-dev-analyst' });
  expect(devClaims('INSURED', PERSON)).toEqual({ role: 'INSURED', sub: 'explorer-dev-insured', personId: PERSON });
});

test('an INSURED token needs a real person id', () => {
  expect(() => devClaims('INSURED', null)).toThrow(HttpError);
  expect(() => devClaims('INSURED', 'nobody')).toThrow(/person id/);
});

test('a token is short-lived, for the role asked; an app user may be found by id number and name', async () => {
  const analyst = decodeJwt(await mintDevToken('{"role":"ANALYST"}', SECRET, accounts(), 'r1'));
  expect(analyst.role).toBe('ANALYST');
  expect((analyst.exp ?? 0) - (analyst.iat ?? 0)).toBe(DEV_TOKEN_LIFETIME_S);
  const calls: unknown[] = [];
  const insured = decodeJwt(
    await mintDevToken('{"role":"INSURED","idNumber":"43070219740203002X","name":"王秀兰"}', SECRET, accounts(calls), 'r2'),
  );
  expect(insured.personId).toBe(PERSON);
  expect(calls).toEqual([{ idNumber: '43070219740203002X', name: '王秀兰' }]);
});

test.each([
  ['not JSON', 'role=ADMIN'],
  ['an unknown role', '{"role":"ROOT"}'],
  ['an INSURED without a person', '{"role":"INSURED"}'],
  ['a person nobody is enrolled as', '{"role":"INSURED","idNumber":"43070219740203002X","name":"王秀"}'],
  ['an over-long id number', `{"role":"INSURED","idNumber":"${'1'.repeat(40)}","name":"x"}`],
])('%s is BAD_USER_INPUT', async (_case, body) => {
  await expect(mintDevToken(body, SECRET, accounts(), 'r3')).rejects.toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
});
