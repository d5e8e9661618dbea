import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chinaToday } from '../subgraphs/shared/chinaTime';
import { ROOT, stackEnv } from '../scripts/stack';
import { codes, database, gql, register, stack, token, uniqueKey } from './client';
import { activeBinding, counter, employee, issueCard, settleAt } from './counter';

const RECONCILE = `query($region: ID!, $date: String!) { ledgerReconciliation(regionCode: $region, date: $date) {
  regionCode date credits debitsByPurpose { purpose amount } returnsByPurpose { purpose amount } mutualAidByRelationship { relationship amount } accountsChecked mismatchedAccounts balanced } }`;

const fen = (rows: Array<Record<string, string>>, key: string, label: string) =>
  Math.round(Number(rows.find((row) => row[key] === label)?.amount ?? '0') * 100);

function runScript(): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'dist', 'scripts', 'reconcile.js'), '--region', '532300', '--date', chinaToday()],
    { env: stackEnv(stack), encoding: 'utf8' },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test("a region's day: credits, debits by purpose, mutual aid by relationship, and every balance against its ledger", async () => {
  const admin = await token({ role: 'ADMIN', region: '532300' });
  const date = chinaToday();
  const before = (await gql(RECONCILE, { region: '532300', date }, { token: admin })).data.ledgerReconciliation;
  expect(before.balanced).toBe(true);

  const authorizer = await employee('532300', '500.00');
  const child = await register('532300', 'RESIDENT');
  await activeBinding(authorizer, child, 'CHILD');
  await settleAt(await counter(), child, await issueCard(child), { purpose: 'PHARMACY', inScopeAmount: '100.00' });
  await gql(
    'mutation($i: PayPremiumInput!) { payPremium(input: $i) { id } }',
    {
      i: {
        idempotencyKey: uniqueKey(),
        payerId: authorizer,
        beneficiaryId: child,
        purpose: 'RESIDENT_PREMIUM',
        productCode: 'YN-JM-2027',
        amount: '50.00',
      },
    },
    { token: await token({ role: 'INSURED', personId: authorizer }) },
  );

  const after = (await gql(RECONCILE, { region: '532300', date }, { token: admin })).data.ledgerReconciliation;
  expect(Math.round(Number(after.credits) * 100) - Math.round(Number(before.credits) * 100)).toBe(50000);
  expect(fen(after.debitsByPurpose, 'purpose', 'PHARMACY') - fen(before.debitsByPurpose, 'purpose', 'PHARMACY')).toBe(10000);
  expect(fen(after.debitsByPurpose, 'purpose', 'RESIDENT_PREMIUM') - fen(before.debitsByPurpose, 'purpose', 'RESIDENT_PREMIUM')).toBe(5000);
  expect(fen(after.mutualAidByRelationship, 'relationship', 'CHILD') - fen(before.mutualAidByRelationship, 'relationship', 'CHILD')).toBe(
    10000,
  );
  // The authorizer's account is the one more to check (the child, a resident, has none).
  expect(after.accountsChecked - before.accountsChecked).toBe(1);
  expect(after).toMatchObject({ regionCode: '532300', date, balanced: true, mismatchedAccounts: [] });

  const script = runScript();
  expect(script.status).toBe(0);
  expect(script.output).toContain('every balance equals its ledger');

  // A balance changed behind the ledger's back is found by both.
  const accounts = await database('accounts', '53');
  await accounts.query('UPDATE personal_accounts SET balance_fen = balance_fen + 1 WHERE person_id = ?', [authorizer]);
  try {
    const broken = (await gql(RECONCILE, { region: '532300', date }, { token: admin })).data.ledgerReconciliation;
    expect(broken).toMatchObject({ balanced: false, mismatchedAccounts: [authorizer] });
    const failing = runScript();
    expect(failing.status).toBe(1);
    expect(failing.output).toContain(`MISMATCH: ${authorizer}`);
  } finally {
    await accounts.query('UPDATE personal_accounts SET balance_fen = balance_fen - 1 WHERE person_id = ?', [authorizer]);
    await accounts.end();
  }
});

test('is for an ADMIN of the region, on a real day', async () => {
  expect(
    codes(await gql(RECONCILE, { region: '532300', date: chinaToday() }, { token: await token({ role: 'ADMIN', region: '430700' }) })),
  ).toEqual(['FORBIDDEN']);
  expect(codes(await gql(RECONCILE, { region: '532300', date: chinaToday() }, { token: await token({ role: 'ANALYST' }) }))).toEqual([
    'FORBIDDEN',
  ]);
  expect(codes(await gql(RECONCILE, { region: '532300', date: '2026-02-30' }, { token: await token({ role: 'ADMIN' }) }))).toEqual([
    'BAD_USER_INPUT',
  ]);
});
