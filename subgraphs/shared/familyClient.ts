import type { Payer } from '../family/bindings/service';
import type { InternalClient } from './internal';

/** The family subgraph's internal API, as the settlements subgraph calls it. */
export class FamilyClient {
  constructor(private readonly client: InternalClient) {}

  /** For each beneficiary, the ACTIVE bindings that pay for him at `at`, in paying order. */
  async payers(beneficiaryIds: readonly string[], at: Date, requestId: string): Promise<Map<string, Payer[]>> {
    const { payers } = await this.client.call<{ payers: Payer[][] }>('/internal/bindings/payers', { beneficiaryIds, at: at.toISOString() }, requestId);
    return new Map(beneficiaryIds.map((id, index) => [id, payers[index]]));
  }

  async activeBindings(regionCode: string, requestId: string): Promise<number> {
    const { count } = await this.client.call<{ count: number }>('/internal/bindings/active-count', { regionCode }, requestId);
    return count;
  }
}
