import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { rateLimitCounters } from '../gateway/rateLimit';
import { subgraphFetchTimer } from '../gateway/server';
import { SUBGRAPHS } from '../subgraphs/shared/env';
import { registeredOperationNames } from '../subgraphs/shared/registeredOperations';
import { createObservability } from '../subgraphs/shared/server/observability';
import { projectFile } from '../subgraphs/shared/policy/config';

/**
 * ops/alerts.yml names only what the services export: an alert on a metric no service registers, or
 * on a service or operation label no series carries, never fires, and nobody notices until the outage.
 * promtool checks the syntax and the rules' behaviour (CI); this checks the names against the code.
 */
interface Rule {
  alert: string;
  expr: string;
}

const rules: Rule[] = (parse(readFileSync(projectFile('ops/alerts.yml'), 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap(
  (group) => group.rules,
);

/** Series Prometheus makes itself for every scrape target. */
const PROMETHEUS_SERIES = new Set(['up']);
/** PromQL's functions, aggregations and keywords: the identifiers of an expression that are not metric names. */
const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset']);

/** The metric names one gateway and one subgraph process register, histograms with their series. */
async function registeredSeries(): Promise<Set<string>> {
  const gateway = createObservability('gateway', 'silent');
  rateLimitCounters(gateway);
  subgraphFetchTimer(gateway);
  const subgraph = createObservability('accounts', 'silent');
  const names = new Set<string>();
  for (const registry of [gateway.registry, subgraph.registry]) {
    for (const metric of await registry.getMetricsAsJSON()) {
      names.add(metric.name);
      if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
    }
  }
  return names;
}

/** The metric names of a PromQL expression: identifiers outside strings, matchers and label lists that are not called. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  // Not a number's exponent or a duration's unit (0.99, 5m): those follow a digit or a dot.
  const names = [...bare.matchAll(/(?<![\w.])([A-Za-z_:][A-Za-z0-9_:]*)\s*(\(?)/g)]
    .filter(([, name, call]) => !call && !PROMQL_WORDS.has(name))
    .map(([, name]) => name);
  return [...new Set(names)];
}

/** The values an expression's matchers require of one label (`label="value"` only). */
function labelValues(expr: string, label: string): string[] {
  return [...expr.matchAll(new RegExp(`\\b${label}\\s*=\\s*"([^"]*)"`, 'g'))].map(([, value]) => value);
}

test('metricNames finds the metrics of an expression and nothing else', () => {
  expect(
    metricNames(
      'histogram_quantile(0.99, sum by (le, operation) (rate(a_seconds_bucket{service="x", le!="1"}[5m]))) > 1 and on (operation) b_total offset 5m',
    ),
  ).toEqual(['a_seconds_bucket', 'b_total']);
});

test('every metric an alert rule reads is registered by the services (or made by Prometheus)', async () => {
  const registered = await registeredSeries();
  const unknown = rules.flatMap((rule) =>
    metricNames(rule.expr)
      .filter((name) => !registered.has(name) && !PROMETHEUS_SERIES.has(name))
      .map((name) => `${rule.alert}: ${name}`),
  );
  expect(rules.length).toBeGreaterThan(5);
  expect(unknown).toEqual([]);
});

test('the service and operation labels the rules match on are values the services give their series', () => {
  const services = new Set<string>(['gateway', ...SUBGRAPHS]);
  // The operation label is a registered operation's name or "anonymous"/"other" (operationLabel).
  const operations = registeredOperationNames({ TRUSTED_DOCUMENTS: undefined });
  const unknown = rules.flatMap((rule) => [
    ...labelValues(rule.expr, 'service')
      .filter((service) => !services.has(service))
      .map((service) => `${rule.alert}: service ${service}`),
    ...labelValues(rule.expr, 'operation')
      .filter((operation) => !operations.has(operation))
      .map((operation) => `${rule.alert}: operation ${operation}`),
  ]);
  expect(unknown).toEqual([]);
});
