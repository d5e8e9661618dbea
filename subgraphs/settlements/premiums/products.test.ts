import { readFileSync } from 'node:fs';
import { loadRegionsConfig, projectFile } from '../../shared/policy/config';
import { loadProductsConfig, parseProductsConfig } from './products';

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
