import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readEnv, serviceUrls } from '../subgraphs/shared/env';
import { DEMO_INSTITUTIONS, DEMO_PREMIUM } from './demoData';
import { seedDemo, type SeedReport } from './seedDemo';
import { ROOT } from './stack';

/**
 * `npm run seed [-- --json]`: the demo families of scripts/demoData.ts on a running `npm start`,
 * through the gateway (GATEWAY_PORT, HOST) with tokens signed by JWT_SECRET. Running it again creates
 * nothing twice; it prints what exists, with ids, cards and the `npm run token` command of each role.
 * Card tokens are kept in DEMO_CARDS_FILE (default .demo/cards.json, untracked), since the service
 * shows a token only when it issues it. Never in production: demo people have no place there.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
  const env = readEnv();
  if (env.NODE_ENV === 'production') throw new Error('npm run seed creates demo people: refused with NODE_ENV=production');
  const host = env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST;
  const report = await seedDemo({
    gatewayUrl: `http://${host}:${env.GATEWAY_PORT}`,
    accountsUrls: serviceUrls(env, 'accounts'),
    jwtSecret: env.JWT_SECRET,
    serviceSecret: env.SERVICE_SECRET,
    cardsFile: process.env.DEMO_CARDS_FILE ?? join(ROOT, '.demo', 'cards.json'),
  });
  console.log(values.json ? JSON.stringify(report, null, 2) : describe(report));
}

function describe(report: SeedReport): string {
  const lines: string[] = [];
  lines.push(
    report.changes.length
      ? `Created or changed:\n${report.changes.map((change) => `  ${change}`).join('\n')}`
      : 'Nothing to do: the demo data exists.',
  );
  lines.push('', 'Persons (card tokens go in X-Insurance-Credential at a counter):');
  for (const person of report.persons) {
    const card =
      person.cardToken ??
      `${person.credentialId}: its token was printed when it was issued and is not in the cards file; an ADMIN's issueCredential gives him another`;
    lines.push(
      `  ${person.name} ${person.maskedIdNumber} ${person.regionCode} ${person.scheme} ${person.id} balance ${person.balance ?? '-'}`,
      `    card ${card}`,
      `    npm run -s token -- --role INSURED --person-id ${person.id}`,
    );
  }
  lines.push('', 'Families:');
  for (const family of report.families) {
    lines.push(`  ${family.title}: ${family.relationship} ${family.status} binding ${family.bindingId}`);
  }
  lines.push('', `Premium: ${report.premium.productCode} ${report.premium.amount} ${report.premium.status} ${report.premium.id}`);
  lines.push('', 'Other roles:');
  const regions = [...new Set(report.persons.map((person) => person.regionCode))];
  for (const region of regions) lines.push(`  npm run -s token -- --role ADMIN --region ${region}`);
  for (const institution of Object.values(DEMO_INSTITUTIONS))
    lines.push(`  npm run -s token -- --role TERMINAL --institution-id ${institution}`);
  lines.push('  npm run -s token -- --role ANALYST', `  npm run -s token -- --role PARTNER --partner-code ${DEMO_PREMIUM.partnerCode}`);
  return lines.join('\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
