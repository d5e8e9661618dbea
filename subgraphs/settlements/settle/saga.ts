import { chinaYear } from '../../shared/chinaTime';
import type { ProvinceBackends } from '../../shared/db/backends';
import { provinceOfKnownId } from '../../shared/db/routing';
import { inTransaction, isDuplicateKey } from '../../shared/db/transaction';
import { fail } from '../../shared/errors';
import { SettlementsError } from '../errors';
import { requestHash } from '../../shared/idempotency';
import { newId, regionOfKnownId } from '../../shared/ids';
import type { Observability } from '../../shared/server/observability';
import { paidBy } from '../waterfall/waterfall';
import { chargeFundUse, giveBackFundUse, lockFundUse, mayLeaveFundUse } from './fundUse';
import type { KeyClaims } from './keyClaims';
import { paymentsFrom, type SettlementLedger } from './ledger';
import type { PayerCheck } from './payerCheck';
import type { SettleInput, SettlementPlanner } from './planning';
import type { KeyRecord, SettlementRecord, SettlementState } from './records';
import type { RefundRequest, SettlementStore } from './store';

/**
 * `settle`, `refundSettlement`, `adminRefundSettlement` and `voidSettlement` as sagas keyed by the
 * institution's idempotency key (DESIGN.md, Regional backends and Decisions of the second round).
 *
 * settle: (1) claim (institution, key) in the national database (keyClaims.ts), so the key is one
 * transaction nationwide whatever province the patient is in; (2) write the intent in the patient's
 * province, with its plan (planning.ts) and the year's fund use (fundUse.ts), in one local
 * transaction; (3) re-check the paying bindings and both regions' policies at that instant and store
 * the decision (payerCheck.ts); (4) call the ledger with the settlement id as key (ledger.ts; several
 * provinces: crossProvince.ts); (5) record what the ledger paid. Whoever finds an intent open — a
 * concurrent retry, a later retry, the recovery pass — completes it the same way, so every crash ends
 * in exactly one effect.
 *
 * 冲正 undoes whatever became of a key, and every interleaving with a settle ends in one outcome:
 * - no intent yet: the void writes a KEY_SPENT row under the key's unique index in the patient's
 *   province; a settle that comes later (or was in flight) cannot write its intent and moves nothing;
 * - an intent (PENDING): the void takes it to VOIDING (so nothing completes it as a settlement),
 *   then asks the ledger to void the key in each province — reversing what a debit or pending
 *   transfer under it did, or spending the key so that a late one moves nothing — and ends VOIDED;
 * - a settlement (SETTLED): refunded by the one refund path.
 * Taking a settlement out (refund, admin refund, 冲正) never lets the fund pay more than its rule
 * (waterfall/fundOrder.ts): the year's counters are given back in the same transaction that takes
 * it out, under the lock that serialises the fund shares.
 */
export interface VoidInput {
  institutionId: string;
  idempotencyKey: string;
  patientId: string;
}

export interface VoidRecord {
  outcome: 'KEY_VOIDED' | 'REFUNDED';
  settlement: SettlementRecord | null;
}

/** A key a 冲正 took: spent before any intent, or an intent being (or already) undone. */
function isVoided(found: KeyRecord): boolean {
  return found.state === 'KEY_SPENT' || found.state === 'VOIDING' || found.state === 'VOIDED';
}

export class SettlementSaga {
  constructor(
    private readonly backends: ProvinceBackends,
    private readonly store: SettlementStore,
    private readonly planner: SettlementPlanner,
    private readonly claims: KeyClaims,
    private readonly payerCheck: PayerCheck,
    private readonly ledger: SettlementLedger,
    private readonly observability: Observability,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async settle(input: SettleInput, requestId: string): Promise<SettlementRecord> {
    const province = this.planner.validate(input);
    const { idempotencyKey: _key, ...content } = input;
    const hash = requestHash(content);
    const fresh = newId(regionOfKnownId(input.patientId));
    const claim = await this.claims.claim(input.institutionId, 'SETTLE', input.idempotencyKey, {
      settlementId: fresh,
      patientId: input.patientId,
      requestHash: hash,
    });
    if (claim.requestHash !== hash) {
      // A voided key answers so whatever the content: the key is spent.
      const claimed =
        claim.requestHash === null
          ? undefined
          : await this.store.byKey(this.planner.province(claim.patientId), input.institutionId, input.idempotencyKey);
      if (claim.requestHash === null || (claimed && isVoided(claimed))) fail(SettlementsError.keyVoided);
      fail(SettlementsError.keyUsedElsewhere);
    }
    if (claim.settlementId !== fresh) {
      // Claimed before: the first request made (or is making) the intent, or died before writing it.
      const earlier = await this.store.byKey(province, input.institutionId, input.idempotencyKey);
      if (earlier) return this.existing(earlier, hash, requestId);
    }

    const gathered = await this.planner.gather(input, this.clock(), requestId);
    const id = claim.settlementId;
    const fundUseKey = { patientId: input.patientId, fundYear: chinaYear(gathered.now), purpose: input.purpose };
    try {
      await inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
        const use = await lockFundUse(sql, fundUseKey);
        const plan = this.planner.plan(input, gathered, use);
        const fundSeq = await chargeFundUse(sql, use, plan);
        await this.store.insertIntent(sql, {
          id,
          input,
          patientScheme: gathered.patient.scheme,
          requestHash: hash,
          plan,
          fundYear: fundUseKey.fundYear,
          fundSeq,
          createdAt: gathered.now,
        });
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // A concurrent request with the same key (or a 冲正 of it) committed first: answer by what it wrote.
      return this.existing(await this.store.committedByKey(province, input.institutionId, input.idempotencyKey), hash, requestId);
    }
    return this.existing(await this.store.reload(id), hash, requestId);
  }

  /**
   * A row already under this key: the same request gets its result (completed first), another
   * request a conflict, and a voided key the coded answer that names the 冲正.
   */
  private async existing(found: KeyRecord, hash: string, requestId: string): Promise<SettlementRecord> {
    if (found.state === 'KEY_SPENT') fail(SettlementsError.keyVoided);
    if (found.requestHash !== hash && !isVoided(found)) fail(SettlementsError.keyUsedForOtherContent);
    const record = await this.complete(found, requestId);
    if (isVoided(record)) fail(SettlementsError.keyVoided);
    return record;
  }

  /** Drives an open row (PENDING, REFUNDING, VOIDING) to its end; a finished one is returned as it is. */
  private async complete(record: SettlementRecord, requestId: string): Promise<SettlementRecord> {
    if (record.state === 'PENDING') await this.finishSettle(record, requestId);
    else if (record.state === 'REFUNDING') await this.finishRefund(record, requestId);
    else if (record.state === 'VOIDING') await this.finishVoid(record, requestId);
    return this.store.reload(record.id);
  }

  /**
   * Executes the stored plan through the ledger, after the payer check at this instant. The ledger
   * re-checks every balance as it debits, so what it actually paid is recorded and the rest is cash:
   * a plan is never a promise. The row becomes SETTLED only from PENDING: an intent a 冲正 took
   * meanwhile records nothing.
   */
  private async finishSettle(pending: SettlementRecord, requestId: string): Promise<void> {
    const decision = await this.payerCheck.atPayment(pending, requestId);
    const record = decision ? await this.store.storePayingDecision(pending, decision) : pending;
    if (record.state !== 'PENDING') return;
    const payments = paymentsFrom(record, await this.ledger.pay(record, requestId));
    const ownFen = paidBy(payments, 'OWN_ACCOUNT');
    const mutualFen = paidBy(payments, 'MUTUAL_AID');
    const cashFen = record.totalFen - record.fundFen - ownFen - mutualFen;
    const province = provinceOfKnownId(record.id);
    await inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      if (!(await this.store.markSettled(sql, record.id, { ownFen, mutualFen, cashFen }))) return;
      this.countSettled(record, { FUND: record.fundFen, OWN_ACCOUNT: ownFen, MUTUAL_AID: mutualFen, CASH: cashFen });
      await this.store.insertPayments(sql, record, payments);
    });
  }

  /** Counted once, by whoever finished the settlement (metrics may lag a crash, never double). */
  private countSettled(record: SettlementRecord, bySource: Record<string, number>): void {
    this.observability.events.labels('settlement', record.purpose).inc();
    for (const [source, fen] of Object.entries(bySource))
      this.observability.moneyMovedFen.labels(`settlement_${record.purpose}`, source).inc(fen);
  }

  /**
   * Takes a standing row out of the year's fund use — SETTLED to REFUNDING, or PENDING to VOIDING —
   * if the fund's rule allows it (fundUse.ts), giving the year's counters back in the same
   * transaction, under the lock that serialises every fund share of this patient, year and purpose
   * and conditional on the sequence read under it (fundUse.ts: the lock may hold on one node only).
   * False when the row is no longer in `from` (someone else moved it first).
   */
  private async withdraw(
    record: SettlementRecord,
    from: SettlementState,
    to: SettlementState,
    refund: RefundRequest | null,
    requestId: string,
  ): Promise<boolean> {
    // Removing a settlement that took no fund share and no deductible changes no other's share, so
    // the rule (and the patient's scheme it depends on) is looked up only when it could matter.
    const touchesFund = record.fundFen > 0 || record.deductibleAppliedFen > 0;
    const ruleAt = touchesFund ? await this.planner.poolingRulesOf(record, requestId) : undefined;
    const province = provinceOfKnownId(record.id);
    return inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      const use = await lockFundUse(sql, record);
      if (ruleAt && !(await mayLeaveFundUse(sql, record, ruleAt))) return false;
      if (!(await this.store.move(sql, record.id, from, to, refund))) return false;
      await giveBackFundUse(sql, use, record);
      return true;
    });
  }

  /**
   * Full refund: every fen back to the account it came from, the year's fund use given back. Once:
   * the same request again returns the refunded settlement; another is INVALID_STATE. A counter's
   * refund key is one refund of its institution nationwide.
   */
  async refund(record: SettlementRecord, request: RefundRequest, requestId: string): Promise<SettlementRecord> {
    if (request.kind === 'COUNTER') {
      const claim = await this.claims.claim(record.institutionId, 'REFUND', request.idempotencyKey, {
        settlementId: record.id,
        patientId: record.patientId,
        requestHash: null,
      });
      if (claim.settlementId !== record.id) fail(SettlementsError.refundKeyUsedElsewhere);
    }
    const claimed = await this.withdraw(record, 'SETTLED', 'REFUNDING', request, requestId);
    const current = await this.store.reload(record.id);
    if (!claimed && !(current.refundKey === request.idempotencyKey && current.refundKind === request.kind)) {
      if (current.state === 'PENDING') fail(SettlementsError.settlementUnfinished);
      fail(SettlementsError.alreadyRefunded);
    }
    return this.complete(current, requestId);
  }

  private async finishRefund(record: SettlementRecord, requestId: string): Promise<void> {
    await this.ledger.returnPayments(record, requestId);
    if (!(await this.store.markRefunded(record.id))) return;
    this.observability.events.labels('refund', record.purpose).inc();
    this.observability.moneyMovedFen.labels('refund', 'RETURNED_TO_ACCOUNTS').inc(record.ownFen + record.mutualFen);
  }

  /**
   * 冲正 (the national interface 2601) of (institution, key) for the patient the counter names (and
   * whose card it read). Claims the key nationwide like a settle, then undoes whatever the patient's
   * province holds under it (see the class comment). Idempotent: again, the same outcome, nothing moved.
   */
  async void(input: VoidInput, actor: string, requestId: string): Promise<VoidRecord> {
    const province = this.planner.province(input.patientId);
    const claim = await this.claims.claim(input.institutionId, 'SETTLE', input.idempotencyKey, {
      settlementId: newId(regionOfKnownId(input.patientId)),
      patientId: input.patientId,
      requestHash: null,
    });
    if (claim.patientId !== input.patientId) fail(SettlementsError.keyOfAnotherPatient);
    // States only move forward (PENDING → SETTLED or VOIDING, SETTLED → REFUNDING), so a row that
    // moved under us is looked at again at most a few times.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const found =
        (await this.store.byKey(province, input.institutionId, input.idempotencyKey)) ??
        (await this.spendUnusedKey(province, claim.settlementId, input));
      if (found.patientId !== input.patientId) fail(SettlementsError.keyOfAnotherPatient);
      const outcome = await this.undo(found, { idempotencyKey: input.idempotencyKey, kind: 'VOID', actor, reason: null }, requestId);
      if (outcome) return outcome;
    }
    fail(SettlementsError.voidUnfinished);
  }

  /** Spends a key no intent holds; a concurrent intent that wins the key's index is answered instead. */
  private async spendUnusedKey(province: string, id: string, input: VoidInput): Promise<KeyRecord> {
    const now = this.clock();
    if (await this.store.spendKey(province, id, input, chinaYear(now), now)) {
      this.observability.events.labels('void', 'KEY_SPENT').inc();
      return { state: 'KEY_SPENT', id, patientId: input.patientId };
    }
    return this.store.committedByKey(province, input.institutionId, input.idempotencyKey);
  }

  /** One step of a 冲正 on what the key holds; null when the row moved meanwhile and must be read again. */
  private async undo(found: KeyRecord, refund: RefundRequest, requestId: string): Promise<VoidRecord | null> {
    switch (found.state) {
      case 'KEY_SPENT':
      case 'VOIDED':
        return { outcome: 'KEY_VOIDED', settlement: null };
      case 'VOIDING':
        await this.complete(found, requestId);
        return { outcome: 'KEY_VOIDED', settlement: null };
      case 'PENDING':
        if (!(await this.withdraw(found, 'PENDING', 'VOIDING', null, requestId))) return null;
        await this.complete(await this.store.reload(found.id), requestId);
        return { outcome: 'KEY_VOIDED', settlement: null };
      case 'SETTLED':
        if (!(await this.withdraw(found, 'SETTLED', 'REFUNDING', refund, requestId))) return null;
        return { outcome: 'REFUNDED', settlement: await this.complete(await this.store.reload(found.id), requestId) };
      case 'REFUNDING':
      case 'REFUNDED':
        return { outcome: 'REFUNDED', settlement: await this.complete(found, requestId) };
    }
  }

  /**
   * Ends a 冲正 of an intent: the ledger voids the key in each province of its plan, then the row is
   * VOIDED. The year's fund use was given back when the intent was taken.
   */
  private async finishVoid(record: SettlementRecord, requestId: string): Promise<void> {
    const returnedFen = await this.ledger.voidKey(record, requestId);
    if (!(await this.store.markVoided(record.id))) return;
    this.observability.events.labels('void', record.purpose).inc();
    this.observability.moneyMovedFen.labels('void', 'RETURNED_TO_ACCOUNTS').inc(returnedFen);
  }

  /** Completes every row left open for longer than `olderThanMs` (a crash, a lost connection); never completes a voided key. */
  async recover(olderThanMs: number, requestId: string): Promise<number> {
    let completed = 0;
    for (const province of this.backends.available()) {
      for (const id of await this.store.open(province, new Date(this.clock().getTime() - olderThanMs))) {
        await this.store
          .reload(id)
          .then((record) => this.complete(record, requestId))
          .then(
            () => {
              completed += 1;
            },
            (error: unknown) => {
              this.observability.logger.warn({ requestId, settlementId: id, err: error }, 'recovery could not complete a settlement yet');
            },
          );
      }
    }
    return completed;
  }
}
