import { issueToken } from '../../gateway/auth';
import type { Request, Scenario } from './load';
import type { Seed, SeededPerson } from './seed';

/**
 * The bench's scenarios as a city's front ends send them to our gateway. Each request names the
 * identity the gateway will verify, so the same scenario can be sent to a baseline gateway or
 * straight to a subgraph. Keys are new on every settle (`bench-<pid>-<run>-<turn>`).
 */
export const INSTITUTION = 'BENCH01';

const REGIONS = '{ regions { code name } }';
const PERSON = 'query Person($id: ID!) { person(id: $id) { name } }';
const FAMILY_VIEW = `query FamilyView($id: ID!) { person(id: $id) { name personalAccount { balance }
  bindingsAsAuthorizer { beneficiary { name } }
  settlements(first: 5) { nodes { totalAmount steps { source amount } } } } }`;
const SETTLE = 'mutation Settle($input: SettleInput!) { settle(input: $input) { id ownAccountPaid mutualAidPaid cashPaid } }';
const QUOTE = 'query Quote($input: SettleInput!) { quoteSettlement(input: $input) { totalAmount cashPaid steps { source amount note } } }';
const LOOKUP = 'query PatientByCredential { patientByCredential { id name settlementSuspended } }';
const REFUND = 'mutation Refund($id: ID!, $key: String!) { refundSettlement(settlementId: $id, idempotencyKey: $key) { status } }';
const VOID = 'mutation Void($input: VoidSettlementInput!) { voidSettlement(input: $input) { outcome } }';

export interface Callers {
  admin: string;
  terminal: string;
  /** The INSURED token of each person whose family view is read. */
  insured: Map<string, string>;
}

export async function callers(secret: string, family: readonly SeededPerson[]): Promise<Callers> {
  const hour = 3600;
  const insured = new Map<string, string>();
  for (const person of family)
    insured.set(person.id, await issueToken({ role: 'INSURED', sub: person.id, personId: person.id }, secret, hour));
  return {
    admin: await issueToken({ role: 'ADMIN', sub: 'bench' }, secret, hour),
    terminal: await issueToken({ role: 'TERMINAL', institutionId: INSTITUTION, sub: 'bench' }, secret, hour),
    insured,
  };
}

function turns(): () => number {
  let turn = 0;
  return () => {
    turn += 1;
    return turn;
  };
}

function graphql(query: string, variables?: object): string {
  return JSON.stringify(variables ? { query, variables } : { query });
}

export function regionsScenario(): Scenario {
  return { name: '`regions` (anonymous)', next: () => ({ body: graphql(REGIONS), headers: {}, identity: { role: null } }) };
}

export function personScenario(seed: Seed, { admin }: Callers): Scenario {
  const turn = turns();
  return {
    name: '`person(id) { name }` (ADMIN)',
    next: () => ({
      body: graphql(PERSON, { id: seed.persons[turn() % seed.persons.length].id }),
      headers: { authorization: `Bearer ${admin}` },
      identity: { role: 'ADMIN', sub: 'bench' },
    }),
  };
}

export function familyViewScenario(family: readonly SeededPerson[], { insured }: Callers): Scenario {
  const turn = turns();
  return {
    name: 'family view, 3 subgraphs (INSURED himself)',
    next: () => {
      const person = family[turn() % family.length];
      return {
        body: graphql(FAMILY_VIEW, { id: person.id }),
        headers: { authorization: `Bearer ${insured.get(person.id)}` },
        identity: { role: 'INSURED', sub: person.id, personId: person.id },
      };
    },
  };
}

/** Keys unique to this process and run: a settle never meets an earlier run's key. */
function keys(run: string): (turn: number) => string {
  return (turn) => `bench-${process.pid}-${run}-${turn}`;
}

/** A counter request for `patient` with the patient's own card, as the counter sends it. */
function atCounter(terminal: string, patient: SeededPerson, body: string): Request {
  return {
    body,
    headers: { authorization: `Bearer ${terminal}`, 'x-insurance-credential': patient.card },
    identity: { role: 'TERMINAL', sub: 'bench', institutionId: INSTITUTION, credentialHolderId: patient.id },
  };
}

function settleInput(key: string, patient: SeededPerson, purpose: string, inScopeAmount: string): object {
  return {
    input: { idempotencyKey: key, patientId: patient.id, institutionId: INSTITUTION, purpose, inScopeAmount, outOfScopeAmount: '0.00' },
  };
}

export function quoteScenario(patients: readonly SeededPerson[], { terminal }: Callers): Scenario {
  const turn = turns();
  const key = keys('quote');
  return {
    name: '`quoteSettlement` (own card)',
    next: () => {
      const at = turn();
      const patient = patients[at % patients.length];
      return atCounter(terminal, patient, graphql(QUOTE, settleInput(key(at), patient, 'OUTPATIENT', '300.00')));
    },
  };
}

/** `settle` of 1.00 at a pharmacy, patient after patient: own accounts (spread) or one hot authorizer's beneficiaries. */
export function settleScenario(name: string, run: string, patients: readonly SeededPerson[], { terminal }: Callers): Scenario {
  const turn = turns();
  const key = keys(run);
  return {
    name,
    next: () => {
      const at = turn();
      const patient = patients[at % patients.length];
      return atCounter(terminal, patient, graphql(SETTLE, settleInput(key(at), patient, 'PHARMACY', '1.00')));
    },
  };
}

/** The counter day's cycle of requests: look-ups, quotes and settlements, then one refund and one 冲正. */
const DAY: ReadonlyArray<'lookup' | 'quote' | 'settle' | 'refund' | 'void'> = [
  ...Array<'lookup'>(6).fill('lookup'),
  ...Array<'quote'>(6).fill('quote'),
  ...Array<'settle'>(6).fill('settle'),
  'refund',
  'void',
];

/**
 * A counter's day: in every twenty requests six card look-ups, six quotes, six settlements, one
 * refund of a settlement made earlier in the run (the patient's latest, so the fund's order allows
 * it; a 冲正 of a never-used key when none is waiting) and one 冲正 of a never-used key.
 */
export function counterDayScenario(patients: readonly SeededPerson[], { terminal }: Callers): Scenario {
  const turn = turns();
  const key = keys('day');
  const refundable: Array<{ settlementId: string; patient: SeededPerson }> = [];
  const latestOf = new Map<string, string>();
  const voidKey = (at: number, patient: SeededPerson) =>
    atCounter(terminal, patient, graphql(VOID, { input: { institutionId: INSTITUTION, idempotencyKey: key(at), patientId: patient.id } }));
  return {
    name: 'counter day (look-up, quote, settle, refund, void)',
    checks: DAY.length,
    next: (lane) => {
      const at = turn();
      const patient = patients[at % patients.length];
      lane.settling = undefined;
      switch (DAY[(at - 1) % DAY.length]) {
        case 'lookup':
          return atCounter(terminal, patient, graphql(LOOKUP));
        case 'quote':
          return atCounter(terminal, patient, graphql(QUOTE, settleInput(key(at), patient, 'OUTPATIENT', '120.00')));
        case 'settle':
          lane.settling = patient;
          return atCounter(terminal, patient, graphql(SETTLE, settleInput(key(at), patient, 'PHARMACY', '2.00')));
        case 'refund': {
          let waiting = refundable.shift();
          while (waiting && latestOf.get(waiting.patient.id) !== waiting.settlementId) waiting = refundable.shift();
          if (!waiting) return voidKey(at, patient);
          latestOf.delete(waiting.patient.id);
          return atCounter(terminal, waiting.patient, graphql(REFUND, { id: waiting.settlementId, key: key(at) }));
        }
        default:
          return voidKey(at, patient);
      }
    },
    answered: (lane, body) => {
      const patient = lane.settling as SeededPerson | undefined;
      const settlementId = patient && /"settle":\{"id":"([^"]+)"/.exec(body)?.[1];
      if (!patient || !settlementId) return;
      refundable.push({ settlementId, patient });
      latestOf.set(patient.id, settlementId);
    },
  };
}
