import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner products (惠民保), national: each product has exactly one owner (partner_code), the regions
 * whose personal accounts may pay its premium, and its year. Config provides the first ones at
 * start; registerInsuranceProduct (a later issue) adds more. Premium payments name their product by code.
 */
export class CreateInsuranceProducts1764547200003 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE insurance_products (
      code VARCHAR(64) NOT NULL PRIMARY KEY,
      name VARCHAR(100) NOT NULL,
      partner_code VARCHAR(32) NOT NULL,
      year SMALLINT NOT NULL,
      created_at DATETIME(3) NOT NULL,
      KEY ix_insurance_products_partner (partner_code, code)
    ) ENGINE=InnoDB`);
    await runner.query(`CREATE TABLE insurance_product_regions (
      product_code VARCHAR(64) NOT NULL,
      region_code CHAR(6) NOT NULL,
      PRIMARY KEY (product_code, region_code),
      KEY ix_insurance_product_regions_region (region_code),
      CONSTRAINT fk_insurance_product_regions_product FOREIGN KEY (product_code) REFERENCES insurance_products (code)
    ) ENGINE=InnoDB`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE insurance_product_regions');
    await runner.query('DROP TABLE insurance_products');
  }
}
