import type { Connection } from 'mysql2/promise';
import { issueToken, type Claims } from '../gateway/auth';
import { connectDatabase, startProcess, stackEnv, waitForHealth, type StackState } from '../scripts/stack';
import { SUBGRAPHS } from '../subgraphs/shared/env';
import { checkCharacter } from '../subgraphs/shared/residentId';
import type { AnswerData } from './client';
import { until } from './until';

/**
 * Helpers for tests on a private stack of their own (own ports, own databases), where killing a
 * process or changing a region's policy disturbs no other test.
 */
let serial = 0;
export function idNumber(): string {
  serial += 1;
  const first17 = `43070219${70 + (serial % 30)}0${1 + (serial % 9)}1${serial % 10}${String(process.pid % 1000).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

export type Result = { data?: AnswerData; errors?: Array<{ message: string; extensions?: { code?: string } }> };
type Caller = Partial<Claims> & { role: Claims['role'] };

export function stackClient(state: StackState) {
  const url = `http://127.0.0.1:${state.ports.gateway}/graphql`;
  const tokenOf = (claims: Caller) => issueToken({ sub: 'fault-test', ...claims } as Claims, state.jwtSecret, 600);
  const call = async (claims: Caller, query: string, variables: object = {}, credential?: string): Promise<Result> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await tokenOf(claims)}`,
        ...(credential ? { 'x-insurance-credential': credential } : {}),
      },
      body: JSON.stringify({ query, variables }),
    }).catch(() => undefined);
    if (!response) return { errors: [{ message: 'gateway unreachable', extensions: { code: 'NETWORK' } }] };
    return (await response.json()) as Result;
  };
  const admin = { role: 'ADMIN' as const };
  return {
    call,
    async register(regionCode: string, scheme = 'EMPLOYEE', id = idNumber()) {
      return call(admin, 'mutation($i: RegisterInsuredInput!) { registerInsured(input: $i) { id } }', {
        i: { idNumber: id, name: '故障', regionCode, scheme },
      });
    },
    async person(regionCode: string, scheme: 'EMPLOYEE' | 'RESIDENT', amount?: string): Promise<string> {
      const id = (await this.register(regionCode, scheme)).data.registerInsured.id as string;
      if (amount)
        await call(admin, 'mutation($i: CreditAccountInput!) { creditPersonalAccount(input: $i) { id } }', {
          i: { personId: id, amount, idempotencyKey: `credit-${id}` },
        });
      return id;
    },
    /** An ACTIVE binding (accepted for the beneficiary and approved by an ADMIN where the region asks for either). */
    async bind(authorizerId: string, beneficiaryId: string, relationship = 'CHILD'): Promise<string> {
      let requested = (
        await call(admin, 'mutation($i: RequestBindingInput!) { requestFamilyBinding(input: $i) { id status } }', {
          i: { authorizerId, beneficiaryId, relationship, commitmentAccepted: true, evidence: ['户口簿'] },
        })
      ).data.requestFamilyBinding;
      if (requested.status === 'PENDING_CONSENT')
        requested = (await call(admin, 'mutation($id: ID!) { acceptFamilyBinding(id: $id) { id status } }', { id: requested.id })).data
          .acceptFamilyBinding;
      if (requested.status === 'PENDING_REVIEW')
        await call(admin, 'mutation($id: ID!) { reviewFamilyBinding(id: $id, approve: true) { id } }', { id: requested.id });
      return requested.id;
    },
    async card(personId: string): Promise<string> {
      return (await call(admin, 'mutation($id: ID!) { issueCredential(personId: $id) { token } }', { id: personId })).data.issueCredential
        .token;
    },
    async setup(): Promise<{ authorizer: string; patient: string; card: string }> {
      const authorizer = await this.person('430700', 'EMPLOYEE', '5000.00');
      const patient = await this.person('430700', 'RESIDENT');
      await this.bind(authorizer, patient);
      return { authorizer, patient, card: await this.card(patient) };
    },
    settle(patient: string, card: string, key: string, inScopeAmount = '10.00') {
      return call(
        { role: 'TERMINAL', institutionId: 'FAULT01' },
        'mutation($i: SettleInput!) { settle(input: $i) { id status mutualAidPaid ownAccountPaid cashPaid } }',
        {
          i: {
            idempotencyKey: key,
            patientId: patient,
            institutionId: 'FAULT01',
            purpose: 'PHARMACY',
            inScopeAmount,
            outOfScopeAmount: '0.00',
          },
        },
        card,
      );
    },
    void(patient: string, card: string, key: string) {
      return call(
        { role: 'TERMINAL', institutionId: 'FAULT01' },
        'mutation($i: VoidSettlementInput!) { voidSettlement(input: $i) { outcome settlement { id status } } }',
        { i: { idempotencyKey: key, patientId: patient, institutionId: 'FAULT01' } },
        card,
      );
    },
    async balance(personId: string): Promise<string> {
      return (await call(admin, 'query($id: ID!) { person(id: $id) { personalAccount { balance } } }', { id: personId })).data.person
        .personalAccount.balance;
    },
    async entries(personId: string): Promise<string[]> {
      const nodes = (
        await call(admin, 'query($id: ID!) { person(id: $id) { personalAccount { entries(first: 50) { nodes { kind amount } } } } }', {
          id: personId,
        })
      ).data.person.personalAccount.entries.nodes;
      return nodes.map((entry: { kind: string; amount: string }) => `${entry.kind} ${entry.amount}`);
    },
  };
}

type Service = 'accounts' | 'settlements';

export function kill(state: StackState, service: Service): void {
  process.kill(state.pids[SUBGRAPHS.indexOf(service)], 'SIGKILL');
}

export async function start(state: StackState, service: Service): Promise<void> {
  state.pids[SUBGRAPHS.indexOf(service)] = startProcess(`subgraphs/${service}/main.js`, stackEnv(state)).pid;
  await waitForHealth(`http://127.0.0.1:${state.ports[service]}/ready`, 30_000);
}

export function connect(state: StackState, owner: string, province: string): Promise<Connection> {
  return connectDatabase(state, owner, province);
}

/**
 * Waits until other connections to this connection's database run at least `count()` statements
 * matching `like` that name `mention` (e.g. requests blocked on a lock the test holds). The server is
 * shared with other runs, hence both filters. `count` is asked again on every look, for a number
 * that changes while the test waits (the requests still in flight).
 */
export async function waitForStatement(
  connection: Connection,
  like: string,
  mention: string,
  count: () => number = () => 1,
): Promise<void> {
  await until(
    `a statement like ${like} naming ${mention}`,
    async () => {
      const [rows] = await connection.query(
        'SELECT COUNT(*) AS n FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND db = DATABASE() AND info LIKE ? AND info LIKE ?',
        [like, `%${mention}%`],
      );
      return Number((rows as Array<{ n: string }>)[0].n) >= count();
    },
    { pauseMs: 25 },
  );
}
