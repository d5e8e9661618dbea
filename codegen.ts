import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed resolvers for each subgraph from its own SDL (`npm run codegen`), so SDL and code cannot
 * drift: arguments, return shapes and parents are checked by the compiler. Money travels as fen
 * inside resolvers (input: an exact bigint each resolver bounds by its role; output: a number, or a
 * bigint for sums) and DateTime as Date; the scalars convert at the edge.
 */
const shared = {
  useIndexSignature: true,
  federation: true,
  scalars: { Money: { input: 'bigint', output: 'number | bigint' }, DateTime: 'Date' },
  enumsAsTypes: true,
  avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
};

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    'subgraphs/accounts/generated/types.ts': {
      schema: 'schema/accounts.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...shared,
        contextType: '../context#AccountsContext',
        mappers: {
          Person: '../persons/visibility#PersonParent',
          Region: '../../shared/policy/policy#Region as RegionRecord',
          MutualAidPolicy: '../../shared/policy/policy#MutualAidPolicy as PolicyRecord',
          PoolingRule: '../../shared/policy/policy#PoolingRule as PoolingRuleRecord',
          PersonalAccount: '../ledger/reads#AccountParent',
          LedgerEntry: '../ledger/reads#EntryRecord',
          LedgerEntryConnection: '../ledger/reads#EntryPage',
          CredentialInfo: '../credentials/service#CredentialRecord',
          CredentialRefusal: '../credentials/service#RefusalRecord',
          CredentialRefusalConnection: '../credentials/service#RefusalPage',
          PersonAuditEvent: '../persons/audit#PersonAuditRecord',
          PersonAuditEventConnection: '../persons/audit#AuditPage',
        },
      },
    },
    'subgraphs/family/generated/types.ts': {
      schema: 'schema/family.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...shared,
        contextType: '../context#FamilyContext',
        mappers: {
          FamilyBinding: '../bindings/service#BindingRecord',
          BindingEvent: '../bindings/service#BindingEvent as BindingEventRecord',
          Person: '{ id: string }',
        },
      },
    },
    'subgraphs/settlements/generated/types.ts': {
      schema: 'schema/settlements.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...shared,
        contextType: '../context#SettlementsContext',
        mappers: {
          Person: '{ id: string }',
          FamilyBinding: '{ id: string }',
          Settlement: '../settle/records#SettlementRecord',
          SettlementConnection: '../settle/records#SettlementPage',
          SettlementQuote: '../settle/planning#QuoteRecord',
          SettlementStep: '../settle/steps#ReceiptStep',
          PremiumPayment: '../premiums/service#PremiumRecord',
          PremiumPaymentConnection: '../premiums/service#PremiumPage',
          InstitutionDay: '../settle/institutionDay#InstitutionDayFigures',
          ReconciliationResult: '../settle/institutionDay#ReconciliationOutcome',
          PartnerDay: '../premiums/partnerDay#PartnerDayFigures',
          InsuranceProduct: '../premiums/products#Product',
          AdminRefund: '../settle/records#AdminRefundRecord',
          AdminRefundConnection: '../settle/records#AdminRefundPage',
          ReconciliationAttempt: '../settle/institutionDay#ReconciliationAttempt as AttemptRecord',
          ReconciliationAttemptConnection: '../settle/institutionDay#AttemptPage',
          MutualAidSource: '../settle/planning#MutualAidSource as MutualAidSourceRecord',
          StatisticsCell: '../statistics/cells#Cell',
          MutualAidStatistics: '../statistics/service#MutualAidStatistics as StatisticsRecord',
        },
      },
    },
  },
};

export default config;
