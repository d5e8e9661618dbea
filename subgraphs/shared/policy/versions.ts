import { policiesApi, type VersionList } from '../contracts/policies';
import { fail, SharedError } from '../errors';
import type { InternalClient } from '../internal';
import { inBackground } from '../server/observability';
import { configPoolingRules, inheritPoolingRules, policyFromDocument, type PoolingRuleDocument } from './config';
import type { MutualAidPolicy, PolicyBook } from './policy';

/**
 * Keeps a PolicyBook's versions fresh on every replica of every service. What is cached is the list
 * of versions, scheduled ones included, never "the current one": each rule asks for the version in
 * force at its own instant. A version is scheduled at least the lead time ahead and the list is read
 * again once it is older than half of that, so no process applies a version past its successor's
 * instant. When the list cannot be read and is older than the lead time, requests fail with
 * SERVICE_UNAVAILABLE rather than apply a policy that may have been replaced.
 */

/** The versions as read (contracts/policies.ts), with their instants as Dates and every version's pooling rules. */
export function toVersionMap(list: VersionList, configRules: ReadonlyMap<string, PoolingRuleDocument[]>): Map<string, MutualAidPolicy[]> {
  return new Map(
    Object.entries(list).map(([code, versions]) => [
      code,
      inheritPoolingRules(versions, configRules.get(code) ?? []).map(({ version, effectiveFrom, ...document }) =>
        policyFromDocument(document, version, new Date(effectiveFrom)),
      ),
    ]),
  );
}

export class PolicyVersions {
  private readAt = 0;
  /** Reads asked for so far, and the latest of them whose answer the book holds. */
  private asked = 0;
  private answered = 0;
  private reading: Promise<void> | undefined;
  /** Version 1's pooling rules as this service's config has them (the book is built from it). */
  private readonly configRules: ReadonlyMap<string, PoolingRuleDocument[]>;

  constructor(
    readonly book: PolicyBook,
    private readonly read: () => Promise<VersionList>,
    private readonly leadTimeMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.configRules = configPoolingRules(book);
  }

  /**
   * Reads the list now, whatever its age: the replica that has just scheduled a version knows it at once.
   * Its age counts from when it was asked for, not from when the answer came: a version scheduled
   * while a slow answer was on its way is missing from it, and must be asked for again in time. An
   * answer to an older question than the book's never replaces it.
   */
  async reread(): Promise<void> {
    const askedAt = this.clock();
    this.asked += 1;
    const question = this.asked;
    const versions = toVersionMap(await this.read(), this.configRules);
    if (question < this.answered) return;
    this.book.replaceVersions(versions);
    this.answered = question;
    this.readAt = askedAt;
  }

  /** Resolves once the book's versions are fresh enough to decide at the current instant. */
  async fresh(): Promise<PolicyBook> {
    if (this.clock() - this.readAt < this.leadTimeMs / 2) return this.book;
    // A refresh of a shared cache, not work of the request that happens to trigger it: its SQL is
    // counted as background, so per-request statement counts stay exact.
    this.reading ??= inBackground(() => this.reread()).finally(() => {
      this.reading = undefined;
    });
    try {
      await this.reading;
    } catch {
      if (this.clock() - this.readAt >= this.leadTimeMs) {
        fail(SharedError.policyVersionsUnavailable);
      }
    }
    return this.book;
  }
}

/** The versions of a service other than accounts: read from the accounts subgraph's internal API. */
export function remotePolicyVersions(book: PolicyBook, accounts: InternalClient, leadTimeMs: number): PolicyVersions {
  return new PolicyVersions(book, () => accounts.call(policiesApi.versions, {}, 'policy-versions'), leadTimeMs);
}
