import type { AccountsClient } from '../../shared/accountsClient';
import { decodeTimeCursor, encodeTimeCursor, pageOf, type Page, olderThan } from '../../shared/cursor';
import type { ProvinceBackends } from '../../shared/db/backends';
import { provinceOfId, provinceOfKnownId } from '../../shared/db/routing';
import { isDuplicateKey, query } from '../../shared/db/transaction';
import { DomainError, fail, SharedError } from '../../shared/errors';
import { type PayerRuleCode, SettlementsError } from '../errors';
import type { Payer } from '../../shared/contracts/bindings';
import type { FamilyClient } from '../../shared/familyClient';
import { requestHash } from '../../shared/idempotency';
import { newId, regionOfKnownId } from '../../shared/ids';
import { fenFromColumn } from '../../shared/money';
import { must } from '../../shared/must';
import type { Observability } from '../../shared/server/observability';
import type { PolicyBook } from '../../shared/policy/policy';
import { PREMIUM_PURPOSES, type Purpose } from '../../shared/policy/vocabulary';
import { noteFor } from '../waterfall/explain';
import { payerRefusal, type Limit } from '../waterfall/waterfall';
import type { PremiumClaims } from './claims';
import { PRODUCT_CODE, type Product, type Products } from './products';
import { beneficiaryRefusal, type EligibilityReason, eligibilityReason, type PayerRefusalCode, premiumYear, productRefusal } from './rules';

/**
 * Premiums paid from a personal account (DESIGN.md, Rules → payPremium): by the beneficiary himself,
 * or by an authorizer with an ACTIVE binding to him, for a purpose both regions allow (across
 * provinces only where both allow it: the waterfall's payerRefusal), above the authorizer's region's
 * floor. Paid in full or refused. The beneficiary must be insured now, and a resident premium is
 * for a beneficiary of the RESIDENT scheme only (rules.ts); a partner's product only from accounts of
 * its regions. One premium per beneficiary, product and year: the first holds a national claim
 * (claims.ts) and another is refused naming it. The record lives in the payer's province and is
 * written as an intent before the claim is taken and the ledger is called with its id, so a crash is
 * finished by a retry or the recovery pass, and a retry with the same key returns the same payment
 * (or the same refusal). refundPremium returns a paid premium in full through the ledger's reversal,
 * once: PAID → REFUNDING (who, why, key) → REFUNDED, and releases the year's claim.
 */
export interface PremiumInput {
  idempotencyKey: string;
  payerId: string;
  beneficiaryId: string;
  purpose: Purpose;
  productCode: string;
  amountFen: number;
}

export type PremiumState = 'PENDING' | 'PAID' | 'REFUSED' | 'REFUNDING' | 'REFUNDED';

/** Who refunds a premium and why (refundPremium, ADMIN only): kept on the row as the audit of the refund. */
export interface PremiumRefundRequest {
  idempotencyKey: string;
  actor: string;
  reason: string;
}

export interface PremiumRecord {
  id: string;
  idempotencyKey: string;
  requestHash: string;
  payerId: string;
  beneficiaryId: string;
  bindingId: string | null;
  purpose: Purpose;
  productCode: string;
  amountFen: number;
  floorFen: number;
  state: PremiumState;
  /** The year one premium per beneficiary and product is counted in (rules.ts: premiumYear); null before issue 15. */
  year: number | null;
  /** REFUSED because this premium holds the year's claim; null when refused for balance. */
  refusedBy: string | null;
  transferId: string | null;
  refundKey: string | null;
  createdAt: Date;
  refundedAt: Date | null;
}

export type PremiumPage = Page<PremiumRecord>;

const COLUMNS =
  'id, idempotency_key, request_hash, payer_id, beneficiary_id, binding_id, purpose, product_code, amount_fen, floor_fen, status, created_at, premium_year';
const READ_COLUMNS = `${COLUMNS}, refused_by, transfer_id, refund_key, refunded_at`;
/** A premium that was paid, whether refunded since or not: what partners list and count. */
const WAS_PAID = "status IN ('PAID', 'REFUNDING', 'REFUNDED')";

type PremiumRow = {
  id: string;
  idempotency_key: string;
  request_hash: string;
  payer_id: string;
  beneficiary_id: string;
  binding_id: string | null;
  purpose: Purpose;
  product_code: string;
  amount_fen: string;
  floor_fen: string;
  status: PremiumState;
  created_at: Date;
  premium_year: number | null;
  refused_by: string | null;
  transfer_id: string | null;
  refund_key: string | null;
  refunded_at: Date | null;
};

function toPremium(row: PremiumRow): PremiumRecord {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    payerId: row.payer_id,
    beneficiaryId: row.beneficiary_id,
    bindingId: row.binding_id,
    purpose: row.purpose,
    productCode: row.product_code,
    amountFen: fenFromColumn(row.amount_fen),
    floorFen: fenFromColumn(row.floor_fen),
    state: row.status,
    year: row.premium_year,
    refusedBy: row.refused_by,
    transferId: row.transfer_id,
    refundKey: row.refund_key,
    createdAt: row.created_at,
    refundedAt: row.refunded_at,
  };
}

/** A premium through a binding the waterfall's rule refuses is refused whole, with the rule's own code. */
const REFUSAL_CODES: Partial<Record<Limit, PayerRuleCode>> = {
  PURPOSE_NOT_ALLOWED: 'PURPOSE_NOT_ALLOWED',
  RELATIONSHIP_NOT_ALLOWED: 'RELATIONSHIP_NOT_ALLOWED',
  CROSS_PROVINCE_NOT_ALLOWED: 'CROSS_PROVINCE_NOT_ALLOWED',
};

const insufficient = () => new DomainError(SettlementsError.premiumUnpaid);

/** What a REFUSED premium answers, the first time and on every retry under its key. */
const refusalOf = (record: PremiumRecord) =>
  record.refusedBy ? new DomainError(SettlementsError.premiumAlreadyPaid(record.refusedBy)) : insufficient();

const BENEFICIARY_REFUSALS = {
  NOT_INSURED: SettlementsError.beneficiaryNotInsured,
  SUSPENDED: SettlementsError.beneficiarySuspended,
  SCHEME_NOT_ALLOWED: SettlementsError.residentPremiumForResidents,
} as const;

/** How often a premium asks again for a claim whose holder let it go meanwhile. */
const CLAIM_ATTEMPTS = 3;

export class Premiums {
  constructor(
    private readonly backends: ProvinceBackends,
    private readonly policies: PolicyBook,
    private readonly accounts: AccountsClient,
    private readonly family: FamilyClient,
    private readonly products: Products,
    private readonly claims: PremiumClaims,
    private readonly observability: Observability,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private async byKey(province: string, payerId: string, key: string): Promise<PremiumRecord | undefined> {
    const rows = await query<PremiumRow[]>(
      this.backends.get(province),
      province,
      `SELECT ${READ_COLUMNS} FROM premium_payments WHERE payer_id = ? AND idempotency_key = ?`,
      [payerId, key],
    );
    return rows[0] && toPremium(rows[0]);
  }

  /** The premium with this id, or null (unknown id or province). */
  async byId(id: string): Promise<PremiumRecord | null> {
    const province = provinceOfId(id);
    if (!province || !this.backends.has(province)) return null;
    const rows = await query<PremiumRow[]>(
      this.backends.get(province),
      province,
      `SELECT ${READ_COLUMNS} FROM premium_payments WHERE id = ?`,
      [id],
    );
    return rows[0] ? toPremium(rows[0]) : null;
  }

  private async reload(id: string): Promise<PremiumRecord> {
    return must(await this.byId(id), `premium ${id} exists`);
  }

  /** The payment under (payer, key), where this request has just written it or the key's unique index said one committed. */
  private async committedByKey(province: string, payerId: string, key: string): Promise<PremiumRecord> {
    return must(await this.byKey(province, payerId, key), `a premium payment under key ${key} has committed`);
  }

  private async existing(found: PremiumRecord, hash: string, requestId: string): Promise<PremiumRecord> {
    if (found.requestHash !== hash) fail(SettlementsError.premiumKeyConflict);
    return this.complete(found, requestId);
  }

  async pay(input: PremiumInput, requestId: string): Promise<PremiumRecord> {
    if (!(PREMIUM_PURPOSES as readonly string[]).includes(input.purpose)) fail(SettlementsError.notPremiumPurpose);
    if (!PRODUCT_CODE.test(input.productCode)) fail(SettlementsError.productCodeMalformed);
    if (input.amountFen <= 0) fail(SettlementsError.premiumNotPositive);
    const province = provinceOfId(input.payerId);
    if (!province || !this.backends.has(province)) fail(SettlementsError.payerNotFound(input.payerId));
    const { idempotencyKey: _key, ...content } = input;
    const hash = requestHash(content);
    const earlier = await this.byKey(province, input.payerId, input.idempotencyKey);
    if (earlier) return this.existing(earlier, hash, requestId);
    const product = await this.requireProductFor(input);

    const now = this.clock();
    const persons = await this.accounts.persons([input.payerId, input.beneficiaryId], requestId);
    const payer = persons.get(input.payerId);
    if (!payer) fail(SettlementsError.payerNotFound(input.payerId));
    const beneficiary = persons.get(input.beneficiaryId);
    if (!beneficiary) fail(SettlementsError.beneficiaryNotFound(input.beneficiaryId));
    if (!payer.hasPersonalAccount) fail(SettlementsError.payerWithoutAccount);
    if (payer.status !== 'ACTIVE') fail(SettlementsError.payerNotInsured);
    const notForHim = beneficiaryRefusal(input.purpose, beneficiary);
    if (notForHim) fail(BENEFICIARY_REFUSALS[notForHim]);
    if (productRefusal(product, payer.regionCode)) fail(SettlementsError.productRegionNotAllowed(input.productCode, payer.regionCode));

    let bindingId: string | null = null;
    let floorFen = 0;
    if (input.payerId !== input.beneficiaryId) {
      const binding = ((await this.family.payers([input.beneficiaryId], now, requestId)).get(input.beneficiaryId) ?? []).find(
        (candidate) => candidate.authorizerId === input.payerId,
      );
      if (!binding) fail(SettlementsError.payerNotBound);
      const policy = this.policies.knownPolicyAt(binding.authorizerRegion, now);
      const refusal = this.relativeRefusal(binding, beneficiary.regionCode, input.purpose, now);
      if (refusal) {
        const [zh, en] = noteFor(
          {
            source: 'MUTUAL_AID',
            amountFen: 0,
            limitedBy: refusal.limitedBy,
            region: refusal.region,
            policyVersion: refusal.policyVersion,
            figures: {},
          },
          input.purpose,
        ).split(' / ');
        fail(SettlementsError.payerRefusedByRule(REFUSAL_CODES[refusal.limitedBy] ?? 'NOT_ELIGIBLE', { zh, en }));
      }
      bindingId = binding.bindingId;
      floorFen = policy.retainedFloorFen;
    }

    const id = newId(regionOfKnownId(input.payerId));
    try {
      await query(
        this.backends.get(province),
        province,
        `INSERT INTO premium_payments (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?)`,
        [
          id,
          input.idempotencyKey,
          hash,
          input.payerId,
          input.beneficiaryId,
          bindingId,
          input.purpose,
          input.productCode,
          input.amountFen,
          floorFen,
          now,
          premiumYear(product, now),
        ],
      );
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return this.existing(await this.committedByKey(province, input.payerId, input.idempotencyKey), hash, requestId);
    }
    return this.complete(await this.committedByKey(province, input.payerId, input.idempotencyKey), requestId);
  }

  /** The waterfall's own rule: a relative's money pays only what both regions allow, at this instant. */
  private relativeRefusal(binding: Payer, beneficiaryRegion: string, purpose: Purpose, at: Date) {
    return payerRefusal(
      {
        ...binding,
        authorizerActive: true,
        bindingActive: true,
        balanceFen: 0,
        policy: this.policies.knownPolicyAt(binding.authorizerRegion, at),
      },
      beneficiaryRegion,
      this.policies.knownPolicyAt(beneficiaryRegion, at),
      purpose,
    );
  }

  /**
   * productEligibility: may the person enrolled under this id number and name have this product's
   * premium paid from a personal account now — his own, or an ACTIVE, insured relative's bound to
   * him that payPremium would accept (the same rules: rules.ts, the waterfall's payerRefusal and the
   * year's claim)? Only a reason code comes back: a mismatch of number and name is NOT_INSURED like
   * an unknown person (accounts' match never tells which), and balances are not looked at.
   */
  async eligibility(product: Product, idNumber: string, name: string, requestId: string): Promise<EligibilityReason | null> {
    const personId = await this.accounts.match(idNumber, name, requestId);
    const person = personId ? (await this.accounts.persons([personId], requestId)).get(personId) : undefined;
    if (!person) return 'NOT_INSURED';
    const now = this.clock();
    const purpose = 'COMMERCIAL_HEALTH_INSURANCE';
    const [holder, bindings] = await Promise.all([
      this.claims.holder(person.id, product.code, premiumYear(product, now)),
      this.family.payers([person.id], now, requestId).then((payers) => payers.get(person.id) ?? []),
    ]);
    const authorizers = await this.accounts.persons(
      bindings.map((binding) => binding.authorizerId),
      requestId,
    );
    const payers: Array<PayerRefusalCode | null> = person.hasPersonalAccount ? [productRefusal(product, person.regionCode)] : [];
    for (const binding of bindings) {
      const authorizer = authorizers.get(binding.authorizerId);
      if (!authorizer?.hasPersonalAccount || authorizer.status !== 'ACTIVE') continue;
      const refusal = this.relativeRefusal(binding, person.regionCode, purpose, now);
      payers.push(
        productRefusal(product, binding.authorizerRegion) ?? (refusal ? (REFUSAL_CODES[refusal.limitedBy] ?? 'NOT_ELIGIBLE') : null),
      );
    }
    return eligibilityReason({ beneficiary: beneficiaryRefusal(purpose, person), alreadyPaid: holder !== null, payers });
  }

  /**
   * 惠民保 premiums go to a registered partner product, and a partner's product code names nothing
   * else: otherwise a payment could appear in (or hide from) the wrong partner's list.
   */
  private async requireProductFor(input: PremiumInput): Promise<Product | null> {
    const product = await this.products.byCode(input.productCode);
    if (input.purpose === 'COMMERCIAL_HEALTH_INSURANCE' && !product) {
      fail(SettlementsError.productNotRegistered(input.productCode));
    }
    if (product && input.purpose !== 'COMMERCIAL_HEALTH_INSURANCE') {
      fail(SettlementsError.partnerProductPurpose(input.productCode));
    }
    return product;
  }

  /**
   * Takes the year's claim for a PENDING premium, or refuses it (REFUSED, naming the holder) when
   * another premium holds it. A holder that was itself refused or refunded but crashed before it let
   * the claim go is released here, so a claim never outlives its premium.
   */
  private async claimYear(record: PremiumRecord): Promise<void> {
    if (record.year === null) return;
    const claim = { premiumId: record.id, beneficiaryId: record.beneficiaryId, productCode: record.productCode, year: record.year };
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
      const holderId = await this.claims.claim(claim);
      if (holderId === record.id) return;
      if (holderId !== null) {
        const holder = await this.byId(holderId);
        if (!holder || holder.state === 'REFUSED' || holder.state === 'REFUNDED') {
          await this.claims.release(holderId);
          continue;
        }
        await query(
          this.backends.get(provinceOfKnownId(record.id)),
          provinceOfKnownId(record.id),
          "UPDATE premium_payments SET status = 'REFUSED', refused_by = ? WHERE id = ? AND status = 'PENDING'",
          [holderId, record.id],
        );
        const after = await this.reload(record.id);
        // Completed meanwhile by a request that did hold the claim: the ledger's key makes paying again a no-op.
        if (after.state !== 'REFUSED') return;
        throw refusalOf(after);
      }
    }
    fail(SharedError.databaseUnavailable('national'));
  }

  /**
   * Drives a PENDING payment through its claim and the ledger; PAID (or refunded since) is returned,
   * REFUSED answers its refusal again; a REFUNDING one finishes its refund first.
   */
  async complete(record: PremiumRecord, requestId: string): Promise<PremiumRecord> {
    if (record.state === 'REFUSED') throw refusalOf(record);
    if (record.state === 'REFUNDING') return this.finishRefund(record, requestId);
    if (record.state !== 'PENDING') return record;
    const province = provinceOfKnownId(record.id);
    await this.claimYear(record);
    try {
      const result = await this.accounts.debit(
        {
          scope: 'premium',
          idempotencyKey: record.id,
          reference: record.id,
          amountFen: record.amountFen,
          mode: 'WHOLE',
          purpose: record.purpose,
          steps: [{ accountId: record.payerId, floorFen: record.floorFen, kind: 'PREMIUM_PAYMENT', beneficiaryId: record.beneficiaryId }],
        },
        requestId,
      );
      const paid = await query<{ affectedRows: number }>(
        this.backends.get(province),
        province,
        "UPDATE premium_payments SET status = 'PAID', transfer_id = ? WHERE id = ? AND status = 'PENDING'",
        [result.transferId, record.id],
      );
      if (paid.affectedRows === 1) {
        this.observability.events.labels('premium', record.purpose).inc();
        this.observability.moneyMovedFen.labels('premium', record.purpose).inc(record.amountFen);
      }
      return this.reload(record.id);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'INSUFFICIENT_BALANCE') throw error;
      await query(
        this.backends.get(province),
        province,
        "UPDATE premium_payments SET status = 'REFUSED' WHERE id = ? AND status = 'PENDING'",
        [record.id],
      );
      await this.claims.release(record.id);
      throw insufficient();
    }
  }

  /**
   * refundPremium: a PAID premium becomes REFUNDING under this key (with who asked and why), then
   * its ledger transfer is reversed — every fen back to the account that paid, once — and it is
   * REFUNDED. The same key again answers the same premium; another key finds it refunded.
   */
  async refund(record: PremiumRecord, request: PremiumRefundRequest, requestId: string): Promise<PremiumRecord> {
    if (record.state === 'PENDING' || record.state === 'REFUSED') fail(SettlementsError.premiumNotPaid);
    const province = provinceOfKnownId(record.id);
    if (record.state === 'PAID') {
      await query(
        this.backends.get(province),
        province,
        "UPDATE premium_payments SET status = 'REFUNDING', refund_key = ?, refund_actor = ?, refund_reason = ? WHERE id = ? AND status = 'PAID'",
        [request.idempotencyKey, request.actor, request.reason, record.id],
      );
    }
    const current = await this.reload(record.id);
    if (current.refundKey !== request.idempotencyKey) fail(SettlementsError.premiumAlreadyRefunded);
    return this.finishRefund(current, requestId);
  }

  private async finishRefund(record: PremiumRecord, requestId: string): Promise<PremiumRecord> {
    if (record.state === 'REFUNDED') return record;
    const province = provinceOfKnownId(record.id);
    await this.accounts.reverse(
      {
        scope: 'premium-refund',
        idempotencyKey: record.id,
        transferId: must(record.transferId, `paid premium ${record.id} has its transfer`),
        kind: 'REFUND',
        reference: record.id,
      },
      requestId,
    );
    const refunded = await query<{ affectedRows: number }>(
      this.backends.get(province),
      province,
      "UPDATE premium_payments SET status = 'REFUNDED', refunded_at = ? WHERE id = ? AND status = 'REFUNDING'",
      [this.clock(), record.id],
    );
    if (refunded.affectedRows === 1) {
      this.observability.events.labels('premium_refund', record.purpose).inc();
      this.observability.moneyMovedFen.labels('premium_refund', record.purpose).inc(record.amountFen);
    }
    await this.claims.release(record.id);
    return this.reload(record.id);
  }

  async recover(olderThanMs: number, requestId: string): Promise<void> {
    for (const province of this.backends.available()) {
      const rows = await query<PremiumRow[]>(
        this.backends.get(province),
        province,
        `SELECT ${READ_COLUMNS} FROM premium_payments WHERE status IN ('PENDING', 'REFUNDING') AND created_at < ? ORDER BY created_at LIMIT 100`,
        [new Date(this.clock().getTime() - olderThanMs)],
      );
      for (const row of rows) await this.complete(toPremium(row), requestId).catch(() => undefined);
    }
  }

  /**
   * Paid premiums of one product (refunded since or not), newest first, across every province (a partner's customers live
   * anywhere): one statement per province, merged. `payerRegion` limits an ADMIN to his region.
   */
  async byProduct(productCode: string, first: number, after: string | null, payerRegion: string | undefined): Promise<PremiumPage> {
    const cursor = after ? decodeTimeCursor('premium', after) : null;
    const provinces = payerRegion
      ? this.backends.provinces().filter((province) => province === payerRegion.slice(0, 2))
      : this.backends.provinces();
    const rows = (
      await Promise.all(
        provinces.map((province) => {
          const conditions = ['product_code = ?', WAS_PAID];
          const params: unknown[] = [productCode];
          if (payerRegion) {
            conditions.push('payer_id LIKE ?');
            params.push(`${payerRegion}-%`);
          }
          if (cursor) {
            const older = olderThan(cursor);
            conditions.push(older.sql);
            params.push(...older.params);
          }
          return query<PremiumRow[]>(
            this.backends.get(province),
            province,
            `SELECT ${READ_COLUMNS} FROM premium_payments FORCE INDEX (ix_premium_payments_product_day) WHERE ${conditions.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`,
            [...params, first + 1],
          );
        }),
      )
    )
      .flat()
      .map(toPremium);
    rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    return pageOf(rows, first, (last) => encodeTimeCursor('premium', last));
  }
}
