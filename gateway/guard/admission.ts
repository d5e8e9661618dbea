import type { HTTPGraphQLRequest } from '@apollo/server';
import { getOperationAST, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { HttpError } from '../../subgraphs/shared/server/http';
import type { Identity } from '../../subgraphs/shared/identity';
import type { Observability } from '../../subgraphs/shared/server/observability';
import { GatewayError } from '../errors';
import { analyzeOperation, fragmentsOf, limitExceeded, MAX_MERGE_COMPARISONS, mergeComparisons, type Analysis } from './analyze';

/**
 * The size limits, applied before Apollo Server validates a document. Validation (graphql-js) is
 * quadratic in repeated fields and fragment spreads, and Apollo Server lets no plugin refuse a
 * request before it (an error thrown from `validationDidStart` becomes a 500), so the gateway parses
 * the document itself and refuses here what is over the limits: one linear pass for the pairs
 * validation would compare, one linear walk for depth and cost. Whatever this cannot read (bad
 * JSON, a parse error, no operation to run) it leaves to Apollo, which refuses it with its own code.
 */

/** Parsing stops after this many tokens, so an oversized document costs little (the 50-person alias query has ~2,000). */
export const MAX_TOKENS = 20_000;

interface Requested {
  query: string;
  operationName?: string;
  variables: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The operation in an HTTP request, read as Apollo Server reads it: GET search parameters or a JSON body. */
function requested({ method, search, body }: HTTPGraphQLRequest): Requested | undefined {
  let params: Record<string, unknown> | undefined;
  if (method === 'GET') {
    const query = new URLSearchParams(search);
    let variables: unknown;
    try {
      variables = JSON.parse(query.get('variables') ?? '{}');
    } catch {
      return undefined;
    }
    params = { query: query.get('query'), operationName: query.get('operationName') ?? undefined, variables };
  } else if (isRecord(body)) {
    params = body;
  }
  if (!params || typeof params.query !== 'string') return undefined;
  const variables = params.variables ?? {};
  const operationName = params.operationName ?? undefined;
  if (!isRecord(variables) || (operationName !== undefined && typeof operationName !== 'string')) return undefined;
  return { query: params.query, operationName, variables };
}

/** A document as this check needs it: parsed, with the pairs validation would compare and its fragments. */
interface Parsed {
  document: DocumentNode;
  comparisons: number;
  fragments: ReturnType<typeof fragmentsOf>;
}

/**
 * Documents parsed lately, by their text: counters and apps send the same few documents all day, so
 * each is parsed and measured once (Apollo keeps its own parse the same way). Bounded in count and in
 * text length, oldest out, so a stream of distinct or huge documents costs at most a few MB here.
 */
const PARSED_MAX = 200;
const PARSED_TEXT_MAX_CHARS = 4_096;
const parsedByText = new Map<string, Parsed | null>();

function parsedOf(query: string): Parsed | null {
  const known = parsedByText.get(query);
  if (known !== undefined) return known;
  let parsed: Parsed | null;
  try {
    const document = parse(query, { maxTokens: MAX_TOKENS });
    parsed = { document, comparisons: mergeComparisons(document), fragments: fragmentsOf(document) };
  } catch {
    parsed = null;
  }
  if (query.length > PARSED_TEXT_MAX_CHARS) return parsed;
  if (parsedByText.size >= PARSED_MAX) parsedByText.delete(parsedByText.keys().next().value as string);
  parsedByText.set(query, parsed);
  return parsed;
}

function check(schema: GraphQLSchema, request: HTTPGraphQLRequest, identity: Identity): Analysis | undefined {
  const operation = requested(request);
  if (!operation) return undefined;
  const parsed = parsedOf(operation.query);
  if (!parsed) return undefined;
  const { document, comparisons, fragments } = parsed;
  if (comparisons > MAX_MERGE_COMPARISONS) {
    throw new HttpError(GatewayError.tooManyMergeComparisons(comparisons, MAX_MERGE_COMPARISONS));
  }
  const definition = getOperationAST(document, operation.operationName);
  if (!definition) return undefined;
  const analysis = analyzeOperation(schema, definition, fragments, operation.variables, identity.role);
  if (analysis.exceeded) throw new HttpError(limitExceeded(analysis.exceeded));
  return analysis;
}

/**
 * Refuses (HTTP 400, QUERY_TOO_COMPLEX) a request whose document is over the limits, and logs the
 * refusal. Answers the analysis it made (the same document, operation, variables and role the guard
 * will see after validation), so the guard need not walk the document again; undefined when it could
 * not read the request, which Apollo then refuses itself.
 */
export function documentLimits(
  schema: GraphQLSchema,
  observability: Observability,
): (request: HTTPGraphQLRequest, identity: Identity) => Analysis | undefined {
  return (request, identity) => {
    try {
      return check(schema, request, identity);
    } catch (error) {
      if (error instanceof HttpError) {
        observability.events.labels('document_refused', error.code).inc();
        observability.logger.info(
          { requestId: identity.requestId, role: identity.role, outcome: error.code },
          'request refused before validation',
        );
      }
      throw error;
    }
  };
}
