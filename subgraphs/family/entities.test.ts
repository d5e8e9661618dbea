import type { Identity } from '../shared/identity';
import { subgraphServer } from '../shared/subgraph';
import { batchedReads, identityOf, resolveEntities } from '../shared/testing/entities';
import type { BindingEvent, BindingRecord, Bindings } from './bindings/service';
import { createContext, type FamilyServices } from './context';
import { resolvers } from './resolvers';

/**
 * Who sees a binding reached through another subgraph's record (a settlement's mutual-aid payment):
 * the family subgraph's own server, asked for `_entities` as the gateway asks, with the bindings
 * service replaced by two bindings in memory: an Urumqi parent paying for a Fuzhou child across
 * provinces, and a Changde pair.
 */
const urumqiParent = '650100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0A';
const fuzhouChild = '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0B';
const changdeAuthorizer = '430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0C';
const changdeSibling = '430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q0D';

function activeBinding(
  id: string,
  authorizerId: string,
  beneficiaryId: string,
  relationship: BindingRecord['relationship'],
): BindingRecord {
  const at = new Date('2026-03-02T01:00:00Z');
  return {
    id,
    authorizerId,
    beneficiaryId,
    relationship,
    status: 'ACTIVE',
    evidence: [],
    reviewNote: null,
    createdAt: at,
    effectiveAt: at,
    revokedAt: null,
  };
}
const crossProvince = activeBinding('650100-01JDQ3F6ZK8Y6W4V5T3S2R1Q1A', urumqiParent, fuzhouChild, 'CHILD');
const changde = activeBinding('430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q1B', changdeAuthorizer, changdeSibling, 'SIBLING');
const unknown = '430700-01JDQ3F6ZK8Y6W4V5T3S2R1Q1C';
const ids = [crossProvince.id, changde.id, unknown];

function requested(binding: BindingRecord): BindingEvent {
  return {
    bindingId: binding.id,
    action: 'REQUEST',
    fromStatus: null,
    toStatus: 'ACTIVE',
    actorRole: 'INSURED',
    actorSub: binding.authorizerId,
    note: null,
    at: binding.createdAt,
  };
}

const stored = batchedReads(new Map([crossProvince, changde].map((binding) => [binding.id, binding])));
const storedEvents = batchedReads(new Map([crossProvince, changde].map((binding) => [binding.id, [requested(binding)]])));
const bindings: Pick<Bindings, 'load' | 'events'> = { load: stored.read, events: storedEvents.read };
// Resolving a reference reads bindings only; any other service a resolver reached would be undefined and fail the test.
const services = { bindings } as FamilyServices;
const server = subgraphServer('family', resolvers);
const ask = (identity: Identity, selection: string) =>
  resolveEntities(server, createContext(services, identity), 'FamilyBinding', ids, selection);

/** NONE: nothing of it; RECORD: the binding itself (relationship, status); HISTORY: its audit trail too. */
type BindingView = 'NONE' | 'RECORD' | 'HISTORY';

beforeEach(() => {
  stored.batches.length = 0;
  storedEvents.batches.length = 0;
});

test.each<[string, BindingView, BindingView, Partial<Identity>]>([
  ['an ADMIN of every region', 'HISTORY', 'HISTORY', { role: 'ADMIN' }],
  ["an ADMIN of Fuzhou (the beneficiary's region)", 'HISTORY', 'RECORD', { role: 'ADMIN', region: '350100' }],
  ['an ADMIN of Changde', 'RECORD', 'HISTORY', { role: 'ADMIN', region: '430700' }],
  ['the Urumqi parent (authorizer)', 'RECORD', 'NONE', { role: 'INSURED', personId: urumqiParent }],
  ['the Fuzhou child (beneficiary)', 'RECORD', 'NONE', { role: 'INSURED', personId: fuzhouChild }],
  ['a counter', 'RECORD', 'RECORD', { role: 'TERMINAL', institutionId: 'H35010001' }],
  ['a partner', 'NONE', 'NONE', { role: 'PARTNER', partnerCode: 'HSHMB' }],
  ['an analyst', 'NONE', 'NONE', { role: 'ANALYST' }],
  ['an anonymous caller', 'NONE', 'NONE', {}],
])(
  '%s sees the cross-province binding as %s and the Changde one as %s; an unknown id is null',
  async (_who, crossView, changdeView, claims) => {
    const identity = identityOf(claims);
    const views = [crossView, changdeView];
    const records = [crossProvince, changde];

    const read = await ask(identity, 'relationship status');
    expect(read.entities).toEqual([
      ...views.map((view, index) => (view === 'NONE' ? null : { relationship: records[index].relationship, status: 'ACTIVE' })),
      null,
    ]);
    expect(read.errors).toEqual(views.flatMap((view, index) => (view === 'NONE' ? [`FORBIDDEN at _entities.${index}`] : [])));
    expect(stored.batches).toEqual([ids]);

    const history = await ask(identity, 'history { action actorRole }');
    expect(history.entities).toEqual([
      ...views.map((view) => (view === 'HISTORY' ? { history: [{ action: 'REQUEST', actorRole: 'INSURED' }] } : null)),
      null,
    ]);
    expect(history.errors).toEqual(
      views.flatMap(
        (view, index) =>
          ({ NONE: [`FORBIDDEN at _entities.${index}`], RECORD: [`FORBIDDEN at _entities.${index}.history`], HISTORY: [] })[view],
      ),
    );
    const withHistory = records.filter((_binding, index) => views[index] === 'HISTORY').map((binding) => binding.id);
    expect([stored.batches, storedEvents.batches]).toEqual([[ids, ids], withHistory.length > 0 ? [withHistory] : []]);
  },
);
