import type { Connection } from 'mysql2/promise';
import { issueToken } from '../gateway/auth';
import { fundShare, type FundUse } from '../subgraphs/settlements/waterfall/waterfall';
import { loadRegionsConfig } from '../subgraphs/shared/policy/config';
import { poolingRuleOf } from '../subgraphs/shared/policy/policy';
import type { Purpose } from '../subgraphs/shared/policy/vocabulary';
import { checkCharacter } from '../subgraphs/shared/residentId';
import { setTimeout as sleep } from 'node:timers/promises';
import { failZoneB, retriesPerNode, startTestCluster, stopCluster } from './cluster';
import { connectDatabase, startStack, stopStack, type StackState } from './stack';

/**
 * The bank test: many concurrent clients settle, refund (also out of order, also by the bureau
 * without the card), void (冲正) settled keys, unused keys and keys racing their own settles, retry
 * with the same keys and pay premiums across several authorizers and beneficiaries and both
 * cross-province backends (35 and 65), through the gateway, for a bounded time. Then every invariant
 * of the money is checked against the databases: conservation to the fen, balances equal to their
 * ledgers, no relative's debit below the floor, one effect per idempotency key, every voided key
 * spent, the fund's share of every standing settlement equal to its rule applied in order with no
 * deductible charged twice, nothing left pending.
 */
export interface BankTestOptions {
  durationMs: number;
  clients: number;
  /** The gateways the clients call, each call the next (default: the stack's one gateway). */
  gatewayPorts?: readonly number[];
  /** Runs while the clients do (a failover drill), who go on until it ends and a few seconds more; its lines join the report. */
  alongside?: () => Promise<string[]>;
}

export interface BankTestReport {
  ok: boolean;
  lines: string[];
}

interface Party {
  id: string;
  card: string;
  scheme: 'EMPLOYEE' | 'RESIDENT';
}

/** A settlement standing for the clients to refund or void. */
interface Standing {
  id: string;
  key: string;
  patient: Party;
}

/** The fields the bank test selects, by operation. */
interface Answers {
  registerInsured: { id: string };
  creditPersonalAccount: { id: string };
  issueCredential: { token: string };
  requestFamilyBinding: { id: string; status: string };
  reviewFamilyBinding: { id: string };
  settle: { id: string };
  refundSettlement: { status: string };
  adminRefundSettlement: { status: string };
  voidSettlement: { outcome: string; settlement: { id: string; status: string } | null };
  payPremium: { id: string };
}

/** The gateway's answer to one operation: its field, or errors. */
interface Answer {
  data?: Partial<Answers> | null;
  errors?: Array<{ message?: string; extensions?: { code?: string } }>;
}

/** A refund or 冲正 refused because a later settlement's fund share depends on this one: an expected answer. */
function refusedOutOfOrder(result: Answer): boolean {
  return (
    result.errors?.[0]?.extensions?.code === 'INVALID_STATE' &&
    (result.errors[0].message ?? '').includes('refund these later settlements first')
  );
}

function voidedKeyAnswer(result: Answer): boolean {
  return result.errors?.[0]?.extensions?.code === 'INVALID_STATE' && (result.errors[0].message ?? '').includes('voided');
}

let serial = 0;
function residentId(region: string): string {
  serial += 1;
  const first17 = `${region.slice(0, 4)}02${1950 + (serial % 50)}${String(1 + (serial % 12)).padStart(2, '0')}${String(1 + (serial % 28)).padStart(2, '0')}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

const random = (max: number) => Math.floor(Math.random() * max);
const pick = <T>(items: readonly T[]): T => items[random(items.length)];

/** How long a client keeps retrying an answer of unknown outcome (SERVICE_UNAVAILABLE, a dropped connection) before it counts as unexpected. */
const RETRY_UNKNOWN_FOR_MS = 60_000;
const RETRY_PAUSE_MS = 250;
const AFTER_ALONGSIDE_MS = 5_000;

/** Whether the outcome is unknown and the counter may send the same request again (same idempotency key). */
function outcomeUnknown(result: Answer): boolean {
  return result.errors?.[0]?.extensions?.code === 'SERVICE_UNAVAILABLE';
}

export async function runBankTest(state: StackState, options: BankTestOptions): Promise<BankTestReport> {
  const urls = (options.gatewayPorts ?? [state.ports.gateway]).map((port) => `http://127.0.0.1:${port}/graphql`);
  let calls = 0;
  let unknownOutcomes = 0;
  const admin = await issueToken({ role: 'ADMIN', sub: 'bank-test' }, state.jwtSecret, 3600);
  const send = async (token: string, query: string, variables: object, credential?: string): Promise<Answer> => {
    calls += 1;
    const response = await fetch(urls[calls % urls.length], {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(credential ? { 'x-insurance-credential': credential } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Answer;
  };
  /**
   * One operation as a counter sends it: an answer of unknown outcome (a database or service lost
   * mid-request) is sent again with the same idempotency key until it is known, as the counter's
   * operator would; every operation here carries its key, so a retry never makes a second effect.
   */
  const call = async (token: string, query: string, variables: object = {}, credential?: string): Promise<Answer> => {
    const giveUpAt = Date.now() + RETRY_UNKNOWN_FOR_MS;
    for (;;) {
      const result = await send(token, query, variables, credential).catch(
        (error: unknown): Answer => ({ errors: [{ message: String(error), extensions: { code: 'SERVICE_UNAVAILABLE' } }] }),
      );
      if (!outcomeUnknown(result) || Date.now() > giveUpAt) return result;
      unknownOutcomes += 1;
      await sleep(RETRY_PAUSE_MS);
    }
  };
  /** Setting up the parties must work: the operation's field, or the run stops. */
  const setUp = async <K extends keyof Answers>(field: K, token: string, query: string, variables: object = {}): Promise<Answers[K]> => {
    const result = await call(token, query, variables);
    const answer = result.data?.[field];
    if (result.errors || !answer) throw new Error(`bank test setup: ${JSON.stringify(result.errors ?? result)}`);
    return answer;
  };

  // Parties: authorizers and patients in Fuzhou (floor 2000.00, review) and Urumqi, bound within and across provinces.
  let creditsFen = 0;
  const person = async (region: string, scheme: 'EMPLOYEE' | 'RESIDENT', credit?: number): Promise<Party> => {
    const registerInsured = await setUp(
      'registerInsured',
      admin,
      'mutation($i: RegisterInsuredInput!) { registerInsured(input: $i) { id } }',
      {
        i: { idNumber: residentId(region), name: '压力测试', regionCode: region, scheme },
      },
    );
    if (credit) {
      await setUp('creditPersonalAccount', admin, 'mutation($i: CreditAccountInput!) { creditPersonalAccount(input: $i) { id } }', {
        i: { personId: registerInsured.id, amount: (credit / 100).toFixed(2), idempotencyKey: `bank-credit-${registerInsured.id}` },
      });
      creditsFen += credit;
    }
    const issueCredential = await setUp('issueCredential', admin, 'mutation($id: ID!) { issueCredential(personId: $id) { token } }', {
      id: registerInsured.id,
    });
    return { id: registerInsured.id, card: issueCredential.token, scheme };
  };
  const bind = async (authorizer: Party, beneficiary: Party, relationship: string) => {
    const requestFamilyBinding = await setUp(
      'requestFamilyBinding',
      admin,
      'mutation($i: RequestBindingInput!) { requestFamilyBinding(input: $i) { id status } }',
      { i: { authorizerId: authorizer.id, beneficiaryId: beneficiary.id, relationship, commitmentAccepted: true, evidence: ['户口簿'] } },
    );
    if (requestFamilyBinding.status === 'PENDING_REVIEW')
      await setUp('reviewFamilyBinding', admin, 'mutation($id: ID!) { reviewFamilyBinding(id: $id, approve: true) { id } }', {
        id: requestFamilyBinding.id,
      });
  };
  const fuzhouAuthorizers = [
    await person('350100', 'EMPLOYEE', 260000),
    await person('350100', 'EMPLOYEE', 300000),
    await person('350100', 'EMPLOYEE', 220000),
  ];
  const urumqiAuthorizers = [await person('650100', 'EMPLOYEE', 80000), await person('650100', 'EMPLOYEE', 60000)];
  const patients = [
    await person('350100', 'RESIDENT'),
    await person('350100', 'EMPLOYEE', 20000),
    await person('650100', 'RESIDENT'),
    await person('650100', 'EMPLOYEE', 15000),
  ];
  await bind(fuzhouAuthorizers[0], patients[0], 'CHILD');
  await bind(fuzhouAuthorizers[1], patients[0], 'PARENT');
  await bind(urumqiAuthorizers[0], patients[0], 'SPOUSE');
  await bind(fuzhouAuthorizers[2], patients[1], 'CHILD');
  await bind(urumqiAuthorizers[1], patients[2], 'PARENT');
  await bind(fuzhouAuthorizers[0], patients[3], 'PARENT');
  await bind(urumqiAuthorizers[0], patients[3], 'CHILD');
  // A resident premium only for a resident; the employee pays his own long-term-care premium.
  const premiumPairs = [
    [fuzhouAuthorizers[0], patients[0], 'RESIDENT_PREMIUM'],
    [urumqiAuthorizers[1], patients[2], 'RESIDENT_PREMIUM'],
    [patients[1], patients[1], 'LONG_TERM_CARE_PREMIUM'],
  ] as const;

  const institution = 'BANKTEST01';
  const terminal = await issueToken({ role: 'TERMINAL', institutionId: institution, sub: 'bank-test-counter' }, state.jwtSecret, 3600);
  const SETTLE = 'mutation($i: SettleInput!) { settle(input: $i) { id } }';
  const REFUND = 'mutation($id: ID!, $key: String!) { refundSettlement(settlementId: $id, idempotencyKey: $key) { status } }';
  const ADMIN_REFUND =
    'mutation($id: ID!, $key: String!, $reason: String!) { adminRefundSettlement(settlementId: $id, idempotencyKey: $key, reason: $reason) { status } }';
  const VOID = 'mutation($i: VoidSettlementInput!) { voidSettlement(input: $i) { outcome settlement { id status } } }';
  const settled: Standing[] = [];
  const counts = {
    settle: 0,
    retried: 0,
    refund: 0,
    doubleRefund: 0,
    adminRefund: 0,
    outOfOrder: 0,
    voidRefunded: 0,
    keyVoided: 0,
    lateRefused: 0,
    raced: 0,
    premium: 0,
    refused: 0,
    credit: 0,
    unexpected: 0,
  };
  const voidedKeys: string[] = [];
  const accountHolders = [...fuzhouAuthorizers, ...urumqiAuthorizers, patients[1], patients[3]];
  const unexpected: string[] = [];
  let deadline = Date.now() + options.durationMs;
  // The clients outlast what runs alongside by a while: a drill's restarted replicas must take traffic again.
  let alongsideRunning = options.alongside !== undefined;
  const alongside = (options.alongside?.() ?? Promise.resolve([])).finally(() => {
    alongsideRunning = false;
    deadline = Math.max(deadline, Date.now() + AFTER_ALONGSIDE_MS);
  });
  const fail = (what: string, detail: unknown) => {
    counts.unexpected += 1;
    unexpected.push(`${what}: ${JSON.stringify(detail)}`);
  };
  const bill = (index: number, step: number, patient: Party, label = 'bank') => ({
    idempotencyKey: `${label}-${index}-${step}`,
    patientId: patient.id,
    institutionId: institution,
    purpose: pick(['PHARMACY', 'OUTPATIENT', 'INPATIENT']),
    inScopeAmount: (random(60000) / 100 + 1).toFixed(2),
    outOfScopeAmount: (random(3) === 0 ? random(5000) / 100 : 0).toFixed(2),
  });
  const voidOf = (key: string, patient: Party) =>
    call(terminal, VOID, { i: { institutionId: institution, idempotencyKey: key, patientId: patient.id } }, patient.card);
  /** A refused out-of-order withdrawal leaves the settlement standing: it goes back to the pool. */
  const outOfOrder = (target: Standing) => {
    counts.outOfOrder += 1;
    settled.push(target);
  };

  const client = async (index: number) => {
    let step = 0;
    while (alongsideRunning || Date.now() < deadline) {
      step += 1;
      const choice = random(20);
      if (choice < 11) {
        const patient = pick(patients);
        const input = bill(index, step, patient);
        const retries = random(4) === 0 ? 3 : 1;
        const results = await Promise.all(Array.from({ length: retries }, () => call(terminal, SETTLE, { i: input }, patient.card)));
        const [id, ...others] = new Set(results.map((result) => result.data?.settle?.id));
        if (results.some((result) => result.errors) || others.length > 0 || !id)
          fail(
            'settle',
            results.map((result) => result.errors),
          );
        else {
          settled.push({ id, key: input.idempotencyKey, patient });
          counts.settle += 1;
          if (retries > 1) counts.retried += 1;
        }
      } else if (choice < 14 && settled.length > 0) {
        // A counter refund of any standing settlement, not only the latest: out of order is refused.
        const target = settled.splice(random(settled.length), 1)[0];
        const first = await call(terminal, REFUND, { id: target.id, key: `refund-${target.id}` }, target.patient.card);
        if (refusedOutOfOrder(first)) outOfOrder(target);
        else if (first.errors) fail('refund', first.errors);
        else {
          counts.refund += 1;
          if (random(2) === 0) {
            const again = await call(terminal, REFUND, { id: target.id, key: `refund-${target.id}-again` }, target.patient.card);
            if (again.errors?.[0]?.extensions?.code === 'INVALID_STATE') counts.doubleRefund += 1;
            else fail('second refund was not INVALID_STATE', again);
          }
        }
      } else if (choice === 14 && settled.length > 0) {
        // The bureau refunds without the card (lost card, patient absent).
        const target = settled.splice(random(settled.length), 1)[0];
        const result = await call(admin, ADMIN_REFUND, {
          id: target.id,
          key: `admin-refund-${target.id}`,
          reason: '参保人医保卡遗失 / card lost',
        });
        if (refusedOutOfOrder(result)) outOfOrder(target);
        else if (result.errors || result.data?.adminRefundSettlement?.status !== 'REFUNDED') fail('admin refund', result);
        else counts.adminRefund += 1;
      } else if (choice === 15 && settled.length > 0) {
        // 冲正 of a key that settled: refunded in full.
        const target = settled.splice(random(settled.length), 1)[0];
        const result = await voidOf(target.key, target.patient);
        if (refusedOutOfOrder(result)) outOfOrder(target);
        else if (
          result.errors ||
          result.data?.voidSettlement?.outcome !== 'REFUNDED' ||
          result.data.voidSettlement.settlement?.id !== target.id
        )
          fail('void of a settled key', result);
        else counts.voidRefunded += 1;
      } else if (choice === 16) {
        // 冲正 of a key never settled (the request was lost on its way): the key is spent; a late settle with it moves nothing.
        const patient = pick(patients);
        const input = bill(index, step, patient, 'lost');
        const result = await voidOf(input.idempotencyKey, patient);
        if (result.errors || result.data?.voidSettlement?.outcome !== 'KEY_VOIDED') fail('void of an unused key', result);
        else {
          counts.keyVoided += 1;
          voidedKeys.push(input.idempotencyKey);
          const late = await call(terminal, SETTLE, { i: input }, patient.card);
          if (voidedKeyAnswer(late)) counts.lateRefused += 1;
          else fail('late settle of a voided key', late);
        }
      } else if (choice === 17) {
        // The counter timed out and voids while its settle (and a retry of it) may still be running.
        const patient = pick(patients);
        const input = bill(index, step, patient, 'raced');
        const [first, voided, retry] = await Promise.all([
          call(terminal, SETTLE, { i: input }, patient.card),
          voidOf(input.idempotencyKey, patient),
          call(terminal, SETTLE, { i: input }, patient.card),
        ]);
        const outcome = voided.data?.voidSettlement?.outcome;
        const settles = [first, retry];
        const firstSettled = first.data?.settle;
        if (refusedOutOfOrder(voided) && firstSettled && retry.data?.settle) {
          // A later settlement of the same patient and purpose came first: the void is refused, this one stands.
          outOfOrder({ id: firstSettled.id, key: input.idempotencyKey, patient });
        } else if (!outcome || settles.some((result) => !(result.data?.settle && outcome === 'REFUNDED') && !voidedKeyAnswer(result))) {
          fail('settle raced by a void', [first, voided, retry]);
        } else {
          counts.raced += 1;
          voidedKeys.push(input.idempotencyKey);
        }
      } else if (choice === 18) {
        // A monthly transfer arrives, sometimes retried concurrently: one effect either way.
        const account = pick(accountHolders);
        const amountFen = 5_000 + random(50_000);
        const input = { personId: account.id, amount: (amountFen / 100).toFixed(2), idempotencyKey: `bank-monthly-${index}-${step}` };
        const results = await Promise.all(
          Array.from({ length: random(2) + 1 }, () =>
            call(admin, 'mutation($i: CreditAccountInput!) { creditPersonalAccount(input: $i) { id } }', { i: input }),
          ),
        );
        if (results.some((result) => result.errors) || new Set(results.map((result) => result.data?.creditPersonalAccount?.id)).size !== 1)
          fail(
            'credit',
            results.map((result) => result.errors),
          );
        else {
          creditsFen += amountFen;
          counts.credit += 1;
        }
      } else {
        const [payer, beneficiary, purpose] = pick(premiumPairs);
        const token = await issueToken({ role: 'INSURED', personId: payer.id, sub: 'bank-test-app' }, state.jwtSecret, 600);
        const result = await call(token, 'mutation($i: PayPremiumInput!) { payPremium(input: $i) { id } }', {
          i: {
            idempotencyKey: `premium-${index}-${step}`,
            payerId: payer.id,
            beneficiaryId: beneficiary.id,
            purpose,
            // One premium per beneficiary, product and year: each payment here is for a product of its own.
            productCode: `JM-${index}-${step}`,
            amount: (random(3000) / 100 + 1).toFixed(2),
          },
        });
        if (!result.errors) counts.premium += 1;
        else if (result.errors[0].extensions?.code === 'INSUFFICIENT_BALANCE') counts.refused += 1;
        else fail('premium', result.errors);
      }
    }
  };
  const [drill] = await Promise.all([alongside, ...Array.from({ length: options.clients }, (_, index) => client(index))]);
  const scope = {
    personIds: [...fuzhouAuthorizers, ...urumqiAuthorizers, ...patients].map((party) => party.id),
    institution,
    patients,
    voidedKeys,
  };
  const report = await audit(state, scope, creditsFen, counts, unexpected);
  const gateways = `${calls} calls through ${urls.length === 1 ? 'one gateway' : `${urls.length} gateways in turn`}, ${unknownOutcomes} answers of unknown outcome sent again`;
  return { ...report, lines: [...drill, gateways, ...report.lines] };
}

/** Each column of a one-row aggregate as a number (NULL, the SUM of no rows, is 0). */
async function sumsOf<Column extends string>(connection: Connection, sql: string, params: unknown[] = []): Promise<Record<Column, number>> {
  const [rows] = await connection.query(sql, params);
  const [row] = rows as Array<Record<Column, string | number | null>>;
  return Object.fromEntries(Object.entries(row).map(([column, value]) => [column, Number(value ?? 0)])) as Record<Column, number>;
}

async function sumOf(connection: Connection, sql: string, params: unknown[] = []): Promise<number> {
  return (await sumsOf<'n'>(connection, sql, params)).n;
}

/** The audit looks only at the test's own persons and institution, so it also runs on a shared stack. */
interface AuditScope {
  personIds: string[];
  institution: string;
  patients: Party[];
  voidedKeys: string[];
}

/**
 * For each patient and fund purpose: does every standing settlement's fund share and deductible equal
 * the pooling rule applied to the standing ones in the order they were made (so the fund never paid
 * more than its rule), does no year charge more than one deductible, and do the year's counters sum
 * the standing settlements? Answers the number of (patient, year, purpose) that break one of these.
 */
async function fundRuleBreaks(connect: (owner: string, province: string) => Promise<Connection>, patients: Party[]): Promise<number> {
  const policies = loadRegionsConfig(undefined);
  let breaks = 0;
  for (const patient of patients) {
    const region = patient.id.slice(0, 6);
    const settlements = await connect('settlements', policies.knownRegion(region).provinceCode);
    try {
      const [rows] = await settlements.query(
        `SELECT fund_year, purpose, in_scope_fen, fund_fen, deductible_applied_fen FROM settlements
        WHERE patient_id = ? AND status = 'SETTLED' ORDER BY COALESCE(fund_seq, 0), created_at, id`,
        [patient.id],
      );
      const [counters] = await settlements.query(
        'SELECT fund_year, purpose, deductible_used_fen, fund_paid_fen FROM fund_usage WHERE patient_id = ?',
        [patient.id],
      );
      const years = new Map<string, Array<{ inScopeFen: number; fundFen: number; deductibleFen: number }>>();
      for (const row of rows as Array<{
        fund_year: number;
        purpose: string;
        in_scope_fen: string;
        fund_fen: string;
        deductible_applied_fen: string;
      }>) {
        const key = `${row.fund_year}|${row.purpose}`;
        years.set(key, [
          ...(years.get(key) ?? []),
          { inScopeFen: Number(row.in_scope_fen), fundFen: Number(row.fund_fen), deductibleFen: Number(row.deductible_applied_fen) },
        ]);
      }
      for (const counter of counters as Array<{ fund_year: number; purpose: string; deductible_used_fen: string; fund_paid_fen: string }>) {
        const standing = years.get(`${counter.fund_year}|${counter.purpose}`) ?? [];
        // The bank test's stack runs on the config's version 1 alone.
        const rule = poolingRuleOf(policies.knownPolicyAt(region, new Date()), patient.scheme, counter.purpose as Purpose);
        let use: FundUse = { deductibleUsedFen: 0, fundPaidFen: 0 };
        let broken = false;
        for (const settlement of standing) {
          const share = fundShare(settlement.inScopeFen, rule, use);
          broken ||= share.fundFen !== settlement.fundFen || share.deductibleAppliedFen !== settlement.deductibleFen;
          use = { deductibleUsedFen: use.deductibleUsedFen + settlement.deductibleFen, fundPaidFen: use.fundPaidFen + settlement.fundFen };
        }
        broken ||= use.deductibleUsedFen > (rule?.annualDeductibleFen ?? 0);
        broken ||= use.deductibleUsedFen !== Number(counter.deductible_used_fen) || use.fundPaidFen !== Number(counter.fund_paid_fen);
        if (broken) breaks += 1;
      }
    } finally {
      await settlements.end();
    }
  }
  return breaks;
}

async function audit(
  state: StackState,
  scope: AuditScope,
  creditsFen: number,
  counts: Record<string, number>,
  unexpected: string[],
): Promise<BankTestReport> {
  const ids = scope.personIds;
  const policies = loadRegionsConfig(undefined);
  // Each province where the stack keeps it: DATABASES_CONFIG may put one on a server of its own.
  const connect = (owner: string, province: string) => connectDatabase(state, owner, province);
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
  let voidedKeysLeft = 0;
  let voidedKeysFound = 0;
  for (const province of policies.provinces()) {
    const accounts = await connect('accounts', province);
    const settlements = await connect('settlements', province);
    try {
      const accountSums = await sumsOf<'balances' | 'held'>(
        accounts,
        'SELECT SUM(balance_fen) AS balances, SUM(held_fen) AS held FROM personal_accounts WHERE person_id IN (?)',
        [ids],
      );
      balances += accountSums.balances;
      held += accountSums.held;
      mismatchedAccounts += await sumOf(
        accounts,
        `SELECT COUNT(*) AS n FROM personal_accounts a
        WHERE a.person_id IN (?) AND a.balance_fen <> (SELECT COALESCE(SUM(e.amount_fen), 0) FROM ledger_entries e WHERE e.account_id = a.person_id)`,
        [ids],
      );
      for (const region of policies.regions().filter((candidate) => candidate.provinceCode === province)) {
        belowFloor += await sumOf(
          accounts,
          "SELECT COUNT(*) AS n FROM ledger_entries WHERE kind = 'MUTUAL_AID_PAYMENT' AND account_id IN (?) AND account_id LIKE ? AND balance_after_fen < ?",
          [ids, `${region.code}-%`, policies.knownPolicyAt(region.code, new Date()).retainedFloorFen],
        );
      }
      // One debit transfer per settlement and province: a key with two effects would show as two.
      doubleEffects += await sumOf(
        accounts,
        `SELECT COUNT(*) AS n FROM (SELECT reference FROM ledger_entries WHERE account_id IN (?) AND kind IN ('OWN_ACCOUNT_PAYMENT', 'MUTUAL_AID_PAYMENT')
        GROUP BY reference HAVING COUNT(DISTINCT transfer_id) > 1) t`,
        [ids],
      );
      doubleEffects += await sumOf(
        accounts,
        "SELECT COUNT(*) AS n FROM (SELECT reference FROM ledger_entries WHERE account_id IN (?) AND kind IN ('REFUND', 'REVERSAL') GROUP BY reference HAVING COUNT(DISTINCT transfer_id) > 1) t",
        [ids],
      );
      doubleEffects += await sumOf(
        accounts,
        "SELECT COUNT(*) AS n FROM (SELECT reference FROM ledger_entries WHERE account_id IN (?) AND kind = 'CREDIT' GROUP BY transfer_id HAVING COUNT(*) > 1) t",
        [ids],
      );
      const settled = await sumsOf<'paid' | 'fund' | 'cash' | 'billed'>(
        settlements,
        "SELECT SUM(own_fen + mutual_fen) AS paid, SUM(fund_fen) AS fund, SUM(cash_fen) AS cash, SUM(total_fen) AS billed FROM settlements WHERE status = 'SETTLED' AND institution_id = ?",
        [scope.institution],
      );
      paidFromAccounts += settled.paid;
      fund += settled.fund;
      cash += settled.cash;
      billed += settled.billed;
      premiums += await sumOf(settlements, "SELECT SUM(amount_fen) AS n FROM premium_payments WHERE status = 'PAID' AND payer_id IN (?)", [
        ids,
      ]);
      pending += await sumOf(
        settlements,
        "SELECT COUNT(*) AS n FROM settlements WHERE status IN ('PENDING', 'REFUNDING', 'VOIDING') AND institution_id = ?",
        [scope.institution],
      );
      if (scope.voidedKeys.length > 0) {
        // A voided key holds a spent key, an undone intent, or a settlement refunded in full: never one that stands.
        voidedKeysFound += await sumOf(
          settlements,
          'SELECT COUNT(*) AS n FROM settlements WHERE institution_id = ? AND idempotency_key IN (?)',
          [scope.institution, scope.voidedKeys],
        );
        voidedKeysLeft += await sumOf(
          settlements,
          "SELECT COUNT(*) AS n FROM settlements WHERE institution_id = ? AND idempotency_key IN (?) AND status NOT IN ('KEY_SPENT', 'VOIDED', 'REFUNDED')",
          [scope.institution, scope.voidedKeys],
        );
      }
      pending += await sumOf(settlements, "SELECT COUNT(*) AS n FROM premium_payments WHERE status = 'PENDING' AND payer_id IN (?)", [ids]);
    } finally {
      await accounts.end();
      await settlements.end();
    }
  }
  const fundBreaks = await fundRuleBreaks(connect, scope.patients);
  const yuan = (fen: number) => (fen / 100).toFixed(2);
  lines.push(
    `operations: ${counts.settle} settlements (${counts.retried} retried concurrently), ${counts.refund} refunds (${counts.doubleRefund} second refunds refused), ${counts.adminRefund} admin refunds, ` +
      `${counts.outOfOrder} out-of-order refunds or voids refused, voids: ${counts.voidRefunded} of settled keys, ${counts.keyVoided} of unused keys (${counts.lateRefused} late settles refused), ${counts.raced} racing their settle; ` +
      `${counts.premium} premiums (${counts.refused} refused for balance), ${counts.credit} credits`,
  );
  lines.push(
    `money: credited ${yuan(creditsFen)}; balances ${yuan(balances)}; paid from accounts for settlements ${yuan(paidFromAccounts)}; premiums ${yuan(premiums)}; billed ${yuan(billed)} = fund ${yuan(fund)} + accounts ${yuan(paidFromAccounts)} + cash ${yuan(cash)}`,
  );
  check(
    balances + paidFromAccounts + premiums === creditsFen,
    `conservation: balances + paid for settlements + premiums = credited (${yuan(balances + paidFromAccounts + premiums)} = ${yuan(creditsFen)})`,
  );
  check(
    fund + paidFromAccounts + cash === billed,
    `every bill is fund + accounts + cash to the fen (${yuan(fund + paidFromAccounts + cash)} = ${yuan(billed)})`,
  );
  check(mismatchedAccounts === 0, `every balance equals the sum of its ledger entries (${mismatchedAccounts} accounts differ)`);
  check(belowFloor === 0, `no relative's debit took an account below its region's floor (${belowFloor} entries did)`);
  check(doubleEffects === 0, `no idempotency key had two effects (${doubleEffects} settlements debited or refunded twice)`);
  check(
    voidedKeysLeft === 0 && voidedKeysFound === scope.voidedKeys.length,
    `every voided key is spent or refunded (${voidedKeysFound} of ${scope.voidedKeys.length} found, ${voidedKeysLeft} standing)`,
  );
  check(
    fundBreaks === 0,
    `the fund's share of every standing settlement is its rule applied in order, one deductible a year, counters equal to the standing settlements (${fundBreaks} patient-years differ)`,
  );
  check(
    pending === 0 && held === 0,
    `nothing left pending (${pending} open settlements or premiums, ${yuan(held)} still held on accounts)`,
  );
  check(
    counts.unexpected === 0,
    `no unexpected answer (${counts.unexpected}${unexpected.length ? `: ${unexpected.slice(0, 3).join(' | ')}` : ''})`,
  );
  return { ok: failures.length === 0, lines };
}

/**
 * `npm run bank-test` on one stack; `npm run bank-test -- --cluster` on the replicated topology of
 * scripts/cluster.ts through both gateways, with `--drill` losing Galera node 2 and zone b's replicas
 * a third of the way through (stopped cleanly; killed with `--crash`). BANK_TEST_SECONDS,
 * BANK_TEST_CLIENTS; DRILL_DOWN_SECONDS (default 10).
 */
async function main(): Promise<void> {
  const onCluster = process.argv.includes('--cluster');
  const drill = process.argv.includes('--drill');
  const crash = process.argv.includes('--crash');
  const seconds = Number(process.env.BANK_TEST_SECONDS ?? 60);
  const clients = Number(process.env.BANK_TEST_CLIENTS ?? 12);
  const durationMs = seconds * 1000;
  if (!onCluster) {
    const state = await startStack();
    try {
      console.log(`bank test: ${clients} clients for ${seconds} s through the gateway on fresh databases`);
      const report = await runBankTest(state, { durationMs, clients });
      for (const line of report.lines) console.log(line);
      process.exitCode = report.ok ? 0 : 1;
    } finally {
      await stopStack(state);
    }
    return;
  }
  const cluster = await startTestCluster();
  try {
    console.log(
      `bank test: ${clients} clients for ${seconds} s through ${cluster.gatewayPorts.length} gateways over 2 replicas of each subgraph; province 35 on Galera through nodes 1 and 2, 65 on a second server${drill ? '; failover drill' : ''}`,
    );
    const downMs = Number(process.env.DRILL_DOWN_SECONDS ?? 10) * 1000;
    const report = await runBankTest(cluster.state, {
      durationMs,
      clients,
      gatewayPorts: cluster.gatewayPorts,
      alongside: drill ? () => sleep(durationMs / 3).then(() => failZoneB(cluster, downMs, crash ? 'crash' : 'stop')) : undefined,
    });
    for (const line of [...report.lines, ...(await retriesPerNode(cluster))]) console.log(line);
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await stopCluster(cluster, { keepData: false });
  }
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
