import { countsOf, countsPerRequest, sumMetric } from './counters';

const accounts = `# HELP db_queries_total SQL statements sent
# TYPE db_queries_total counter
db_queries_total{province="43",origin="request",service="accounts"} 120
db_queries_total{province="43",origin="background",service="accounts"} 9
db_queries_total{province="35",origin="request",service="accounts"} 30
db_queries_total_extra{province="35"} 1000
sql_commits_total{province="43",origin="request",service="accounts"} 12
sql_commits_total{province="43",origin="background",service="accounts"} 100
internal_calls_total{route="/internal/ledger/debit",service="accounts"} 5
internal_calls_total{route="/internal/persons",service="accounts"} 7
graphql_requests_total{operation="other",outcome="OK",service="accounts"} 40
graphql_requests_total{operation="other",outcome="FORBIDDEN",service="accounts"} 2
`;
const family = `sql_commits_total{province="35",origin="request",service="family"} 3
graphql_requests_total{operation="other",outcome="OK",service="family"} 10
process_cpu_seconds_total 4.5
`;

describe('counts from /metrics', () => {
  it('sums one metric over its samples, filtered by labels, never a metric whose name only starts alike', () => {
    expect(sumMetric(accounts, 'db_queries_total')).toBe(159);
    expect(sumMetric(accounts, 'db_queries_total', ['origin="request"'])).toBe(150);
    expect(sumMetric(family, 'process_cpu_seconds_total')).toBe(4.5);
    expect(sumMetric(family, 'db_queries_total')).toBe(0);
  });

  it('adds the subgraphs up and divides a run by its requests', () => {
    const before = countsOf([accounts, family]);
    expect(before).toEqual({ sqlStatements: 150, sqlCommits: 15, internalCalls: 12, subgraphRequests: 52 });
    const after = { sqlStatements: 350, sqlCommits: 55, internalCalls: 32, subgraphRequests: 152 };
    expect(countsPerRequest(before, after, 50)).toEqual({ sqlStatements: 4, sqlCommits: 0.8, internalCalls: 0.4, subgraphRequests: 2 });
    expect(countsPerRequest(before, after, 0)).toEqual({ sqlStatements: 0, sqlCommits: 0, internalCalls: 0, subgraphRequests: 0 });
  });
});
