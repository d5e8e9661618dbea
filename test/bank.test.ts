import { runBankTest } from '../scripts/bankTest';
import { stack } from './client';

/** The short, bounded bank test of CI; `npm run bank-test` runs the full one on a fresh stack. */
test('no fen is lost, created or spent twice under concurrent settlements, refunds, retries and premiums', async () => {
  const report = await runBankTest(stack, { durationMs: 4_000, clients: 6 });
  console.log(report.lines.join('\n'));
  expect(report.lines.filter((line) => line.startsWith('FAIL'))).toEqual([]);
  expect(report.ok).toBe(true);
  expect(report.lines.join('\n')).toMatch(/operations: [1-9]\d* settlements/);
});
