import fc from 'fast-check';
import { sumFen } from '../../shared/money';
import { loadRegionsConfig } from '../../shared/policy/config';
import { poolingRuleOf, type MutualAidPolicy } from '../../shared/policy/policy';
import { PURPOSES, type Purpose } from '../../shared/policy/vocabulary';
import { fundShare, paidBy, payerAvailability, planSettlement, type PayerState, type WaterfallInput } from './waterfall';

const book = loadRegionsConfig(undefined);
const now = new Date();
const policy = (region: string): MutualAidPolicy => book.knownPolicyAt(region, now);
const rule = (region: string, scheme: 'EMPLOYEE' | 'RESIDENT', purpose: Purpose) => poolingRuleOf(policy(region), scheme, purpose);

function payer(id: string, region: string, balanceFen: number, extra: Partial<PayerState> = {}): PayerState {
  return {
    bindingId: `b-${id}`,
    authorizerId: id,
    authorizerRegion: region,
    authorizerActive: true,
    bindingActive: true,
    balanceFen,
    policy: policy(region),
    ...extra,
  };
}

function input(
  region: string,
  purpose: Purpose,
  inScopeFen: number,
  outOfScopeFen: number,
  extra: Partial<WaterfallInput> = {},
): WaterfallInput {
  return {
    bill: { purpose, inScopeFen, outOfScopeFen, useMutualAid: true },
    patientId: 'patient',
    patientRegion: region,
    patientBalanceFen: null,
    patientPolicy: policy(region),
    poolingRule: rule(region, 'RESIDENT', purpose),
    fundUse: { deductibleUsedFen: 0, fundPaidFen: 0 },
    payers: [],
    ...extra,
  };
}

const amounts = (plan: ReturnType<typeof planSettlement>) => plan.steps.map((step) => [step.source, step.amountFen, step.limitedBy]);

describe('the worked examples of the settlements issue', () => {
  test('350100: authorizer with 2500.00, resident beneficiary buys 800.00 at a pharmacy: 500.00 mutual aid, 300.00 cash', () => {
    const plan = planSettlement(input('350100', 'PHARMACY', 80000, 0, { payers: [payer('a', '350100', 250000)] }));
    expect(amounts(plan)).toEqual([
      ['FUND', 0, 'NO_FUND_RULE'],
      ['OWN_ACCOUNT', 0, 'NO_ACCOUNT'],
      ['MUTUAL_AID', 50000, 'FLOOR'],
      ['CASH', 30000, 'REMAINDER'],
    ]);
  });

  test('532300 pays 100.00 out-of-catalogue at a pharmacy from family funds; 430700 leaves it to cash', () => {
    const chuxiong = planSettlement(input('532300', 'PHARMACY', 0, 10000, { payers: [payer('a', '532300', 50000)] }));
    expect([paidBy(chuxiong.steps, 'MUTUAL_AID'), paidBy(chuxiong.steps, 'CASH')]).toEqual([10000, 0]);
    const changde = planSettlement(input('430700', 'PHARMACY', 0, 10000, { payers: [payer('a', '430700', 50000)] }));
    expect([paidBy(changde.steps, 'MUTUAL_AID'), paidBy(changde.steps, 'CASH')]).toEqual([0, 10000]);
    expect(changde.steps[2].limitedBy).toBe('OUT_OF_SCOPE_NOT_COVERED');
  });

  test('two authorizers: the older binding pays first, the second covers the rest', () => {
    const plan = planSettlement(
      input('430700', 'PHARMACY', 50000, 0, { payers: [payer('older', '430700', 30000), payer('newer', '430700', 90000)] }),
    );
    expect(amounts(plan).slice(2)).toEqual([
      ['MUTUAL_AID', 30000, 'BALANCE'],
      ['MUTUAL_AID', 20000, 'PAID_IN_FULL'],
      ['CASH', 0, 'REMAINDER'],
    ]);
  });

  test('an authorizer no longer ACTIVE pays nothing', () => {
    const plan = planSettlement(
      input('430700', 'PHARMACY', 50000, 0, { payers: [payer('gone', '430700', 90000, { authorizerActive: false })] }),
    );
    expect(amounts(plan).slice(2)).toEqual([
      ['MUTUAL_AID', 0, 'AUTHORIZER_NOT_ACTIVE'],
      ['CASH', 50000, 'REMAINDER'],
    ]);
  });
});

describe('rules', () => {
  test("a purpose the authorizer's region does not allow pays nothing from it (VACCINE outside 350100)", () => {
    const plan = planSettlement(input('430700', 'VACCINE', 20000, 0, { payers: [payer('a', '430700', 90000)] }));
    expect(plan.steps[2].limitedBy).toBe('PURPOSE_NOT_ALLOWED');
    expect(paidBy(plan.steps, 'CASH')).toBe(20000);
    expect(
      paidBy(planSettlement(input('350100', 'VACCINE', 20000, 0, { payers: [payer('a', '350100', 290000)] })).steps, 'MUTUAL_AID'),
    ).toBe(20000);
  });

  test("a relative's money pays only purposes both regions allow: a Fuzhou parent pays no VACCINE for an Urumqi child", () => {
    const plan = planSettlement(input('650100', 'VACCINE', 20000, 0, { payers: [payer('a', '350100', 290000)] }));
    expect(plan.steps[2]).toMatchObject({ limitedBy: 'PURPOSE_NOT_ALLOWED', region: '650100', policyVersion: 1, amountFen: 0 });
    expect(paidBy(plan.steps, 'CASH')).toBe(20000);
    expect(
      paidBy(planSettlement(input('650100', 'PHARMACY', 20000, 0, { payers: [payer('a', '350100', 290000)] })).steps, 'MUTUAL_AID'),
    ).toBe(20000);
  });

  test.each([
    ["the authorizer's region", '350100', { authorizer: false, patient: true }],
    ["the patient's region", '650100', { authorizer: true, patient: false }],
  ])('cross-province aid stops when %s turns it off, whatever the binding says', (_name, refusingRegion, allows) => {
    const plan = planSettlement(
      input('650100', 'PHARMACY', 20000, 0, {
        patientPolicy: { ...policy('650100'), crossProvince: allows.patient },
        payers: [payer('a', '350100', 290000, { policy: { ...policy('350100'), crossProvince: allows.authorizer } })],
      }),
    );
    expect(plan.steps[2]).toMatchObject({ limitedBy: 'CROSS_PROVINCE_NOT_ALLOWED', region: refusingRegion, amountFen: 0 });
    expect(paidBy(plan.steps, 'CASH')).toBe(20000);
  });

  test('a binding no longer ACTIVE at the instant of payment pays nothing', () => {
    const plan = planSettlement(input('430700', 'PHARMACY', 20000, 0, { payers: [payer('a', '430700', 90000, { bindingActive: false })] }));
    expect(amounts(plan).slice(2)).toEqual([
      ['MUTUAL_AID', 0, 'BINDING_NOT_ACTIVE'],
      ['CASH', 20000, 'REMAINDER'],
    ]);
  });

  // The receipt names the rule that stopped a relative's account: the floor only where there is one.
  test.each([
    ['a floor of 0 (430700): the whole balance was used', '430700', 30000, 30000, 'BALANCE'],
    ['a floor of 0 (430700), an empty account', '430700', 0, 0, 'BALANCE'],
    ["Fuzhou's floor of 2000.00: the balance above it was used", '350100', 250000, 50000, 'FLOOR'],
    ["Fuzhou's floor of 2000.00, a balance below it", '350100', 150000, 0, 'FLOOR'],
  ])("a relative's step stopped by %s", (_name, region, balanceFen, paidFen, limitedBy) => {
    const plan = planSettlement(input(region, 'PHARMACY', 80000, 0, { payers: [payer('a', region, balanceFen)] }));
    expect(amounts(plan)[2]).toEqual(['MUTUAL_AID', paidFen, limitedBy]);
  });

  test('useMutualAid false declines family funds; the own account still pays', () => {
    const plan = planSettlement(
      input('430700', 'PHARMACY', 20000, 0, {
        patientBalanceFen: 5000,
        bill: { purpose: 'PHARMACY', inScopeFen: 20000, outOfScopeFen: 0, useMutualAid: false },
        payers: [payer('a', '430700', 90000)],
      }),
    );
    expect(amounts(plan)).toEqual([
      ['FUND', 0, 'NO_FUND_RULE'],
      ['OWN_ACCOUNT', 5000, 'BALANCE'],
      ['MUTUAL_AID', 0, 'DECLINED'],
      ['CASH', 15000, 'REMAINDER'],
    ]);
  });

  test("the patient's own account pays first, with no floor, even in Fuzhou", () => {
    const plan = planSettlement(
      input('350100', 'PHARMACY', 30000, 0, { patientBalanceFen: 100000, payers: [payer('a', '350100', 300000)] }),
    );
    expect(amounts(plan).slice(1)).toEqual([
      ['OWN_ACCOUNT', 30000, 'PAID_IN_FULL'],
      ['MUTUAL_AID', 0, 'PAID_IN_FULL'],
      ['CASH', 0, 'REMAINDER'],
    ]);
  });

  test('an account that covers out-of-catalogue cost pays that part first, leaving in-catalogue cost to later accounts', () => {
    const plan = planSettlement(
      input('532300', 'PHARMACY', 10000, 10000, {
        patientBalanceFen: 10000,
        payers: [payer('a', '532300', 10000, { policy: { ...policy('532300'), coversOutOfScope: false } })],
      }),
    );
    expect(amounts(plan).slice(1)).toEqual([
      ['OWN_ACCOUNT', 10000, 'BALANCE'],
      ['MUTUAL_AID', 10000, 'PAID_IN_FULL'],
      ['CASH', 0, 'REMAINDER'],
    ]);
  });
});

describe('fundShare', () => {
  const employeeOutpatient = rule('430700', 'EMPLOYEE', 'OUTPATIENT'); // 200.00 deductible, 50 %, cap 2000.00
  test.each([
    ['below the deductible', 15000, { deductibleUsedFen: 0, fundPaidFen: 0 }, 0, 15000],
    ['across the deductible', 50000, { deductibleUsedFen: 0, fundPaidFen: 0 }, 15000, 20000],
    ['deductible already used', 50000, { deductibleUsedFen: 20000, fundPaidFen: 0 }, 25000, 0],
    ['near the cap', 50000, { deductibleUsedFen: 20000, fundPaidFen: 190000 }, 10000, 0],
    ['cap reached', 50000, { deductibleUsedFen: 20000, fundPaidFen: 200000 }, 0, 0],
    ['odd fen round down', 20001, { deductibleUsedFen: 20000, fundPaidFen: 0 }, 10000, 0],
  ])('%s', (_name, inScope, use, fund, deductible) => {
    const share = fundShare(inScope, employeeOutpatient, use);
    expect([share.fundFen, share.deductibleAppliedFen]).toEqual([fund, deductible]);
  });

  test('no fund share for a pharmacy purchase', () => {
    expect(fundShare(50000, rule('430700', 'EMPLOYEE', 'PHARMACY'), { deductibleUsedFen: 0, fundPaidFen: 0 }).limitedBy).toBe(
      'NO_FUND_RULE',
    );
  });
});

test('the steps always add up to the total, and no account pays above its balance or below its floor', () => {
  const regions = ['430700', '532300', '350100', '650100'];
  fc.assert(
    fc.property(
      fc.constantFrom(...regions),
      fc.constantFrom(...PURPOSES.slice(0, 5)),
      fc.integer({ min: 0, max: 500000 }),
      fc.integer({ min: 0, max: 500000 }),
      fc.option(fc.integer({ min: 0, max: 400000 }), { nil: null }),
      fc.boolean(),
      fc.array(fc.record({ balance: fc.integer({ min: 0, max: 400000 }), active: fc.boolean() }), { maxLength: 4 }),
      (region, purpose, inScope, outOfScope, balance, useMutualAid, payers) => {
        fc.pre(inScope + outOfScope > 0);
        const plan = planSettlement(
          input(region, purpose, inScope, outOfScope, {
            patientBalanceFen: balance,
            bill: { purpose, inScopeFen: inScope, outOfScopeFen: outOfScope, useMutualAid },
            payers: payers.map((candidate, index) => payer(`p${index}`, region, candidate.balance, { authorizerActive: candidate.active })),
          }),
        );
        const sum = sumFen(plan.steps);
        const withinBalances = plan.steps.every((step, index) => {
          if (step.source === 'OWN_ACCOUNT') return step.amountFen <= (balance ?? 0);
          if (step.source === 'MUTUAL_AID') {
            const state = payers[index - 2];
            return step.amountFen === 0 || state.balance - step.amountFen >= policy(region).retainedFloorFen;
          }
          return step.amountFen >= 0;
        });
        return sum === inScope + outOfScope && withinBalances;
      },
    ),
  );
});

describe('what a binding could pay (Person.mutualAidSources) is what the waterfall takes from it', () => {
  const regions = ['430700', '430100', '532300', '350100', '650100'];
  test('for any regions, balances and purpose, a bill larger than every account takes exactly payerAvailability from each', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...regions),
        fc.constantFrom(...PURPOSES),
        fc.array(fc.tuple(fc.constantFrom(...regions), fc.integer({ min: 0, max: 1_000_000 }), fc.boolean()), { maxLength: 4 }),
        (patientRegion, purpose, payers) => {
          const states = payers.map(([region, balanceFen, authorizerActive], index) =>
            payer(`p${index}`, region, balanceFen, { authorizerActive }),
          );
          const plan = planSettlement(input(patientRegion, purpose, 100_000_000, 0, { payers: states }));
          const taken = plan.steps.filter((step) => step.source === 'MUTUAL_AID').map((step) => step.amountFen);
          const available = states.map((state) => payerAvailability(state, patientRegion, policy(patientRegion), purpose).availableFen);
          expect(taken).toEqual(available);
        },
      ),
    );
  });

  test("Fuzhou's floor, a purpose one region does not share, and across provinces where one region does not allow it", () => {
    const fuzhou = policy('350100');
    expect(payerAvailability(payer('a', '350100', 250_000), '350100', fuzhou, 'PHARMACY')).toEqual({ refusal: null, availableFen: 50_000 });
    expect(payerAvailability(payer('a', '350100', 150_000), '350100', fuzhou, 'PHARMACY').availableFen).toBe(0);
    expect(payerAvailability(payer('b', '650100', 30_000), '350100', fuzhou, 'VACCINE')).toMatchObject({
      refusal: { limitedBy: 'PURPOSE_NOT_ALLOWED', region: '650100' },
      availableFen: 0,
    });
    expect(payerAvailability(payer('c', '430700', 30_000), '350100', fuzhou, 'PHARMACY')).toMatchObject({
      refusal: { limitedBy: 'CROSS_PROVINCE_NOT_ALLOWED', region: '430700' },
      availableFen: 0,
    });
  });
});
