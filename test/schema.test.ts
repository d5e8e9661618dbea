import { Supergraph } from '@apollo/federation-internals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildASTSchema, findBreakingChanges, Kind, parse, type DefinitionNode } from 'graphql';
import { composeSupergraph, SUPERGRAPH_FILE } from '../scripts/compose';
import { ROOT } from '../scripts/stack';

/**
 * The composed API schema must be a superset of ../shared/contract.graphql. Each issue owns part of
 * the contract; this list grows with them until it is the whole contract.
 */
const OWNED: Record<string, '*' | string[]> = {
  Money: '*', DateTime: '*', InsuranceScheme: '*', EnrollmentStatus: '*', Relationship: '*', PaymentPurpose: '*',
  Region: '*', PoolingRule: '*', MutualAidPolicy: '*', PersonalAccount: '*', LedgerEntry: '*', LedgerEntryConnection: '*', Credential: '*',
  Person: ['id', 'name', 'maskedIdNumber', 'region', 'scheme', 'status', 'personalAccount', 'bindingsAsAuthorizer', 'bindingsAsBeneficiary'],
  Query: ['person', 'region', 'regions', 'familyBinding'],
  Mutation: ['registerInsured', 'setEnrollmentStatus', 'creditPersonalAccount', 'issueCredential', 'requestFamilyBinding', 'reviewFamilyBinding', 'revokeFamilyBinding'],
  RegisterInsuredInput: '*', CreditAccountInput: '*',
  // Family bindings.
  BindingStatus: '*', FamilyBinding: '*', RequestBindingInput: '*',
};

function contractAbove(marker: string): string {
  const text = readFileSync(join(ROOT, '..', 'shared', 'contract.graphql'), 'utf8');
  const lines = text.split('\n');
  const cut = lines.findIndex((line) => line.includes(marker));
  return (cut < 0 ? lines : lines.slice(0, cut)).join('\n');
}

function ownedPart(sdl: string) {
  const definitions = parse(sdl).definitions.flatMap((definition): DefinitionNode[] => {
    if (!('name' in definition) || !definition.name) return [];
    const owned = OWNED[definition.name.value];
    if (!owned) return [];
    if (owned === '*' || !('fields' in definition) || !definition.fields) return [definition];
    return [{ ...definition, fields: definition.fields.filter((field) => owned.includes(field.name.value)) } as DefinitionNode];
  });
  return buildASTSchema({ kind: Kind.DOCUMENT, definitions });
}

function apiSchema() {
  return Supergraph.build(readFileSync(SUPERGRAPH_FILE, 'utf8')).apiSchema().toGraphQLJSSchema();
}

test('the checked-in supergraph is what the subgraph schemas compose to (run `npm run compose` if not)', () => {
  expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(composeSupergraph());
});

test('the composed API schema covers every contract type and field this stage owns', () => {
  const contract = ownedPart(contractAbove('Counter workflow'));
  expect(Object.keys(OWNED).filter((name) => !contract.getType(name))).toEqual([]);
  expect(findBreakingChanges(contract, apiSchema()).map((change) => change.description)).toEqual([]);
});

test('the contract check notices a missing field', () => {
  const contract = ownedPart(contractAbove('Counter workflow'));
  const lacking = buildASTSchema(parse('type Query { regions: [String] }'));
  expect(findBreakingChanges(contract, lacking).length).toBeGreaterThan(10);
});
