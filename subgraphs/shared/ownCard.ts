import { type Outcome, SharedError } from './errors';

/**
 * 本人参保，本人享受 (DESIGN.md, The patient's own card): money moves, and a counter reads a person,
 * only for the holder of the credential the counter presents. The gateway decides this before any
 * subgraph is asked, audits every refusal and counts mismatches toward suspension
 * (gateway/guard/plugin.ts). The settlements subgraph decides it again from the holder in its signed
 * identity, as a backup: a caller reaching the subgraph directly gains nothing. Both ask this one
 * rule and answer with the same words.
 */
export type CardRefusalCode = 'CREDENTIAL_REQUIRED' | 'CREDENTIAL_INVALID' | 'CREDENTIAL_SUSPENDED' | 'CREDENTIAL_MISMATCH';

/** The credential presented with a request, as far as it is known. */
export interface PresentedCard {
  presented: boolean;
  /** null when it is unknown, malformed or revoked. */
  holderId: string | null;
  suspended: boolean;
}

/**
 * Why the card does not let the operation go ahead for the patients it names, or null. Several
 * distinct patients can never all be the holder, so naming more than one is a mismatch like any other.
 */
export function ownCardRefusal(card: PresentedCard, claimedPatientIds: readonly string[]): CardRefusalCode | null {
  if (!card.presented) return 'CREDENTIAL_REQUIRED';
  if (card.holderId === null) return 'CREDENTIAL_INVALID';
  if (card.suspended) return 'CREDENTIAL_SUSPENDED';
  if (claimedPatientIds.some((id) => id !== card.holderId)) return 'CREDENTIAL_MISMATCH';
  return null;
}

/** What each refusal says (SharedError): the gateway and the backup give the same answer. */
export const CARD_REFUSALS: Readonly<Record<CardRefusalCode, Outcome>> = {
  CREDENTIAL_REQUIRED: SharedError.credentialRequired,
  CREDENTIAL_INVALID: SharedError.credentialInvalid,
  CREDENTIAL_SUSPENDED: SharedError.credentialSuspended,
  CREDENTIAL_MISMATCH: SharedError.credentialMismatch,
};
