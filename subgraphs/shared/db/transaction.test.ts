import type { DataSource } from 'typeorm';
import { DomainError } from '../errors';
import { createObservability } from '../server/observability';
import { countRetriesOf, inTransaction, isDuplicateKey, query, RetryableConflict, type Sql } from './transaction';

/** A data source whose transactions run `work` without SQL: the retry rule is what is under test. */
function fakeDataSource(): DataSource {
  return { transaction: async (work: (sql: Sql) => Promise<unknown>) => work({} as Sql) } as unknown as DataSource;
}

async function retriesCounted(observability: ReturnType<typeof createObservability>, province: string): Promise<number> {
  const { values } = await observability.transactionRetries.get();
  return values.find((value) => value.labels.province === province)?.value ?? 0;
}

/** Runs a transaction whose first `failures` attempts throw `error`; answers its outcome and the attempts made. */
async function runFailing(error: () => unknown, failures: number) {
  const observability = createObservability('test', 'silent');
  let attempts = 0;
  const outcome = await inTransaction(fakeDataSource(), '35', observability, async () => {
    attempts += 1;
    if (attempts <= failures) throw error();
    return 'done';
  }).catch((caught: unknown) => caught);
  return { outcome, attempts, retries: await retriesCounted(observability, '35') };
}

describe('inTransaction', () => {
  test('a RetryableConflict runs the whole transaction again and is counted like a deadlock', async () => {
    expect(await runFailing(() => new RetryableConflict('account changed under a transfer'), 2)).toEqual({
      outcome: 'done',
      attempts: 3,
      retries: 2,
    });
  });

  test('a deadlock (errno 1213) is retried the same way', async () => {
    expect(await runFailing(() => Object.assign(new Error('Deadlock found'), { errno: 1213 }), 2)).toEqual({
      outcome: 'done',
      attempts: 3,
      retries: 2,
    });
  });

  test('a conflict that never clears ends in SERVICE_UNAVAILABLE after ten attempts', async () => {
    const { outcome, attempts, retries } = await runFailing(() => new RetryableConflict('account changed under a transfer'), Infinity);
    expect(outcome).toBeInstanceOf(DomainError);
    expect((outcome as DomainError).code).toBe('SERVICE_UNAVAILABLE');
    expect({ attempts, retries }).toEqual({ attempts: 10, retries: 9 });
  });

  test('a domain error and an unknown error are not retried', async () => {
    const refused = await runFailing(() => new DomainError({ code: 'INSUFFICIENT_BALANCE', zh: '余额不足', en: 'Not enough balance' }), 1);
    expect((refused.outcome as DomainError).code).toBe('INSUFFICIENT_BALANCE');
    expect({ attempts: refused.attempts, retries: refused.retries }).toEqual({ attempts: 1, retries: 0 });
    const bug = new TypeError('a bug');
    expect(await runFailing(() => bug, 1)).toEqual({ outcome: bug, attempts: 1, retries: 0 });
  });
});

describe('query (one statement, autocommit)', () => {
  /** A data source whose first `failures` statements throw `error`. */
  function failingStatements(error: () => unknown, failures: number) {
    let attempts = 0;
    const dataSource = {
      query: async () => {
        attempts += 1;
        if (attempts <= failures) throw error();
        return [{ n: 1 }];
      },
    } as unknown as DataSource;
    return { dataSource, attempts: () => attempts };
  }

  test('a certification conflict (errno 1213) runs the statement again and is counted for its province', async () => {
    const observability = createObservability('test', 'silent');
    const { dataSource, attempts } = failingStatements(() => Object.assign(new Error('Deadlock found'), { errno: 1213 }), 2);
    countRetriesOf(dataSource, observability);
    expect(await query(dataSource, '35', 'UPDATE settlements SET status = ? WHERE id = ? AND status = ?')).toEqual([{ n: 1 }]);
    expect({ attempts: attempts(), retries: await retriesCounted(observability, '35') }).toEqual({ attempts: 3, retries: 2 });
  });

  test('a lost connection is SERVICE_UNAVAILABLE at once, and an unknown error is not retried', async () => {
    const lost = failingStatements(() => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 1);
    expect(((await query(lost.dataSource, '35', 'SELECT 1').catch((error: unknown) => error)) as DomainError).code).toBe(
      'SERVICE_UNAVAILABLE',
    );
    expect(lost.attempts()).toBe(1);
    const bug = new TypeError('a bug');
    const failing = failingStatements(() => bug, 1);
    expect(await query(failing.dataSource, '35', 'SELECT 1').catch((error: unknown) => error)).toBe(bug);
    expect(failing.attempts()).toBe(1);
  });
});

describe('isDuplicateKey', () => {
  test.each<[string, boolean, unknown]>([
    ['mysql2 error 1062', true, Object.assign(new Error('Duplicate entry'), { errno: 1062 })],
    ['TypeORM QueryFailedError wrapping 1062', true, Object.assign(new Error('Duplicate entry'), { driverError: { errno: 1062 } })],
    ['a deadlock', false, Object.assign(new Error('Deadlock found'), { errno: 1213 })],
    ['a CHECK violation (MariaDB 4025)', false, Object.assign(new Error('CONSTRAINT failed'), { errno: 4025 })],
    ['an error without errno', false, new Error('connection lost')],
    ['a DomainError', false, new DomainError({ code: 'INVALID_STATE', zh: '状态不允许', en: 'Not in this state' })],
  ])('%s → %s', (_name, duplicate, error) => {
    expect(isDuplicateKey(error)).toBe(duplicate);
  });
});
