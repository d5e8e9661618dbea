import { CreateSettlements1764028800000 } from './1764028800000-CreateSettlements';
import { CreateInstitutionReconciliations1764374400000 } from './1764374400000-CreateInstitutionReconciliations';
import { AmountBounds1764547200001 } from './1764547200001-AmountBounds';
import { RefundsByDay1764547200002 } from './1764547200002-RefundsByDay';
import { CreateInsuranceProducts1764547200003 } from './1764547200003-CreateInsuranceProducts';
import { SagaVoidsAndFundOrder1764633600000 } from './1764633600000-SagaVoidsAndFundOrder';
import { CreateIdempotencyClaims1764633600001 } from './1764633600001-CreateIdempotencyClaims';
import { AdminRefundsIndex1764806400101 } from './1764806400101-AdminRefundsIndex';
import { ReconciliationAttemptsByRegion1764806400102 } from './1764806400102-ReconciliationAttemptsByRegion';
import { PremiumRefundsAndDays1764806400200 } from './1764806400200-PremiumRefundsAndDays';
import { CreatePremiumClaims1764806400201 } from './1764806400201-CreatePremiumClaims';
import { MutualAidStatistics1764806400300 } from './1764806400300-MutualAidStatistics';

/** Migrations of each province database of the settlements subgraph, in order. */
export const PROVINCE_MIGRATIONS = [
  CreateSettlements1764028800000,
  AmountBounds1764547200001,
  RefundsByDay1764547200002,
  SagaVoidsAndFundOrder1764633600000,
  AdminRefundsIndex1764806400101,
  PremiumRefundsAndDays1764806400200,
  MutualAidStatistics1764806400300,
];

/** Migrations of the national database (对账 audit, partner products, idempotency and premium claims). */
export const NATIONAL_MIGRATIONS = [
  CreateInstitutionReconciliations1764374400000,
  CreateInsuranceProducts1764547200003,
  CreateIdempotencyClaims1764633600001,
  ReconciliationAttemptsByRegion1764806400102,
  CreatePremiumClaims1764806400201,
];
