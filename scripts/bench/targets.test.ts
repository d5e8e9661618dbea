import { IDENTITY_HEADER, IDENTITY_SIGNATURE_HEADER, verifyIdentity } from '../../subgraphs/shared/identity';
import { BENCH_IDENTITY_HEADER } from './apolloBaseline';
import type { Request } from './load';
import { baseline, direct, ours, SERVERS } from './targets';

const request: Request = {
  body: '{"query":"{ regions { code } }"}',
  headers: { authorization: 'Bearer t0ken', 'x-insurance-credential': '350100.card', 'x-other': 'kept' },
  identity: { role: 'TERMINAL', sub: 'bench', institutionId: 'BENCH01', credentialHolderId: '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P' },
};

describe('where a scenario is sent', () => {
  it('sends our gateway the request as a client makes it', () => {
    expect(ours(4000).adapt(request)).toBe(request);
    expect(ours(4000).url).toBe('http://127.0.0.1:4000/graphql');
  });

  it('gives a baseline the verified identity instead of the token and the card', () => {
    const adapted = baseline(SERVERS.tuned, 'http://127.0.0.1:5000/graphql', 'tuned').adapt(request);
    expect(adapted.body).toBe(request.body);
    expect(adapted.headers).toEqual({ 'x-other': 'kept', [BENCH_IDENTITY_HEADER]: JSON.stringify(request.identity) });
  });

  it('signs the identity for the accounts subgraph over the exact body, as the gateway does', () => {
    const adapted = direct(4001, 'bench-secret-0123456789').adapt(request);
    const verified = verifyIdentity(
      adapted.headers[IDENTITY_HEADER],
      adapted.headers[IDENTITY_SIGNATURE_HEADER],
      { audience: 'accounts', body: request.body },
      'bench-secret-0123456789',
    );
    expect(verified).toMatchObject(request.identity);
    expect(adapted.headers.authorization).toBeUndefined();
    expect(
      verifyIdentity(
        adapted.headers[IDENTITY_HEADER],
        adapted.headers[IDENTITY_SIGNATURE_HEADER],
        { audience: 'family', body: request.body },
        'bench-secret-0123456789',
      ),
    ).toBeNull();
  });
});
