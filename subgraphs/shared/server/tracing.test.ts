import { trace } from '@opentelemetry/api';
import { createServer } from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import { Writable } from 'node:stream';
import { startService } from './http';
import { createObservability } from './observability';
import { activeTraceIds, injectTraceContext, servedTraced, SpanKind, startTracing, stopTracing, traced, tracingEnabled } from './tracing';

/**
 * Tracing is process-wide (one registered provider), so this file goes in order: first without an
 * endpoint (nothing registered, nothing written), then started once, at a ratio of 0, against a
 * collector stub on loopback: new traces are dropped, a caller's sampled trace is kept (parent-based).
 */
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

describe('without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('registers nothing, runs work directly and writes no header', async () => {
    startTracing('test', { OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_TRACES_SAMPLER_ARG: 1 });
    expect(tracingEnabled()).toBe(false);
    const headers: OutgoingHttpHeaders = {};
    const seen = await servedTraced({ traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` }, 'POST /graphql', {}, (span) =>
      traced('inner', SpanKind.INTERNAL, {}, async (inner) => {
        injectTraceContext(headers);
        return { span, inner, ids: activeTraceIds(), active: trace.getActiveSpan() };
      }),
    );
    expect(seen).toEqual({ span: undefined, inner: undefined, ids: {}, active: undefined });
    expect(headers).toEqual({});
  });
});

describe('with an endpoint', () => {
  const received: string[] = [];
  const collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      res.end('{}');
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', () => resolve()));
    const address = collector.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    startTracing('test', { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_TRACES_SAMPLER_ARG: 0 });
  });
  afterAll(async () => {
    await stopTracing();
    collector.close();
  });

  it('continues a caller sampled trace, passes it on, and names it in every log line', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const { logger } = createObservability('test', 'info', new Set(), destination);
    const headers: OutgoingHttpHeaders = {};
    const spanId = await servedTraced({ traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` }, 'POST /graphql', {}, () =>
      traced('subgraph accounts', SpanKind.CLIENT, {}, async (span) => {
        injectTraceContext(headers);
        logger.info('request');
        return span?.spanContext().spanId;
      }),
    );
    expect(headers.traceparent).toBe(`00-${CALLER_TRACE}-${spanId}-01`);
    expect(JSON.parse(lines[0])).toMatchObject({ traceId: CALLER_TRACE, spanId });
    logger.info('outside any request');
    expect(JSON.parse(lines[1]).traceId).toBeUndefined();
    await stopTracing();
    const exported = received.join('\n');
    expect(exported).toContain(CALLER_TRACE);
    expect(exported).toContain('subgraph accounts');
  });

  it('serves a traced route in a span that covers its failure answer and log line', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const observability = createObservability('test', 'error', new Set(), destination);
    const service = await startService({
      name: 'test',
      host: '127.0.0.1',
      port: 0,
      graceMs: 100,
      observability,
      handle: async () => {
        throw new Error('broken');
      },
      tracedRoute: ({ url }) => (url.pathname === '/graphql' ? url.pathname : undefined),
      onClose: async () => undefined,
    });
    try {
      const response = await fetch(`http://127.0.0.1:${service.port}/graphql`, {
        method: 'POST',
        headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
      });
      expect(response.status).toBeGreaterThanOrEqual(500);
      const failure = lines.map((line) => JSON.parse(line)).find((line) => line.msg === 'unhandled request failure');
      expect(failure.traceId).toBe(CALLER_TRACE);
      // An untraced route: the line has no trace.
      await fetch(`http://127.0.0.1:${service.port}/other`, { headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` } });
      expect(JSON.parse(lines[lines.length - 1]).traceId).toBeUndefined();
    } finally {
      await service.stop();
    }
  });

  it('samples new traces at the configured ratio (0 here): ids flow on, unsampled', async () => {
    const headers: OutgoingHttpHeaders = {};
    await servedTraced({}, 'POST /graphql', {}, async () => injectTraceContext(headers));
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  });

  it('records a refusal by its code, never by its message', async () => {
    const refusal = Object.assign(new Error('no person 1101011990010112X4'), { code: 'NOT_FOUND' });
    let recorded: unknown;
    await expect(
      servedTraced({ traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` }, 'POST /graphql', {}, async (span) => {
        recorded = span;
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    const finished = recorded as { attributes: Record<string, unknown>; status: { message?: string } };
    expect(finished.attributes['app.outcome']).toBe('NOT_FOUND');
    expect(finished.status.message).toBe('NOT_FOUND');
  });
});
