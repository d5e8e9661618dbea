import { RateLimiterRes } from 'rate-limiter-flexible';
import { clientAddress, retryAfterSeconds, subjectOf, trustedProxies } from './rateLimit';

const requestId = 'r';

test.each([
  ['a counter, by institution', { role: 'TERMINAL', institutionId: 'H35010001' }, { role: 'TERMINAL', key: 'H35010001' }],
  ['a partner, by code', { role: 'PARTNER', partnerCode: 'HSHMB' }, { role: 'PARTNER', key: 'HSHMB' }],
  [
    'an insured person, by person',
    { role: 'INSURED', personId: '350100-01K0000000000000000000000' },
    { role: 'INSURED', key: '350100-01K0000000000000000000000' },
  ],
  ['an anonymous caller, by address', { role: null }, { role: 'ANONYMOUS', key: '198.51.100.4' }],
  ['an ADMIN: not limited', { role: 'ADMIN' }, null],
  ['an ANALYST: not limited', { role: 'ANALYST' }, null],
] as const)('%s', (_case, identity, subject) => {
  expect(subjectOf({ ...identity, requestId }, () => '198.51.100.4')).toEqual(subject);
});

describe('the client address', () => {
  const none = trustedProxies('');
  const proxies = trustedProxies('10.0.0.0/8, 192.0.2.1,fd00::/8');

  test.each([
    ['the peer without trusted proxies', '203.0.113.9', '198.51.100.1', none, '203.0.113.9'],
    ['an IPv4 peer on a dual-stack socket', '::ffff:203.0.113.9', undefined, none, '203.0.113.9'],
    ['X-Forwarded-For from an untrusted peer is ignored', '203.0.113.9', '198.51.100.1', proxies, '203.0.113.9'],
    ['behind one trusted proxy: the address it appended', '192.0.2.1', '198.51.100.1', proxies, '198.51.100.1'],
    [
      'behind two: the nearest untrusted hop, not what the client wrote first',
      '10.1.2.3',
      '6.6.6.6, 198.51.100.1, 10.9.9.9',
      proxies,
      '198.51.100.1',
    ],
    ['a trusted IPv6 proxy', 'fd00::1', '2001:db8::5', proxies, '2001:db8::5'],
    ['a trusted proxy without the header: the proxy', '192.0.2.1', undefined, proxies, '192.0.2.1'],
    ['garbage in the header: the last address believed', '192.0.2.1', 'not-an-address', proxies, '192.0.2.1'],
  ] as const)('%s', (_case, peer, forwardedFor, trusted, address) => {
    expect(clientAddress(peer, forwardedFor, trusted)).toBe(address);
  });

  test.each(['10.0.0.0/33', 'example.org', '10.0.0.0/x', 'fd00::/129'])('RATE_LIMIT_TRUSTED_PROXIES refuses %s', (entry) => {
    expect(() => trustedProxies(entry)).toThrow(/RATE_LIMIT_TRUSTED_PROXIES/);
  });
});

test.each([
  [1, 1],
  [999, 1],
  [1000, 1],
  [1001, 2],
  [9500, 10],
  [0, 1],
])('Retry-After of a window ending in %i ms is %i s', (msBeforeNext, seconds) => {
  expect(retryAfterSeconds(new RateLimiterRes(0, msBeforeNext))).toBe(seconds);
});
