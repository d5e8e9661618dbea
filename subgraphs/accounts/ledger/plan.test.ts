import fc from 'fast-check';
import { planDebit, type DebitStep } from './plan';

const balances = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('planDebit', () => {
  test.each<[string, Record<string, number>, DebitStep[], number, number[]]>([
    ['own account covers all', { own: 100000 }, [{ accountId: 'own', floorFen: 0 }], 30000, [30000]],
    ['own account runs dry, relative pays the rest', { own: 10000, rel: 50000 }, [{ accountId: 'own', floorFen: 0 }, { accountId: 'rel', floorFen: 0 }], 30000, [10000, 20000]],
    ['Fuzhou floor: 2500 over a 2000 floor pays 500 of 800', { rel: 250000 }, [{ accountId: 'rel', floorFen: 200000 }], 80000, [50000]],
    ['balance below the floor pays nothing', { rel: 150000 }, [{ accountId: 'rel', floorFen: 200000 }], 80000, [0]],
    ['older binding first, second covers the rest', { a: 30000, b: 90000 }, [{ accountId: 'a', floorFen: 0 }, { accountId: 'b', floorFen: 0 }], 50000, [30000, 20000]],
    ['step limit caps the take', { own: 100000 }, [{ accountId: 'own', floorFen: 0, limitFen: 1000 }], 5000, [1000]],
    ['one account twice never pays twice what it holds', { a: 3000 }, [{ accountId: 'a', floorFen: 0 }, { accountId: 'a', floorFen: 0 }], 5000, [3000, 0]],
    ['unknown account pays nothing', {}, [{ accountId: 'x', floorFen: 0 }], 5000, [0]],
    ['zero amount takes nothing', { a: 3000 }, [{ accountId: 'a', floorFen: 0 }], 0, [0]],
  ])('%s', (_name, given, steps, amount, takes) => {
    expect(planDebit(balances(given), steps, amount).map((take) => take.takeFen)).toEqual(takes);
  });

  test('never takes more than the amount, an account above its floor, or a step above its limit', () => {
    const step = fc.record({ accountId: fc.constantFrom('a', 'b', 'c'), floorFen: fc.integer({ min: 0, max: 300000 }), limitFen: fc.option(fc.integer({ min: 0, max: 300000 }), { nil: undefined }) });
    fc.assert(fc.property(
      fc.record({ a: fc.integer({ min: 0, max: 500000 }), b: fc.integer({ min: 0, max: 500000 }), c: fc.integer({ min: 0, max: 500000 }) }),
      fc.array(step, { maxLength: 6 }),
      fc.integer({ min: 0, max: 1_000_000 }),
      (given, steps, amount) => {
        const plan = planDebit(balances(given), steps, amount);
        const total = plan.reduce((sum, take) => sum + take.takeFen, 0);
        if (total > amount) return false;
        const left = new Map(Object.entries(given));
        return plan.every((take, index) => {
          const after = left.get(take.accountId)! - take.takeFen;
          left.set(take.accountId, after);
          const limit = steps[index].limitFen;
          return take.takeFen >= 0 && (take.takeFen === 0 || after >= steps[index].floorFen) && (limit === undefined || take.takeFen <= limit);
        });
      },
    ));
  });
});
