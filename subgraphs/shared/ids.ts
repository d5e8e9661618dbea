import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { must } from './must';

/**
 * Every id starts with the 6-digit code of the region that owns the record, so any lookup routes to
 * its province backend (the first two digits) without a directory.
 */

const REGION_CODE = /^[1-9][0-9]{5}$/;
const ENTITY_ID = /^([1-9][0-9]{5})-[0-9A-HJKMNP-TV-Z]{26}$/;
const CREDENTIAL_TOKEN = /^([1-9][0-9]{5})\.[A-Za-z0-9_-]{43}$/;

const nextUlid = monotonicFactory();

export function isRegionCode(code: string): boolean {
  return REGION_CODE.test(code);
}

export function provinceOfRegion(regionCode: string): string {
  if (!isRegionCode(regionCode)) throw new Error(`not a region code: ${regionCode}`);
  return regionCode.slice(0, 2);
}

/** A new id owned by a region: `<region>-<ULID>`, time-ordered within a process. */
export function newId(regionCode: string): string {
  provinceOfRegion(regionCode);
  return `${regionCode}-${nextUlid()}`;
}

/** The region that owns an id, or null when the id is not one of ours (callers treat it as unknown). */
export function regionOfId(id: string): string | null {
  const match = ENTITY_ID.exec(id);
  return match ? match[1] : null;
}

/** The region of an id the system itself made or has already routed (a stored row's, a found record's). */
export function regionOfKnownId(id: string): string {
  return must(regionOfId(id), `an id the system made names its region: ${id}`);
}

/** A card / e-voucher token: `<region>.<43 random base64url characters>` (256 bits). */
export function newCredentialToken(regionCode: string): string {
  provinceOfRegion(regionCode);
  return `${regionCode}.${randomBytes(32).toString('base64url')}`;
}

export function regionOfCredentialToken(token: string): string | null {
  const match = CREDENTIAL_TOKEN.exec(token);
  return match ? match[1] : null;
}
