import { z } from 'zod';
import { personsApi } from '../subgraphs/shared/contracts/persons';
import { regionOfId } from '../subgraphs/shared/ids';
import { ROLES } from '../subgraphs/shared/identity';
import type { InternalClient } from '../subgraphs/shared/internal';
import { HttpError } from '../subgraphs/shared/server/http';
import { issueToken, type Claims } from './auth';
import { GatewayError } from './errors';

/**
 * The explorer's role picker in development (NODE_ENV=development only; server.ts answers 404
 * elsewhere): a short-lived HS256 token for the demo data, so a newcomer runs the examples without
 * `npm run token`. The counter, partner and bureau act as the demo's (the Fuzhou pharmacy, 惠民保,
 * the bureau of every region); an app user is a person named by id, or by resident id number and
 * name as `npm run seed` enrolled them, found through the accounts internal API.
 */
export const DEV_TOKEN_LIFETIME_S = 3_600;
export const DEV_INSTITUTION_ID = 'H35010001';
export const DEV_PARTNER_CODE = 'HSHMB';

const DevTokenRequest = z.object({
  role: z.enum(ROLES),
  personId: z.string().max(64).optional(),
  idNumber: z.string().max(32).optional(),
  name: z.string().max(50).optional(),
});
export type DevTokenRequest = z.infer<typeof DevTokenRequest>;

function refused(why: string): HttpError {
  return new HttpError(GatewayError.devTokenRequest(why));
}

/** The claims a development token carries for the role picked; `personId` only for INSURED, already resolved. */
export function devClaims(role: DevTokenRequest['role'], personId: string | null): Claims {
  const sub = `explorer-dev-${role.toLowerCase()}`;
  switch (role) {
    case 'INSURED':
      if (!personId || regionOfId(personId) === null) throw refused('an INSURED token needs a person id, or a resident id number and name');
      return { role, sub, personId };
    case 'TERMINAL':
      return { role, sub, institutionId: DEV_INSTITUTION_ID };
    case 'PARTNER':
      return { role, sub, partnerCode: DEV_PARTNER_CODE };
    case 'ANALYST':
    case 'ADMIN':
      return { role, sub };
  }
}

export async function mintDevToken(body: string, secret: string, accounts: InternalClient, requestId: string): Promise<string> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw refused('the body must be JSON');
  }
  const request = DevTokenRequest.safeParse(json);
  if (!request.success) throw refused(`expected { role, personId? | idNumber?, name? } with role one of ${ROLES.join(', ')}`);
  const { role, personId, idNumber, name } = request.data;
  let person: string | null = personId ?? null;
  if (role === 'INSURED' && !person && idNumber && name) {
    person = (await accounts.call(personsApi.match, { idNumber, name }, requestId)).personId;
    if (!person) throw refused('nobody is enrolled under this resident id number and name (run `npm run seed`)');
  }
  return issueToken(devClaims(role, person), secret, DEV_TOKEN_LIFETIME_S);
}
