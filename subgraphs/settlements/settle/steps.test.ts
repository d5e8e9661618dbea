import { sumFen } from '../../shared/money';
import { loadRegionsConfig } from '../../shared/policy/config';
import { explainPlan } from '../waterfall/explain';
import { planSettlement } from '../waterfall/waterfall';
import type { SettlementRecord } from './records';
import { quotedSteps, settledSteps } from './steps';

const book = loadRegionsConfig(undefined);
const now = new Date();
const fuzhou = book.knownPolicyAt('350100', now);

const plan = explainPlan(
  planSettlement({
    bill: { purpose: 'PHARMACY', inScopeFen: 80000, outOfScopeFen: 0, useMutualAid: true },
    patientId: 'p',
    patientRegion: '350100',
    patientBalanceFen: null,
    patientPolicy: fuzhou,
    poolingRule: undefined,
    fundUse: { deductibleUsedFen: 0, fundPaidFen: 0 },
    payers: [
      {
        bindingId: 'b',
        authorizerId: 'a',
        authorizerRegion: '350100',
        authorizerActive: true,
        bindingActive: true,
        balanceFen: 250000,
        policy: fuzhou,
      },
    ],
  }),
  'PHARMACY',
);

test('each step names the rule and its figures, in Chinese and English, and the steps add up to the total', () => {
  const steps = quotedSteps(plan.steps, 'PHARMACY');
  expect(steps.map((step) => [step.source, step.amountFen])).toEqual([
    ['FUND', 0],
    ['OWN_ACCOUNT', 0],
    ['MUTUAL_AID', 50000],
    ['CASH', 30000],
  ]);
  expect(steps[2].note).toBe(
    '只可使用余额 2500.00 元中保留额 2000.00 元以上部分（350100 第 1 版政策） / Only the balance of 2500.00 above the retained floor of 2000.00 may pay (region 350100, policy version 1)',
  );
  expect(steps[1].note).toContain('no personal account');
  expect(steps[3].note).toContain('300.00');
  expect(sumFen(steps)).toBe(80000);
});

test('a settlement whose account paid less than planned says so and the rest is cash', () => {
  const record = {
    purpose: 'PHARMACY',
    plan: { steps: plan.steps, debits: [] },
    cashFen: 50000,
    payments: [{ seq: 2, source: 'MUTUAL_AID', accountId: 'a', bindingId: 'b', amountFen: 30000, transferId: 't' }],
  } as unknown as SettlementRecord;
  const steps = settledSteps(record);
  expect(steps.map((step) => step.amountFen)).toEqual([0, 0, 30000, 50000]);
  expect(steps[2].note).toContain('paid 300.00 of 500.00 planned');
  expect(sumFen(steps)).toBe(80000);
});
