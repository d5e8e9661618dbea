import type { CeilingResult } from './ceiling';
import type { RunResult } from './load';
import { SERVERS } from './targets';

/**
 * The bench's one table (markdown, ready for the README) and the targets as ratios of
 * figures from the same run, each met or missed. A missed target is reported, never an exit code:
 * only failed checks (errors, balances) fail the bench.
 */
/** A ceiling with MariaDB's CPU per transaction during it (null when its process is not on this machine). */
export type MeasuredCeiling = CeilingResult & { databaseMicros: number | null };

export interface Ceilings {
  spread: MeasuredCeiling;
  hot: MeasuredCeiling;
}

export interface TargetLine {
  /** The row the target is judged on: an `ours` scenario, or null for the gateway after the run. */
  scenario: string | null;
  target: string;
  measured: string;
  required: string;
  met: boolean | null;
}

const CPU_COLUMNS = ['front', 'accounts', 'family', 'settlements', 'mariadb'] as const;

function micros(value: number | null): string {
  return value === null ? '–' : String(Math.round(value));
}

/** CPU per request summed over every process that served it; null when MariaDB's was not measured (it runs elsewhere). */
export function totalCpuMicros(run: RunResult): number | null {
  if (run.cpuMicros.mariadb === null) return null;
  return CPU_COLUMNS.reduce((sum, column) => sum + (run.cpuMicros[column] ?? 0), 0);
}

/**
 * The one table: a row per run and per ceiling, and a last row for the gateway after the run. The
 * last column judges the targets on the row whose figures they use.
 */
export function resultsTable(runs: readonly RunResult[], ceilings: Ceilings, goals: readonly TargetLine[]): string {
  const header =
    '| scenario | server | req/s | p50 ms | p99 ms | errors | CPU µs/req: gateway | accounts | family | settlements | MariaDB | total | SQL/req | commits/req | internal calls/req | subgraph requests/req | targets of issue 14 |';
  const rule = `|${' --- |'.repeat(17)}`;
  const judged = (scenario: string | null) =>
    goals
      .filter((goal) => goal.scenario === scenario)
      .map(verdict)
      .join('; ');
  const lines = runs.map((run) =>
    [
      run.scenario,
      run.server,
      Math.round(run.requestsPerSecond),
      run.p50Ms,
      run.p99Ms,
      run.errors,
      ...CPU_COLUMNS.map((column) => micros(run.cpuMicros[column])),
      micros(totalCpuMicros(run)),
      run.sqlStatements.toFixed(1),
      run.sqlCommits.toFixed(1),
      run.internalCalls.toFixed(1),
      run.subgraphRequests.toFixed(1),
      run.server === SERVERS.ours ? judged(run.scenario) : '',
    ].join(' | '),
  );
  const ceiling = (name: string, result: MeasuredCeiling) =>
    `| ${name} | MariaDB alone (mysql2, prepared) | ${Math.round(result.transactionsPerSecond)} tx/s | | | ${result.refused} | | | | | ${micros(result.databaseMicros)} | | 6.0 | 1.0 | | | |`;
  return [
    header,
    rule,
    ...lines.map((line) => `| ${line} |`),
    ceiling('settle ceiling, spread', ceilings.spread),
    ceiling('settle ceiling, one hot authorizer', ceilings.hot),
    `| gateway after the run | ours |${' |'.repeat(14)} ${judged(null)} |`,
  ].join('\n');
}

function find(runs: readonly RunResult[], scenario: string, server: string): RunResult | undefined {
  return runs.find((run) => run.scenario === scenario && run.server === server);
}

function ratio(numerator: number | null | undefined, denominator: number | null | undefined): number | null {
  return numerator == null || denominator == null || denominator === 0 ? null : numerator / denominator;
}

function atMost(value: number | null, limit: number): boolean | null {
  return value === null ? null : value <= limit;
}

function atLeast(value: number | null, limit: number): boolean | null {
  return value === null ? null : value >= limit;
}

const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)} %`);
const times = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(2)}×`);

/** The targets, by scenario name (person read, family view, quote, settle spread, settle hot). */
export function targets(
  runs: readonly RunResult[],
  ceilings: Ceilings,
  names: { person: string; family: string; quote: string; spread: string; hot: string },
  gatewayRssBytes: number | null,
): TargetLine[] {
  const person = find(runs, names.person, SERVERS.ours);
  const tunedPerson = find(runs, names.person, SERVERS.tuned);
  const family = find(runs, names.family, SERVERS.ours);
  const tunedFamily = find(runs, names.family, SERVERS.tuned);
  const quote = find(runs, names.quote, SERVERS.ours);
  const spread = find(runs, names.spread, SERVERS.ours);
  const hot = find(runs, names.hot, SERVERS.ours);
  const gatewayCpu = ratio(person?.cpuMicros.front, tunedPerson?.cpuMicros.front);
  const familyThroughput = ratio(family?.requestsPerSecond, tunedFamily?.requestsPerSecond);
  const spreadShare = ratio(spread?.requestsPerSecond, ceilings.spread.transactionsPerSecond);
  const hotShare = ratio(hot?.requestsPerSecond, ceilings.hot.transactionsPerSecond);
  const quoteShare = ratio(quote?.requestsPerSecond, ceilings.spread.transactionsPerSecond);
  const settleCpu = spread ? totalCpuMicros(spread) : null;
  const rssMb = gatewayRssBytes === null ? null : gatewayRssBytes / 1024 / 1024;
  return [
    {
      scenario: names.person,
      target: 'gateway CPU vs tuned @apollo/gateway',
      measured: times(gatewayCpu),
      required: '≤ 1×, stretch 0.8×',
      met: atMost(gatewayCpu, 1),
    },
    {
      scenario: names.family,
      target: 'req/s vs tuned @apollo/gateway',
      measured: times(familyThroughput),
      required: '≥ 1.5×',
      met: atLeast(familyThroughput, 1.5),
    },
    {
      scenario: names.spread,
      target: 'req/s vs spread ceiling',
      measured: percent(spreadShare),
      required: '≥ 15 %',
      met: atLeast(spreadShare, 0.15),
    },
    {
      scenario: names.spread,
      target: 'CPU in all processes',
      measured: settleCpu === null ? 'n/a' : `${(settleCpu / 1000).toFixed(2)} ms`,
      required: '≤ 5 ms',
      met: atMost(settleCpu, 5000),
    },
    {
      scenario: names.spread,
      target: 'p99',
      measured: spread ? `${spread.p99Ms} ms` : 'n/a',
      required: '≤ 150 ms',
      met: atMost(spread?.p99Ms ?? null, 150),
    },
    {
      scenario: names.hot,
      target: 'req/s vs hot ceiling',
      measured: percent(hotShare),
      required: '≥ 10 %',
      met: atLeast(hotShare, 0.1),
    },
    {
      scenario: names.quote,
      target: 'req/s vs spread ceiling',
      measured: percent(quoteShare),
      required: '≥ 30 %',
      met: atLeast(quoteShare, 0.3),
    },
    {
      scenario: null,
      target: 'gateway RSS',
      measured: rssMb === null ? 'n/a' : `${Math.round(rssMb)} MB`,
      required: '< 200 MB',
      met: rssMb === null ? null : rssMb < 200,
    },
  ];
}

/** One target as a table cell: what, measured, required, and the verdict. */
export function verdict(line: TargetLine): string {
  return `${line.target} ${line.measured} (${line.required}): ${line.met === null ? 'not measured' : line.met ? 'met' : '**missed**'}`;
}
