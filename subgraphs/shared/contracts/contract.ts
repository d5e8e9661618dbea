import { z } from 'zod';

/**
 * One internal API between services (DESIGN.md, Layout: a subgraph reaches another only through
 * its internal API, never its tables or code): the path it is served at, the request it accepts and
 * the response it answers, as zod schemas. The serving subgraph validates requests with `request`
 * (internal.ts, `route`); callers send through `InternalClient.call`, which takes the contract, so
 * no caller can name a path or a shape the contract does not have, and checks the answer against
 * `response`. The TypeScript types of both sides are inferred from the schemas, never written twice.
 */
export interface InternalContract<RequestSchema extends z.ZodType = z.ZodType, ResponseSchema extends z.ZodType = z.ZodType> {
  path: `/internal/${string}`;
  request: RequestSchema;
  response: ResponseSchema;
}

export function contract<RequestSchema extends z.ZodType, ResponseSchema extends z.ZodType>(
  path: `/internal/${string}`,
  request: RequestSchema,
  response: ResponseSchema,
): InternalContract<RequestSchema, ResponseSchema> {
  return { path, request, response };
}

/** An id of this system (`<region>-<ULID>` and the like), as a request may carry it. */
export const idField = z.string().max(64);

/** Ids for one batched look-up: at most `max` per call. */
export function idList(max: number) {
  return z.array(idField).max(max);
}
