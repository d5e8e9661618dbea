import { Script } from 'node:vm';
import { EXPLORER_EXAMPLES } from '../gateway/explorerExamples';
import { SignJWT } from 'jose';
import { signIdentity } from '../subgraphs/shared/identity';
import { accountsUrl, codes, credit, gatewayUrl, gql, metricSum, metricsText, register, stack, token, type GraphQLResult } from './client';

const ME = 'query Me($id: ID!) { person(id: $id) { id name } }';

describe('authentication', () => {
  async function withToken(raw: string) {
    return gql('{ regions { code } }', {}, { headers: { authorization: raw } });
  }

  test('a valid token reaches the graph; anonymous callers get the public region policy', async () => {
    const anonymous = await gql('{ regions { code policy { retainedFloor } } region(code: "350100") { name } }');
    expect(anonymous.data.region.name).toBe('福州市');
    expect(anonymous.data.regions).toHaveLength(5);
  });

  test.each<[string, () => Promise<string>]>([
    ['not a bearer token', async () => 'Basic dXNlcjpwYXNz'],
    ['garbage', async () => 'Bearer not.a.jwt'],
    [
      'another secret',
      async () =>
        `Bearer ${await new SignJWT({ role: 'ADMIN' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime('5m').sign(new TextEncoder().encode('some-other-secret-of-length'))}`,
    ],
    [
      'expired',
      async () =>
        `Bearer ${await new SignJWT({ role: 'ADMIN' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
          .sign(new TextEncoder().encode(stack.jwtSecret))}`,
    ],
    [
      'without exp',
      async () =>
        `Bearer ${await new SignJWT({ role: 'ADMIN' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(new TextEncoder().encode(stack.jwtSecret))}`,
    ],
    [
      'alg none',
      async () =>
        `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ role: 'ADMIN', sub: 'x', exp: 9e9 })).toString('base64url')}.`,
    ],
    ['an unknown role', async () => `Bearer ${await token({ role: 'ROOT' as 'ADMIN' })}`],
    ['INSURED without personId', async () => `Bearer ${await token({ role: 'INSURED' })}`],
    ['TERMINAL without institutionId', async () => `Bearer ${await token({ role: 'TERMINAL' })}`],
    ['ADMIN with a malformed region', async () => `Bearer ${await token({ role: 'ADMIN', region: '35' })}`],
  ])('%s: 401 UNAUTHENTICATED with a bilingual message', async (_name, makeHeader) => {
    const result = await withToken(await makeHeader());
    expect(result.status).toBe(401);
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors?.[0].message).toMatch(/身份令牌无效.*\/ Invalid token/);
  });

  // DESIGN.md, second round: exp − iat at most TOKEN_MAX_LIFETIME_HOURS (24 in the test stack), iat at most 60 s ahead, string claims only.
  const HOUR_S = 3600;
  /** A token issued `aheadS` seconds from now (no iat when null) that expires `lifetimeS` after it was issued. */
  const signed = (claims: Record<string, unknown>, lifetimeS: number, aheadS: number | null = 0) => {
    const iat = Math.floor(Date.now() / 1000) + (aheadS ?? 0);
    const jwt = new SignJWT({ sub: 'x', ...claims }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(iat + lifetimeS);
    if (aheadS !== null) jwt.setIssuedAt(iat);
    return jwt.sign(new TextEncoder().encode(stack.jwtSecret));
  };
  test.each<[string, () => Promise<string>, RegExp]>([
    ['a lifetime of 100 years', () => signed({ role: 'ADMIN' }, 100 * 365 * 24 * HOUR_S), /lifetime/],
    ['a lifetime of 24 h and 1 s', () => signed({ role: 'ADMIN' }, 24 * HOUR_S + 1), /lifetime/],
    ['iat 10 minutes ahead', () => signed({ role: 'ADMIN' }, 600, 600), /iat/],
    ['no iat', () => signed({ role: 'ADMIN' }, 600, null), /iat/],
    ['sub as an object', () => signed({ role: 'ADMIN', sub: { id: 'x' } }, 600), /sub/],
    ['role as a list', () => signed({ role: ['ADMIN'] }, 600), /role/],
    [
      'personId as an object',
      () => signed({ role: 'INSURED', personId: { toString: '430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P' } }, 600),
      /personId/,
    ],
    ['an ADMIN region as a number', () => signed({ role: 'ADMIN', region: 350100 }, 600), /region/],
    ['a partnerCode beside another role, as an object', () => signed({ role: 'ADMIN', partnerCode: {} }, 600), /partnerCode/],
  ])('a token with %s is 401 UNAUTHENTICATED naming the rule', async (_name, makeToken, rule) => {
    const result = await withToken(`Bearer ${await makeToken()}`);
    expect(result.status).toBe(401);
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors?.[0].message).toMatch(rule);
  });

  test('a token of exactly the longest lifetime, issued up to 60 s ahead, is accepted', async () => {
    const exact = await withToken(`Bearer ${await signed({ role: 'ADMIN' }, 24 * HOUR_S)}`);
    expect(exact.status).toBe(200);
    const slightlyAhead = await withToken(`Bearer ${await signed({ role: 'ADMIN' }, 600, 30)}`);
    expect(slightlyAhead.status).toBe(200);
  });
});

describe('subgraphs trust only the gateway', () => {
  const body = JSON.stringify({ query: '{ regions { code } }' });

  test('an unsigned or forged call straight to a subgraph is refused', async () => {
    const unsigned = await fetch(`${accountsUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    const forged = signIdentity({ role: 'ADMIN', requestId: 'r' }, { audience: 'accounts', body }, 'guessed-secret-0123456789');
    const withForged = await fetch(`${accountsUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...forged },
      body,
    });
    expect(withForged.status).toBe(401);
    const signed = signIdentity({ role: null, requestId: 'r' }, { audience: 'accounts', body }, stack.serviceSecret);
    const ok = await fetch(`${accountsUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...signed }, body });
    expect(ok.status).toBe(200);
  });

  test('internal APIs refuse unsigned calls', async () => {
    const response = await fetch(`${accountsUrl}/internal/credentials/resolve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"tokens":[]}',
    });
    expect(response.status).toBe(401);
  });
});

describe('HTTP edges', () => {
  test('invalid JSON, a GET mutation, an unknown path and an oversized body get clear 4xx', async () => {
    const invalid = await fetch(`${gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as Omit<GraphQLResult, 'status'>).errors?.[0].extensions?.code).toBe('BAD_REQUEST');

    const getMutation = await fetch(
      `${gatewayUrl}/graphql?query=${encodeURIComponent('mutation { issueCredential(personId: "x") { token } }')}`,
      { headers: { 'apollo-require-preflight': 'true' } },
    );
    expect(getMutation.status).toBe(405);

    expect((await fetch(`${gatewayUrl}/nowhere`)).status).toBe(404);

    const huge = await fetch(`${gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ regions { code } } #${'x'.repeat(2 * 1024 * 1024)}` }),
    });
    expect(huge.status).toBe(413);
  });

  test('errors carry a stable code and never a stack trace', async () => {
    const result = await gql('{ person(id: 1) { id', {});
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(JSON.stringify(result)).not.toMatch(/stacktrace|at .*\.js:\d+/i);
  });

  test('GET /graphql from a browser serves an explorer that loads nothing from elsewhere', async () => {
    const page = await fetch(`${gatewayUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    for (const asset of [...html.matchAll(/(?:src|href)="(\/graphql\/assets\/[^"]+)"/g)].map((match) => match[1])) {
      const response = await fetch(`${gatewayUrl}${asset}`);
      expect(response.status).toBe(200);
    }
    expect(html).toContain('/graphql/assets/graphiql.js');
  });

  test("the explorer ships every role's example operations, and opens the picked role's as tabs (test/explorerBrowser.test.ts)", async () => {
    const script = await (await fetch(`${gatewayUrl}/graphql/assets/explorer.js`)).text();
    expect(() => new Script(script)).not.toThrow();
    expect(script).toContain('defaultTabs');
    const data = await (await fetch(`${gatewayUrl}/graphql/assets/explorer-data.js`)).text();
    expect(() => new Script(data)).not.toThrow();
    for (const example of EXPLORER_EXAMPLES) expect(data).toContain(`${example.name}`);
  });

  test('live and ready while every subgraph answers; metrics are served by gateway and subgraph', async () => {
    expect((await fetch(`${gatewayUrl}/health`)).status).toBe(200);
    const ready = await fetch(`${gatewayUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { subgraphs: Record<string, unknown> }).subgraphs.accounts).toEqual({
      status: 'ready',
      national: 'up',
      provinces: { 35: 'up', 43: 'up', 53: 'up', 65: 'up' },
    });
    const requests = () => metricSum(gatewayUrl, 'graphql_requests_total', 'operation="anonymous"');
    const statements = () => metricSum(accountsUrl, 'db_queries_total', 'origin="request"');
    const [requestsBefore, statementsBefore] = [await requests(), await statements()];
    // One request at the gateway; one statement in accounts (the person, unknown: null).
    expect(
      (await gql('{ person(id: "430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P") { id } }', {}, { token: await token({ role: 'ADMIN' }) })).data.person,
    ).toBeNull();
    expect([(await requests()) - requestsBefore, (await statements()) - statementsBefore]).toEqual([1, 1]);
    // A credit is one transaction: one COMMIT, counted beside its statements (the bench reads both per request).
    const commits = () => metricSum(accountsUrl, 'sql_commits_total', 'origin="request"');
    const personId = await register('430700');
    const commitsBefore = await commits();
    await credit(personId, '10.00');
    expect((await commits()) - commitsBefore).toBe(1);
    expect(await metricsText(gatewayUrl)).toContain('gateway_subgraph_fetch_seconds');
  });

  test('the request id is echoed back and a given one is kept', async () => {
    const response = await fetch(`${gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'counter-42' },
      body: JSON.stringify({ query: '{ regions { code } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('counter-42');
  });
});

describe('introspection', () => {
  const INTROSPECT = '{ __schema { queryType { name } } }';

  test('is open to every caller and shows its own part of the graph (test/explorer.test.ts); __typename is open to all', async () => {
    expect((await gql(INTROSPECT, {}, { token: await token({ role: 'ANALYST' }) })).data.__schema.queryType.name).toBe('Query');
    expect((await gql(INTROSPECT)).data.__schema.queryType.name).toBe('Query');
    const PERSON_TYPE = '{ __type(name: "Person") { name fields { name } } }';
    expect((await gql(PERSON_TYPE)).data.__type).toBeNull();
    const partner = await gql(PERSON_TYPE, {}, { token: await token({ role: 'PARTNER', partnerCode: 'HSHMB' }) });
    expect(partner.data.__type.fields.map((field: { name: string }) => field.name).sort()).toEqual(['id', 'maskedIdNumber', 'name']);
    expect((await gql('{ __typename }')).data.__typename).toBe('Query');
  });
});

describe('a counter reads the person whose own credential it presents', () => {
  test("with the patient's credential, and not without it or with another's", async () => {
    const patient = await register('430700');
    const other = await register('430700');
    const admin = await token({ role: 'ADMIN' });
    const issued = await gql(
      'mutation($id: ID!) { issueCredential(personId: $id) { token holder { id } } }',
      { id: patient },
      { token: admin },
    );
    const credential = issued.data.issueCredential.token as string;
    expect(credential).toMatch(/^430700\.[A-Za-z0-9_-]{43}$/);
    const counter = await token({ role: 'TERMINAL', institutionId: 'H4307001' });
    expect((await gql(ME, { id: patient }, { token: counter, credential })).data.person.id).toBe(patient);
    expect(codes(await gql(ME, { id: patient }, { token: counter }))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(ME, { id: other }, { token: counter, credential }))).toEqual(['FORBIDDEN']);
  });
});
