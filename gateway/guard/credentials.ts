import DataLoader from 'dataloader';
import type { InternalClient } from '../../subgraphs/shared/internal';
import { regionOfCredentialToken } from '../../subgraphs/shared/ids';
import type { RefusalInput as Refusal, Resolution } from '../../subgraphs/accounts/credentials/service';

/**
 * Resolves presented credentials through the accounts subgraph: concurrent requests are batched
 * into one call, and a valid, unsuspended answer is kept for CACHE_TTL_MS. The cache is a plain
 * speed-up: a credential revoked or suspended elsewhere may still resolve for at most CACHE_TTL_MS
 * on a replica that cached it, and this replica forgets a token as soon as it records a refusal for
 * it. Unknown, revoked and suspended answers are never cached, so a lifted suspension takes effect at
 * once. At most CACHE_MAX_ENTRIES tokens are kept.
 */
export const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

export type { Resolution, RefusalInput as Refusal } from '../../subgraphs/accounts/credentials/service';

export class CredentialResolver {
  private readonly cache = new Map<string, { resolution: Resolution; expiresAt: number }>();
  private readonly loader: DataLoader<string, Resolution | null>;

  constructor(private readonly accounts: InternalClient) {
    this.loader = new DataLoader(async (tokens) => {
      const { credentials } = await accounts.call<{ credentials: Array<Resolution | null> }>('/internal/credentials/resolve', { tokens }, `credentials-${Date.now()}`);
      return credentials;
    }, { cache: false, maxBatchSize: 100 });
  }

  async resolve(token: string): Promise<Resolution | null> {
    if (!regionOfCredentialToken(token)) return null;
    const cached = this.cache.get(token);
    if (cached && cached.expiresAt > Date.now()) return cached.resolution;
    const resolution = await this.loader.load(token);
    if (resolution && !resolution.suspended) {
      if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(token, { resolution, expiresAt: Date.now() + CACHE_TTL_MS });
    }
    return resolution;
  }

  /** Keeps the refusal in the national audit trail; the answer says whether the credential is suspended now. */
  async recordRefusal(refusal: Refusal): Promise<{ suspended: boolean }> {
    if (refusal.token) this.cache.delete(refusal.token);
    return this.accounts.call<{ suspended: boolean }>('/internal/credentials/refusals', refusal, refusal.requestId);
  }
}
