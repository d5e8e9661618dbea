/**
 * The demo data `npm run seed` creates, in one place: the explorer's role picker, the README and the
 * seed's test name the same people. Resident id numbers are fictitious but valid (GB 11643 check
 * digit, address code of the person's city), so the services accept them as they would a real one.
 */

export type DemoPersonKey =
  | 'linJianguo'
  | 'linXiaoyu'
  | 'wangZhiqiang'
  | 'wangXiulan'
  | 'wangXiuying'
  | 'liWen'
  | 'zhangLi'
  | 'maQiang'
  | 'maFuhai';

export interface DemoPerson {
  key: DemoPersonKey;
  idNumber: string;
  name: string;
  regionCode: string;
  scheme: 'EMPLOYEE' | 'RESIDENT';
  /** The monthly transfer (划入) the seed credits once; only EMPLOYEE persons have an account. */
  creditAmount?: string;
}

export const DEMO_PERSONS: readonly DemoPerson[] = [
  { key: 'linJianguo', idNumber: '350102197801090019', name: '林建国', regionCode: '350100', scheme: 'EMPLOYEE', creditAmount: '2500.00' },
  { key: 'linXiaoyu', idNumber: '350102201606050029', name: '林小雨', regionCode: '350100', scheme: 'RESIDENT' },
  {
    key: 'wangZhiqiang',
    idNumber: '430702197008150015',
    name: '王志强',
    regionCode: '430700',
    scheme: 'EMPLOYEE',
    creditAmount: '1200.00',
  },
  { key: 'wangXiulan', idNumber: '43070219740203002X', name: '王秀兰', regionCode: '430700', scheme: 'RESIDENT' },
  // The siblings' mother, bound by no one: README's example binds her by id number and name (PENDING_CONSENT).
  { key: 'wangXiuying', idNumber: '430702195403120028', name: '王秀英', regionCode: '430700', scheme: 'RESIDENT' },
  { key: 'liWen', idNumber: '532301198509210014', name: '李文', regionCode: '532300', scheme: 'EMPLOYEE', creditAmount: '800.00' },
  { key: 'zhangLi', idNumber: '53230119870417002X', name: '张丽', regionCode: '532300', scheme: 'EMPLOYEE', creditAmount: '600.00' },
  { key: 'maQiang', idNumber: '350103198201100018', name: '马强', regionCode: '350100', scheme: 'EMPLOYEE', creditAmount: '5000.00' },
  { key: 'maFuhai', idNumber: '650102195207280014', name: '马福海', regionCode: '650100', scheme: 'EMPLOYEE', creditAmount: '300.00' },
];

export type DemoBindingStatus = 'PENDING_REVIEW' | 'ACTIVE';

export interface DemoFamily {
  key: string;
  /** What the README and the explorer call this family. */
  title: string;
  authorizer: DemoPersonKey;
  beneficiary: DemoPersonKey;
  /** What the beneficiary is to the authorizer. */
  relationship: 'SPOUSE' | 'PARENT' | 'CHILD' | 'SIBLING';
  evidence: string[];
  /**
   * Where the seed leaves the binding: PENDING_REVIEW stays in the reviewers' queue; ACTIVE is
   * reached the way the region's policy asks (the beneficiary's consent, then the bureau's review).
   */
  finalStatus: DemoBindingStatus;
}

export const DEMO_FAMILIES: readonly DemoFamily[] = [
  {
    key: 'fuzhou',
    title: 'Fuzhou father and child, the binding in the reviewers queue',
    authorizer: 'linJianguo',
    beneficiary: 'linXiaoyu',
    relationship: 'CHILD',
    evidence: ['出生证明 M350100-2016-0605'],
    finalStatus: 'PENDING_REVIEW',
  },
  {
    key: 'changde',
    title: 'Changde siblings, accepted by the sister (接受绑定)',
    authorizer: 'wangZhiqiang',
    beneficiary: 'wangXiulan',
    relationship: 'SIBLING',
    evidence: ['户口簿 430702-0815'],
    finalStatus: 'ACTIVE',
  },
  {
    key: 'chuxiong',
    title: 'Chuxiong spouses',
    authorizer: 'liWen',
    beneficiary: 'zhangLi',
    relationship: 'SPOUSE',
    evidence: ['结婚证 J532301-2012-0417'],
    finalStatus: 'ACTIVE',
  },
  {
    key: 'urumqi',
    title: 'Urumqi patient with a Fuzhou authorizer (cross-province, reviewed in Fuzhou)',
    authorizer: 'maQiang',
    beneficiary: 'maFuhai',
    relationship: 'PARENT',
    evidence: ['户口簿 350103-0110', '出生证明 650102-1982-0110'],
    finalStatus: 'ACTIVE',
  },
];

/** The 惠民保 premium the seed pays once: config/products.json's product, payer in its region. */
export const DEMO_PREMIUM = {
  productCode: 'HSHMB-2026',
  partnerCode: 'HSHMB',
  payer: 'maFuhai' as DemoPersonKey,
  beneficiary: 'maFuhai' as DemoPersonKey,
  amount: '99.00',
};

/** The counters the README's examples use. */
export const DEMO_INSTITUTIONS = { fuzhou: 'H35010001', changde: 'H43070001', chuxiong: 'H53230001', urumqi: 'H65010001' } as const;

/** Idempotency keys of everything the seed creates, so a second run returns the first run's records. */
export const DEMO_KEY_PREFIX = 'demo-seed-v1';

export function demoPerson(key: DemoPersonKey): DemoPerson {
  const person = DEMO_PERSONS.find((candidate) => candidate.key === key);
  if (!person) throw new Error(`no demo person ${key}`);
  return person;
}
