import { readFileSync } from 'node:fs';
import { loadRegionsConfig, projectFile } from '../../shared/policy/config';
import type { DomainError } from '../../shared/errors';
import { loadProductsConfig, parseProductInput, parseProductsConfig } from './products';

const regions = loadRegionsConfig(undefined);
/** The shipped file as the tests below break it: any field of a product set to anything, or removed. */
const shipped = (): { products: Array<Record<string, unknown>> } => JSON.parse(readFileSync(projectFile('config/products.json'), 'utf8'));

test('the shipped file gives 红山惠民保 2026 to HSHMB, for Urumqi', () => {
  expect(loadProductsConfig(undefined, regions)).toEqual([
    { code: 'HSHMB-2026', name: '红山惠民保 2026', partnerCode: 'HSHMB', regionCodes: ['650100'], year: 2026 },
  ]);
});

test.each<[string, (file: ReturnType<typeof shipped>) => void, RegExp]>([
  [
    'no owner',
    (file) => {
      delete file.products[0].partnerCode;
    },
    /products\.0\.partnerCode/,
  ],
  [
    'two owners',
    (file) => {
      file.products[0].partnerCode = ['HSHMB', 'FZHMB'];
    },
    /products\.0\.partnerCode/,
  ],
  [
    'an unknown region',
    (file) => {
      file.products[0].regionCodes = ['999999'];
    },
    /products\.0\.regionCodes.*999999/,
  ],
  [
    'no region',
    (file) => {
      file.products[0].regionCodes = [];
    },
    /products\.0\.regionCodes/,
  ],
  [
    'a code listed twice',
    (file) => {
      file.products.push({ ...file.products[0], partnerCode: 'FZHMB' });
    },
    /products.*once/,
  ],
  [
    'a bad code',
    (file) => {
      file.products[0].code = 'HS HMB';
    },
    /products\.0\.code/,
  ],
])('a file with %s is refused, naming the field', (_name, change, message) => {
  const file = shipped();
  change(file);
  expect(() => parseProductsConfig(file, 'PRODUCTS_CONFIG', regions)).toThrow(message);
});

describe("an ADMIN's registration, by the file's rule", () => {
  const product = { code: 'FZHMB-2027', name: '榕城惠民保 2027', partnerCode: 'FZHMB', regionCodes: ['350100'], year: 2027 };
  const refusal = (change: Partial<typeof product>) => {
    try {
      parseProductInput({ ...product, ...change }, regions);
      return null;
    } catch (error) {
      return { code: (error as DomainError).code, message: (error as DomainError).message };
    }
  };

  test('a good product is taken as given', () => {
    expect(parseProductInput(product, regions)).toEqual(product);
  });

  test.each<[string, Partial<typeof product>, RegExp]>([
    ['a year before 2000', { year: 1999 }, /input\.year/],
    ['a year after 2100', { year: 2101 }, /input\.year/],
    ['no region', { regionCodes: [] }, /input\.regionCodes/],
    ['a region twice', { regionCodes: ['350100', '350100'] }, /input\.regionCodes/],
    ['an unknown region', { regionCodes: ['999999'] }, /999999/],
    ['a bad code', { code: 'FZ HMB' }, /input\.code/],
    ['a bad partner code', { partnerCode: 'FZ/HMB' }, /input\.partnerCode/],
    ['a blank name', { name: '  ' }, /input\.name/],
  ])('%s is BAD_USER_INPUT naming it', (_name, change, message) => {
    expect(refusal(change)).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringMatching(message) });
  });
});
