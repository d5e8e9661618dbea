import { createHash } from 'node:crypto';

/**
 * What a retry under one idempotency key must repeat to get the first result: the SHA-256 of the
 * request's content without its key (and without anything else the caller leaves out, such as a
 * scope). The same key with another hash is IDEMPOTENCY_CONFLICT. Stored beside every key, so the
 * encoding (JSON of the content, hex digest) must never change.
 */
export function requestHash(content: object): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
