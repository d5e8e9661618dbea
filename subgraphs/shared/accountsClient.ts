import type { DebitRequest, DebitResult, HoldResult, ReverseRequest, ReverseResult, VoidKeyRequest, VoidKeyResult } from '../accounts/ledger/service';
import type { InternalClient } from './internal';
import type { EnrollmentStatus, Scheme } from './policy/vocabulary';

/** What other services may know of a person: enough to apply the rules, nothing personal. */
export interface PersonSummary {
  id: string;
  regionCode: string;
  scheme: Scheme;
  status: EnrollmentStatus;
  hasPersonalAccount: boolean;
}

/** The accounts subgraph's internal API, as the other subgraphs call it. */
export class AccountsClient {
  constructor(private readonly client: InternalClient) {}

  /** Balances in fen of many accounts in one call; absent for a person without an account. */
  async balances(ids: readonly string[], requestId: string): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const { balances } = await this.client.call<{ balances: Array<number | null> }>('/internal/accounts/balances', { ids }, requestId);
    return new Map(ids.flatMap((id, index) => (balances[index] === null ? [] : [[id, balances[index] as number] as const])));
  }

  debit(request: DebitRequest, requestId: string): Promise<DebitResult> {
    return this.client.call<DebitResult>('/internal/ledger/debit', request, requestId);
  }

  hold(request: DebitRequest & { timeoutMs: number }, requestId: string): Promise<HoldResult> {
    return this.client.call<HoldResult>('/internal/ledger/hold', request, requestId);
  }

  post(holdId: string, requestId: string): Promise<DebitResult> {
    return this.client.call<DebitResult>('/internal/ledger/post', { holdId }, requestId);
  }

  async void(holdId: string, requestId: string): Promise<void> {
    await this.client.call('/internal/ledger/void', { holdId }, requestId);
  }

  /** 冲正 by key: undoes whatever a debit or hold under the key did and spends the key. */
  voidKey(request: VoidKeyRequest, requestId: string): Promise<VoidKeyResult> {
    return this.client.call<VoidKeyResult>('/internal/ledger/void-key', request, requestId);
  }

  reverse(request: ReverseRequest, requestId: string): Promise<ReverseResult> {
    return this.client.call<ReverseResult>('/internal/ledger/reverse', request, requestId);
  }

  /** One call for many ids; an unknown id answers null. */
  async persons(ids: readonly string[], requestId: string): Promise<Map<string, PersonSummary>> {
    if (ids.length === 0) return new Map();
    const { persons } = await this.client.call<{ persons: Array<PersonSummary | null> }>('/internal/persons/lookup', { ids }, requestId);
    return new Map(persons.flatMap((person) => (person ? [[person.id, person] as const] : [])));
  }
}
