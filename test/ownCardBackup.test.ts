import { signIdentity, type Identity } from '../subgraphs/shared/identity';
import { settlementsUrl, stack } from './client';
import { balanceOf, counter, employee, issueCard, SETTLE, settleAt, settleInputFor } from './counter';

/**
 * 本人参保，本人享受 behind the gateway: the settlements subgraph, reached directly with a valid
 * signature, decides the own-card rule again from the signed holder, by the same rule and with the
 * same answer as the gateway (subgraphs/shared/ownCard.ts), and moves no money.
 */
async function settleDirectly(identity: Omit<Identity, 'requestId'>, input: Record<string, unknown>) {
  const body = JSON.stringify({ query: SETTLE, variables: { input } });
  const response = await fetch(`${settlementsUrl}/graphql`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      ...signIdentity({ ...identity, requestId: 'direct' }, { audience: 'settlements', body }, stack.serviceSecret),
    },
  });
  return (await response.json()) as { data: unknown; errors?: Array<{ message: string; extensions: { code: string } }> };
}

test.each([
  ['no verified holder', (_other: string) => undefined, 'CREDENTIAL_REQUIRED'],
  ['another person as the holder', (other: string) => other, 'CREDENTIAL_MISMATCH'],
])('with %s the subgraph refuses as the gateway does, and nothing moves', async (_name, holderOf, code) => {
  const desk = await counter();
  const patient = await employee('430700', '100.00');
  const other = await employee('430700');
  const input = settleInputFor(desk.institutionId, patient, { inScopeAmount: '50.00' });
  const direct = await settleDirectly(
    { role: 'TERMINAL', sub: 'desk', institutionId: desk.institutionId, credentialHolderId: holderOf(other) },
    input,
  );
  const throughGateway = await settleAt(desk, patient, code === 'CREDENTIAL_REQUIRED' ? undefined : await issueCard(other), {
    inScopeAmount: '50.00',
  });
  expect(direct.errors?.map((error) => error.extensions.code)).toEqual([code]);
  expect(direct.errors?.[0].message).toBe(throughGateway.errors?.[0].message);
  expect(direct.data ?? null).toBeNull();
  expect(await balanceOf(patient)).toBe('100.00');
});
