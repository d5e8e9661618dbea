import { createConnection } from 'mysql2/promise';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stackEnv, startProcess, startStack, stopStack, waitForHealth, type StackState } from '../scripts/stack';
import { connect, idNumber, kill, start, stackClient as client, waitForStatement } from './privateStack';
import { until } from './until';

/**
 * Faults on a private stack of its own (own ports, own databases), so killing a process here
 * disturbs no other test: SIGKILL in the middle of a stream of settlements, an unreachable
 * province backend, a subgraph slower than the gateway's timeout.
 */
jest.setTimeout(600_000);

/** Settlements per fault stream: short in CI, longer on demand (`npm run fault-test`). */
const STREAM_LENGTH = Number(process.env.FAULT_SETTLEMENTS ?? 24);

describe.each(['accounts', 'settlements'] as const)('SIGKILL of the %s subgraph in the middle of a stream of settlements', (service) => {
  let state: StackState;
  beforeAll(async () => {
    state = await startStack();
  });
  afterAll(async () => {
    await stopStack(state);
  });

  test('every settlement happened once or not at all, and a retry with its key tells which', async () => {
    const api = client(state);
    const { authorizer, patient, card } = await api.setup();
    const keys = Array.from({ length: STREAM_LENGTH }, (_, index) => `stream-${service}-${index}`);
    const firstTry = new Map<string, string | undefined>();
    const inFlight = new Set<string>();
    const settle = async (key: string) => {
      inFlight.add(key);
      const result = await api.settle(patient, card, key);
      inFlight.delete(key);
      firstTry.set(key, result.data?.settle?.id);
    };

    // The kill lands at a known request and step: with the authorizer's account row held, the
    // KILL_AT-th settlement and every other one in flight wait at the ledger's lock on it (its debit
    // has begun, nothing is committed). Killing accounts there loses the debits; killing settlements
    // leaves them to commit when the row is released, with their intents still open.
    const KILL_AT = Math.floor(STREAM_LENGTH / 3);
    const accounts = await connect(state, 'accounts', '43');
    const blocker = await connect(state, 'accounts', '43');
    let killedInFlight: string[] = [];
    const killWhileWaitingAtTheLedger = async (key: string) => {
      await blocker.query('START TRANSACTION');
      await blocker.query('SELECT * FROM personal_accounts WHERE person_id = ? FOR UPDATE', [authorizer]);
      const answered = settle(key);
      await waitForStatement(accounts, '%FROM personal_accounts%FOR UPDATE', authorizer, () => inFlight.size);
      killedInFlight = [...inFlight];
      kill(state, service);
      await blocker.query('ROLLBACK');
      await start(state, service);
      await answered;
    };

    // Three counters send the stream; none sends its next settlement while the kill is under way.
    let paused: Promise<void> = Promise.resolve();
    let next = 0;
    try {
      await Promise.all(
        Array.from({ length: 3 }, async () => {
          for (;;) {
            await paused;
            if (next >= keys.length) return;
            const index = next;
            next += 1;
            if (index === KILL_AT) {
              paused = killWhileWaitingAtTheLedger(keys[index]);
              await paused;
            } else {
              await settle(keys[index]);
            }
          }
        }),
      );
    } finally {
      await blocker.end();
      await accounts.end();
    }
    // Every key was sent once; each settlement in flight at the kill, the KILL_AT-th among them, got no answer.
    expect(firstTry.size).toBe(keys.length);
    expect(killedInFlight).toContain(keys[KILL_AT]);
    expect(killedInFlight.map((key) => [key, firstTry.get(key)])).toEqual(killedInFlight.map((key) => [key, undefined]));

    // The counter retries every key until it has an answer: the same settlement for those that went through.
    const final = new Map<string, string>();
    for (const key of keys) {
      final.set(
        key,
        await until(`an answer to ${key}`, async () => (await api.settle(patient, card, key)).data?.settle?.id as string | undefined, {
          pauseMs: 250,
        }),
      );
      const before = firstTry.get(key);
      if (before) expect(final.get(key)).toBe(before);
    }
    expect(new Set(final.values()).size).toBe(keys.length);
    expect(await api.balance(authorizer)).toBe((5000 - keys.length * 10).toFixed(2));

    const ledger = await connect(state, 'accounts', '43');
    const settlements = await connect(state, 'settlements', '43');
    try {
      const [debits] = await ledger.query(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT reference) AS refs FROM ledger_entries WHERE account_id = ? AND kind = 'MUTUAL_AID_PAYMENT'",
        [authorizer],
      );
      expect((debits as Array<{ n: number; refs: number }>)[0]).toEqual({ n: keys.length, refs: keys.length });
      const [open] = await settlements.query("SELECT COUNT(*) AS n FROM settlements WHERE patient_id = ? AND status <> 'SETTLED'", [
        patient,
      ]);
      expect(Number((open as Array<{ n: string }>)[0].n)).toBe(0);
    } finally {
      await ledger.end();
      await settlements.end();
    }
  });
});

describe('database connections dropped in the middle of a stream of settlements', () => {
  let state: StackState;
  beforeAll(async () => {
    state = await startStack();
  });
  afterAll(async () => {
    await stopStack(state);
  });

  test('every answer is a settlement or SERVICE_UNAVAILABLE, and retries end with each settlement once', async () => {
    const api = client(state);
    const { authorizer, patient, card } = await api.setup();
    const admin = await createConnection({ uri: state.mysqlUrl });
    const keys = Array.from({ length: STREAM_LENGTH }, (_, index) => `dropped-${index}`);
    const answers: string[] = [];
    try {
      for (const [index, key] of keys.entries()) {
        if (index % 4 === 2) {
          // Cut every connection the services hold to the Hunan databases.
          const [connections] = await admin.query('SELECT id FROM information_schema.processlist WHERE db LIKE ?', [
            `${state.prefix}_%_43`,
          ]);
          for (const { id } of connections as Array<{ id: number }>)
            await admin.query(`KILL CONNECTION ${Number(id)}`).catch(() => undefined);
        }
        const result = await api.settle(patient, card, key);
        answers.push(result.data?.settle ? 'SETTLED' : String(result.errors?.[0]?.extensions?.code));
      }
    } finally {
      await admin.end();
    }
    expect(answers.filter((answer) => answer !== 'SETTLED' && answer !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    for (const key of keys)
      await until(`a settlement for ${key}`, async () => Boolean((await api.settle(patient, card, key)).data?.settle), { pauseMs: 250 });
    expect(await api.balance(authorizer)).toBe((5000 - keys.length * 10).toFixed(2));
  });
});

describe('a province backend that cannot be reached', () => {
  let state: StackState;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'databases-'));
    const file = join(dir, 'databases.json');
    // Port 1 on loopback: nothing listens, so province 65 is down from the start.
    writeFileSync(file, JSON.stringify({ provinces: { 65: 'mysql://root@127.0.0.1:1' } }));
    state = await startStack({ DATABASES_CONFIG: file });
  });
  afterAll(async () => {
    await stopStack(state);
  });

  test('every process is live, and the gateway stays ready, listing that province as down', async () => {
    for (const port of Object.values(state.ports)) expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${state.ports.gateway}/ready`);
    expect(ready.status).toBe(200);
    const provinces = { 35: 'up', 43: 'up', 53: 'up', 65: 'down' };
    expect(await ready.json()).toEqual({
      status: 'ready',
      subgraphs: {
        accounts: { status: 'ready', national: 'up', provinces },
        family: { status: 'ready', provinces },
        settlements: { status: 'ready', national: 'up', provinces },
      },
    });
    const settlements = await fetch(`http://127.0.0.1:${state.ports.settlements}/ready`);
    expect(settlements.status).toBe(200);
    expect(await settlements.json()).toEqual({ status: 'ready', national: 'up', provinces });
  });

  test('a gateway that cannot reach a subgraph is live but not ready, and says which', async () => {
    const port = await freePort();
    const gateway = startProcess('gateway/main.js', { ...stackEnv(state), GATEWAY_PORT: String(port), FAMILY_URL: 'http://127.0.0.1:1' });
    try {
      await waitForHealth(`http://127.0.0.1:${port}/health`, 30_000);
      const ready = await fetch(`http://127.0.0.1:${port}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'unavailable',
        subgraphs: { accounts: { status: 'ready' }, family: { status: 'unreachable' } },
      });
    } finally {
      gateway.kill('SIGTERM');
    }
  });

  test('answers SERVICE_UNAVAILABLE for that province only; the others keep working; nothing is half-written', async () => {
    const api = client(state);
    const number = idNumber();
    const refused = await api.register('650100', 'EMPLOYEE', number);
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(refused.errors?.[0].message).toContain('65');
    expect(
      (await api.call({ role: 'ADMIN' }, '{ person(id: "650100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0P") { id } }')).errors?.map(
        (error) => error.extensions?.code,
      ),
    ).toEqual(['SERVICE_UNAVAILABLE']);

    // The refused registration left no claim on the id number behind: it registers in Hunan at once.
    expect((await api.register('430700', 'EMPLOYEE', number)).data.registerInsured.id).toMatch(/^430700-/);
    const { authorizer, patient, card } = await api.setup();
    expect((await api.settle(patient, card, 'province-down-1')).data.settle.mutualAidPaid).toBe('10.00');
    expect(await api.balance(authorizer)).toBe('4990.00');
  });
});

describe("a subgraph slower than the gateway's timeout", () => {
  let state: StackState;
  beforeAll(async () => {
    state = await startStack({ SUBGRAPH_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => {
    await stopStack(state);
  });

  test('the client gets a clear SERVICE_UNAVAILABLE; the late completion is idempotent', async () => {
    const api = client(state);
    const { authorizer, patient, card } = await api.setup();
    // Hold the authorizer's account row: the ledger waits behind it, past the gateway's timeout,
    // until the client has its answer; then the row is released and the debit goes through late.
    const accounts = await connect(state, 'accounts', '43');
    const blocker = await connect(state, 'accounts', '43');
    try {
      await blocker.query('START TRANSACTION');
      await blocker.query('SELECT * FROM personal_accounts WHERE person_id = ? FOR UPDATE', [authorizer]);
      const answer = api.settle(patient, card, 'slow-1');
      await waitForStatement(accounts, '%FROM personal_accounts%FOR UPDATE', authorizer);
      const slow = await answer;
      expect(slow.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(slow.errors?.[0].message).toMatch(/did not answer within 1000 ms/);
      await blocker.query('ROLLBACK');
    } finally {
      await blocker.end();
      await accounts.end();
    }
    const retried = await until('the retry to answer', async () => (await api.settle(patient, card, 'slow-1')).data?.settle, {
      pauseMs: 250,
    });
    expect(retried.mutualAidPaid).toBe('10.00');
    expect(await api.balance(authorizer)).toBe('4990.00');
  });
});
