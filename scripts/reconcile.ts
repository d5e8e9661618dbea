import { parseArgs } from 'node:util';
import { reconcileRegionDay } from '../subgraphs/accounts/ledger/reconciliation';
import { chinaToday } from '../subgraphs/shared/chinaTime';
import { PROVINCE_MIGRATIONS } from '../subgraphs/accounts/migrations';
import { ProvinceBackends } from '../subgraphs/shared/db/backends';
import { readEnv } from '../subgraphs/shared/env';
import { formatMoney } from '../subgraphs/shared/money';
import { createObservability } from '../subgraphs/shared/server/observability';
import { loadRegionsConfig } from '../subgraphs/shared/policy/config';

/**
 * `npm run reconcile [-- --region 350100] [--date 2026-11-23]`: the bureau's daily ledger check
 * over the configured databases (MYSQL_URL, DATABASES_CONFIG, DB_PREFIX), every region by default:
 * each entry on the day it was written (a past day never changes), sums exact however large.
 * Exits 1 when any account's balance differs from its ledger.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { region: { type: 'string' }, date: { type: 'string' } } });
  const env = readEnv();
  const observability = createObservability('reconcile', 'warn');
  const policies = loadRegionsConfig(env.REGIONS_CONFIG);
  const regions = values.region ? [values.region] : policies.regions().map((region) => region.code);
  const date = values.date ?? chinaToday();
  const backends = await ProvinceBackends.open(policies.provinces(), {
    env,
    observability,
    owner: 'accounts',
    migrations: PROVINCE_MIGRATIONS,
  });
  let mismatched = 0;
  try {
    for (const regionCode of regions) {
      const report = await reconcileRegionDay(backends, regionCode, date);
      const list = (rows: Array<{ amountFen: bigint } & Record<string, unknown>>, key: string) =>
        rows.map((row) => `${String(row[key])} ${formatMoney(row.amountFen)}`).join(', ') || '-';
      console.log(
        `${regionCode} ${date}: credits ${formatMoney(report.creditsFen)}; debits by purpose: ${list(report.debitsByPurpose, 'purpose')}; returns: ${list(report.returnsByPurpose, 'purpose')}`,
      );
      console.log(
        `  mutual aid by relationship: ${list(report.mutualAidByRelationship, 'relationship')}; ${report.accountsChecked} accounts checked, ${report.balanced ? 'every balance equals its ledger' : `MISMATCH: ${report.mismatchedAccounts.join(', ')}`}`,
      );
      mismatched += report.mismatchedAccounts.length;
    }
  } finally {
    await backends.close();
  }
  process.exitCode = mismatched === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
