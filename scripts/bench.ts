import autocannon from 'autocannon';
import { issueToken } from '../gateway/auth';
import { checkCharacter } from '../subgraphs/shared/residentId';
import { startStack, stopStack, type StackState } from './stack';

/**
 * `npm run bench`: starts a fresh stack on MariaDB, seeds it, and loads the gateway with autocannon
 * (loopback only, bounded in time). Prints throughput and latency per operation, and fails when a
 * target is missed. Targets are for this 2-core machine running gateway, subgraph and MariaDB together.
 */
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
/** Connections that send abusive documents alongside ordinary traffic in the abuse scenario. */
const ABUSIVE_CONNECTIONS = Number(process.env.BENCH_ABUSIVE_CONNECTIONS ?? 4);
/** Ordinary traffic's p99 under abuse may be at most this many times its p99 alone. */
const ABUSE_P99_RATIO = 2;

interface Scenario {
  name: string;
  /** The next request's body and extra headers (e.g. the patient's credential), made together so they match. */
  next: () => { body: string; headers?: Record<string, string> };
  token?: string;
  /** Minimum requests per second and maximum p99 latency (ms) on the reference machine. */
  target: { rps: number; p99Ms: number };
}

async function post<T>(state: StackState, token: string, query: string, variables: object): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${state.ports.gateway}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** 1, 2, 3, … on each call: which seeded person (or key) a scenario's next request takes. */
function turns(): () => number {
  let turn = 0;
  return () => {
    turn += 1;
    return turn;
  };
}

const REGISTER = 'mutation($input: RegisterInsuredInput!) { registerInsured(input: $input) { id } }';
const ISSUE = 'mutation($id: ID!) { issueCredential(personId: $id) { token } }';

async function seed(state: StackState, admin: string, count: number): Promise<{ ids: string[]; cards: string[] }> {
  const ids: string[] = [];
  const cards: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const first17 = `430702${1960 + (index % 40)}0101${String(index).padStart(3, '0')}`;
    const { registerInsured } = await post<{ registerInsured: { id: string } }>(state, admin, REGISTER, {
      input: { idNumber: first17 + checkCharacter(first17), name: `压测${index}`, regionCode: '430700', scheme: 'EMPLOYEE' },
    });
    ids.push(registerInsured.id);
    const { issueCredential } = await post<{ issueCredential: { token: string } }>(state, admin, ISSUE, { id: registerInsured.id });
    cards.push(issueCredential.token);
    for (let month = 1; month <= 3; month += 1) {
      await post(state, admin, 'mutation($input: CreditAccountInput!) { creditPersonalAccount(input: $input) { id } }', {
        input: { personId: registerInsured.id, amount: '350.00', idempotencyKey: `seed-${index}-${month}` },
      });
    }
  }
  return { ids, cards };
}

/** One request of the scenario outside the load, so a scenario that only produces errors cannot pass. */
async function check(state: StackState, scenario: Scenario): Promise<void> {
  const { body: text, headers } = scenario.next();
  const response = await fetch(`http://127.0.0.1:${state.ports.gateway}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(scenario.token ? { authorization: `Bearer ${scenario.token}` } : {}), ...headers },
    body: text,
  });
  const body = (await response.json()) as { errors?: unknown };
  if (!response.ok || body.errors) throw new Error(`${scenario.name}: ${JSON.stringify(body.errors ?? response.status)}`);
}

function load(state: StackState, scenario: Pick<Scenario, 'next' | 'token'>, connections = CONNECTIONS): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${state.ports.gateway}/graphql`,
    method: 'POST',
    connections,
    duration: DURATION_SECONDS,
    headers: { 'content-type': 'application/json', ...(scenario.token ? { authorization: `Bearer ${scenario.token}` } : {}) },
    requests: [
      {
        setupRequest: (request) => {
          const { body, headers } = scenario.next();
          return { ...request, body, headers: { ...request.headers, ...headers } };
        },
      },
    ],
  });
}

async function run(state: StackState, scenario: Scenario): Promise<{ ok: boolean; line: string }> {
  await check(state, scenario);
  const result = await load(state, scenario);
  const failures = result.non2xx + result.errors;
  const ok = failures === 0 && result.requests.average >= scenario.target.rps && result.latency.p99 <= scenario.target.p99Ms;
  const line = `${scenario.name.padEnd(44)} ${String(Math.round(result.requests.average)).padStart(6)} req/s  p50 ${String(result.latency.p50).padStart(4)} ms  p99 ${String(result.latency.p99).padStart(4)} ms  errors ${failures}  target >= ${scenario.target.rps} req/s, p99 <= ${scenario.target.p99Ms} ms  ${ok ? 'OK' : 'MISSED'}`;
  return { ok, line };
}

/** Every abusive document must be refused (400, QUERY_TOO_COMPLEX), or the abuse scenario measures something else. */
async function checkRefused(state: StackState, abuse: Pick<Scenario, 'next' | 'token'>, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const response = await fetch(`http://127.0.0.1:${state.ports.gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(abuse.token ? { authorization: `Bearer ${abuse.token}` } : {}) },
      body: abuse.next().body,
    });
    const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    if (response.status !== 400 || body.errors?.[0]?.extensions?.code !== 'QUERY_TOO_COMPLEX')
      throw new Error(`abusive document not refused: ${response.status} ${JSON.stringify(body)}`);
  }
}

/**
 * Hostile callers (issue 11): ordinary traffic (the public reading regions, the bureau reading a
 * person) measured alone, then again while other connections send a 30-level fragment bomb and the
 * 500-alias query whose page size hides in a variable default. Its p99 must stay within
 * ABUSE_P99_RATIO times the p99 alone.
 */
async function runAbuse(state: StackState, admin: string, ids: string[]): Promise<{ ok: boolean; line: string }> {
  const ordinaryTurn = turns();
  const ordinary: Pick<Scenario, 'next'> = {
    next: () => {
      const turn = ordinaryTurn();
      if (turn % 2 === 0) return { body: JSON.stringify({ query: '{ regions { code name policy { retainedFloor } } }' }) };
      return {
        headers: { authorization: `Bearer ${admin}` },
        body: JSON.stringify({
          query: 'query($id: ID!) { person(id: $id) { name personalAccount { balance entries(first: 5) { nodes { amount } } } } }',
          variables: { id: ids[turn % ids.length] },
        }),
      };
    },
  };
  const bomb = `{ ...F30 } fragment F0 on Query { __typename } ${Array.from({ length: 30 }, (_, index) => `fragment F${index + 1} on Query { ...F${index} ...F${index} }`).join(' ')}`;
  const aliases = `query($id: ID!, $n: Int = 100) { ${Array.from({ length: 500 }, (_, index) => `p${index}: person(id: $id) { personalAccount { entries(first: $n) { nodes { amount } } } }`).join(' ')} }`;
  const abusive = turns();
  const abuse: Pick<Scenario, 'next' | 'token'> = {
    token: admin,
    next: () => ({ body: JSON.stringify(abusive() % 2 === 0 ? { query: bomb } : { query: aliases, variables: { id: ids[0] } }) }),
  };
  await checkRefused(state, abuse, 2);
  const alone = await load(state, ordinary);
  const [together, abusers] = await Promise.all([load(state, ordinary), load(state, abuse, ABUSIVE_CONNECTIONS)]);
  const failures = alone.non2xx + alone.errors + together.non2xx + together.errors;
  const ratio = together.latency.p99 / Math.max(1, alone.latency.p99);
  const ok = failures === 0 && abusers.errors === 0 && ratio <= ABUSE_P99_RATIO;
  const line =
    `${'ordinary traffic alone, then beside abuse'.padEnd(44)} p99 ${alone.latency.p99} ms alone, ${together.latency.p99} ms beside ${Math.round(abusers.requests.average)} refused abusive req/s ` +
    `(bomb, 500 aliases; ${ABUSIVE_CONNECTIONS} connections)  ratio ${ratio.toFixed(2)}  errors ${failures}  target ratio <= ${ABUSE_P99_RATIO}  ${ok ? 'OK' : 'MISSED'}`;
  return { ok, line };
}

async function main(): Promise<void> {
  const state = await startStack();
  try {
    const admin = await issueToken({ role: 'ADMIN', sub: 'bench' }, state.jwtSecret, 3600);
    const { ids, cards } = await seed(state, admin, 50);
    const terminal = await issueToken({ role: 'TERMINAL', institutionId: 'BENCH01', sub: 'bench' }, state.jwtSecret, 3600);
    const nextSettlement = turns();
    /** One counter request for the next seeded patient, with that patient's own card. */
    const atCounter = (field: 'settle' | 'quoteSettlement', selection: string, bill: { purpose: string; inScopeAmount: string }) => {
      const settling = nextSettlement();
      const patient = settling % ids.length;
      const operation = field === 'settle' ? 'mutation' : 'query';
      return {
        headers: { 'x-insurance-credential': cards[patient] },
        body: JSON.stringify({
          query: `${operation}($input: SettleInput!) { ${field}(input: $input) { ${selection} } }`,
          variables: {
            input: {
              idempotencyKey: `bench-${process.pid}-${settling}`,
              patientId: ids[patient],
              institutionId: 'BENCH01',
              outOfScopeAmount: '0.00',
              ...bill,
            },
          },
        }),
      };
    };
    const nextPerson = turns();
    const fiftyPersons = `{ ${ids.map((id, index) => `p${index}: person(id: "${id}") { name personalAccount { balance shareableBalance entries(first: 5) { nodes { amount kind } } } }`).join(' ')} }`;
    const scenarios: Scenario[] = [
      {
        name: 'regions (anonymous, public policy)',
        next: () => ({ body: JSON.stringify({ query: '{ regions { code name policy { retainedFloor allowedRelationships } } }' }) }),
        target: { rps: 300, p99Ms: 250 },
      },
      {
        name: 'person + account + 5 entries (ADMIN)',
        token: admin,
        target: { rps: 200, p99Ms: 300 },
        next: () => ({
          body: JSON.stringify({
            query: 'query($id: ID!) { person(id: $id) { name personalAccount { balance entries(first: 5) { nodes { amount } } } } }',
            variables: { id: ids[nextPerson() % ids.length] },
          }),
        }),
      },
      {
        name: '50 persons with accounts and entries in one request',
        token: admin,
        next: () => ({ body: JSON.stringify({ query: fiftyPersons }) }),
        target: { rps: 20, p99Ms: 1500 },
      },
      {
        name: 'creditPersonalAccount (a new key each time)',
        token: admin,
        target: { rps: 100, p99Ms: 500 },
        next: () => {
          const turn = nextPerson();
          return {
            body: JSON.stringify({
              query: 'mutation($input: CreditAccountInput!) { creditPersonalAccount(input: $input) { balanceAfter } }',
              variables: { input: { personId: ids[turn % ids.length], amount: '1.00', idempotencyKey: `bench-${process.pid}-${turn}` } },
            }),
          };
        },
      },
      {
        name: 'settle at a pharmacy (own card, own account)',
        token: terminal,
        target: { rps: 100, p99Ms: 500 },
        next: () => atCounter('settle', 'id ownAccountPaid cashPaid', { purpose: 'PHARMACY', inScopeAmount: '1.00' }),
      },
      {
        name: 'quoteSettlement (own card, nothing written)',
        token: terminal,
        target: { rps: 150, p99Ms: 400 },
        next: () =>
          atCounter('quoteSettlement', 'totalAmount cashPaid steps { source amount note }', {
            purpose: 'OUTPATIENT',
            inScopeAmount: '300.00',
          }),
      },
    ];
    console.log(
      `autocannon: ${CONNECTIONS} connections, ${DURATION_SECONDS} s per scenario, gateway, three subgraphs and MariaDB on this machine`,
    );
    let allOk = true;
    for (const scenario of scenarios) {
      const { ok, line } = await run(state, scenario);
      allOk &&= ok;
      console.log(line);
    }
    const abuse = await runAbuse(state, admin, ids);
    allOk &&= abuse.ok;
    console.log(abuse.line);
    process.exitCode = allOk ? 0 : 1;
  } finally {
    await stopStack(state);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
