import { createHash } from 'node:crypto';
import type { ProvinceBackends } from '../../shared/db/backends';
import { inTransaction, query } from '../../shared/db/transaction';
import type { Identity } from '../../shared/identity';
import { newCredentialToken, provinceOfRegion, regionOfCredentialToken } from '../../shared/ids';
import type { Observability } from '../../shared/observability';
import { placeholders } from '../../shared/db/routing';
import type { Persons, PersonRecord } from '../persons/service';

/**
 * Card / e-voucher tokens: random, routed by their region prefix, stored only as a hash. A person
 * may hold several (a card and a phone voucher); the token is shown once, when issued.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(`credential:${token}`).digest('hex');
}

export class Credentials {
  constructor(private readonly backends: ProvinceBackends, private readonly persons: Persons, private readonly observability: Observability, private readonly clock: () => Date = () => new Date()) {}

  async issue(holder: PersonRecord, actor: Identity): Promise<string> {
    const token = newCredentialToken(holder.regionCode);
    const province = provinceOfRegion(holder.regionCode);
    await inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      await sql.query('INSERT INTO credentials (token_hash, person_id, issued_at) VALUES (?, ?, ?)', [tokenHash(token), holder.id, this.clock()]);
      await this.persons.audit(sql, holder.id, 'ISSUE_CREDENTIAL', actor, 'credential issued');
    });
    return token;
  }

  /** The holder of each token, or null when it is unknown, malformed or revoked; one statement per province. */
  async resolve(tokens: readonly string[]): Promise<Array<string | null>> {
    const byProvince = new Map<string, string[]>();
    for (const token of tokens) {
      const region = regionOfCredentialToken(token);
      const province = region && provinceOfRegion(region);
      if (province && this.backends.has(province)) byProvince.set(province, [...(byProvince.get(province) ?? []), tokenHash(token)]);
    }
    const holders = new Map<string, string>();
    await Promise.all([...byProvince].map(async ([province, hashes]) => {
      const rows = await query<Array<{ token_hash: string; person_id: string }>>(this.backends.get(province), province,
        `SELECT token_hash, person_id FROM credentials WHERE revoked_at IS NULL AND token_hash IN (${placeholders(hashes)})`, hashes);
      for (const row of rows) holders.set(row.token_hash, row.person_id);
    }));
    return tokens.map((token) => holders.get(tokenHash(token)) ?? null);
  }

  async revoke(token: string, actor: Identity): Promise<boolean> {
    const region = regionOfCredentialToken(token);
    const province = region && provinceOfRegion(region);
    if (!province || !this.backends.has(province)) return false;
    return inTransaction(this.backends.get(province), province, this.observability, async (sql) => {
      const rows = await sql.query('SELECT person_id FROM credentials WHERE token_hash = ? AND revoked_at IS NULL FOR UPDATE', [tokenHash(token)]) as Array<{ person_id: string }>;
      if (rows.length === 0) return false;
      await sql.query('UPDATE credentials SET revoked_at = ? WHERE token_hash = ?', [this.clock(), tokenHash(token)]);
      await this.persons.audit(sql, rows[0].person_id, 'REVOKE_CREDENTIAL', actor, 'credential revoked');
      return true;
    });
  }
}
