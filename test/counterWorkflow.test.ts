import fc from 'fast-check';
import { codes, credit, gql, register, token, uniqueKey } from './client';
import {
  activeBinding,
  balanceOf,
  counter,
  employee,
  issueCard,
  SETTLEMENT_FIELDS,
  settleAt,
  settleInputFor,
  type Bill,
  type Counter,
} from './counter';

const FIGURES =
  'totalAmount fundPaid ownAccountPaid mutualAidPaid cashPaid mutualAidPayments { amount policyVersion authorizer { id } binding { id } } steps { source amount account { id } note }';
const QUOTE = `query Quote($input: SettleInput!) { quoteSettlement(input: $input) { patient { id } purpose ${FIGURES} } }`;

function quoteAt(desk: Counter, patientId: string, card: string | undefined, bill: Bill) {
  return gql(
    QUOTE,
    { input: settleInputFor(desk.institutionId, patientId, { idempotencyKey: uniqueKey('quote'), ...bill }) },
    { token: desk.token, credential: card },
  );
}

const figuresOf = (result: {
  totalAmount: string;
  fundPaid: string;
  ownAccountPaid: string;
  mutualAidPaid: string;
  cashPaid: string;
  mutualAidPayments: unknown;
  steps: unknown;
}) => ({
  totalAmount: result.totalAmount,
  fundPaid: result.fundPaid,
  ownAccountPaid: result.ownAccountPaid,
  mutualAidPaid: result.mutualAidPaid,
  cashPaid: result.cashPaid,
  mutualAidPayments: result.mutualAidPayments,
  steps: result.steps,
});

describe('pre-settlement (预结算)', () => {
  test('with the Fuzhou floor and two authorizers, settle right after returns the quoted figures; the quote wrote nothing', async () => {
    const patient = await employee('350100', '50.00');
    const older = await employee('350100', '2300.00');
    const newer = await employee('350100', '2600.00');
    await activeBinding(older, patient, 'PARENT');
    await activeBinding(newer, patient, 'SPOUSE');
    const card = await issueCard(patient);
    const desk = await counter();
    const key = uniqueKey('txn');
    const bill = { idempotencyKey: key, purpose: 'OUTPATIENT', inScopeAmount: '1200.00', outOfScopeAmount: '0.00' };

    const quoted = await quoteAt(desk, patient, card, bill);
    expect(quoted.errors).toBeUndefined();
    const quote = quoted.data.quoteSettlement;
    // EMPLOYEE OUTPATIENT: (1200 - 200) * 50 % = 500 fund; own 50; older 300 above the floor; newer 350.
    expect(quote).toMatchObject({
      patient: { id: patient },
      purpose: 'OUTPATIENT',
      fundPaid: '500.00',
      ownAccountPaid: '50.00',
      mutualAidPaid: '650.00',
      cashPaid: '0.00',
    });
    expect(
      quote.mutualAidPayments.map((payment: { amount: string; authorizer: { id: string } }) => [payment.amount, payment.authorizer.id]),
    ).toEqual([
      ['300.00', older],
      ['350.00', newer],
    ]);
    expect(await quoteAt(desk, patient, card, bill).then((again) => again.data.quoteSettlement)).toEqual(quote);
    expect([await balanceOf(patient), await balanceOf(older), await balanceOf(newer)]).toEqual(['50.00', '2300.00', '2600.00']);

    const settled = await settleAt(desk, patient, card, bill);
    expect(settled.errors).toBeUndefined();
    const settlement = (
      await gql(`query($id: ID!) { settlement(id: $id) { ${FIGURES} } }`, { id: settled.data.settle.id }, { token: desk.token })
    ).data.settlement;
    expect(figuresOf(settlement)).toEqual(figuresOf(quote));
    expect([await balanceOf(patient), await balanceOf(older), await balanceOf(newer)]).toEqual(['0.00', '2000.00', '2250.00']);
  });

  test('is under the own-card rule through the schema directive, for counters only', async () => {
    const patient = await employee('430700', '10.00');
    const other = await employee('430700', '10.00');
    const desk = await counter();
    expect(codes(await quoteAt(desk, patient, undefined, { inScopeAmount: '5.00' }))).toEqual(['CREDENTIAL_REQUIRED']);
    expect(codes(await quoteAt(desk, patient, await issueCard(other), { inScopeAmount: '5.00' }))).toEqual(['CREDENTIAL_MISMATCH']);
    const card = await issueCard(patient);
    expect(codes(await quoteAt({ ...desk, institutionId: 'ELSEWHERE' }, patient, card, { inScopeAmount: '5.00' }))).toEqual(['FORBIDDEN']);
    const asAdmin = await gql(
      QUOTE,
      { input: settleInputFor(desk.institutionId, patient, { idempotencyKey: 'k', inScopeAmount: '5.00' }) },
      { token: await token({ role: 'ADMIN' }), credential: card },
    );
    expect(codes(asAdmin)).toEqual(['FORBIDDEN']);
    expect((await quoteAt(desk, patient, card, { inScopeAmount: '5.00' })).data.quoteSettlement.ownAccountPaid).toBe('5.00');
  });
});

describe('explained settlements', () => {
  test('every step names its rule and figures, adds up to the total, and a stored settlement keeps them', async () => {
    const changde = await employee('430700', '300.00');
    const patient = await register('430700', 'RESIDENT');
    await activeBinding(changde, patient, 'SIBLING');
    const card = await issueCard(patient);
    const desk = await counter();
    const settled = await settleAt(desk, patient, card, { purpose: 'PHARMACY', inScopeAmount: '100.00', outOfScopeAmount: '40.00' });
    const steps = (
      await gql(
        `query($id: ID!) { settlement(id: $id) { ${SETTLEMENT_FIELDS} steps { source amount note } } }`,
        { id: settled.data.settle.id },
        { token: desk.token },
      )
    ).data.settlement.steps;
    expect(steps.map((step: { source: string; amount: string }) => [step.source, step.amount])).toEqual([
      ['FUND', '0.00'],
      ['OWN_ACCOUNT', '0.00'],
      ['MUTUAL_AID', '100.00'],
      ['CASH', '40.00'],
    ]);
    expect(steps[2].note).toContain('Self-pay (out-of-catalogue) cost is not covered in 430700');
    expect(steps[1].note).toContain('no personal account');
    expect(steps[3].note).toMatch(/40\.00.*cash/);

    const declined = await settleAt(desk, patient, card, { purpose: 'PHARMACY', inScopeAmount: '10.00', useMutualAid: false });
    const declinedSteps = (
      await gql('query($id: ID!) { settlement(id: $id) { steps { source note } } }', { id: declined.data.settle.id }, { token: desk.token })
    ).data.settlement.steps;
    expect(declinedSteps.find((step: { source: string }) => step.source === 'MUTUAL_AID').note).toContain('Declined by the patient');

    const vaccine = await quoteAt(desk, patient, card, { purpose: 'VACCINE', inScopeAmount: '10.00' });
    expect(vaccine.data.quoteSettlement.steps[2].note).toContain('Purpose VACCINE not allowed in 430700');
  });
});

describe('quote equals settle (property)', () => {
  test('over random amounts, purposes, balances and bindings in several regions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('430700', '532300', '650100', '350100'),
        fc.constantFrom('OUTPATIENT', 'INPATIENT', 'PHARMACY', 'VACCINE', 'HEALTH_CHECK'),
        fc.integer({ min: 1, max: 300_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
        fc.array(fc.integer({ min: 0, max: 400_000 }), { maxLength: 2 }),
        fc.boolean(),
        async (region, purpose, inScopeFen, outOfScopeFen, ownBalanceFen, authorizerBalances, useMutualAid) => {
          const patient = ownBalanceFen === null ? await register(region, 'RESIDENT') : await employee(region);
          if (ownBalanceFen) await credit(patient, (ownBalanceFen / 100).toFixed(2));
          for (const [index, balance] of authorizerBalances.entries()) {
            const authorizer = await employee(region);
            if (balance > 0) await credit(authorizer, (balance / 100).toFixed(2));
            await activeBinding(authorizer, patient, index === 0 ? 'PARENT' : 'CHILD');
          }
          const card = await issueCard(patient);
          const desk = await counter();
          const bill = {
            idempotencyKey: uniqueKey('prop'),
            purpose,
            inScopeAmount: (inScopeFen / 100).toFixed(2),
            outOfScopeAmount: (outOfScopeFen / 100).toFixed(2),
            useMutualAid,
          };
          const quote = (await quoteAt(desk, patient, card, bill)).data.quoteSettlement;
          const settled = await settleAt(desk, patient, card, bill);
          const settlement = (
            await gql(`query($id: ID!) { settlement(id: $id) { ${FIGURES} } }`, { id: settled.data.settle.id }, { token: desk.token })
          ).data.settlement;
          expect(figuresOf(settlement)).toEqual(figuresOf(quote));
          const stepsTotal = settlement.steps.reduce(
            (sum: number, step: { amount: string }) => sum + Math.round(Number(step.amount) * 100),
            0,
          );
          expect(stepsTotal).toBe(inScopeFen + outOfScopeFen);
        },
      ),
      { numRuns: 15 },
    );
  });
});
