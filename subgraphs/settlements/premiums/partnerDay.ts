import { chinaDay } from '../../shared/chinaTime';
import type { ProvinceBackends } from '../../shared/db/backends';
import { query } from '../../shared/db/transaction';
import { sumFromColumn } from '../../shared/money';

/**
 * A partner's 对账 (partnerDay): one product's premiums on one China-Standard-Time day, counted by
 * transaction day as institutionDay counts settlements (settle/institutionDay.ts): a premium on the
 * day it was paid, whether refunded later or not, and a refund on the day it was made, whatever day
 * its premium was paid; the amount is paid minus refunded, so a day's figures never change once it
 * is over. One statement per province, each half through its own index (ix_premium_payments_product_day
 * (product_code, created_at, id) and ix_premium_payments_product_refunds (product_code, refunded_at)),
 * so a product with many premiums a day reads only that day's rows.
 */
export interface PartnerDayFigures {
  productCode: string;
  date: string;
  payments: number;
  refunds: number;
  amountFen: bigint;
}

const PAYER_REGION = ' AND payer_id LIKE ?';

/** `byPayerRegion`: an ADMIN of one region counts its payers' premiums only. */
export function partnerDaySql(byPayerRegion: boolean): string {
  const filter = byPayerRegion ? PAYER_REGION : '';
  return `SELECT 'PAID' AS kind, COUNT(*) AS n, SUM(amount_fen) AS amount FROM premium_payments FORCE INDEX (ix_premium_payments_product_day)
    WHERE product_code = ? AND created_at >= ? AND created_at < ? AND status IN ('PAID', 'REFUNDING', 'REFUNDED')${filter}
  UNION ALL SELECT 'REFUNDED' AS kind, COUNT(*) AS n, SUM(amount_fen) AS amount FROM premium_payments FORCE INDEX (ix_premium_payments_product_refunds)
    WHERE product_code = ? AND refunded_at >= ? AND refunded_at < ? AND status = 'REFUNDED'${filter}`;
}

type DayRow = { kind: 'PAID' | 'REFUNDED'; n: string | number; amount: string | null };

export class PartnerDays {
  constructor(private readonly backends: ProvinceBackends) {}

  /** `payerRegion` limits an ADMIN of one region to the premiums its region's accounts paid. */
  async day(productCode: string, date: string, payerRegion?: string): Promise<PartnerDayFigures> {
    const { start, end } = chinaDay(date);
    const region = payerRegion ? [`${payerRegion}-%`] : [];
    const provinces = payerRegion
      ? this.backends.provinces().filter((province) => province === payerRegion.slice(0, 2))
      : this.backends.provinces();
    const rows = (
      await Promise.all(
        provinces.map((province) =>
          query<DayRow[]>(this.backends.get(province), province, partnerDaySql(payerRegion !== undefined), [
            productCode,
            start,
            end,
            ...region,
            productCode,
            start,
            end,
            ...region,
          ]),
        ),
      )
    ).flat();
    const figures: PartnerDayFigures = { productCode, date, payments: 0, refunds: 0, amountFen: 0n };
    for (const row of rows) {
      if (row.kind === 'PAID') {
        figures.payments += Number(row.n);
        figures.amountFen += sumFromColumn(row.amount);
      } else {
        figures.refunds += Number(row.n);
        figures.amountFen -= sumFromColumn(row.amount);
      }
    }
    return figures;
  }
}
