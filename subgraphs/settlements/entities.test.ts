import type { Identity } from '../shared/identity';
import { subgraphServer } from '../shared/subgraph';
import { batchedReads, identityOf, resolveEntities } from '../shared/testing/entities';
import { createContext, type SettlementsServices } from './context';
import { resolvers } from './resolvers';
import type { SettlementReads, SettlementRecord } from './settle/records';

/**
 * Who reads a settlement reached through another subgraph's record: the settlements subgraph's own
 * server, asked for `_entities` as the gateway asks, with the settlement reads replaced by two
 * settlements in memory: a Fuzhou patient's pharmacy bill that his Urumqi parent helped pay across
 * provinces, and a Changde patient's bill at another counter.
 */
const fuzhouPatient = '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0A';
const urumqiParent = '650100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0B';
const changdePatient = '430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0C';

function settlement(
  id: string,
  institutionId: string,
  patientId: string,
  ownFen: number,
  mutual: Array<{ accountId: string; amountFen: number }>,
): SettlementRecord {
  const mutualFen = mutual.reduce((sum, payment) => sum + payment.amountFen, 0);
  return {
    id,
    institutionId,
    idempotencyKey: `${institutionId}-0001`,
    requestHash: 'hash',
    patientId,
    purpose: 'PHARMACY',
    state: 'SETTLED',
    inScopeFen: ownFen + mutualFen,
    outOfScopeFen: 0,
    totalFen: ownFen + mutualFen,
    fundFen: 0,
    deductibleAppliedFen: 0,
    fundYear: 2026,
    ownFen,
    mutualFen,
    cashFen: 0,
    plan: { steps: [], debits: [] },
    refundKey: null,
    refundKind: null,
    createdAt: new Date('2026-03-02T01:00:00Z'),
    refundedAt: null,
    payingCheckedAt: null,
    voidedAt: null,
    payments: [
      ...(ownFen > 0
        ? [{ seq: 0, source: 'OWN_ACCOUNT' as const, accountId: patientId, bindingId: null, amountFen: ownFen, transferId: 'T1' }]
        : []),
      ...mutual.map((payment, index) => ({ seq: index + 1, source: 'MUTUAL_AID' as const, bindingId: 'B1', transferId: 'T2', ...payment })),
    ],
  };
}
const crossProvince = settlement('350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q1A', 'H35010001', fuzhouPatient, 10_000, [
  { accountId: urumqiParent, amountFen: 20_000 },
]);
const changde = settlement('430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q1B', 'H43070001', changdePatient, 5_000, []);
const unknown = '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q1C';
const ids = [crossProvince.id, changde.id, unknown];

const stored = batchedReads(new Map([crossProvince, changde].map((record) => [record.id, record])));
const reads: Pick<SettlementReads, 'load'> = { load: stored.read };
// Resolving a reference reads settlements only; any other service a resolver reached would be undefined and fail the test.
const services = { reads } as SettlementsServices;
const server = subgraphServer('settlements', resolvers);

beforeEach(() => {
  stored.batches.length = 0;
});

/** SEEN: its fields; HIDDEN: null with FORBIDDEN. */
type SettlementView = 'SEEN' | 'HIDDEN';

test.each<[string, SettlementView, SettlementView, Partial<Identity>]>([
  ['an ADMIN of every region', 'SEEN', 'SEEN', { role: 'ADMIN' }],
  ["an ADMIN of Fuzhou (the patient's region)", 'SEEN', 'HIDDEN', { role: 'ADMIN', region: '350100' }],
  ["an ADMIN of Urumqi (only the paying account's region)", 'HIDDEN', 'HIDDEN', { role: 'ADMIN', region: '650100' }],
  ['the Fuzhou counter', 'SEEN', 'HIDDEN', { role: 'TERMINAL', institutionId: 'H35010001' }],
  ['the Fuzhou patient', 'SEEN', 'HIDDEN', { role: 'INSURED', personId: fuzhouPatient }],
  ['the Urumqi parent whose account paid', 'SEEN', 'HIDDEN', { role: 'INSURED', personId: urumqiParent }],
  ['the Changde patient', 'HIDDEN', 'SEEN', { role: 'INSURED', personId: changdePatient }],
  ['a partner', 'HIDDEN', 'HIDDEN', { role: 'PARTNER', partnerCode: 'HSHMB' }],
  ['an analyst', 'HIDDEN', 'HIDDEN', { role: 'ANALYST' }],
  ['an anonymous caller', 'HIDDEN', 'HIDDEN', {}],
])('%s: the cross-province settlement is %s, the Changde one %s; an unknown id is null', async (_who, crossView, changdeView, claims) => {
  const views = [crossView, changdeView];
  const answer = await resolveEntities(
    server,
    createContext(services, identityOf(claims)),
    'Settlement',
    ids,
    'institutionId totalAmount mutualAidPaid',
  );
  expect(answer.entities).toEqual([
    crossView === 'SEEN' ? { institutionId: 'H35010001', totalAmount: '300.00', mutualAidPaid: '200.00' } : null,
    changdeView === 'SEEN' ? { institutionId: 'H43070001', totalAmount: '50.00', mutualAidPaid: '0.00' } : null,
    null,
  ]);
  expect(answer.errors).toEqual(views.flatMap((view, index) => (view === 'SEEN' ? [] : [`FORBIDDEN at _entities.${index}`])));
  expect(stored.batches).toEqual([ids]);
});

/**
 * Person.mutualAidSources reached as the gateway reaches it (a list of persons from another
 * subgraph): the person himself and an ADMIN of his region only, and every person of the request
 * whose sources may be read gathered in one call to the planner per purpose.
 */
describe('Person.mutualAidSources', () => {
  const asked: Array<{ patientIds: string[]; purpose: string }> = [];
  const planner = {
    async sources(patientIds: readonly string[], purpose: string) {
      asked.push({ patientIds: [...patientIds], purpose });
      return new Map(patientIds.map((id) => [id, [{ bindingId: `B-${id}`, availableFen: 50_000 }]]));
    },
  } as unknown as SettlementsServices['planner'];
  const persons = [fuzhouPatient, urumqiParent, changdePatient];
  const selection = 'mutualAidSources(purpose: PHARMACY) { available binding { id } }';
  const sourcesOf = (id: string) => ({ mutualAidSources: [{ available: '500.00', binding: { id: `B-${id}` } }] });

  beforeEach(() => {
    asked.length = 0;
  });

  test.each<[string, Partial<Identity>, string[]]>([
    ['an ADMIN of every region', { role: 'ADMIN' }, persons],
    ['an ADMIN of Fuzhou', { role: 'ADMIN', region: '350100' }, [fuzhouPatient]],
    ['the Fuzhou patient himself', { role: 'INSURED', personId: fuzhouPatient }, [fuzhouPatient]],
  ])('%s reads only whom he may, in one call to the planner', async (_who, claims, readable) => {
    const answer = await resolveEntities(
      server,
      createContext({ planner } as SettlementsServices, identityOf(claims)),
      'Person',
      persons,
      selection,
    );
    expect(answer.entities).toEqual(persons.map((id) => (readable.includes(id) ? sourcesOf(id) : null)));
    expect(answer.errors).toEqual(
      persons.flatMap((id, index) => (readable.includes(id) ? [] : [`FORBIDDEN at _entities.${index}.mutualAidSources`])),
    );
    expect(asked).toEqual([{ patientIds: readable, purpose: 'PHARMACY' }]);
  });

  test.each<[string, Partial<Identity>]>([
    ['an analyst', { role: 'ANALYST' }],
    ['a counter', { role: 'TERMINAL', institutionId: 'H35010001' }],
    ['a partner', { role: 'PARTNER', partnerCode: 'HSHMB' }],
  ])('%s reads nobody and the planner is never asked', async (_who, claims) => {
    const answer = await resolveEntities(
      server,
      createContext({ planner } as SettlementsServices, identityOf(claims)),
      'Person',
      persons,
      selection,
    );
    expect(answer.errors).toEqual(persons.map((_id, index) => `FORBIDDEN at _entities.${index}.mutualAidSources`));
    expect(asked).toEqual([]);
  });
});
