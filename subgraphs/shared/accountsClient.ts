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

  /** One call for many ids; an unknown id answers null. */
  async persons(ids: readonly string[], requestId: string): Promise<Map<string, PersonSummary>> {
    if (ids.length === 0) return new Map();
    const { persons } = await this.client.call<{ persons: Array<PersonSummary | null> }>('/internal/persons/lookup', { ids }, requestId);
    return new Map(persons.flatMap((person) => (person ? [[person.id, person] as const] : [])));
  }
}
