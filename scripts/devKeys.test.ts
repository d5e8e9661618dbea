import { readEnv } from '../subgraphs/shared/env';
import { Authenticator, issueToken } from '../gateway/auth';
import { tokenKeys } from '../gateway/tokenKeys';
import { tokenSettings } from '../gateway/tokenSettings';
import { DEV_JWKS_FILE, devSigningKey } from './devKeys';

test('the development key pair is made once and kept; its JWKS file verifies what it signs, as a gateway with JWT_JWKS_FILE does', async () => {
  const first = await devSigningKey();
  const again = await devSigningKey();
  expect(again.kid).toBe(first.kid);
  expect(again.publicJwk).toEqual(first.publicJwk);
  expect(again.publicJwk).not.toHaveProperty('d');
  const settings = tokenSettings(readEnv({ JWT_JWKS_FILE: DEV_JWKS_FILE, JWT_ISSUER: 'dev', JWT_AUDIENCE: 'api' }));
  const authenticator = new Authenticator(settings, tokenKeys(settings));
  const token = await issueToken({ sub: 'dev', role: 'PARTNER', partnerCode: 'HSHMB' }, { ...again, issuer: 'dev', audience: 'api' }, 600);
  expect(await authenticator.authenticate(`Bearer ${token}`, 'r')).toEqual({
    sub: 'dev',
    role: 'PARTNER',
    partnerCode: 'HSHMB',
    requestId: 'r',
  });
});
