import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { issueToken, type Claims } from '../gateway/auth';
import { freePort, startStack, stopStack, type StackState } from '../scripts/stack';
import { counter, SETTLE, settleInputFor } from './counter';
import { gql, token, uniqueKey } from './client';
import { idNumber, stackClient } from './privateStack';
import { until } from './until';

/**
 * One settle through the gateway is one trace across the four services (README, Traces): a private
 * stack exports to a collector this test serves on loopback (OTLP/HTTP JSON), and the test reads
 * what arrived. The shared stack, started without OTEL_EXPORTER_OTLP_ENDPOINT, sends nothing.
 */
jest.setTimeout(300_000);

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: OtlpValue }>;
}
interface OtlpExport {
  resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: OtlpValue }> }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
}
interface ReceivedSpan extends OtlpSpan {
  service: string;
}

const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 };

/** A collector stub: keeps every export body it receives, as text and as spans. */
function collector(): { server: Server; bodies: string[]; spans: ReceivedSpan[] } {
  const bodies: string[] = [];
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      bodies.push(text);
      if (req.url === '/v1/traces' && /json/.test(req.headers['content-type'] ?? '')) {
        for (const { resource, scopeSpans } of (JSON.parse(text) as OtlpExport).resourceSpans) {
          const service = String(resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue);
          for (const scope of scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  return { server, bodies, spans };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describe('one settle is one trace across four services', () => {
  const sink = collector();
  let state: StackState;
  let api: ReturnType<typeof stackClient>;
  beforeAll(async () => {
    const port = await freePort();
    await listen(sink.server, port, '127.0.0.1');
    // Batches leave every 100 ms rather than every 5 s, so the test waits for spans as briefly as it can.
    state = await startStack({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_BSP_SCHEDULE_DELAY: '100' });
    api = stackClient(state);
  });
  afterAll(async () => {
    await stopStack(state);
    sink.server.close();
  });

  it('continues the caller traceparent through guard, subgraph fetch, internal calls and transactions, with no personal data', async () => {
    const admin = { role: 'ADMIN' as const };
    const authorizerIdNumber = idNumber();
    const patientIdNumber = idNumber();
    const authorizer = (await api.register('430700', 'EMPLOYEE', authorizerIdNumber)).data.registerInsured.id as string;
    const patient = (await api.register('430700', 'RESIDENT', patientIdNumber)).data.registerInsured.id as string;
    await api.call(admin, 'mutation($i: CreditAccountInput!) { creditPersonalAccount(input: $i) { id } }', {
      i: { personId: authorizer, amount: '500.00', idempotencyKey: `credit-${authorizer}` },
    });
    await api.bind(authorizer, patient);
    const card = await api.card(patient);

    const traceId = hex(16);
    const callerSpanId = hex(8);
    const jwt = await issueToken({ sub: 'trace-counter', role: 'TERMINAL', institutionId: 'TRACE01' } as Claims, state.jwtSecret, 600);
    const response = await fetch(`http://127.0.0.1:${state.ports.gateway}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${jwt}`,
        'x-insurance-credential': card,
        traceparent: `00-${traceId}-${callerSpanId}-01`,
      },
      body: JSON.stringify({ query: SETTLE, variables: { input: settleInputFor('TRACE01', patient, { inScopeAmount: '20.00' }) } }),
    });
    const answer = (await response.json()) as { data?: { settle?: { status: string } }; errors?: unknown };
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.settle?.status).toBe('SETTLED');

    const services = ['accounts', 'family', 'gateway', 'settlements'];
    const trace = await until('spans of the settle from all four services', async () => {
      const ours = sink.spans.filter((span) => span.traceId === traceId);
      return services.every((service) => ours.some((span) => span.service === service)) && ours;
    });
    // Spans still in a batch when the gateway's own span arrived come within a few batch intervals.
    await sleep(500);
    const spans = sink.spans.filter((span) => span.traceId === traceId);
    expect([...new Set(spans.map((span) => span.service))].sort()).toEqual(services);
    expect(trace.length).toBeGreaterThan(0);

    // One tree: the gateway's request continues the caller's span; every other span's parent is in the trace.
    const ids = new Set(spans.map((span) => span.spanId));
    const roots = spans.filter((span) => !ids.has(span.parentSpanId ?? ''));
    expect(roots.map((span) => [span.service, span.name, span.kind, span.parentSpanId])).toEqual([
      ['gateway', 'POST /graphql', SPAN_KIND.SERVER, callerSpanId],
    ]);

    const named = (service: string, name: string | RegExp, kind: number) =>
      spans.filter(
        (span) => span.service === service && span.kind === kind && (typeof name === 'string' ? span.name === name : name.test(span.name)),
      );
    expect(named('gateway', 'gateway.guard', SPAN_KIND.INTERNAL)).toHaveLength(1);
    const fetches = named('gateway', 'subgraph settlements', SPAN_KIND.CLIENT);
    expect(fetches).toHaveLength(1);
    const served = named('settlements', 'POST /graphql', SPAN_KIND.SERVER);
    expect(served.map((span) => span.parentSpanId)).toEqual([fetches[0].spanId]);
    expect(named('settlements', 'db.transaction', SPAN_KIND.CLIENT).length).toBeGreaterThan(0);
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    // Every internal call is a client span on the caller's side whose child is the callee's server span for the same route.
    const internalCalls = spans.filter((span) => span.kind === SPAN_KIND.CLIENT && span.name.startsWith('internal /internal/'));
    expect(internalCalls.length).toBeGreaterThan(0);
    for (const call of internalCalls) {
      const callee = spans.filter((span) => span.parentSpanId === call.spanId);
      expect(callee.map((span) => [span.kind, span.name])).toEqual([[SPAN_KIND.SERVER, call.name.replace(/^internal /, 'POST ')]]);
    }
    // The guard's card look-up is a child of the guard's span; accounts and family serve internal calls within this trace.
    const guard = named('gateway', 'gateway.guard', SPAN_KIND.INTERNAL)[0];
    expect(internalCalls.some((call) => call.service === 'gateway' && call.parentSpanId === guard.spanId)).toBe(true);
    for (const service of ['accounts', 'family'])
      expect(
        named(service, /^POST \/internal\//, SPAN_KIND.SERVER).every(
          (span) => byId.get(span.parentSpanId ?? '')?.kind === SPAN_KIND.CLIENT,
        ),
      ).toBe(true);
    const settleSpan = served[0];
    const attribute = (span: OtlpSpan, key: string) => span.attributes.find((entry) => entry.key === key)?.value.stringValue;
    expect(attribute(settleSpan, 'graphql.operation.name')).toBe('Settle');
    expect(attribute(settleSpan, 'app.outcome')).toBe('OK');

    // Nothing personal anywhere in what left the services: not the name, the id numbers, the card or the token.
    const exported = sink.bodies.join('\n');
    for (const secret of ['故障', authorizerIdNumber, patientIdNumber, card, jwt, jwt.split('.')[2]])
      expect(exported).not.toContain(secret);
  });

  it('keeps the caller trace id in a request refused by the guard, with the refusal code as outcome', async () => {
    const traceId = hex(16);
    const jwt = await issueToken({ sub: 'trace-counter', role: 'TERMINAL', institutionId: 'TRACE02' } as Claims, state.jwtSecret, 600);
    // No card presented: the guard refuses before any subgraph is asked.
    const response = await fetch(`http://127.0.0.1:${state.ports.gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}`, traceparent: `00-${traceId}-${hex(8)}-01` },
      body: JSON.stringify({
        query: SETTLE,
        variables: { input: settleInputFor('TRACE02', await api.person('430700', 'RESIDENT'), { inScopeAmount: '1.00' }) },
      }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    const guard = await until('the refused request guard span', async () =>
      sink.spans.find((span) => span.traceId === traceId && span.name === 'gateway.guard'),
    );
    expect(guard.attributes.find((entry) => entry.key === 'app.outcome')?.value.stringValue).toBe('CREDENTIAL_REQUIRED');
    // The refusal never reached a subgraph's GraphQL endpoint.
    expect(sink.spans.filter((span) => span.traceId === traceId && span.name === 'subgraph settlements')).toEqual([]);
  });
});

describe('without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('sends nothing, not even to the default OTLP port on loopback', async () => {
    // The shared stack runs without the variable. An SDK that fell back to its defaults would send to localhost:4318.
    const sinks = [collector(), collector()];
    await listen(sinks[0].server, 4318, '127.0.0.1');
    await listen(sinks[1].server, 4318, '::1');
    try {
      const desk = await counter();
      const patient = (
        await gql(
          'mutation($i: RegisterInsuredInput!) { registerInsured(input: $i) { id } }',
          { i: { idNumber: idNumber(), name: '无踪', regionCode: '430700', scheme: 'EMPLOYEE' } },
          { token: await token({ role: 'ADMIN' }) },
        )
      ).data.registerInsured.id as string;
      const card = (
        await gql(
          'mutation($id: ID!) { issueCredential(personId: $id) { token } }',
          { id: patient },
          { token: await token({ role: 'ADMIN' }) },
        )
      ).data.issueCredential.token as string;
      const settled = await gql(
        SETTLE,
        { input: settleInputFor(desk.institutionId, patient, { idempotencyKey: uniqueKey('untraced'), inScopeAmount: '1.00' }) },
        { token: desk.token, credential: card, headers: { traceparent: `00-${hex(16)}-${hex(8)}-01` } },
      );
      expect(settled.errors).toBeUndefined();
      // A batch would leave within the SDK's default delay (5 s): wait past it, then nothing may have arrived.
      await sleep(6_000);
      expect(sinks.flatMap((sink) => sink.bodies)).toEqual([]);
    } finally {
      for (const sink of sinks) sink.server.close();
    }
  });
});
