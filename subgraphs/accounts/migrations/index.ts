import { CreateAccounts1763856000000 } from './1763856000000-CreateAccounts';
import { CreateResidentRegistry1763856000001 } from './1763856000001-CreateResidentRegistry';
import { CredentialSuspension1764115200000 } from './1764115200000-CredentialSuspension';
import { CreateCredentialRefusals1764115200001 } from './1764115200001-CreateCredentialRefusals';
import { TwoPhaseHolds1764201600000 } from './1764201600000-TwoPhaseHolds';
import { EntryPurpose1764288000000 } from './1764288000000-EntryPurpose';
import { CreateRegionPolicyVersions1764460800000 } from './1764460800000-CreateRegionPolicyVersions';
import { PersonSettlementSuspension1764547200000 } from './1764547200000-PersonSettlementSuspension';
import { CredentialRefusalsByHolder1764547200001 } from './1764547200001-CredentialRefusalsByHolder';
import { VoidedKeys1764633600000 } from './1764633600000-VoidedKeys';
import { AmountBounds1764720000000 } from './1764720000000-AmountBounds';
import { LedgerUsageIndexes1764806400100 } from './1764806400100-LedgerUsageIndexes';

/** Migrations of each province database of the accounts subgraph, in order. */
export const PROVINCE_MIGRATIONS = [
  CreateAccounts1763856000000,
  CredentialSuspension1764115200000,
  TwoPhaseHolds1764201600000,
  EntryPurpose1764288000000,
  PersonSettlementSuspension1764547200000,
  VoidedKeys1764633600000,
  AmountBounds1764720000000,
  LedgerUsageIndexes1764806400100,
];

/** Migrations of the national database (resident registry, credential audit). */
export const NATIONAL_MIGRATIONS = [
  CreateResidentRegistry1763856000001,
  CreateCredentialRefusals1764115200001,
  CreateRegionPolicyVersions1764460800000,
  CredentialRefusalsByHolder1764547200001,
];
