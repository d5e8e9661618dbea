import { parseArgs } from 'node:util';
import { issueToken, type Claims } from '../gateway/auth';
import { readEnv } from '../subgraphs/shared/env';
import { DEV_JWKS_FILE, devSigningKey } from './devKeys';

/**
 * Prints a development token signed with JWT_SECRET, or with `--key` by the development key pair under
 * .dev-keys/ (made on first use; the gateway verifies it with JWT_JWKS_FILE=.dev-keys/jwks.json, as it
 * would the identity provider's tokens; iss and aud from JWT_ISSUER and JWT_AUDIENCE, or --issuer and
 * --audience):
 *   npm run token -- --role ADMIN [--region 350100]
 *   npm run token -- --role INSURED --person-id 350100-01J...
 *   npm run token -- --role TERMINAL --institution-id H3501001
 *   npm run token -- --role PARTNER --partner-code HSHMB
 *   npm run token -- --role ANALYST [--ttl-seconds 3600]   (at most TOKEN_MAX_LIFETIME_HOURS, default 24 h)
 */
const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    sub: { type: 'string' },
    region: { type: 'string' },
    'person-id': { type: 'string' },
    'institution-id': { type: 'string' },
    'partner-code': { type: 'string' },
    'ttl-seconds': { type: 'string', default: '3600' },
    key: { type: 'boolean', default: false },
    issuer: { type: 'string' },
    audience: { type: 'string' },
  },
});

async function main(): Promise<void> {
  const env = readEnv();
  const role = values.role?.toUpperCase();
  const claims = {
    role,
    sub: values.sub ?? `dev-${(role ?? 'user').toLowerCase()}`,
    ...(values.region ? { region: values.region } : {}),
    ...(values['person-id'] ? { personId: values['person-id'] } : {}),
    ...(values['institution-id'] ? { institutionId: values['institution-id'] } : {}),
    ...(values['partner-code'] ? { partnerCode: values['partner-code'] } : {}),
  } as Claims;
  if (!['INSURED', 'TERMINAL', 'ANALYST', 'PARTNER', 'ADMIN'].includes(String(role))) {
    throw new Error('--role must be one of INSURED, TERMINAL, ANALYST, PARTNER, ADMIN');
  }
  const lifetimeSeconds = Number(values['ttl-seconds']);
  const maxSeconds = env.TOKEN_MAX_LIFETIME_HOURS * 3600;
  if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds < 1 || lifetimeSeconds > maxSeconds) {
    throw new Error(
      `--ttl-seconds must be a whole number from 1 to ${maxSeconds} (TOKEN_MAX_LIFETIME_HOURS); the gateway refuses longer-lived tokens`,
    );
  }
  if (!values.key) {
    console.log(await issueToken(claims, env.JWT_SECRET, lifetimeSeconds));
    return;
  }
  const key = await devSigningKey();
  const issuer = values.issuer ?? env.JWT_ISSUER;
  const audience = values.audience ?? env.JWT_AUDIENCE?.split(',')[0].trim();
  console.log(await issueToken(claims, { ...key, issuer, audience }, lifetimeSeconds));
  // On stderr, so `TOKEN=$(npm run -s token -- --key ...)` captures the token alone.
  console.error(`signed by ${key.alg} key ${key.kid}; verify with JWT_JWKS_FILE=${DEV_JWKS_FILE}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
