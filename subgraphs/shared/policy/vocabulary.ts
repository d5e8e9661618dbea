/** The domain's closed vocabularies, as the contract names them. */
export const SCHEMES = ['EMPLOYEE', 'RESIDENT'] as const;
export type Scheme = (typeof SCHEMES)[number];

export const ENROLLMENT_STATUSES = ['ACTIVE', 'SUSPENDED', 'TERMINATED'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** The eight near relatives (近亲属). */
export const RELATIONSHIPS = [
  'SPOUSE',
  'PARENT',
  'CHILD',
  'SIBLING',
  'PATERNAL_GRANDPARENT',
  'MATERNAL_GRANDPARENT',
  'PATERNAL_GRANDCHILD',
  'MATERNAL_GRANDCHILD',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const CARE_PURPOSES = ['OUTPATIENT', 'INPATIENT', 'PHARMACY', 'VACCINE', 'HEALTH_CHECK'] as const;
export type CarePurpose = (typeof CARE_PURPOSES)[number];
export const PREMIUM_PURPOSES = ['RESIDENT_PREMIUM', 'LONG_TERM_CARE_PREMIUM', 'COMMERCIAL_HEALTH_INSURANCE'] as const;
export const PURPOSES = [...CARE_PURPOSES, ...PREMIUM_PURPOSES] as const;
export type Purpose = (typeof PURPOSES)[number];
