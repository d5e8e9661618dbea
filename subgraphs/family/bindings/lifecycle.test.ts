import { FamilyError } from '../errors';
import { type BindingAction, type BindingStatus, isOpen, statusAfter, transitionRefusal } from './lifecycle';

/** Seed 000 (Hunan: 接受绑定), seed 002 (Fuzhou: review), Chuxiong (neither), and a region that asks both. */
describe('where a binding goes after its request and after consent', () => {
  test.each`
    region                    | requiresBeneficiaryConsent | requiresReview | onRequest            | onAccept
    ${'430700 Changde'}       | ${true}                    | ${false}       | ${'PENDING_CONSENT'} | ${'ACTIVE'}
    ${'350100 Fuzhou'}        | ${false}                   | ${true}        | ${'PENDING_REVIEW'}  | ${'PENDING_REVIEW'}
    ${'532300 Chuxiong'}      | ${false}                   | ${false}       | ${'ACTIVE'}          | ${'ACTIVE'}
    ${'consent, then review'} | ${true}                    | ${true}        | ${'PENDING_CONSENT'} | ${'PENDING_REVIEW'}
  `('$region: $onRequest, after consent $onAccept', ({ requiresBeneficiaryConsent, requiresReview, onRequest, onAccept }) => {
    expect(statusAfter('REQUEST', { requiresBeneficiaryConsent, requiresReview })).toBe(onRequest);
    expect(statusAfter('ACCEPT', { requiresBeneficiaryConsent, requiresReview })).toBe(onAccept);
  });
});

const STATUSES: BindingStatus[] = ['PENDING_CONSENT', 'PENDING_REVIEW', 'ACTIVE', 'DECLINED', 'REJECTED', 'REVOKED'];
type Move = Exclude<BindingAction, 'REQUEST'>;

/** Every action from every status: what is allowed, and the code of every refusal. */
const ALLOWED: Record<Move, BindingStatus[]> = {
  ACCEPT: ['PENDING_CONSENT'],
  DECLINE: ['PENDING_CONSENT'],
  APPROVE: ['PENDING_REVIEW'],
  REJECT: ['PENDING_REVIEW'],
  REVOKE: ['PENDING_CONSENT', 'PENDING_REVIEW', 'ACTIVE'],
};

describe.each(Object.entries(ALLOWED) as Array<[Move, BindingStatus[]]>)('%s', (action, allowed) => {
  test.each(STATUSES)(`from %s`, (status) => {
    const refusal = transitionRefusal(action, status);
    if (allowed.includes(status)) expect(refusal).toBeNull();
    else expect(refusal?.code).toBe('INVALID_STATE');
  });
});

test('review waits for consent, with its own message', () => {
  expect(transitionRefusal('APPROVE', 'PENDING_CONSENT')).toEqual(FamilyError.reviewAwaitsConsent);
  expect(transitionRefusal('REJECT', 'PENDING_CONSENT')).toEqual(FamilyError.reviewAwaitsConsent);
  expect(transitionRefusal('APPROVE', 'ACTIVE')).toEqual(FamilyError.bindingNotPending('ACTIVE'));
});

test('consent is asked once: a declined, active or reviewed binding cannot be accepted', () => {
  for (const status of ['DECLINED', 'ACTIVE', 'PENDING_REVIEW'] as const) {
    expect(transitionRefusal('ACCEPT', status)).toEqual(FamilyError.bindingNotAwaitingConsent(status));
  }
});

test('open statuses hold the pair; DECLINED, REJECTED and REVOKED are final', () => {
  expect(STATUSES.filter(isOpen)).toEqual(['PENDING_CONSENT', 'PENDING_REVIEW', 'ACTIVE']);
  for (const status of ['DECLINED', 'REJECTED', 'REVOKED'] as const) {
    expect((Object.keys(ALLOWED) as Move[]).filter((action) => transitionRefusal(action, status) === null)).toEqual([]);
  }
});
