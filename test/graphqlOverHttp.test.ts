import { serverAudits } from 'graphql-http';
import { gatewayUrl, token } from './client';

/**
 * The gateway passes every MUST audit of the GraphQL-over-HTTP spec (graphql-http's audit suite).
 * The audits introspect (`__type`), which every caller may, each in its own part of the graph; they
 * run as an ANALYST: they test the transport, not who sees what.
 */
let analystToken = '';
const asAnalyst: typeof fetch = (input, init = {}) =>
  fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${analystToken}` } });
const audits = serverAudits({ url: `${gatewayUrl}/graphql`, fetchFn: asAnalyst }).filter((audit) => audit.name.startsWith('MUST'));

beforeAll(async () => {
  analystToken = await token({ role: 'ANALYST' });
});

test.each(audits.map((audit) => [audit.name, audit] as const))('%s', async (_name, audit) => {
  const result = await audit.fn();
  expect({ name: audit.name, status: result.status, reason: result.status === 'ok' ? undefined : result.reason }).toEqual({
    name: audit.name,
    status: 'ok',
    reason: undefined,
  });
});

test('the suite has the MUST audits to run', () => {
  expect(audits.length).toBeGreaterThanOrEqual(13);
});
