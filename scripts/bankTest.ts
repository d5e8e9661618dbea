import { createConnection, type Connection } from 'mysql2/promise';
import { issueToken } from '../gateway/auth';
import { loadRegionsConfig } from '../subgraphs/shared/policy/config';
import { checkCharacter } from '../subgraphs/shared/residentId';
import { startStack, stopStack, type StackState } from './stack';

/**
 * The bank test: many concurrent clients settle, refund, retry with the same keys and pay premiums
 * across several authorizers and beneficiaries and both cross-province backends (35 and 65), through
 * the gateway, for a bounded time. Then every invariant of the money is checked against the
 * databases: conservation to the fen, balances equal to their ledgers, no relative's debit below
 * the floor, one effect per idempotency key, nothing left pending.
 */
export interface BankTestOptions {
  durationMs: number;
  clients: number;
}

export interface BankTestReport {
  ok: boolean;
  lines: string[];
}

interface Party {
  id: string;
  card: string;
}

let serial = 0;
function residentId(region: string): string {
  serial += 1;
  const first17 = `${region.slice(0, 4)}02${1950 + (serial % 50)}${String(1 + (serial % 12)).padStart(2, '0')}${String(1 + (serial % 28)).padStart(2, '0')}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

const random = (max: number) => Math.floor(Math.random() * max);
const pick = <T>(items: readonly T[]): T => items[random(items.length)];

export async function runBankTest(state: StackState, options: BankTestOptions): Promise<BankTestReport> {
  const url = `http://127.0.0.1:${state.ports.gateway}/graphql`;
  const admin = await issueToken({ role: 'ADMIN', sub: 'bank-test' }, state.jwtSecret, 3600);
  const call = async (token: string, query: string, variables: object = {}, credential?: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(credential ? { 'x-insurance-credential': credential } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: any; errors?: Array<{ extensions?: { code?: string } }> };
  };
  const must = async (token: string, query: string, variables: object = {}) => {
    const result = await call(token, query, variables);
    if (result.errors) throw new Error(`bank test setup: ${JSON.stringify(result.errors)}`);
    return result.data;
  };

  // Parties: authorizers and patients in Fuzhou (floor 2000.00, review) and Urumqi, bound within and across provinces.
  let creditsFen = 0;
  const person = async (region: string, scheme: 'EMPLOYEE' | 'RESIDENT', credit?: number): Promise<Party> => {
    const { registerInsured } = await must(admin, 'mutation($i: RegisterInsuredInput!) { registerInsured(input: $i) { id } }',
      { i: { idNumber: residentId(region), name: '压力测试', regionCode: region, scheme } });
    if (credit) {
      await must(admin, 'mutation($i: CreditAccountInput!) { creditPersonalAccount(input: $i) { id } }',
        { i: { personId: registerInsured.id, amount: (credit / 100).toFixed(2), idempotencyKey: `bank-credit-${registerInsured.id}` } });
      creditsFen += credit;
    }
    const { issueCredential } = await must(admin, 'mutation($id: ID!) { issueCredential(personId: $id) { token } }', { id: registerInsured.id });
    return { id: registerInsured.id, card: issueCredential.token };
  };
  const bind = async (authorizer: Party, beneficiary: Party, relationship: string) => {
    const { requestFamilyBinding } = await must(admin, 'mutation($i: RequestBindingInput!) { requestFamilyBinding(input: $i) { id status } }',
      { i: { authorizerId: authorizer.id, beneficiaryId: beneficiary.id, relationship, commitmentAccepted: true, evidence: ['户口簿'] } });
    if (requestFamilyBinding.status === 'PENDING_REVIEW') await must(admin, 'mutation($id: ID!) { reviewFamilyBinding(id: $id, approve: true) { id } }', { id: requestFamilyBinding.id });
  };
  const fuzhouAuthorizers = [await person('350100', 'EMPLOYEE', 260000), await person('350100', 'EMPLOYEE', 300000), await person('350100', 'EMPLOYEE', 220000)];
  const urumqiAuthorizers = [await person('650100', 'EMPLOYEE', 80000), await person('650100', 'EMPLOYEE', 60000)];
  const patients = [await person('350100', 'RESIDENT'), await person('350100', 'EMPLOYEE', 20000), await person('650100', 'RESIDENT'), await person('650100', 'EMPLOYEE', 15000)];
  await bind(fuzhouAuthorizers[0], patients[0], 'CHILD');
  await bind(fuzhouAuthorizers[1], patients[0], 'PARENT');
  await bind(urumqiAuthorizers[0], patients[0], 'SPOUSE');
  await bind(fuzhouAuthorizers[2], patients[1], 'CHILD');
  await bind(urumqiAuthorizers[1], patients[2], 'PARENT');
  await bind(fuzhouAuthorizers[0], patients[3], 'PARENT');
  await bind(urumqiAuthorizers[0], patients[3], 'CHILD');
  const premiumPairs = [[fuzhouAuthorizers[0], patients[0]], [urumqiAuthorizers[1], patients[2]], [patients[1], patients[1]]] as const;

  const institution = 'BANKTEST01';
  const terminal = await issueToken({ role: 'TERMINAL', institutionId: institution, sub: 'bank-test-counter' }, state.jwtSecret, 3600);
  const SETTLE = 'mutation($i: SettleInput!) { settle(input: $i) { id } }';
  const settled: Array<{ id: string; patient: Party }> = [];
  const counts = { settle: 0, retried: 0, refund: 0, doubleRefund: 0, premium: 0, refused: 0, credit: 0, unexpected: 0 };
  const accountHolders = [...fuzhouAuthorizers, ...urumqiAuthorizers, patients[1], patients[3]];
  const unexpected: string[] = [];
  const deadline = Date.now() + options.durationMs;

  const client = async (index: number) => {
    let step = 0;
    while (Date.now() < deadline) {
      step += 1;
      const choice = random(10);
      if (choice < 6) {
        const patient = pick(patients);
        const input = {
          idempotencyKey: `bank-${index}-${step}`, patientId: patient.id, institutionId: institution, purpose: pick(['PHARMACY', 'OUTPATIENT', 'INPATIENT']),
          inScopeAmount: (random(60000) / 100 + 1).toFixed(2), outOfScopeAmount: (random(3) === 0 ? random(5000) / 100 : 0).toFixed(2),
        };
        const retries = random(4) === 0 ? 3 : 1;
        const results = await Promise.all(Array.from({ length: retries }, () => call(terminal, SETTLE, { i: input }, patient.card)));
        const ids = new Set(results.map((result) => result.data?.settle?.id));
        if (results.some((result) => result.errors) || ids.size !== 1) {
          counts.unexpected += 1;
          unexpected.push(JSON.stringify(results.map((result) => result.errors)));
        } else {
          settled.push({ id: [...ids][0], patient });
          counts.settle += 1;
          if (retries > 1) counts.retried += 1;
        }
      } else if (choice < 8 && settled.length > 0) {
        const target = settled.splice(random(settled.length), 1)[0];
        const REFUND = 'mutation($id: ID!, $key: String!) { refundSettlement(settlementId: $id, idempotencyKey: $key) { status } }';
        const first = await call(terminal, REFUND, { id: target.id, key: `refund-${target.id}` }, target.patient.card);
        if (first.errors) {
          counts.unexpected += 1;
          unexpected.push(JSON.stringify(first.errors));
        } else counts.refund += 1;
        if (random(2) === 0) {
          const again = await call(terminal, REFUND, { id: target.id, key: `refund-${target.id}-again` }, target.patient.card);
          if (again.errors?.[0]?.extensions?.code === 'INVALID_STATE') counts.doubleRefund += 1;
          else {
            counts.unexpected += 1;
            unexpected.push(`second refund was not INVALID_STATE: ${JSON.stringify(again)}`);
          }
        }
      } else if (choice === 9) {
        // A monthly transfer arrives, sometimes retried concurrently: one effect either way.
        const account = pick(accountHolders);
        const amountFen = 5_000 + random(50_000);
        const input = { personId: account.id, amount: (amountFen / 100).toFixed(2), idempotencyKey: `bank-monthly-${index}-${step}` };
        const results = await Promise.all(Array.from({ length: random(2) + 1 }, () => call(admin, 'mutation($i: CreditAccountInput!) { creditPersonalAccount(input: $i) { id } }', { i: input })));
        if (results.some((result) => result.errors) || new Set(results.map((result) => result.data.creditPersonalAccount.id)).size !== 1) {
          counts.unexpected += 1;
          unexpected.push(JSON.stringify(results.map((result) => result.errors)));
        } else {
          creditsFen += amountFen;
          counts.credit += 1;
        }
      } else {
        const [payer, beneficiary] = pick(premiumPairs);
        const token = await issueToken({ role: 'INSURED', personId: payer.id, sub: 'bank-test-app' }, state.jwtSecret, 600);
        const result = await call(token, 'mutation($i: PayPremiumInput!) { payPremium(input: $i) { id } }', {
          i: { idempotencyKey: `premium-${index}-${step}`, payerId: payer.id, beneficiaryId: beneficiary.id, purpose: 'RESIDENT_PREMIUM', productCode: 'JM-2027', amount: (random(3000) / 100 + 1).toFixed(2) },
        });
        if (!result.errors) counts.premium += 1;
        else if (result.errors[0].extensions?.code === 'INSUFFICIENT_BALANCE') counts.refused += 1;
        else {
          counts.unexpected += 1;
          unexpected.push(JSON.stringify(result.errors));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, index) => client(index)));
  const scope = { personIds: [...fuzhouAuthorizers, ...urumqiAuthorizers, ...patients].map((party) => party.id), institution };
  return audit(state, scope, creditsFen, counts, unexpected);
}

async function sumOf(connection: Connection, sql: string, params: unknown[] = []): Promise<number> {
  const [rows] = await connection.query(sql, params);
  return Number((rows as Array<{ n: string | null }>)[0].n ?? 0);
}

/** The audit looks only at the test's own persons and institution, so it also runs on a shared stack. */
async function audit(state: StackState, scope: { personIds: string[]; institution: string }, creditsFen: number, counts: Record<string, number>, unexpected: string[]): Promise<BankTestReport> {
  const ids = scope.personIds;
  const policies = loadRegionsConfig(undefined);
  const connect = (owner: string, province: string) => createConnection({ uri: `${state.mysqlUrl}/${state.prefix}_${owner}_${province}` });
  const lines: string[] = [];
  const failures: string[] = [];
  const check = (ok: boolean, line: string) => {
    lines.push(`${ok ? 'ok  ' : 'FAIL'} ${line}`);
    if (!ok) failures.push(line);
  };
  let balances = 0;
  let paidFromAccounts = 0;
  let premiums = 0;
  let fund = 0;
  let cash = 0;
  let billed = 0;
  let mismatchedAccounts = 0;
  let belowFloor = 0;
  let held = 0;
  let pending = 0;
  let doubleEffects = 0;
  for (const province of policies.provinces()) {
    const accounts = await connect('accounts', province);
    const settlements = await connect('settlements', province);
    try {
      balances += await sumOf(accounts, 'SELECT SUM(balance_fen) AS n FROM personal_accounts WHERE person_id IN (?)', [ids]);
      held += await sumOf(accounts, 'SELECT SUM(held_fen) AS n FROM personal_accounts WHERE person_id IN (?)', [ids]);
      mismatchedAccounts += await sumOf(accounts, `SELECT COUNT(*) AS n FROM personal_accounts a
        WHERE a.person_id IN (?) AND a.balance_fen <> (SELECT COALESCE(SUM(e.amount_fen), 0) FROM ledger_entries e WHERE e.account_id = a.person_id)`, [ids]);
      for (const region of policies.regions().filter((candidate) => candidate.provinceCode === province)) {
        belowFloor += await sumOf(accounts, "SELECT COUNT(*) AS n FROM ledger_entries WHERE kind = 'MUTUAL_AID_PAYMENT' AND account_id IN (?) AND account_id LIKE ? AND balance_after_fen < ?",
          [ids, `${region.code}-%`, policies.policyAt(region.code, new Date())!.retainedFloor]);
      }
      // One debit transfer per settlement and province: a key with two effects would show as two.
      doubleEffects += await sumOf(accounts, `SELECT COUNT(*) AS n FROM (SELECT reference FROM ledger_entries WHERE account_id IN (?) AND kind IN ('OWN_ACCOUNT_PAYMENT', 'MUTUAL_AID_PAYMENT')
        GROUP BY reference HAVING COUNT(DISTINCT transfer_id) > 1) t`, [ids]);
      doubleEffects += await sumOf(accounts, "SELECT COUNT(*) AS n FROM (SELECT reference FROM ledger_entries WHERE account_id IN (?) AND kind = 'REFUND' GROUP BY reference HAVING COUNT(DISTINCT transfer_id) > 1) t", [ids]);
      doubleEffects += await sumOf(accounts, "SELECT COUNT(*) AS n FROM (SELECT reference FROM ledger_entries WHERE account_id IN (?) AND kind = 'CREDIT' GROUP BY transfer_id HAVING COUNT(*) > 1) t", [ids]);
      paidFromAccounts += await sumOf(settlements, "SELECT SUM(own_fen + mutual_fen) AS n FROM settlements WHERE status = 'SETTLED' AND institution_id = ?", [scope.institution]);
      fund += await sumOf(settlements, "SELECT SUM(fund_fen) AS n FROM settlements WHERE status = 'SETTLED' AND institution_id = ?", [scope.institution]);
      cash += await sumOf(settlements, "SELECT SUM(cash_fen) AS n FROM settlements WHERE status = 'SETTLED' AND institution_id = ?", [scope.institution]);
      billed += await sumOf(settlements, "SELECT SUM(total_fen) AS n FROM settlements WHERE status = 'SETTLED' AND institution_id = ?", [scope.institution]);
      premiums += await sumOf(settlements, "SELECT SUM(amount_fen) AS n FROM premium_payments WHERE status = 'PAID' AND payer_id IN (?)", [ids]);
      pending += await sumOf(settlements, "SELECT COUNT(*) AS n FROM settlements WHERE status IN ('PENDING', 'REFUNDING') AND institution_id = ?", [scope.institution]);
      pending += await sumOf(settlements, "SELECT COUNT(*) AS n FROM premium_payments WHERE status = 'PENDING' AND payer_id IN (?)", [ids]);
    } finally {
      await accounts.end();
      await settlements.end();
    }
  }
  const yuan = (fen: number) => (fen / 100).toFixed(2);
  lines.push(`operations: ${counts.settle} settlements (${counts.retried} retried concurrently), ${counts.refund} refunds (${counts.doubleRefund} second refunds refused), ${counts.premium} premiums (${counts.refused} refused for balance), ${counts.credit} credits`);
  lines.push(`money: credited ${yuan(creditsFen)}; balances ${yuan(balances)}; paid from accounts for settlements ${yuan(paidFromAccounts)}; premiums ${yuan(premiums)}; billed ${yuan(billed)} = fund ${yuan(fund)} + accounts ${yuan(paidFromAccounts)} + cash ${yuan(cash)}`);
  check(balances + paidFromAccounts + premiums === creditsFen, `conservation: balances + paid for settlements + premiums = credited (${yuan(balances + paidFromAccounts + premiums)} = ${yuan(creditsFen)})`);
  check(fund + paidFromAccounts + cash === billed, `every bill is fund + accounts + cash to the fen (${yuan(fund + paidFromAccounts + cash)} = ${yuan(billed)})`);
  check(mismatchedAccounts === 0, `every balance equals the sum of its ledger entries (${mismatchedAccounts} accounts differ)`);
  check(belowFloor === 0, `no relative's debit took an account below its region's floor (${belowFloor} entries did)`);
  check(doubleEffects === 0, `no idempotency key had two effects (${doubleEffects} settlements debited or refunded twice)`);
  check(pending === 0 && held === 0, `nothing left pending (${pending} open settlements or premiums, ${yuan(held)} still held on accounts)`);
  check(counts.unexpected === 0, `no unexpected answer (${counts.unexpected}${unexpected.length ? `: ${unexpected.slice(0, 3).join(' | ')}` : ''})`);
  return { ok: failures.length === 0, lines };
}

if (require.main === module) {
  (async () => {
    const state = await startStack();
    try {
      const seconds = Number(process.env.BANK_TEST_SECONDS ?? 60);
      const clients = Number(process.env.BANK_TEST_CLIENTS ?? 12);
      console.log(`bank test: ${clients} clients for ${seconds} s through the gateway on fresh databases`);
      const report = await runBankTest(state, { durationMs: seconds * 1000, clients });
      for (const line of report.lines) console.log(line);
      process.exitCode = report.ok ? 0 : 1;
    } finally {
      await stopStack(state);
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
