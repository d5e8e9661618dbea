import { z } from 'zod';
import { MAX_BALANCE_FEN, MAX_PAYMENT_FEN } from '../money';
import { PURPOSES, RELATIONSHIPS } from '../policy/vocabulary';
import { contract, idField } from './contract';

/**
 * The accounts subgraph's ledger, the only place where money moves (DESIGN.md, Money): ordered
 * debits, two-phase holds for debits across provinces, 冲正 by key, and reversals. Every movement is
 * idempotent by (scope, idempotencyKey). The ledger hashes a request as validated here, fields in
 * the order of these schemas, to tell a retry from another request under the same key: add fields
 * at the end, never reorder them.
 */

/** What one debit may move, and the floor it keeps: the bounds of DESIGN.md (a payment, a balance). */
const fen = z.number().int().min(0).max(MAX_PAYMENT_FEN);
const floorFen = z.number().int().min(0).max(MAX_BALANCE_FEN);
const key = z.string().min(1).max(128);
const scope = z.string().min(1).max(80);
const reference = z.string().min(1).max(160);

export const DEBIT_KINDS = ['OWN_ACCOUNT_PAYMENT', 'MUTUAL_AID_PAYMENT', 'PREMIUM_PAYMENT'] as const;
export type DebitKind = (typeof DEBIT_KINDS)[number];
export const RETURN_KINDS = ['REFUND', 'REVERSAL'] as const;
export type ReturnKind = (typeof RETURN_KINDS)[number];

const DebitRequestSchema = z.object({
  scope,
  idempotencyKey: key,
  /** What caused the debit (a settlement or premium payment id), shown on every entry. */
  reference,
  amountFen: fen.min(1),
  /** UP_TO: take what the steps allow, the rest is the caller's (cash). WHOLE: all of it or INSUFFICIENT_BALANCE. */
  mode: z.enum(['UP_TO', 'WHOLE']),
  /** What the money pays for, kept on every entry (reconciliation by purpose). */
  purpose: z.enum(PURPOSES).optional(),
  /** The accounts to take from, in order (ledger/plan.ts). */
  steps: z
    .array(
      z.object({
        accountId: idField,
        /** The balance this step may never take the account below (0 for the owner, the region's floor for relatives). */
        floorFen,
        /** The most this step may pay, e.g. only the part of the cost its region covers; absent = no limit. */
        limitFen: fen.optional(),
        kind: z.enum(DEBIT_KINDS),
        beneficiaryId: idField.optional(),
        relationship: z.enum(RELATIONSHIPS).optional(),
      }),
    )
    .min(1)
    .max(50),
});

const HoldRequestSchema = DebitRequestSchema.extend({
  /** How long the hold reserves its amounts before the sweeper voids it. */
  timeoutMs: z.number().int().min(1_000).max(3_600_000),
});

/** What one step of a transfer moved: paid from the account (a debit) or returned to it (a reversal). */
const StepOutcomeSchema = z.object({
  accountId: z.string(),
  paidFen: z.number().int(),
  /** The ledger entry written; null where the step moved nothing (or a hold, which writes none). */
  entryId: z.string().nullable(),
});

const DebitResultSchema = z.object({
  transferId: z.string(),
  paidFen: z.number().int(),
  steps: z.array(StepOutcomeSchema),
});

const HoldResultSchema = z.object({
  holdId: z.string(),
  paidFen: z.number().int(),
  steps: z.array(StepOutcomeSchema),
});

const HoldIdSchema = z.object({ holdId: idField });

/** 冲正 by key: undo whatever a debit or hold under (scope, key) did, and spend the key. */
const VoidKeyRequestSchema = z.object({
  scope,
  idempotencyKey: key,
  /** Any account of the original debit: it routes to the province whose ledger holds the key. */
  accountId: idField,
  reference,
});

const VoidKeyResultSchema = z.object({
  /** What went back to the accounts (0 when nothing had moved under the key). */
  returnedFen: z.number().int(),
});

const ReverseRequestSchema = z.object({
  scope,
  idempotencyKey: key,
  transferId: idField,
  kind: z.enum(RETURN_KINDS),
  reference,
});

const ReverseResultSchema = z.object({
  transferId: z.string(),
  reversedTransferId: z.string(),
  steps: z.array(StepOutcomeSchema),
});

export const ledgerApi = {
  /** One ordered debit in one province, in one local transaction. */
  debit: contract('/internal/ledger/debit', DebitRequestSchema, DebitResultSchema),
  /** Phase one across provinces: reserves what the debit would take, moves nothing yet. */
  hold: contract('/internal/ledger/hold', HoldRequestSchema, HoldResultSchema),
  /** Phase two, commit: the hold becomes an ordinary debit. Idempotent. */
  post: contract('/internal/ledger/post', HoldIdSchema, DebitResultSchema),
  /** Phase two, abort: releases the reservation; a posted hold cannot be voided. */
  void: contract('/internal/ledger/void', HoldIdSchema, z.object({ voided: z.literal(true) })),
  voidKey: contract('/internal/ledger/void-key', VoidKeyRequestSchema, VoidKeyResultSchema),
  /** Returns every fen of a debit to the account it came from; a transfer is reversed at most once. */
  reverse: contract('/internal/ledger/reverse', ReverseRequestSchema, ReverseResultSchema),
};

export type DebitRequest = z.infer<typeof DebitRequestSchema>;
export type HoldRequest = z.infer<typeof HoldRequestSchema>;
export type StepOutcome = z.infer<typeof StepOutcomeSchema>;
export type DebitResult = z.infer<typeof DebitResultSchema>;
export type HoldResult = z.infer<typeof HoldResultSchema>;
export type VoidKeyRequest = z.infer<typeof VoidKeyRequestSchema>;
export type VoidKeyResult = z.infer<typeof VoidKeyResultSchema>;
export type ReverseRequest = z.infer<typeof ReverseRequestSchema>;
export type ReverseResult = z.infer<typeof ReverseResultSchema>;
