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

export const CARD_REFUSALS: Readonly<Record<CardRefusalCode, { zh: string; en: string }>> = {
  CREDENTIAL_REQUIRED: {
    zh: '请出示患者本人的医保卡或医保电子凭证',
    en: "Present the patient's own card or e-voucher in X-Insurance-Credential",
  },
  CREDENTIAL_INVALID: {
    zh: '医保凭证无效或已注销，请患者重新申领',
    en: 'The credential is unknown or revoked; the patient must get a new one',
  },
  CREDENTIAL_SUSPENDED: {
    zh: '该医保凭证的联网结算已暂停，请联系医保经办机构',
    en: 'Network settlement with this credential is suspended; the insured person must contact the bureau',
  },
  CREDENTIAL_MISMATCH: {
    zh: '医保凭证不属于该患者：须使用患者本人的医保卡（本人参保，本人享受）',
    en: 'The credential does not belong to the patient: every patient settles with his or her own card',
  },
};
