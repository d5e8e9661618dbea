import fc from 'fast-check';
import { DomainError, type ErrorCode } from '../../shared/errors';
import { planDebit, planTransfer, type AccountFunds, type DebitMode, type DebitStep } from './plan';

const balances = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('planDebit', () => {
  test.each<[string, Record<string, number>, DebitStep[], number, number[]]>([
    ['own account covers all', { own: 100000 }, [{ accountId: 'own', floorFen: 0 }], 30000, [30000]],
    [
      'own account runs dry, relative pays the rest',
      { own: 10000, rel: 50000 },
      [
        { accountId: 'own', floorFen: 0 },
        { accountId: 'rel', floorFen: 0 },
      ],
      30000,
      [10000, 20000],
    ],
    ['Fuzhou floor: 2500 over a 2000 floor pays 500 of 800', { rel: 250000 }, [{ accountId: 'rel', floorFen: 200000 }], 80000, [50000]],
    ['balance below the floor pays nothing', { rel: 150000 }, [{ accountId: 'rel', floorFen: 200000 }], 80000, [0]],
    [
      'older binding first, second covers the rest',
      { a: 30000, b: 90000 },
      [
        { accountId: 'a', floorFen: 0 },
        { accountId: 'b', floorFen: 0 },
      ],
      50000,
      [30000, 20000],
    ],
    ['step limit caps the take', { own: 100000 }, [{ accountId: 'own', floorFen: 0, limitFen: 1000 }], 5000, [1000]],
    [
      'one account twice never pays twice what it holds',
      { a: 3000 },
      [
        { accountId: 'a', floorFen: 0 },
        { accountId: 'a', floorFen: 0 },
      ],
      5000,
      [3000, 0],
    ],
    ['unknown account pays nothing', {}, [{ accountId: 'x', floorFen: 0 }], 5000, [0]],
    ['zero amount takes nothing', { a: 3000 }, [{ accountId: 'a', floorFen: 0 }], 0, [0]],
  ])('%s', (_name, given, steps, amount, takes) => {
    expect(planDebit(balances(given), steps, amount).map((take) => take.takeFen)).toEqual(takes);
  });

  test('never takes more than the amount, an account above its floor, or a step above its limit', () => {
    const step = fc.record({
      accountId: fc.constantFrom('a', 'b', 'c'),
      floorFen: fc.integer({ min: 0, max: 300000 }),
      limitFen: fc.option(fc.integer({ min: 0, max: 300000 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.record({
          a: fc.integer({ min: 0, max: 500000 }),
          b: fc.integer({ min: 0, max: 500000 }),
          c: fc.integer({ min: 0, max: 500000 }),
        }),
        fc.array(step, { maxLength: 6 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (given, steps, amount) => {
          const plan = planDebit(balances(given), steps, amount);
          const total = plan.reduce((sum, take) => sum + take.takeFen, 0);
          if (total > amount) return false;
          const left = new Map(Object.entries(given));
          return plan.every((take, index) => {
            const before = left.get(take.accountId);
            // A take from an account the plan was not given breaks the property.
            if (before === undefined) return false;
            const after = before - take.takeFen;
            left.set(take.accountId, after);
            const limit = steps[index].limitFen;
            return (
              take.takeFen >= 0 && (take.takeFen === 0 || after >= steps[index].floorFen) && (limit === undefined || take.takeFen <= limit)
            );
          });
        },
      ),
    );
  });
});

describe('planTransfer', () => {
  const funds = (entries: Record<string, [balanceFen: number, pendingFen: number]>) =>
    new Map<string, AccountFunds>(Object.entries(entries).map(([id, [balanceFen, pendingFen]]) => [id, { balanceFen, pendingFen }]));
  const own = { accountId: 'own', floorFen: 0 };
  const rel = { accountId: 'rel', floorFen: 200000 };

  /** The takes and the total paid, or the code of the refusal. */
  function outcome(
    accounts: Map<string, AccountFunds>,
    steps: DebitStep[],
    amountFen: number,
    mode: DebitMode,
  ): { takes: number[]; paidFen: number } | ErrorCode {
    try {
      const plan = planTransfer(accounts, steps, amountFen, mode);
      return { takes: plan.takes.map((take) => take.takeFen), paidFen: plan.paidFen };
    } catch (error) {
      if (error instanceof DomainError) return error.code;
      throw error;
    }
  }

  test.each<[string, Record<string, [number, number]>, DebitStep[], number, DebitMode, { takes: number[]; paidFen: number } | ErrorCode]>([
    [
      'UP_TO leaves what the accounts cannot pay to cash',
      { own: [10000, 0], rel: [250000, 0] },
      [own, rel],
      80000,
      'UP_TO',
      { takes: [10000, 50000], paidFen: 60000 },
    ],
    ['UP_TO with nothing usable pays nothing', { own: [0, 0] }, [own], 5000, 'UP_TO', { takes: [0], paidFen: 0 }],
    [
      'WHOLE covered to the fen',
      { own: [10000, 0], rel: [250000, 0] },
      [own, rel],
      60000,
      'WHOLE',
      { takes: [10000, 50000], paidFen: 60000 },
    ],
    ['WHOLE short by one fen is refused', { own: [10000, 0], rel: [250000, 0] }, [own, rel], 60001, 'WHOLE', 'INSUFFICIENT_BALANCE'],
    [
      'WHOLE respects the floor: 2500 over a 2000 floor cannot pay 500.01',
      { rel: [250000, 0] },
      [rel],
      50001,
      'WHOLE',
      'INSUFFICIENT_BALANCE',
    ],
    [
      'a pending transfer reserves part of the balance',
      { rel: [250000, 30000] },
      [rel],
      80000,
      'UP_TO',
      { takes: [20000], paidFen: 20000 },
    ],
    ['what pending transfers reserve cannot pay a WHOLE debit', { own: [10000, 4000] }, [own], 6001, 'WHOLE', 'INSUFFICIENT_BALANCE'],
    ['an account without a row is NOT_FOUND, even UP_TO', { own: [10000, 0] }, [own, rel], 5000, 'UP_TO', 'NOT_FOUND'],
  ])('%s', (_name, given, steps, amountFen, mode, expected) => {
    expect(outcome(funds(given), steps, amountFen, mode)).toEqual(expected);
  });
});
