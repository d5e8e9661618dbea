/**
 * Per-request counts read from the services' /metrics (Prometheus text): SQL statements and
 * commits (`db_queries_total` and `sql_commits_total`, of requests, not background work), internal API calls served
 * (`internal_calls_total`) and the gateway's subgraph fetches (`gateway_subgraph_fetch_seconds_count`).
 */

/** The sum of every sample of one metric whose labels contain each of `labels` (e.g. `origin="request"`). */
export function sumMetric(text: string, name: string, labels: readonly string[] = []): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    const close = line.lastIndexOf('}');
    const labelText = close > 0 ? line.slice(name.length, close + 1) : '';
    if (!labels.every((label) => labelText.includes(label))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

export interface Counts {
  sqlStatements: number;
  sqlCommits: number;
  internalCalls: number;
  /** GraphQL requests the subgraphs answered: the gateway's fetches (query plan steps). */
  subgraphRequests: number;
}

/** The counts summed over the scrapes of every subgraph's /metrics. */
export function countsOf(scrapes: readonly string[]): Counts {
  const sum = (name: string, labels: readonly string[] = []) => scrapes.reduce((total, text) => total + sumMetric(text, name, labels), 0);
  return {
    sqlStatements: sum('db_queries_total', ['origin="request"']),
    sqlCommits: sum('sql_commits_total', ['origin="request"']),
    internalCalls: sum('internal_calls_total'),
    subgraphRequests: sum('graphql_requests_total'),
  };
}

/** What one run added to each count, per request. */
export function countsPerRequest(before: Counts, after: Counts, requests: number): Counts {
  const per = (key: keyof Counts) => (requests > 0 ? (after[key] - before[key]) / requests : 0);
  return {
    sqlStatements: per('sqlStatements'),
    sqlCommits: per('sqlCommits'),
    internalCalls: per('internalCalls'),
    subgraphRequests: per('subgraphRequests'),
  };
}
