import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { issueToken, type Claims } from '../gateway/auth';
import { personsApi } from '../subgraphs/shared/contracts/persons';
import { InternalClient } from '../subgraphs/shared/internal';
import {
  DEMO_FAMILIES,
  DEMO_KEY_PREFIX,
  DEMO_PERSONS,
  DEMO_PREMIUM,
  demoPerson,
  type DemoFamily,
  type DemoPerson,
  type DemoPersonKey,
} from './demoData';

/**
 * The demo families of scripts/demoData.ts, created through the gateway's public API as the
 * bureau's enrolment feed (ADMIN) and the app (INSURED) would. Idempotent: persons are looked up by
 * id number and name first (accounts' match API: the public graph deliberately has no such lookup),
 * every movement of money carries a fixed idempotency key, a card is issued only to a person holding
 * none, and a binding is requested only where the pair has no open one.
 */

export interface SeedTarget {
  gatewayUrl: string;
  /** The accounts replicas (serviceUrls): persons are matched through its internal API. */
  accountsUrls: readonly string[];
  jwtSecret: string;
  serviceSecret: string;
  /** Where card tokens are kept between runs: the service stores only their hash, so they are shown once. */
  cardsFile: string;
}

export interface SeededPerson {
  key: DemoPersonKey;
  id: string;
  name: string;
  maskedIdNumber: string;
  regionCode: string;
  scheme: string;
  balance: string | null;
  credentialId: string;
  /** null when the card was issued by an earlier run whose token is not in the cards file. */
  cardToken: string | null;
}

export interface SeededFamily {
  key: string;
  title: string;
  bindingId: string;
  relationship: string;
  status: string;
  authorizerId: string;
  beneficiaryId: string;
}

export interface SeedReport {
  persons: SeededPerson[];
  families: SeededFamily[];
  premium: { id: string; productCode: string; amount: string; status: string; payerId: string; beneficiaryId: string };
  /** What this run created or changed; empty when everything already existed. */
  changes: string[];
}

type CardsFile = Record<string, { credentialId: string; token: string }>;

const OPEN_STATUSES = ['PENDING_CONSENT', 'PENDING_REVIEW', 'ACTIVE'];
const TOKEN_LIFETIME_SECONDS = 600;

class SeedError extends Error {}

/** Calls the gateway as one caller; any GraphQL error stops the seed naming the operation. */
async function call<T>(target: SeedTarget, token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${target.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  if (answer.errors?.length || !answer.data) {
    const problems = (answer.errors ?? []).map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; ');
    throw new SeedError(`${query.trim().split(/[({]/)[0]} failed (HTTP ${response.status}): ${problems || 'no data'}`);
  }
  return answer.data;
}

const PERSON_STATE = `query DemoPerson($id: ID!) {
  person(id: $id) { id name maskedIdNumber scheme region { code } personalAccount { balance } credentials { id revokedAt } }
}`;
const REGISTER = `mutation DemoRegister($input: RegisterInsuredInput!) { registerInsured(input: $input) { id } }`;
const CREDIT = `mutation DemoCredit($input: CreditAccountInput!) { creditPersonalAccount(input: $input) { id createdAt } }`;
const ISSUE = `mutation DemoIssueCredential($personId: ID!) { issueCredential(personId: $personId) { id token } }`;
const BINDINGS = `query DemoBindings($id: ID!) {
  person(id: $id) { bindingsAsAuthorizer { id status relationship beneficiary { id } } }
}`;
const REQUEST = `mutation DemoRequestBinding($input: RequestBindingInput!) { requestFamilyBinding(input: $input) { id status } }`;
const ACCEPT = `mutation DemoAcceptBinding($id: ID!) { acceptFamilyBinding(id: $id) { id status } }`;
const REVIEW = `mutation DemoReviewBinding($id: ID!, $note: String) { reviewFamilyBinding(id: $id, approve: true, note: $note) { id status } }`;
const PAY_PREMIUM = `mutation DemoPayPremium($input: PayPremiumInput!) {
  payPremium(input: $input) { id productCode amount status createdAt payer { id } beneficiary { id } }
}`;

interface PersonState {
  id: string;
  name: string;
  maskedIdNumber: string;
  scheme: string;
  region: { code: string };
  personalAccount: { balance: string } | null;
  credentials: Array<{ id: string; revokedAt: string | null }>;
}

export async function seedDemo(target: SeedTarget): Promise<SeedReport> {
  const startedAt = Date.now();
  const changes: string[] = [];
  const mint = (claims: Partial<Claims> & { role: Claims['role'] }) =>
    issueToken({ sub: 'demo-seed', ...claims } as Claims, target.jwtSecret, TOKEN_LIFETIME_SECONDS);
  const admin = await mint({ role: 'ADMIN' });
  const insured = (personId: string) => mint({ role: 'INSURED', sub: `demo-${personId}`, personId });
  // The server's clock stamps what it writes; anything stamped after this run began is this run's.
  const isNew = (createdAt: string) => Date.parse(createdAt) >= startedAt;

  const accounts = new InternalClient(target.accountsUrls, target.serviceSecret);
  const cards = readCards(target.cardsFile);
  const ids = new Map<DemoPersonKey, string>();

  for (const person of DEMO_PERSONS) {
    const id = await ensurePerson(person);
    ids.set(person.key, id);
  }
  const families: SeededFamily[] = [];
  for (const family of DEMO_FAMILIES) families.push(await ensureBinding(family));
  const premium = await ensurePremium();
  const persons: SeededPerson[] = [];
  for (const person of DEMO_PERSONS) persons.push(await ensureCard(person));
  writeCards(target.cardsFile, cards);
  return { persons, families, premium, changes };

  async function ensurePerson(person: DemoPerson): Promise<string> {
    const requestId = `demo-seed-${randomUUID()}`;
    const { personId } = await accounts.call(personsApi.match, { idNumber: person.idNumber, name: person.name }, requestId);
    let id = personId;
    if (!id) {
      const input = { idNumber: person.idNumber, name: person.name, regionCode: person.regionCode, scheme: person.scheme };
      id = (await call<{ registerInsured: { id: string } }>(target, admin, REGISTER, { input })).registerInsured.id;
      changes.push(`registered ${person.name} ${id}`);
    }
    if (person.creditAmount) {
      const input = {
        personId: id,
        amount: person.creditAmount,
        idempotencyKey: `${DEMO_KEY_PREFIX}-credit-${person.key}`,
        memo: '演示数据 划入',
      };
      const { creditPersonalAccount } = await call<{ creditPersonalAccount: { id: string; createdAt: string } }>(target, admin, CREDIT, {
        input,
      });
      if (isNew(creditPersonalAccount.createdAt)) changes.push(`credited ${person.creditAmount} to ${person.name}`);
    }
    return id;
  }

  async function ensureBinding(family: DemoFamily): Promise<SeededFamily> {
    const authorizerId = personId(family.authorizer);
    const beneficiaryId = personId(family.beneficiary);
    const { person } = await call<{
      person: { bindingsAsAuthorizer: Array<{ id: string; status: string; relationship: string; beneficiary: { id: string } }> };
    }>(target, admin, BINDINGS, { id: authorizerId });
    let binding = person.bindingsAsAuthorizer.find(
      (candidate) => candidate.beneficiary.id === beneficiaryId && OPEN_STATUSES.includes(candidate.status),
    );
    if (!binding) {
      // The app: the authorizer asks for the binding himself.
      const input = { authorizerId, beneficiaryId, relationship: family.relationship, commitmentAccepted: true, evidence: family.evidence };
      const { requestFamilyBinding } = await call<{ requestFamilyBinding: { id: string; status: string } }>(
        target,
        await insured(authorizerId),
        REQUEST,
        { input },
      );
      binding = { ...requestFamilyBinding, relationship: family.relationship, beneficiary: { id: beneficiaryId } };
      changes.push(`requested ${family.key} binding ${binding.id}: ${binding.status}`);
    }
    if (binding.status === 'PENDING_CONSENT') {
      // Hunan's 接受绑定: the beneficiary accepts in her own app.
      const { acceptFamilyBinding } = await call<{ acceptFamilyBinding: { status: string } }>(
        target,
        await insured(beneficiaryId),
        ACCEPT,
        { id: binding.id },
      );
      binding.status = acceptFamilyBinding.status;
      changes.push(`accepted ${family.key} binding ${binding.id}: ${binding.status}`);
    }
    if (binding.status === 'PENDING_REVIEW' && family.finalStatus === 'ACTIVE') {
      const reviewer = await mint({ role: 'ADMIN', sub: 'demo-reviewer', region: demoPerson(family.authorizer).regionCode });
      const { reviewFamilyBinding } = await call<{ reviewFamilyBinding: { status: string } }>(target, reviewer, REVIEW, {
        id: binding.id,
        note: '演示数据：材料齐全',
      });
      binding.status = reviewFamilyBinding.status;
      changes.push(`approved ${family.key} binding ${binding.id}: ${binding.status}`);
    }
    return {
      key: family.key,
      title: family.title,
      bindingId: binding.id,
      relationship: binding.relationship,
      status: binding.status,
      authorizerId,
      beneficiaryId,
    };
  }

  async function ensurePremium(): Promise<SeedReport['premium']> {
    const payerId = personId(DEMO_PREMIUM.payer);
    const input = {
      idempotencyKey: `${DEMO_KEY_PREFIX}-premium-${DEMO_PREMIUM.productCode}`,
      payerId,
      beneficiaryId: personId(DEMO_PREMIUM.beneficiary),
      purpose: 'COMMERCIAL_HEALTH_INSURANCE',
      productCode: DEMO_PREMIUM.productCode,
      amount: DEMO_PREMIUM.amount,
    };
    const { payPremium } = await call<{
      payPremium: {
        id: string;
        productCode: string;
        amount: string;
        status: string;
        createdAt: string;
        payer: { id: string };
        beneficiary: { id: string };
      };
    }>(target, await insured(payerId), PAY_PREMIUM, { input });
    if (isNew(payPremium.createdAt)) changes.push(`paid the ${payPremium.productCode} premium ${payPremium.id}`);
    return {
      id: payPremium.id,
      productCode: payPremium.productCode,
      amount: payPremium.amount,
      status: payPremium.status,
      payerId: payPremium.payer.id,
      beneficiaryId: payPremium.beneficiary.id,
    };
  }

  async function ensureCard(person: DemoPerson): Promise<SeededPerson> {
    const id = personId(person.key);
    let state = (await call<{ person: PersonState }>(target, admin, PERSON_STATE, { id })).person;
    const live = state.credentials.filter((credential) => !credential.revokedAt);
    const kept = cards[id];
    let card = kept && live.some((credential) => credential.id === kept.credentialId) ? kept : null;
    if (live.length === 0) {
      const { issueCredential } = await call<{ issueCredential: { id: string; token: string } }>(target, admin, ISSUE, { personId: id });
      card = { credentialId: issueCredential.id, token: issueCredential.token };
      cards[id] = card;
      changes.push(`issued a card to ${person.name} ${issueCredential.id}`);
      state = (await call<{ person: PersonState }>(target, admin, PERSON_STATE, { id })).person;
    }
    return {
      key: person.key,
      id,
      name: state.name,
      maskedIdNumber: state.maskedIdNumber,
      regionCode: state.region.code,
      scheme: state.scheme,
      balance: state.personalAccount?.balance ?? null,
      credentialId: card?.credentialId ?? live[0].id,
      cardToken: card?.token ?? null,
    };
  }

  function personId(key: DemoPersonKey): string {
    const id = ids.get(key);
    if (!id) throw new SeedError(`demo person ${key} was not seeded`);
    return id;
  }
}

function readCards(file: string): CardsFile {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CardsFile) : {};
}

function writeCards(file: string, cards: CardsFile): void {
  mkdirSync(dirname(file), { recursive: true });
  // Card tokens settle money at a counter: readable by their owner only.
  writeFileSync(file, `${JSON.stringify(cards, null, 2)}\n`, { mode: 0o600 });
}
