import { bindingsApi, type Payer } from './contracts/bindings';
import type { InternalClient } from './internal';

/** The family subgraph's internal API, as the settlements subgraph calls it (contract: contracts/bindings.ts). */
export class FamilyClient {
  constructor(private readonly client: InternalClient) {}

  /** For each beneficiary, the ACTIVE bindings that pay for him at `at`, in paying order. */
  async payers(beneficiaryIds: readonly string[], at: Date, requestId: string): Promise<Map<string, Payer[]>> {
    const { payers } = await this.client.call(bindingsApi.payers, { beneficiaryIds: [...beneficiaryIds], at: at.toISOString() }, requestId);
    return new Map(beneficiaryIds.map((id, index) => [id, payers[index]]));
  }

  async activeBindings(regionCode: string, requestId: string): Promise<number> {
    const { count } = await this.client.call(bindingsApi.activeCount, { regionCode }, requestId);
    return count;
  }
}
