import { context, propagation, type Span, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Env } from '../env';

/**
 * Traces across the gateway, the subgraphs, the internal APIs and the database transactions, by
 * manual spans at our own seams (no auto-instrumentation: it would patch node:http and slow every
 * call). Tracing is on only when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise nothing is registered,
 * `traced` runs its work directly and no header is read or written, so the hot path pays one boolean
 * test per seam and nothing is ever sent anywhere.
 *
 * Span attributes carry operation names, routes, province codes, outcome codes and statuses only:
 * never a name, an id number, a token or a credential (test/traces.test.ts checks every value).
 */
const TRACER_NAME = 'family-mutual-aid';
let enabled = false;
let provider: BasicTracerProvider | undefined;

/** Whether this process records traces (OTEL_EXPORTER_OTLP_ENDPOINT was set at start). */
export function tracingEnabled(): boolean {
  return enabled;
}

/**
 * Registers the tracer provider, the async-local context and the W3C propagator for this process,
 * when OTEL_EXPORTER_OTLP_ENDPOINT is set. Spans leave in batches over OTLP/HTTP as JSON (to
 * <endpoint>/v1/traces); new traces are kept at OTEL_TRACES_SAMPLER_ARG, a caller's sampled flag
 * decides for its own trace. `stopTracing` flushes what is buffered.
 */
export function startTracing(service: string, env: Pick<Env, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_TRACES_SAMPLER_ARG'>): void {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || enabled) return;
  provider = new BasicTracerProvider({
    resource: new Resource({ [ATTR_SERVICE_NAME]: service }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(env.OTEL_TRACES_SAMPLER_ARG) }),
  });
  provider.addSpanProcessor(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` })));
  provider.register({ contextManager: new AsyncLocalStorageContextManager(), propagator: new W3CTraceContextPropagator() });
  enabled = true;
}

/** Sends the spans still buffered; called when the service stops. */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown();
}

const tracer = () => trace.getTracer(TRACER_NAME);

/**
 * What a failed span records: the error's code (a DomainError's or HttpError's outcome, a coded
 * GraphQLError's, a driver's), else its class; never its message, which may quote input.
 */
function recordFailure(span: Span, error: unknown): void {
  const coded = error as { code?: unknown; extensions?: { code?: unknown } } | undefined;
  const given = coded?.code ?? coded?.extensions?.code;
  const code = typeof given === 'string' ? given : undefined;
  span.setStatus({ code: SpanStatusCode.ERROR, message: code ?? (error instanceof Error ? error.name : 'Error') });
  span.setAttribute('app.outcome', code ?? 'UNEXPECTED');
}

/** Runs `work` inside a span of the current trace (a child of the active span); without tracing, just runs it. */
export function traced<T>(name: string, kind: SpanKind, attributes: Attributes, work: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!enabled) return work(undefined);
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs the handling of one incoming request inside a SERVER span that continues the caller's trace
 * (its W3C `traceparent`, if any). Every span and log line of the request belongs to that trace.
 */
export function servedTraced<T>(
  headers: IncomingHttpHeaders,
  name: string,
  attributes: Attributes,
  work: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  if (!enabled) return work(undefined);
  const parent = propagation.extract(context.active(), headers);
  return context.with(parent, () => traced(name, SpanKind.SERVER, attributes, work));
}

/** Adds the active span's context to the headers of an outgoing call (`traceparent`), so the next service continues this trace. */
export function injectTraceContext(headers: OutgoingHttpHeaders): void {
  if (enabled) propagation.inject(context.active(), headers);
}

/** The ids that tie a log line to its trace; none without tracing. Read by pino's mixin on every line. */
export function activeTraceIds(): { traceId?: string; spanId?: string } {
  if (!enabled) return {};
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

/** Sets attributes on the active span, if tracing runs (e.g. the operation and outcome a plugin learns late). */
export function annotateActiveSpan(attributes: Attributes): void {
  if (enabled) trace.getActiveSpan()?.setAttributes(attributes);
}

export { SpanKind };
