import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { inTransaction, isDuplicateKey, query } from '../../shared/db/transaction';
import { ConfigError } from '../../shared/env';
import { fail, SharedError } from '../../shared/errors';
import { parseConfig, projectFile, readConfigFile } from '../../shared/policy/config';
import { must } from '../../shared/must';
import type { PolicyBook } from '../../shared/policy/policy';
import type { Observability } from '../../shared/server/observability';
import { SettlementsError } from '../errors';

/**
 * Partner products (惠民保): each belongs to exactly one partner, by an explicit owner — never by a
 * prefix of its code — with the regions whose personal accounts may pay its premium and its year.
 * The products file (PRODUCTS_CONFIG; default config/products.json) provides the first ones at
 * start; they live in the settlements subgraph's national database, where registerInsuranceProduct
 * adds more, so every replica reads the same owners. A product is validated by one rule, whether it
 * comes from the file or from an ADMIN.
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

const ProductSchema = z
  .object({
    code: z.string().regex(PRODUCT_CODE, '1 to 64 letters, digits, _ or -'),
    name: z.string().trim().min(1, 'not empty').max(100),
    partnerCode: z.string().regex(PARTNER_CODE, '1 to 32 letters, digits, _ or -'),
    regionCodes: z
      .array(z.string())
      .min(1, 'at least one region')
      .refine((codes) => new Set(codes).size === codes.length, 'lists each region once'),
    year: z.number().int().min(2000, 'from 2000 to 2100').max(2100, 'from 2000 to 2100'),
  })
  .strict();

const ProductsFileSchema = z
  .object({
    products: z
      .array(ProductSchema)
      .refine((products) => new Set(products.map((product) => product.code)).size === products.length, 'lists each product code once'),
  })
  .strict();

/** Where a product names a region that is not configured: its path inside the product, or null. */
function unknownRegionOf(product: Product, regions: PolicyBook): { path: string; code: string } | null {
  const code = product.regionCodes.find((region) => !regions.region(region));
  return code === undefined ? null : { path: 'regionCodes', code };
}

export function parseProductsConfig(raw: unknown, source: string, regions: PolicyBook): Product[] {
  const { products } = parseConfig(ProductsFileSchema, raw, source);
  products.forEach((product, index) => {
    const unknown = unknownRegionOf(product, regions);
    if (unknown) throw new ConfigError(`${source}: products.${index}.${unknown.path}: ${unknown.code} is not a configured region`);
  });
  return products;
}

/** An ADMIN's registration, by the file's rule: BAD_USER_INPUT naming the field of `input`. */
export function parseProductInput(input: Product, regions: PolicyBook): Product {
  const parsed = ProductSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(SettlementsError.productInvalid(`input.${issue.path.join('.')}`, issue.message));
  }
  const unknown = unknownRegionOf(parsed.data, regions);
  if (unknown) fail(SharedError.unknownRegion(unknown.code));
  return parsed.data;
}

export function loadProductsConfig(path: string | undefined, regions: PolicyBook): Product[] {
  const file = path ?? projectFile('config/products.json');
  return parseProductsConfig(readConfigFile('PRODUCTS_CONFIG', file), `PRODUCTS_CONFIG (${file})`, regions);
}

type ProductRow = { code: string; name: string; partner_code: string; year: number; region_code: string | null };

const PRODUCT_SQL = `SELECT p.code, p.name, p.partner_code, p.year, r.region_code FROM insurance_products p
  LEFT JOIN insurance_product_regions r ON r.product_code = p.code`;

/** Rows of products joined with their regions, ordered by code then region, folded into products. */
function productsOf(rows: readonly ProductRow[]): Product[] {
  const products = new Map<string, Product>();
  for (const row of rows) {
    const product = products.get(row.code) ?? {
      code: row.code,
      name: row.name,
      partnerCode: row.partner_code,
      year: row.year,
      regionCodes: [],
    };
    if (row.region_code) product.regionCodes.push(row.region_code);
    products.set(row.code, product);
  }
  return [...products.values()];
}

const sameProduct = (a: Product, b: Product) =>
  a.name === b.name &&
  a.partnerCode === b.partnerCode &&
  a.year === b.year &&
  [...a.regionCodes].sort().join() === [...b.regionCodes].sort().join();

export class Products {
  constructor(
    private readonly national: DataSource,
    private readonly observability: Observability,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Stores every configured product that is not stored yet; a stored product keeps its owner. A
   * restart or a second replica starting at the same time inserts nothing twice and fails on nothing
   * (INSERT IGNORE on the primary keys).
   */
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

  /**
   * registerInsuranceProduct: the product and its regions in one transaction. The same registration
   * again (a retry) answers the stored product; a code already registered otherwise is refused.
   */
  async register(product: Product): Promise<Product> {
    try {
      await inTransaction(this.national, 'national', this.observability, async (sql) => {
        await sql.query('INSERT INTO insurance_products (code, name, partner_code, year, created_at) VALUES (?, ?, ?, ?, ?)', [
          product.code,
          product.name,
          product.partnerCode,
          product.year,
          this.clock(),
        ]);
        await sql.query(
          `INSERT INTO insurance_product_regions (product_code, region_code) VALUES ${product.regionCodes.map(() => '(?, ?)').join(', ')}`,
          product.regionCodes.flatMap((region) => [product.code, region]),
        );
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const stored = must(await this.byCode(product.code), `product ${product.code} is registered`);
    if (!sameProduct(stored, product)) fail(SettlementsError.productAlreadyRegistered(product.code));
    return stored;
  }

  /** The product with this code, or null when none is registered. */
  async byCode(code: string): Promise<Product | null> {
    const rows = await query<ProductRow[]>(this.national, 'national', `${PRODUCT_SQL} WHERE p.code = ? ORDER BY r.region_code`, [code]);
    return productsOf(rows)[0] ?? null;
  }

  /** A partner's products (through ix_insurance_products_partner), or every product when `partnerCode` is null; by code. */
  async list(partnerCode: string | null): Promise<Product[]> {
    const rows = await query<ProductRow[]>(
      this.national,
      'national',
      `${PRODUCT_SQL}${partnerCode === null ? '' : ' WHERE p.partner_code = ?'} ORDER BY p.code, r.region_code`,
      partnerCode === null ? [] : [partnerCode],
    );
    return productsOf(rows);
  }
}
