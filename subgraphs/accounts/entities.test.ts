import type { Identity } from '../shared/identity';
import { subgraphServer } from '../shared/subgraph';
import { batchedReads, identityOf, resolveEntities } from '../shared/testing/entities';
import { createContext, type AccountsServices } from './context';
import type { PersonRecord, Persons } from './persons/service';
import type { PersonView } from './persons/visibility';
import { resolvers } from './resolvers';

/**
 * Who sees which person when another subgraph's record points at him (a binding's parties, a
 * settlement's patient, a ledger entry's beneficiary): the accounts subgraph's own server, asked for
 * `_entities` as the gateway asks, with the persons service replaced by two persons in memory.
 */
function personIn(regionCode: string, id: string, name: string, maskedIdNumber: string): PersonRecord {
  return {
    id: `${regionCode}-${id}`,
    regionCode,
    name,
    maskedIdNumber,
    scheme: 'EMPLOYEE',
    status: 'ACTIVE',
    createdAt: new Date('2026-01-05T02:00:00Z'),
    settlementSuspendedAt: null,
    settlementSuspensionLiftedAt: null,
  };
}
const fuzhou = personIn('350100', '01JDQ3F6ZK8Y6W4V5T3S2R1Q0P', '林晓', '1101**********002X');
const changde = personIn('430700', '01JDQ3F6ZK8Y6W4V5T3S2R1Q0Q', '王芳', '4307**********0021');
const unknown = '350100-01JDQ3F6ZK8Y6W4V5T3S2R1Q0R';
const ids = [fuzhou.id, changde.id, unknown];

const stored = batchedReads(new Map([fuzhou, changde].map((person) => [person.id, person])));
const persons: Pick<Persons, 'load'> = { load: stored.read };
// Resolving a reference reads persons only; any other service a resolver reached would be undefined and fail the test.
const services = { persons } as AccountsServices;
const server = subgraphServer('accounts', resolvers);
const ask = (identity: Identity, selection: string) => resolveEntities(server, createContext(services, identity), 'Person', ids, selection);

beforeEach(() => {
  stored.batches.length = 0;
});

test.each<[string, PersonView, PersonView, Partial<Identity>]>([
  ['an ADMIN of every region', 'FULL', 'FULL', { role: 'ADMIN' }],
  ['an ADMIN of Fuzhou', 'FULL', 'RELATIVE', { role: 'ADMIN', region: '350100' }],
  ['the Fuzhou person himself', 'FULL', 'RELATIVE', { role: 'INSURED', personId: fuzhou.id }],
  [
    "a counter presenting the Fuzhou person's card",
    'FULL',
    'RELATIVE',
    { role: 'TERMINAL', institutionId: 'H35010001', credentialHolderId: fuzhou.id },
  ],
  ['a counter without a card', 'RELATIVE', 'RELATIVE', { role: 'TERMINAL', institutionId: 'H35010001' }],
  ['a partner', 'RELATIVE', 'RELATIVE', { role: 'PARTNER', partnerCode: 'HSHMB' }],
  ['an analyst', 'NONE', 'NONE', { role: 'ANALYST' }],
  ['an anonymous caller', 'NONE', 'NONE', {}],
])('%s sees the Fuzhou person %s and the Changde person %s; an unknown id is null', async (_who, fuzhouView, changdeView, claims) => {
  const identity = identityOf(claims);
  const views = [fuzhouView, changdeView];
  const forbidden = (field: string, allowed: (view: PersonView) => boolean) =>
    views.flatMap((view, index) => (allowed(view) ? [] : [`FORBIDDEN at _entities.${index}.${field}`]));

  // Name and masked id: the person himself, and anyone who works with people and reached him through a record.
  const seesRelative = (view: PersonView) => view !== 'NONE';
  const named = await ask(identity, 'name maskedIdNumber');
  expect(named.entities).toEqual([
    ...[fuzhou, changde].map((person, index) =>
      seesRelative(views[index]) ? { name: person.name, maskedIdNumber: person.maskedIdNumber } : null,
    ),
    null,
  ]);
  expect(named.errors).toEqual(forbidden('name', seesRelative));
  expect(stored.batches).toEqual([ids]);

  // Everything else (status stands for every FULL field): the person, his counter, his region's ADMIN.
  const seesFull = (view: PersonView) => view === 'FULL';
  const status = await ask(identity, 'status');
  expect(status.entities).toEqual([...views.map((view) => (seesFull(view) ? { status: 'ACTIVE' } : null)), null]);
  expect(status.errors).toEqual(forbidden('status', seesFull));
});
