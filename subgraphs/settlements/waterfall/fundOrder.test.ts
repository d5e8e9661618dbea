import fc from 'fast-check';
import { must } from '../../shared/must';
import { loadRegionsConfig } from '../../shared/policy/config';
import { poolingRuleOf, type PoolingRule } from '../../shared/policy/policy';
import type { Purpose } from '../../shared/policy/vocabulary';
import { settlementsToRefundFirst, type FundedSettlement } from './fundOrder';
import { fundShare, type FundUse } from './waterfall';

const book = loadRegionsConfig(undefined);
/** A pooling rule of the shipped defaults (DESIGN.md, Decisions for clients). */
const rule = (scheme: 'EMPLOYEE' | 'RESIDENT', purpose: Purpose): PoolingRule =>
  must(poolingRuleOf(book.knownPolicyAt('430700', new Date()), scheme, purpose), `the defaults have a ${scheme} ${purpose} rule`);
const employeeOutpatient = rule('EMPLOYEE', 'OUTPATIENT'); // 200.00 deductible, 50 %, cap 2000.00
const employeeInpatient = rule('EMPLOYEE', 'INPATIENT'); // 1000.00, 85 %, cap 300000.00
const residentOutpatient = rule('RESIDENT', 'OUTPATIENT'); // 0.00, 50 %, cap 300.00

/** The year's counters and standing settlements as the service keeps them: settle and withdraw. */
class Year {
  use: FundUse = { deductibleUsedFen: 0, fundPaidFen: 0 };
  standing: FundedSettlement[] = [];
  private next = 0;

  /** `rule`: the rule in force from now on (a policy version may change it within the year). */
  constructor(public rule: PoolingRule | undefined) {}

  settle(inScopeFen: number): FundedSettlement {
    const share = fundShare(inScopeFen, this.rule, this.use);
    this.next += 1;
    const settlement = {
      id: `s${this.next}`,
      inScopeFen,
      fundFen: share.fundFen,
      deductibleAppliedFen: share.deductibleAppliedFen,
      rule: this.rule,
    };
    this.use = {
      deductibleUsedFen: this.use.deductibleUsedFen + share.deductibleAppliedFen,
      fundPaidFen: this.use.fundPaidFen + share.fundFen,
    };
    this.standing.push(settlement);
    return settlement;
  }

  /** A refund or 冲正: refused (the ids to refund first) unless the rule allows it now. */
  withdraw(id: string, checked = true): string[] {
    const first = checked ? settlementsToRefundFirst(this.standing, id) : [];
    if (first.length > 0) return first;
    const settlement = must(
      this.standing.find((candidate) => candidate.id === id),
      `only a standing settlement is withdrawn: ${id}`,
    );
    this.use = {
      deductibleUsedFen: this.use.deductibleUsedFen - settlement.deductibleAppliedFen,
      fundPaidFen: this.use.fundPaidFen - settlement.fundFen,
    };
    this.standing = this.standing.filter((candidate) => candidate.id !== id);
    return [];
  }
}

/** The rule applied from zero to the standing settlements in the order made: each one's share. */
function ruleInOrder(
  standing: readonly FundedSettlement[],
  poolingRule: PoolingRule | undefined,
): Array<{ fundFen: number; deductibleAppliedFen: number }> {
  let use: FundUse = { deductibleUsedFen: 0, fundPaidFen: 0 };
  return standing.map((settlement) => {
    const share = fundShare(settlement.inScopeFen, poolingRule, use);
    use = { deductibleUsedFen: use.deductibleUsedFen + share.deductibleAppliedFen, fundPaidFen: use.fundPaidFen + share.fundFen };
    return { fundFen: share.fundFen, deductibleAppliedFen: share.deductibleAppliedFen };
  });
}

describe('settlementsToRefundFirst: tables from the issue, caps and inpatient', () => {
  test.each<[string, PoolingRule | undefined, number[], number, number[]]>([
    // Issue 12, item 5: A 200.00 used the deductible, B 1000.00 got 500.00; without A, B would get 400.00.
    ['the issue: refund A before B', employeeOutpatient, [20000, 100000], 0, [1]],
    ['the issue: refund B (the latest) first', employeeOutpatient, [20000, 100000], 1, []],
    ['deductible met before A: removing A changes nothing later', employeeOutpatient, [50000, 10000, 10000], 1, []],
    ['A took part of the deductible from B', employeeOutpatient, [10000, 50000], 0, [1]],
    ['an out-of-catalogue-only bill takes no fund share and blocks nothing', employeeOutpatient, [0, 30000], 0, []],
    [
      'cap 2000.00: A 3000.00 (1400.00), B capped at 600.00, C at 0: all later ones change',
      employeeOutpatient,
      [300000, 200000, 50000],
      0,
      [2, 1],
    ],
    ['cap: refunding B frees the cap C was refused', employeeOutpatient, [300000, 200000, 50000], 1, [2]],
    [
      'resident outpatient cap 300.00: B capped; without A it would get more, also refused (exact shares)',
      residentOutpatient,
      [40000, 40000],
      0,
      [1],
    ],
    [
      'inpatient: A 800.00 inside the 1000.00 deductible, B 2000.00 pays 1530.00; without A 850.00',
      employeeInpatient,
      [80000, 200000],
      0,
      [1],
    ],
    ['inpatient: the latest goes', employeeInpatient, [80000, 200000], 1, []],
    ['no fund share for the purpose (PHARMACY): any order', undefined, [10000, 20000, 30000], 0, []],
  ])('%s', (_name, poolingRule, bills, withdrawn, expectedIndexes) => {
    const year = new Year(poolingRule);
    const made = bills.map((inScopeFen) => year.settle(inScopeFen));
    expect(settlementsToRefundFirst(year.standing, made[withdrawn].id)).toEqual(expectedIndexes.map((index) => made[index].id));
  });

  /** A new year's rules scheduled ahead took effect between the settlements (scheduleRegionPolicy.poolingRules). */
  const noDeductible: PoolingRule = { ...employeeOutpatient, annualDeductibleFen: 0 };
  test.each<[string, PoolingRule, PoolingRule, number[], number, number[]]>([
    // A 50.00 under no deductible took 25.00 and none of it; B 1000.00 under the 200.00 deductible got
    // 400.00 and would get the same without A: by B's own rule A may go (by A's rule B would change).
    ['each settlement is judged by the rule it was made under', noDeductible, employeeOutpatient, [5000, 100000], 0, []],
    // A 200.00 used the old deductible; B under a deductible of 0 got 500.00 and still would: A may go.
    ['a deductible dropped mid-year: the earlier deductible blocks nothing', employeeOutpatient, noDeductible, [20000, 100000], 0, []],
    // A 100.00 used the whole 100.00 deductible; B 1000.00 under a 300.00 deductible applied the 200.00 left: without A, 300.00.
    [
      'a deductible raised mid-year: the later share depends on the earlier',
      { ...employeeOutpatient, annualDeductibleFen: 10000 },
      { ...employeeOutpatient, annualDeductibleFen: 30000 },
      [10000, 100000],
      0,
      [1],
    ],
  ])('%s', (_name, before, after, [firstBill, secondBill], withdrawn, expectedIndexes) => {
    const year = new Year(before);
    const first = year.settle(firstBill);
    year.rule = after;
    const made = [first, year.settle(secondBill)];
    expect(settlementsToRefundFirst(year.standing, made[withdrawn].id)).toEqual(expectedIndexes.map((index) => made[index].id));
  });

  test("the figures of the issue's example", () => {
    const year = new Year(employeeOutpatient);
    const [a, b] = [year.settle(20000), year.settle(100000)];
    expect([a.fundFen, a.deductibleAppliedFen, b.fundFen]).toEqual([0, 20000, 50000]);
    expect(ruleInOrder([b], employeeOutpatient)[0].fundFen).toBe(40000);
  });
});

describe('property: over random sequences of settlements and refunds', () => {
  const rules = fc.constantFrom(employeeOutpatient, employeeInpatient, residentOutpatient, rule('RESIDENT', 'INPATIENT'), undefined);
  const operations = fc.array(fc.oneof(fc.record({ settle: fc.integer({ min: 0, max: 400_000 }) }), fc.record({ refund: fc.nat() })), {
    maxLength: 40,
  });

  /** Runs a sequence; answers the first broken invariant, or null. */
  function run(poolingRule: PoolingRule | undefined, ops: Array<{ settle: number } | { refund: number }>, checked: boolean): string | null {
    const year = new Year(poolingRule);
    for (const op of ops) {
      if ('settle' in op) year.settle(op.settle);
      else if (year.standing.length > 0) {
        const target = year.standing[op.refund % year.standing.length];
        const first = year.withdraw(target.id, checked);
        // A refusal names settlements that stand and were made later; the latest is always allowed.
        if (first.length > 0 && !first.every((id) => year.standing.findIndex((s) => s.id === id) > year.standing.indexOf(target)))
          return 'refusal named an earlier settlement';
        if (first.length > 0 && year.withdraw(year.standing[year.standing.length - 1].id).length > 0)
          return 'the latest settlement could not be refunded';
      }
      const inOrder = ruleInOrder(year.standing, poolingRule);
      const paid = year.standing.reduce((sum, s) => sum + s.fundFen, 0);
      if (paid > inOrder.reduce((sum, s) => sum + s.fundFen, 0)) return 'the fund paid more than its rule applied in order';
      if (
        year.standing.some(
          (s, index) => s.fundFen !== inOrder[index].fundFen || s.deductibleAppliedFen !== inOrder[index].deductibleAppliedFen,
        )
      )
        return 'a standing share differs from the rule in order';
      const deductible = year.standing.reduce((sum, s) => sum + s.deductibleAppliedFen, 0);
      if (deductible > (poolingRule?.annualDeductibleFen ?? 0)) return 'a deductible was charged twice';
      if (paid > (poolingRule?.annualCapFen ?? 0) && paid > 0) return 'the fund passed its annual cap';
      if (year.use.deductibleUsedFen !== deductible || year.use.fundPaidFen !== paid)
        return 'the counters differ from the standing settlements';
    }
    return null;
  }

  test('the fund paid on standing settlements is the rule applied in order; no deductible is charged twice', () => {
    fc.assert(
      fc.property(rules, operations, (poolingRule, ops) => run(poolingRule, ops, true) === null),
      { numRuns: 2000 },
    );
  });

  test("without the refusal the same property finds the issue's overpayment", () => {
    const found = fc.check(
      fc.property(fc.constant(employeeOutpatient), operations, (poolingRule, ops) => run(poolingRule, ops, false) === null),
      { numRuns: 2000 },
    );
    expect(found.failed).toBe(true);
  });
});
