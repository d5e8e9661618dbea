import { codes, gql, register, token, uniqueKey } from './client';
import { activeBinding, balanceOf, employee } from './counter';

/**
 * Partner products (惠民保) belong to exactly one partner, by an explicit owner: 红山惠民保 HSHMB-2026
 * is HSHMB's (config/products.json). A partner code is never a prefix that opens other codes.
 */
const PAY = 'mutation($input: PayPremiumInput!) { payPremium(input: $input) { id amount productCode } }';
const READ =
  'query($code: String!) { premiumPayments(productCode: $code, first: 100) { nodes { id amount payer { name } beneficiary { name } } } }';

async function payHongshan(amount = '69.00', productCode = 'HSHMB-2026', purpose = 'COMMERCIAL_HEALTH_INSURANCE') {
  const payer = await employee('650100', '500.00');
  const parent = await register('650100', 'RESIDENT', '王秀英');
  await activeBinding(payer, parent, 'PARENT');
  const paid = await gql(
    PAY,
    { input: { idempotencyKey: uniqueKey('hmb'), payerId: payer, beneficiaryId: parent, purpose, productCode, amount } },
    { token: await token({ role: 'INSURED', personId: payer }) },
  );
  return { payer, paid };
}

test('a partner reads the payments of the products it owns, and no other code, whatever it starts with', async () => {
  const { paid } = await payHongshan();
  const id = paid.data.payPremium.id;
  const owner = await gql(READ, { code: 'HSHMB-2026' }, { token: await token({ role: 'PARTNER', partnerCode: 'HSHMB' }) });
  expect(owner.errors).toBeUndefined();
  expect(owner.data.premiumPayments.nodes.find((node: { id: string }) => node.id === id)).toEqual({
    id,
    amount: '69.00',
    payer: { name: '测试人' },
    beneficiary: { name: '王秀英' },
  });

  for (const partnerCode of ['HS', 'H', 'HSHMB-2', 'FZHMB']) {
    const other = await gql(READ, { code: 'HSHMB-2026' }, { token: await token({ role: 'PARTNER', partnerCode }) });
    expect(codes(other)).toEqual(['FORBIDDEN']);
    expect(other.data).toBeNull();
  }
  // A code that starts with the partner's own but is not its product (not registered at all).
  expect(codes(await gql(READ, { code: 'HSHMB-2027' }, { token: await token({ role: 'PARTNER', partnerCode: 'HSHMB' }) }))).toEqual([
    'FORBIDDEN',
  ]);
  const admin = await gql(READ, { code: 'HSHMB-2026' }, { token: await token({ role: 'ADMIN' }) });
  expect(admin.data.premiumPayments.nodes.map((node: { id: string }) => node.id)).toContain(id);
});

test("a commercial premium is paid only for a registered product, and a partner's product only as commercial insurance", async () => {
  const unknown = await payHongshan('69.00', 'HSHMB-2099');
  expect(codes(unknown.paid)).toEqual(['NOT_FOUND']);
  expect(await balanceOf(unknown.payer)).toBe('500.00');
  const asResidentPremium = await payHongshan('69.00', 'HSHMB-2026', 'RESIDENT_PREMIUM');
  expect(codes(asResidentPremium.paid)).toEqual(['BAD_USER_INPUT']);
  expect(await balanceOf(asResidentPremium.payer)).toBe('500.00');
});
