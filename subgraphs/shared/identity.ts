import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Who is calling, as the gateway verified it. Subgraphs trust identity only from these headers,
 * signed with SERVICE_SECRET, so a caller who reaches a subgraph directly gains nothing.
 */
export const ROLES = ['INSURED', 'TERMINAL', 'ANALYST', 'PARTNER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  /** null for an anonymous caller. */
  role: Role | null;
  sub?: string;
  personId?: string;
  institutionId?: string;
  /** ADMIN limited to one region; absent = all regions. */
  region?: string;
  partnerCode?: string;
  /** The verified holder of the X-Insurance-Credential presented with this request, if any. */
  credentialHolderId?: string;
  requestId: string;
}

export const IDENTITY_HEADER = 'x-identity';
export const IDENTITY_SIGNATURE_HEADER = 'x-identity-signature';
export const SERVICE_SIGNATURE_HEADER = 'x-service-signature';
export const REQUEST_ID_HEADER = 'x-request-id';

/** A signed header outlives its request by no more than this: a captured header replays briefly at most. */
const SIGNATURE_LIFETIME_MS = 60_000;

function hmac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * What a signed identity is bound to: the subgraph it is sent to (its name, e.g. `accounts`) and the
 * exact body text that subgraph receives. A header captured on the wire is then good for nothing but
 * repeating the same request to the same subgraph within SIGNATURE_LIFETIME_MS.
 */
export interface SignedRequest {
  audience: string;
  /** Text is hashed as its UTF-8 bytes, the bytes that go on the wire. */
  body: string | Buffer;
}

/** The identity header's value: the identity and its expiry, base64url JSON (readable, not secret). */
export function encodeIdentity(identity: Identity, now = Date.now()): string {
  return Buffer.from(JSON.stringify({ ...identity, exp: now + SIGNATURE_LIFETIME_MS })).toString('base64url');
}

/** HMAC-SHA256 over audience, identity and body: one pass over the body, so a large request costs one hash. */
export function identitySignature(payload: string, request: SignedRequest, secret: string): string {
  return createHmac('sha256', secret).update(`identity.${request.audience}.${payload}.`).update(request.body).digest('base64url');
}

export function signIdentity(identity: Identity, request: SignedRequest, secret: string, now = Date.now()): Record<string, string> {
  const payload = encodeIdentity(identity, now);
  return { [IDENTITY_HEADER]: payload, [IDENTITY_SIGNATURE_HEADER]: identitySignature(payload, request, secret) };
}

/** The verified identity, or null when the headers are missing, forged, expired, or made for another subgraph or body. */
export function verifyIdentity(
  payload: string | undefined,
  signature: string | undefined,
  request: SignedRequest,
  secret: string,
  now = Date.now(),
): Identity | null {
  if (!payload || !signature || !sameText(identitySignature(payload, request, secret), signature)) return null;
  try {
    const { exp, ...identity } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Identity & { exp: number };
    if (typeof exp !== 'number' || exp < now) return null;
    if (identity.role !== null && !ROLES.includes(identity.role)) return null;
    return identity;
  } catch {
    return null;
  }
}

/** Signs a service-to-service call (internal APIs) over its path and body. */
export function signServiceCall(path: string, body: string, secret: string, now = Date.now()): string {
  return `${now}.${hmac(secret, `service.${now}.${path}.${body}`)}`;
}

export function verifyServiceCall(path: string, body: string, header: string | undefined, secret: string, now = Date.now()): boolean {
  if (!header) return false;
  const dot = header.indexOf('.');
  const issuedAt = Number(header.slice(0, dot));
  if (dot < 0 || !Number.isSafeInteger(issuedAt) || Math.abs(now - issuedAt) > SIGNATURE_LIFETIME_MS) return false;
  return sameText(header, `${issuedAt}.${hmac(secret, `service.${issuedAt}.${path}.${body}`)}`);
}
