import { z } from 'zod';
import { contract, idList } from './contract';

/**
 * The accounts subgraph's credentials (cards and e-vouchers), for the gateway's own-card rule
 * (DESIGN.md, The patient's own card): whose a presented token is, and the audit of every refusal.
 */

/** Tokens per resolve call: the gateway batches concurrent look-ups up to this. */
export const MAX_TOKENS_PER_RESOLVE = 100;

/**
 * What one refusal keeps, whatever the operation: at most `patients` of the patients it named (and
 * how many there were), and the caller's texts cut to these lengths.
 */
export const REFUSAL_LIMITS = { patients: 10, operationName: 100, terminalSub: 128 } as const;

const token = z.string().max(200);

/** What the gateway learns of a presented token: whose it is, and whether it may settle now. */
const ResolutionSchema = z.object({
  credentialId: z.string(),
  holderId: z.string(),
  suspended: z.boolean(),
});

const RefusalSchema = z.object({
  code: z.enum(['CREDENTIAL_REQUIRED', 'CREDENTIAL_INVALID', 'CREDENTIAL_SUSPENDED', 'CREDENTIAL_MISMATCH']),
  token: token.nullable(),
  /** The first distinct patients named, at most REFUSAL_LIMITS.patients. */
  claimedPatients: idList(REFUSAL_LIMITS.patients),
  /** How many distinct patients the operation named. */
  claimedPatientCount: z.number().int().min(0),
  terminalSub: z.string().max(REFUSAL_LIMITS.terminalSub),
  institutionId: z.string().max(64).nullable(),
  operationName: z.string().max(REFUSAL_LIMITS.operationName).nullable(),
  requestId: z.string().max(100),
});

export const credentialsApi = {
  /** One answer per token, in order; null for a token unknown or revoked. */
  resolve: contract(
    '/internal/credentials/resolve',
    z.object({ tokens: z.array(token).max(MAX_TOKENS_PER_RESOLVE) }),
    z.object({ credentials: z.array(ResolutionSchema.nullable()) }),
  ),
  /** Keeps a refusal in the national audit trail; answers whether the holder is suspended now. */
  recordRefusal: contract('/internal/credentials/refusals', RefusalSchema, z.object({ suspended: z.boolean() })),
};

export type Resolution = z.infer<typeof ResolutionSchema>;
export type Refusal = z.infer<typeof RefusalSchema>;
