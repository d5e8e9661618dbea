import { z } from 'zod';
import { route, type InternalRoutes } from '../shared/internal';
import type { PersonSummary } from '../shared/accountsClient';
import { MAX_BALANCE_FEN, MAX_PAYMENT_FEN } from '../shared/money';
import { inBackground } from '../shared/server/observability';
import { PURPOSES, RELATIONSHIPS } from '../shared/policy/vocabulary';
import type { AccountsServices } from './context';
import { REFUSAL_LIMITS } from './credentials/service';

/**
 * The accounts subgraph's internal API, for the gateway (credentials) and the other subgraphs
 * (persons, balances, the ledger). Signed with SERVICE_SECRET; never exposed through the gateway.
 */
/** What one debit may move, and the floor it keeps: the bounds of DESIGN.md (a payment, a balance). */
const fen = z.number().int().min(0).max(MAX_PAYMENT_FEN);
const floorFen = z.number().int().min(0).max(MAX_BALANCE_FEN);
const key = z.string().min(1).max(128);
const ids = z.array(z.string().max(64)).max(1000);

const DebitSchema = z.object({
  scope: z.string().min(1).max(80),
  idempotencyKey: key,
  reference: z.string().min(1).max(160),
  amountFen: fen.min(1),
  mode: z.enum(['UP_TO', 'WHOLE']),
  purpose: z.enum(PURPOSES).optional(),
  steps: z.array(z.object({
    accountId: z.string().max(64),
    floorFen,
    limitFen: fen.optional(),
    kind: z.enum(['OWN_ACCOUNT_PAYMENT', 'MUTUAL_AID_PAYMENT', 'PREMIUM_PAYMENT']),
    beneficiaryId: z.string().max(64).optional(),
    relationship: z.enum(RELATIONSHIPS).optional(),
  })).min(1).max(50),
});

const ReverseSchema = z.object({
  scope: z.string().min(1).max(80),
  idempotencyKey: key,
  transferId: z.string().max(64),
  kind: z.enum(['REFUND', 'REVERSAL']),
  reference: z.string().min(1).max(160),
});

export function accountsInternalRoutes(services: AccountsServices): InternalRoutes {
  return {
    // Other services refresh their cached versions with this; it is background work, not a request's.
    '/internal/policies': route(z.object({}), () => inBackground(() => services.regionPolicies.list())),
    '/internal/credentials/resolve': route(z.object({ tokens: z.array(z.string().max(200)).max(100) }), async ({ tokens }) =>
      ({ credentials: await services.credentials.resolve(tokens) })),
    '/internal/credentials/refusals': route(z.object({
      code: z.enum(['CREDENTIAL_REQUIRED', 'CREDENTIAL_INVALID', 'CREDENTIAL_SUSPENDED', 'CREDENTIAL_MISMATCH']),
      token: z.string().max(200).nullable(),
      claimedPatients: z.array(z.string().max(64)).max(REFUSAL_LIMITS.patients),
      claimedPatientCount: z.number().int().min(0),
      terminalSub: z.string().max(REFUSAL_LIMITS.terminalSub),
      institutionId: z.string().max(64).nullable(),
      operationName: z.string().max(REFUSAL_LIMITS.operationName).nullable(),
      requestId: z.string().max(100),
    }), (input) => services.credentials.recordRefusal(input)),
    '/internal/persons/lookup': route(z.object({ ids }), async (input): Promise<{ persons: Array<PersonSummary | null> }> => {
      const [found, accounts] = await Promise.all([services.persons.load(input.ids), services.reads.accounts(input.ids)]);
      return {
        persons: input.ids.map((id) => {
          const person = found.get(id);
          return person ? { id, regionCode: person.regionCode, scheme: person.scheme, status: person.status, hasPersonalAccount: accounts.has(id) } : null;
        }),
      };
    }),
    '/internal/accounts/balances': route(z.object({ ids }), async (input) => {
      const found = await services.reads.accounts(input.ids);
      return { balances: input.ids.map((id) => found.get(id)?.balanceFen ?? null) };
    }),
    '/internal/ledger/debit': route(DebitSchema, (request) => services.ledger.debit(request)),
    '/internal/ledger/reverse': route(ReverseSchema, (request) => services.ledger.reverse(request)),
    '/internal/ledger/hold': route(DebitSchema.extend({ timeoutMs: z.number().int().min(1_000).max(3_600_000) }), (request) => services.ledger.hold(request)),
    '/internal/ledger/post': route(z.object({ holdId: z.string().max(64) }), ({ holdId }) => services.ledger.post(holdId)),
    '/internal/ledger/void-key': route(z.object({ scope: z.string().min(1).max(80), idempotencyKey: key, accountId: z.string().max(64), reference: z.string().min(1).max(160) }),
      (request) => services.ledger.voidKey(request)),
    '/internal/ledger/void': route(z.object({ holdId: z.string().max(64) }), async ({ holdId }) => {
      await services.ledger.void(holdId);
      return { voided: true };
    }),
  };
}
