import DataLoader from 'dataloader';
import {
  credentialsApi,
  MAX_TOKENS_PER_RESOLVE,
  REFUSAL_LIMITS,
  type Refusal,
  type Resolution,
} from '../../subgraphs/shared/contracts/credentials';
import type { InternalClient } from '../../subgraphs/shared/internal';
import { regionOfCredentialToken } from '../../subgraphs/shared/ids';

/**
 * Resolves presented credentials through the accounts subgraph: concurrent requests are batched
 * into one call. Money-moving operations ask `fresh` every time, so a credential revoked or
 * suspended a moment ago never moves money on any replica (DESIGN.md, Decisions of the second
 * round). Reads may take a valid, unsuspended answer kept for CACHE_TTL_MS: a revocation or
 * suspension elsewhere shows in reads on this replica within that bound. Unknown, revoked and
 * suspended answers are never kept, so a lifted suspension takes effect at once; a fresh answer
 * replaces what was kept, and a refusal recorded here forgets the token. At most CACHE_MAX_ENTRIES
 * tokens are kept.
 */
export const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

export class CredentialResolver {
  private readonly cache = new Map<string, { resolution: Resolution; expiresAt: number }>();
  private readonly loader: DataLoader<string, Resolution | null>;

  constructor(private readonly accounts: InternalClient) {
    this.loader = new DataLoader(
      async (tokens) => {
        const { credentials } = await accounts.call(credentialsApi.resolve, { tokens: [...tokens] }, `credentials-${Date.now()}`);
        return credentials;
      },
      { cache: false, maxBatchSize: MAX_TOKENS_PER_RESOLVE },
    );
  }

  /** The token's holder, or null when it is unknown, malformed or revoked; `fresh` ignores the cache. */
  async resolve(token: string, { fresh }: { fresh: boolean }): Promise<Resolution | null> {
    if (!regionOfCredentialToken(token)) return null;
    const cached = this.cache.get(token);
    if (!fresh && cached && cached.expiresAt > Date.now()) return cached.resolution;
    const resolution = await this.loader.load(token);
    this.cache.delete(token);
    if (resolution && !resolution.suspended) {
      if (this.cache.size >= CACHE_MAX_ENTRIES) {
        // A Map iterates in insertion order, and a fresh answer is re-inserted: the first key is the oldest.
        const [oldest] = this.cache.keys();
        this.cache.delete(oldest);
      }
      this.cache.set(token, { resolution, expiresAt: Date.now() + CACHE_TTL_MS });
    }
    return resolution;
  }

  /**
   * Keeps the refusal in the national audit trail, cut to what a refusal keeps (REFUSAL_LIMITS), so
   * that no operation, however large or oddly named, fails to be audited. The answer says whether
   * the holder is suspended now.
   */
  async recordRefusal(refusal: Refusal): Promise<{ suspended: boolean }> {
    if (refusal.token) this.cache.delete(refusal.token);
    const bounded: Refusal = {
      ...refusal,
      // A malformed token names no credential; the refusal's code says what was wrong with it.
      token: refusal.token && regionOfCredentialToken(refusal.token) ? refusal.token : null,
      claimedPatients: refusal.claimedPatients.slice(0, REFUSAL_LIMITS.patients),
      terminalSub: refusal.terminalSub.slice(0, REFUSAL_LIMITS.terminalSub),
      operationName: refusal.operationName?.slice(0, REFUSAL_LIMITS.operationName) ?? null,
    };
    return this.accounts.call(credentialsApi.recordRefusal, bounded, refusal.requestId);
  }
}
