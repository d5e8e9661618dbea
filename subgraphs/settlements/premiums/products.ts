import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { query } from '../../shared/db/transaction';
import { ConfigError } from '../../shared/env';
import { parseConfig, projectFile, readConfigFile } from '../../shared/policy/config';
import type { PolicyBook } from '../../shared/policy/policy';

/**
 * Partner products (惠民保): each belongs to exactly one partner, by an explicit owner — never by a
 * prefix of its code — with the regions whose personal accounts may pay its premium and its year.
 * The products file (PRODUCTS_CONFIG; default config/products.json) provides the first ones at
 * start; they live in the settlements subgraph's national database, where registerInsuranceProduct
 * (a later issue) will add more, so every replica reads the same owners.
 */
export const PRODUCT_CODE = /^[A-Za-z0-9_-]{1,64}$/;
/** As the PARTNER token's partnerCode claim. */
const PARTNER_CODE = /^[A-Za-z0-9_-]{1,32}$/;

export interface Product {
  code: string;
  name: string;
  partnerCode: string;
  regionCodes: string[];
  year: number;
}

const ProductsFileSchema = z
  .object({
    products: z
      .array(
        z
          .object({
            code: z.string().regex(PRODUCT_CODE, '1 to 64 letters, digits, _ or -'),
            name: z.string().min(1).max(100),
            partnerCode: z.string().regex(PARTNER_CODE, '1 to 32 letters, digits, _ or -'),
            regionCodes: z.array(z.string()).min(1),
            year: z.number().int().min(2000).max(2100),
          })
          .strict(),
      )
      .refine((products) => new Set(products.map((product) => product.code)).size === products.length, 'lists each product code once'),
  })
  .strict();

export function parseProductsConfig(raw: unknown, source: string, regions: PolicyBook): Product[] {
  const { products } = parseConfig(ProductsFileSchema, raw, source);
  products.forEach((product, index) => {
    const unknown = product.regionCodes.find((code) => !regions.region(code));
    if (unknown) throw new ConfigError(`${source}: products.${index}.regionCodes: ${unknown} is not a configured region`);
  });
  return products;
}

export function loadProductsConfig(path: string | undefined, regions: PolicyBook): Product[] {
  const file = path ?? projectFile('config/products.json');
  return parseProductsConfig(readConfigFile('PRODUCTS_CONFIG', file), `PRODUCTS_CONFIG (${file})`, regions);
}

export class Products {
  constructor(
    private readonly national: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Stores every configured product that is not stored yet; a stored product keeps its owner (replicas agree by primary key). */
  async seed(products: readonly Product[]): Promise<void> {
    for (const product of products) {
      await query(
        this.national,
        'national',
        'INSERT IGNORE INTO insurance_products (code, name, partner_code, year, created_at) VALUES (?, ?, ?, ?, ?)',
        [product.code, product.name, product.partnerCode, product.year, this.clock()],
      );
      await query(
        this.national,
        'national',
        `INSERT IGNORE INTO insurance_product_regions (product_code, region_code) VALUES ${product.regionCodes.map(() => '(?, ?)').join(', ')}`,
        product.regionCodes.flatMap((region) => [product.code, region]),
      );
    }
  }

  /** The product with this code, or null when none is registered. */
  async byCode(code: string): Promise<Product | null> {
    const rows = await query<Array<{ code: string; name: string; partner_code: string; year: number; region_code: string | null }>>(
      this.national,
      'national',
      `SELECT p.code, p.name, p.partner_code, p.year, r.region_code FROM insurance_products p
       LEFT JOIN insurance_product_regions r ON r.product_code = p.code WHERE p.code = ? ORDER BY r.region_code`,
      [code],
    );
    if (rows.length === 0) return null;
    return {
      code: rows[0].code,
      name: rows[0].name,
      partnerCode: rows[0].partner_code,
      year: rows[0].year,
      regionCodes: rows.flatMap((row) => (row.region_code ? [row.region_code] : [])),
    };
  }
}
