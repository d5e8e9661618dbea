import { subgraphReadiness, type ReplicaReadiness } from './readiness';

/** The gateway is ready while one replica of each subgraph is, and names the replicas that are not. */
const ready = (url: string): ReplicaReadiness => ({ url, ready: true, state: { status: 'ready', provinces: { 35: 'up' } } });
const unreachable = (url: string): ReplicaReadiness => ({ url, ready: false, state: { status: 'unreachable' } });

test.each<[string, ReplicaReadiness[], { ready: boolean; state: object }]>([
  ['one replica, ready', [ready('http://a')], { ready: true, state: { status: 'ready', provinces: { 35: 'up' } } }],
  ['one replica, unreachable', [unreachable('http://a')], { ready: false, state: { status: 'unreachable' } }],
  [
    'the first replica down, the second ready',
    [unreachable('http://a'), ready('http://b')],
    { ready: true, state: { status: 'ready', provinces: { 35: 'up' }, replicasNotReady: ['http://a'] } },
  ],
  ['every replica ready', [ready('http://a'), ready('http://b')], { ready: true, state: { status: 'ready', provinces: { 35: 'up' } } }],
  ['no replica ready', [unreachable('http://a'), unreachable('http://b')], { ready: false, state: { status: 'unreachable' } }],
])('%s', (_case, replicas, expected) => {
  expect(subgraphReadiness(replicas)).toEqual(expected);
});
