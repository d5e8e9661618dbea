import type { RunResult } from './load';
import { resultsTable, targets, totalCpuMicros, verdict, type Ceilings } from './report';
import { SERVERS } from './targets';

function run(scenario: string, server: string, fields: Partial<RunResult> = {}): RunResult {
  return {
    scenario,
    server,
    requestsPerSecond: 100,
    requests: 1000,
    p50Ms: 10,
    p99Ms: 50,
    errors: 0,
    cpuMicros: { front: 1000, accounts: 500, family: 0, settlements: 0, mariadb: 100 },
    sqlStatements: 1,
    sqlCommits: 0,
    internalCalls: 0,
    subgraphRequests: 1,
    ...fields,
  };
}

const names = { person: 'person', family: 'family', quote: 'quote', spread: 'spread', hot: 'hot' };
const ceilings: Ceilings = {
  spread: { transactionsPerSecond: 2000, transactions: 20000, refused: 0, deadlocks: 0, databaseMicros: 300 },
  hot: { transactionsPerSecond: 1000, transactions: 10000, refused: 0, deadlocks: 0, databaseMicros: 400 },
};
const cpu = (front: number, rest: number) => ({ front, accounts: rest, family: rest, settlements: rest, mariadb: rest });

describe('the bench report', () => {
  it('sums CPU over the processes that served a request, and leaves the total out when MariaDB was not measured', () => {
    expect(totalCpuMicros(run('x', SERVERS.ours))).toBe(1600);
    expect(totalCpuMicros(run('x', SERVERS.direct, { cpuMicros: { ...cpu(0, 200), front: null } }))).toBe(800);
    expect(totalCpuMicros(run('x', SERVERS.ours, { cpuMicros: { ...cpu(1000, 200), mariadb: null } }))).toBeNull();
  });

  it('prints one markdown table: a row per run, per ceiling and for the gateway after the run, every row as wide as the header', () => {
    const goals = targets(
      [run('person', SERVERS.ours, { cpuMicros: cpu(500, 100) }), run('person', SERVERS.tuned)],
      ceilings,
      names,
      100 * 1024 * 1024,
    );
    const table = resultsTable(
      [run('person', SERVERS.ours), run('person', SERVERS.direct, { cpuMicros: { ...cpu(0, 1), front: null } })],
      ceilings,
      goals,
    );
    const rows = table.split('\n');
    expect(rows).toHaveLength(2 + 2 + 2 + 1);
    const cells = (row: string) => row.split('|').length;
    for (const row of rows) expect(cells(row)).toBe(cells(rows[0]));
    expect(rows[2]).toBe(
      '| person | ours | 100 | 10 | 50 | 0 | 1000 | 500 | 0 | 0 | 100 | 1600 | 1.0 | 0.0 | 0.0 | 1.0 | gateway CPU vs tuned @apollo/gateway 0.50× (≤ 1×, stretch 0.8×): met |',
    );
    // Targets are judged on our rows only.
    expect(rows[3]).toContain('| subgraph direct | 100 | 10 | 50 | 0 | – |');
    expect(rows[3].endsWith('| 1.0 |  |')).toBe(true);
    expect(rows[4]).toContain('| 2000 tx/s |');
    expect(rows[6]).toMatch(/^\| gateway after the run \| ours \|.*gateway RSS 100 MB \(< 200 MB\): met \|$/);
  });

  it('states each target of the issue as a ratio of this run, met or missed', () => {
    const runs = [
      run('person', SERVERS.ours, { cpuMicros: cpu(800, 100) }),
      run('person', SERVERS.tuned, { cpuMicros: cpu(1000, 100) }),
      run('family', SERVERS.ours, { requestsPerSecond: 140 }),
      run('family', SERVERS.tuned, { requestsPerSecond: 100 }),
      run('quote', SERVERS.ours, { requestsPerSecond: 700 }),
      run('spread', SERVERS.ours, { requestsPerSecond: 300, p99Ms: 151, cpuMicros: cpu(1000, 900) }),
      run('hot', SERVERS.ours, { requestsPerSecond: 100 }),
    ];
    const lines = targets(runs, ceilings, names, 150 * 1024 * 1024);
    expect(lines.map((line) => [line.measured, line.met])).toEqual([
      ['0.80×', true],
      ['1.40×', false],
      ['15.0 %', true],
      ['4.60 ms', true],
      ['151 ms', false],
      ['10.0 %', true],
      ['35.0 %', true],
      ['150 MB', true],
    ]);
    expect(lines.map((line) => line.scenario)).toEqual(['person', 'family', 'spread', 'spread', 'spread', 'hot', 'quote', null]);
    expect(verdict(lines[1])).toBe('req/s vs tuned @apollo/gateway 1.40× (≥ 1.5×): **missed**');
  });

  it('says "not measured" rather than met or missed when a figure is missing', () => {
    const lines = targets([], ceilings, names, null);
    expect(lines.every((line) => line.met === null && line.measured === 'n/a')).toBe(true);
    expect(verdict(lines[0])).toBe('gateway CPU vs tuned @apollo/gateway n/a (≤ 1×, stretch 0.8×): not measured');
  });
});
