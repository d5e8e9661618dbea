import {
  ledgerApi,
  type DebitRequest,
  type DebitResult,
  type HoldRequest,
  type HoldResult,
  type ReverseRequest,
  type ReverseResult,
  type VoidKeyRequest,
  type VoidKeyResult,
} from './contracts/ledger';
import { personsApi, type PersonSummary } from './contracts/persons';
import type { InternalClient } from './internal';

/** The accounts subgraph's internal API, as the other subgraphs call it (contracts: contracts/ledger.ts, contracts/persons.ts). */
export class AccountsClient {
  constructor(private readonly client: InternalClient) {}

  debit(request: DebitRequest, requestId: string): Promise<DebitResult> {
    return this.client.call(ledgerApi.debit, request, requestId);
  }

  hold(request: HoldRequest, requestId: string): Promise<HoldResult> {
    return this.client.call(ledgerApi.hold, request, requestId);
  }

  post(holdId: string, requestId: string): Promise<DebitResult> {
    return this.client.call(ledgerApi.post, { holdId }, requestId);
  }

  async void(holdId: string, requestId: string): Promise<void> {
    await this.client.call(ledgerApi.void, { holdId }, requestId);
  }

  /** 冲正 by key: undoes whatever a debit or hold under the key did and spends the key. */
  voidKey(request: VoidKeyRequest, requestId: string): Promise<VoidKeyResult> {
    return this.client.call(ledgerApi.voidKey, request, requestId);
  }

  reverse(request: ReverseRequest, requestId: string): Promise<ReverseResult> {
    return this.client.call(ledgerApi.reverse, request, requestId);
  }

  /** The person enrolled under this resident id number with exactly this name; null for any mismatch, never saying which. */
  async match(idNumber: string, name: string, requestId: string): Promise<string | null> {
    return (await this.client.call(personsApi.match, { idNumber, name }, requestId)).personId;
  }

  /** One call for many ids, each with its balance; an unknown id is absent. */
  async persons(ids: readonly string[], requestId: string): Promise<Map<string, PersonSummary>> {
    if (ids.length === 0) return new Map();
    const { persons } = await this.client.call(personsApi.lookup, { ids: [...ids] }, requestId);
    return new Map(persons.flatMap((person) => (person ? [[person.id, person] as const] : [])));
  }
}
