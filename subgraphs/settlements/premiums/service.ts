import type { AccountsClient } from '../../shared/accountsClient';
import { decodeTimeCursor, encodeTimeCursor, pageOf, type Page } from '../../shared/cursor';
import type { ProvinceBackends } from '../../shared/db/backends';
import { provinceOfId, provinceOfKnownId } from '../../shared/db/routing';
import { isDuplicateKey, query } from '../../shared/db/transaction';
import { DomainError, fail } from '../../shared/errors';
import { type PayerRuleCode, SettlementsError } from '../errors';
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
import { PRODUCT_CODE, type Products } from './products';

/**
 * Premiums paid from a personal account (DESIGN.md, Rules → payPremium): by the beneficiary himself,
 * or by an authorizer with an ACTIVE binding to him, for a purpose both regions allow (across
 * provinces only where both allow it: the waterfall's payerRefusal), above the authorizer's region's
 * floor. Paid in full or refused. The record lives in the payer's province and is written
 * as an intent before the ledger is called with its id, so a crash is finished by a retry or the
 * recovery pass, and a retry with the same key returns the same payment.
 */
export interface PremiumInput {
  idempotencyKey: string;
  payerId: string;
  beneficiaryId: string;
  purpose: Purpose;
  productCode: string;
  amountFen: number;
}

export type PremiumState = 'PENDING' | 'PAID' | 'REFUSED';

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
  createdAt: Date;
}

export type PremiumPage = Page<PremiumRecord>;

const COLUMNS =
  'id, idempotency_key, request_hash, payer_id, beneficiary_id, binding_id, purpose, product_code, amount_fen, floor_fen, status, created_at';

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
    createdAt: row.created_at,
  };
}

/** A premium through a binding the waterfall's rule refuses is refused whole, with the rule's own code. */
const REFUSAL_CODES: Partial<Record<Limit, PayerRuleCode>> = {
  PURPOSE_NOT_ALLOWED: 'PURPOSE_NOT_ALLOWED',
  RELATIONSHIP_NOT_ALLOWED: 'RELATIONSHIP_NOT_ALLOWED',
  CROSS_PROVINCE_NOT_ALLOWED: 'CROSS_PROVINCE_NOT_ALLOWED',
};

const insufficient = () => new DomainError(SettlementsError.premiumUnpaid);

export class Premiums {
  constructor(
    private readonly backends: ProvinceBackends,
    private readonly policies: PolicyBook,
    private readonly accounts: AccountsClient,
    private readonly family: FamilyClient,
    private readonly products: Products,
    private readonly observability: Observability,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private async byKey(province: string, payerId: string, key: string): Promise<PremiumRecord | undefined> {
    const rows = await query<PremiumRow[]>(
      this.backends.get(province),
      province,
      `SELECT ${COLUMNS} FROM premium_payments WHERE payer_id = ? AND idempotency_key = ?`,
      [payerId, key],
    );
    return rows[0] && toPremium(rows[0]);
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
    await this.requireProductFor(input);

    const now = this.clock();
    const persons = await this.accounts.persons([input.payerId, input.beneficiaryId], requestId);
    const payer = persons.get(input.payerId);
    if (!payer) fail(SettlementsError.payerNotFound(input.payerId));
    const beneficiary = persons.get(input.beneficiaryId);
    if (!beneficiary) fail(SettlementsError.beneficiaryNotFound(input.beneficiaryId));
    if (!payer.hasPersonalAccount) fail(SettlementsError.payerWithoutAccount);
    if (payer.status !== 'ACTIVE') fail(SettlementsError.payerNotInsured);

    let bindingId: string | null = null;
    let floorFen = 0;
    if (input.payerId !== input.beneficiaryId) {
      const binding = ((await this.family.payers([input.beneficiaryId], now, requestId)).get(input.beneficiaryId) ?? []).find(
        (candidate) => candidate.authorizerId === input.payerId,
      );
      if (!binding) fail(SettlementsError.payerNotBound);
      const policy = this.policies.knownPolicyAt(binding.authorizerRegion, now);
      // The waterfall's own rule: a relative's money pays only what both regions allow, at this instant.
      const refusal = payerRefusal(
        { ...binding, authorizerActive: true, bindingActive: true, balanceFen: 0, policy },
        beneficiary.regionCode,
        this.policies.knownPolicyAt(beneficiary.regionCode, now),
        input.purpose,
      );
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
        `INSERT INTO premium_payments (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?)`,
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
        ],
      );
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return this.existing(await this.committedByKey(province, input.payerId, input.idempotencyKey), hash, requestId);
    }
    return this.complete(await this.committedByKey(province, input.payerId, input.idempotencyKey), requestId);
  }

  /**
   * 惠民保 premiums go to a registered partner product, and a partner's product code names nothing
   * else: otherwise a payment could appear in (or hide from) the wrong partner's list.
   */
  private async requireProductFor(input: PremiumInput): Promise<void> {
    const product = await this.products.byCode(input.productCode);
    if (input.purpose === 'COMMERCIAL_HEALTH_INSURANCE' && !product) {
      fail(SettlementsError.productNotRegistered(input.productCode));
    }
    if (product && input.purpose !== 'COMMERCIAL_HEALTH_INSURANCE') {
      fail(SettlementsError.partnerProductPurpose(input.productCode));
    }
  }

  /** Drives a PENDING payment through the ledger; PAID is returned, REFUSED answers INSUFFICIENT_BALANCE again. */
  async complete(record: PremiumRecord, requestId: string): Promise<PremiumRecord> {
    if (record.state === 'REFUSED') throw insufficient();
    if (record.state === 'PAID') return record;
    const province = provinceOfKnownId(record.id);
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
      return { ...record, state: 'PAID' };
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'INSUFFICIENT_BALANCE') throw error;
      await query(
        this.backends.get(province),
        province,
        "UPDATE premium_payments SET status = 'REFUSED' WHERE id = ? AND status = 'PENDING'",
        [record.id],
      );
      throw insufficient();
    }
  }

  async recover(olderThanMs: number, requestId: string): Promise<void> {
    for (const province of this.backends.available()) {
      const rows = await query<PremiumRow[]>(
        this.backends.get(province),
        province,
        `SELECT ${COLUMNS} FROM premium_payments WHERE status = 'PENDING' AND created_at < ? ORDER BY created_at LIMIT 100`,
        [new Date(this.clock().getTime() - olderThanMs)],
      );
      for (const row of rows) await this.complete(toPremium(row), requestId).catch(() => undefined);
    }
  }

  /**
   * Paid premiums of one product, newest first, across every province (a partner's customers live
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
          const conditions = ['product_code = ?', "status = 'PAID'"];
          const params: unknown[] = [productCode];
          if (payerRegion) {
            conditions.push('payer_id LIKE ?');
            params.push(`${payerRegion}-%`);
          }
          if (cursor) {
            conditions.push('(created_at < ? OR (created_at = ? AND id < ?))');
            params.push(cursor.createdAt, cursor.createdAt, cursor.id);
          }
          return query<PremiumRow[]>(
            this.backends.get(province),
            province,
            `SELECT ${COLUMNS} FROM premium_payments WHERE ${conditions.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`,
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
