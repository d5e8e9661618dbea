import { credit, database, gql, register, token, uniqueKey } from './client';

/** What a counter and a family do in the settlement tests: bind, present a card, settle, refund. */
export const SETTLEMENT_FIELDS = `id idempotencyKey institutionId purpose status inScopeAmount outOfScopeAmount totalAmount fundPaid ownAccountPaid mutualAidPaid cashPaid createdAt refundedAt
  patient { id } mutualAidPayments { amount authorizer { id } binding { id } }`;

export const SETTLE = `mutation Settle($input: SettleInput!) { settle(input: $input) { ${SETTLEMENT_FIELDS} } }`;
export const REFUND = `mutation Refund($id: ID!, $key: String!) { refundSettlement(settlementId: $id, idempotencyKey: $key) { ${SETTLEMENT_FIELDS} } }`;

export async function issueCard(personId: string): Promise<string> {
  const result = await gql(
    'mutation($id: ID!) { issueCredential(personId: $id) { token } }',
    { id: personId },
    { token: await token({ role: 'ADMIN' }) },
  );
  return result.data.issueCredential.token;
}

/** An ACTIVE binding: accepted by the beneficiary where the region asks him (Hunan), approved by an ADMIN where it reviews. */
export async function activeBinding(authorizerId: string, beneficiaryId: string, relationship = 'CHILD'): Promise<string> {
  const requested = await gql(
    'mutation($input: RequestBindingInput!) { requestFamilyBinding(input: $input) { id status } }',
    {
      input: { authorizerId, beneficiaryId, relationship, commitmentAccepted: true, evidence: ['户口簿'] },
    },
    { token: await token({ role: 'INSURED', personId: authorizerId }) },
  );
  let binding = requested.data?.requestFamilyBinding;
  if (!binding) throw new Error(JSON.stringify(requested.errors));
  if (binding.status === 'PENDING_CONSENT') {
    const accepted = await gql(
      'mutation($id: ID!) { acceptFamilyBinding(id: $id) { id status } }',
      { id: binding.id },
      { token: await token({ role: 'INSURED', personId: beneficiaryId }) },
    );
    binding = accepted.data?.acceptFamilyBinding;
    if (!binding) throw new Error(JSON.stringify(accepted.errors));
  }
  if (binding.status === 'PENDING_REVIEW') {
    await gql(
      'mutation($id: ID!) { reviewFamilyBinding(id: $id, approve: true) { status } }',
      { id: binding.id },
      { token: await token({ role: 'ADMIN' }) },
    );
  }
  return binding.id;
}

export async function employee(region: string, balance?: string): Promise<string> {
  const id = await register(region, 'EMPLOYEE');
  if (balance) await credit(id, balance);
  return id;
}

export interface Counter {
  institutionId: string;
  token: string;
}

export async function counter(
  institutionId = `H${uniqueKey('i')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(-20)}`,
): Promise<Counter> {
  return { institutionId, token: await token({ role: 'TERMINAL', institutionId }) };
}

export interface Bill {
  purpose?: string;
  inScopeAmount?: string;
  outOfScopeAmount?: string;
  useMutualAid?: boolean;
  idempotencyKey?: string;
}

/** The SettleInput of a bill at an institution: a fresh key, a pharmacy purchase and 0.00 unless the bill says otherwise. */
export function settleInputFor(institutionId: string, patientId: string, bill: Bill = {}) {
  return {
    idempotencyKey: bill.idempotencyKey ?? uniqueKey('txn'),
    patientId,
    institutionId,
    purpose: bill.purpose ?? 'PHARMACY',
    inScopeAmount: bill.inScopeAmount ?? '0.00',
    outOfScopeAmount: bill.outOfScopeAmount ?? '0.00',
    ...(bill.useMutualAid === undefined ? {} : { useMutualAid: bill.useMutualAid }),
  };
}

export function settleAt(desk: Counter, patientId: string, card: string | undefined, bill: Bill) {
  return gql(SETTLE, { input: settleInputFor(desk.institutionId, patientId, bill) }, { token: desk.token, credential: card });
}

export async function balanceOf(personId: string): Promise<string> {
  const result = await gql(
    'query($id: ID!) { person(id: $id) { personalAccount { balance } } }',
    { id: personId },
    { token: await token({ role: 'ADMIN' }) },
  );
  return result.data.person.personalAccount.balance;
}

/**
 * A partner's product, written where the settlements subgraph keeps them (its national database), as
 * config does at first start; registerInsuranceProduct (issue "The people around the counter") will do it through the API.
 */
export async function registerProduct(code: string, partnerCode: string, regionCodes: string[], year = 2026): Promise<void> {
  const connection = await database('settlements', 'national');
  try {
    await connection.query(
      'INSERT INTO insurance_products (code, name, partner_code, year, created_at) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3))',
      [code, `测试产品 ${code}`, partnerCode, year],
    );
    await connection.query(
      `INSERT INTO insurance_product_regions (product_code, region_code) VALUES ${regionCodes.map(() => '(?, ?)').join(', ')}`,
      regionCodes.flatMap((region) => [code, region]),
    );
  } finally {
    await connection.end();
  }
}
