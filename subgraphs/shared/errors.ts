import type { GraphQLFormattedError } from 'graphql';

/** The stable `extensions.code` values of DESIGN.md; clients switch on these, never on messages. */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CREDENTIAL_MISMATCH',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'NOT_INSURED',
  'NOT_ELIGIBLE',
  'RELATIONSHIP_NOT_ALLOWED',
  'CROSS_PROVINCE_NOT_ALLOWED',
  'DUPLICATE_BINDING',
  'PURPOSE_NOT_ALLOWED',
  'INSUFFICIENT_BALANCE',
  'IDEMPOTENCY_CONFLICT',
  'INVALID_STATE',
  'SERVICE_UNAVAILABLE',
  'CREDENTIAL_REQUIRED',
  'CREDENTIAL_INVALID',
  'CREDENTIAL_SUSPENDED',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'PERSISTED_QUERY_NOT_FOUND',
  // Apollo's own, passed through as Apollo gives them.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** An expected outcome the caller can act on; anything else thrown is a bug. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} / ${en}`);
  }
}

export function fail(code: ErrorCode, zh: string, en: string): never {
  throw new DomainError(code, zh, en);
}

/**
 * What `work` answers, or null when it refused with an expected outcome that `refused` accepts: for
 * a caller to whom that refusal simply means "nothing moved". Any other error is thrown on.
 */
export async function unlessRefused<T>(work: Promise<T>, refused: (code: ErrorCode) => boolean): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof DomainError) || !refused(error.code)) throw error;
    return null;
  }
}

const UNEXPECTED: GraphQLFormattedError['extensions'] = { code: 'SERVICE_UNAVAILABLE' };
const UNEXPECTED_MESSAGE = '服务暂时不可用，请稍后重试 / Service temporarily unavailable, please retry later';

/**
 * What a client may see of an error: a known code with its bilingual message, or a generic
 * SERVICE_UNAVAILABLE. Never a stack trace, SQL or an internal host name.
 */
export function maskError(formatted: GraphQLFormattedError, original: unknown): { masked: GraphQLFormattedError; unexpected: boolean } {
  const domain = findDomainError(original);
  const code = domain?.code ?? (formatted.extensions?.code as string | undefined);
  if (code && KNOWN_CODES.has(code)) {
    const message = domain ? domain.message : formatted.message;
    return { masked: { message, locations: formatted.locations, path: formatted.path, extensions: { code } }, unexpected: false };
  }
  return {
    masked: { message: UNEXPECTED_MESSAGE, locations: formatted.locations, path: formatted.path, extensions: UNEXPECTED },
    unexpected: true,
  };
}

function findDomainError(error: unknown): DomainError | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (current instanceof DomainError) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

export function isKnownCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && KNOWN_CODES.has(code);
}
