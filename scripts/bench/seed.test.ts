import { tokenHash } from '../../subgraphs/accounts/credentials/service';
import { regionOfCredentialToken, regionOfId } from '../../subgraphs/shared/ids';
import { residentIdProblem } from '../../subgraphs/shared/residentId';
import { COLUMNS, HOT_QUARTERLY_CREDIT_FEN, planSeed, QUARTERLY_CREDIT_FEN, residentIdNumber } from './seed';

const REGIONS = ['430700', '430100', '532300', '350100', '650100'];
const seed = planSeed(
  { regions: REGIONS, persons: 500, bindings: 250, hotBeneficiaries: 16, now: new Date('2026-11-27T00:00:00Z') },
  new Set(['350100']),
);

function table(database: string, name: string): unknown[][] {
  return seed.rows.get(database)?.get(name) ?? [];
}

function column(name: string, row: unknown[], of: string): unknown {
  return row[COLUMNS[name].split(', ').indexOf(of)];
}

const allRows = (name: string) => [...seed.rows.values()].flatMap((tables) => tables.get(name) ?? []);

describe('the bench seed', () => {
  it('spreads persons over every region, ids and cards in the services’ formats', () => {
    expect(seed.persons).toHaveLength(500);
    expect(new Set(seed.persons.map((person) => person.regionCode))).toEqual(new Set(REGIONS));
    for (const person of seed.persons) {
      expect(regionOfId(person.id)).toBe(person.regionCode);
      expect(regionOfCredentialToken(person.card)).toBe(person.regionCode);
    }
    expect(seed.persons.filter((person) => person.scheme === 'EMPLOYEE')).toHaveLength(350);
  });

  it('gives every row as many values as its table’s columns', () => {
    for (const tables of seed.rows.values())
      for (const [name, rows] of tables) for (const row of rows) expect(row).toHaveLength(COLUMNS[name].split(', ').length);
  });

  it('makes valid, unique resident id numbers', () => {
    const numbers = seed.persons.map((person, index) => residentIdNumber(person.regionCode, index));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const number of numbers) expect(residentIdProblem(number, new Date('2026-11-27T00:00:00Z'))).toBeNull();
    expect(table('accounts_national', 'resident_registry')).toHaveLength(500);
  });

  it('keeps only the hash of each card, in its holder’s province', () => {
    const person = seed.persons[3];
    const credential = table(`accounts_${person.regionCode.slice(0, 2)}`, 'credentials').find(
      (row) => column('credentials', row, 'person_id') === person.id,
    );
    expect(credential && column('credentials', credential, 'token_hash')).toBe(tokenHash(person.card));
  });

  it('gives each employee an account whose balance is the sum of its entries, with entries numbered from 1', () => {
    const accounts = allRows('personal_accounts');
    const entries = allRows('ledger_entries');
    expect(accounts).toHaveLength(350);
    for (const account of accounts) {
      const id = column('personal_accounts', account, 'person_id');
      const own = entries.filter((entry) => column('ledger_entries', entry, 'account_id') === id);
      const sum = own.reduce<number>((total, entry) => total + Number(column('ledger_entries', entry, 'amount_fen')), 0);
      expect(column('personal_accounts', account, 'balance_fen')).toBe(sum);
      expect(own.map((entry) => column('ledger_entries', entry, 'seq'))).toEqual([1, 2, 3, 4]);
      expect(column('personal_accounts', account, 'last_entry_seq')).toBe(4);
      expect(column('ledger_entries', own[3], 'balance_after_fen')).toBe(sum);
      expect(sum).toBe(4 * (id === seed.hotAuthorizer.id ? HOT_QUARTERLY_CREDIT_FEN : QUARTERLY_CREDIT_FEN));
    }
    // Each credit is one transfer whose stored result names its one entry.
    const transfers = allRows('ledger_transfers');
    expect(transfers).toHaveLength(entries.length);
    const entryIds = new Set(entries.map((entry) => column('ledger_entries', entry, 'id')));
    for (const transfer of transfers)
      expect(entryIds.has(JSON.parse(String(column('ledger_transfers', transfer, 'result'))).entryId)).toBe(true);
  });

  it('binds pairs once each, within one province, from an employee, approved where the region reviews', () => {
    const bindings = allRows('family_bindings');
    expect(bindings).toHaveLength(250);
    const pairs = bindings.map((row) => column('family_bindings', row, 'open_pair_key'));
    expect(new Set(pairs).size).toBe(pairs.length);
    const employees = new Set(seed.persons.filter((person) => person.scheme === 'EMPLOYEE').map((person) => person.id));
    for (const row of bindings) {
      const [authorizer, beneficiary] = [
        String(column('family_bindings', row, 'authorizer_id')),
        String(column('family_bindings', row, 'beneficiary_id')),
      ];
      expect(authorizer).not.toBe(beneficiary);
      expect(employees.has(authorizer)).toBe(true);
      expect(regionOfId(authorizer)).toBe(regionOfId(beneficiary));
      expect(column('family_bindings', row, 'status')).toBe('ACTIVE');
      expect(column('family_bindings', row, 'review_note') !== null).toBe(regionOfId(authorizer) === '350100');
    }
    expect(table('family_35', 'family_binding_events').length).toBe(2 * table('family_35', 'family_bindings').length);
    expect(seed.hotBeneficiaries).toHaveLength(16);
    expect(bindings.filter((row) => column('family_bindings', row, 'authorizer_id') === seed.hotAuthorizer.id)).toHaveLength(16);
  });
});
