import { z } from 'zod';

/** Environment shared by every service (DESIGN.md, Decisions for clients: Environment). */
const DEV_JWT_SECRET = 'dev-secret-change-me';
const DEV_SERVICE_SECRET = 'dev-service-secret-change-me';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
/** Requests per second of one rate-limited subject; 0 turns that limit off. */
const ratePerSecond = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
/** An optional setting; compose passes unset ones as empty strings (`${NAME:-}`), which count as unset. */
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
/**
 * The replicas of one service as comma-separated http:// URLs (one URL: one replica); callers spread
 * requests over them (HttpClient). Plain HTTP, since these calls stay on the private network.
 */
const serviceUrlList = optional(
  z
    .string()
    .transform((text) => text.split(',').map((url) => url.trim()))
    .pipe(
      z.array(
        z
          .string()
          .url()
          .regex(/^http:\/\//, 'each entry must be an http:// URL'),
      ),
    ),
);
/** Where a token carries one of our claims: a claim name, or a dotted path into nested claims (`realm_access.roles`). */
const claimPath = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_:/.-]{1,200}$/, 'a claim name or dotted path (letters, digits, _ : / . -)')
    .default(fallback);

const EnvSchema = z.object({
  NODE_ENV: z.string().default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_PORT: port(4000),
  ACCOUNTS_PORT: port(4001),
  FAMILY_PORT: port(4002),
  SETTLEMENTS_PORT: port(4003),
  /** Where the gateway and subgraphs reach each other's replicas; defaults to HOST (or loopback when HOST is 0.0.0.0) and *_PORT. */
  ACCOUNTS_URL: serviceUrlList,
  FAMILY_URL: serviceUrlList,
  SETTLEMENTS_URL: serviceUrlList,
  MYSQL_URL: z
    .string()
    .regex(/^mysql:\/\//, 'must start with mysql://')
    .default('mysql://root@127.0.0.1:3306'),
  DATABASES_CONFIG: z.string().optional(),
  REGIONS_CONFIG: z.string().optional(),
  /** Partner products (惠民保) stored at first start; default config/products.json. */
  PRODUCTS_CONFIG: z.string().optional(),
  /** Databases are named `<prefix>_<subgraph>_<province>`; tests use a fresh prefix per run. */
  DB_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,30}$/, 'lower-case letters, digits and _ only')
    .default('mutual_aid'),
  JWT_SECRET: z.string().min(16).default(DEV_JWT_SECRET),
  SERVICE_SECRET: z.string().min(16).default(DEV_SERVICE_SECRET),
  /**
   * Identity (gateway): the bureau's identity provider's public keys, as a JWKS file read at start or a
   * JWKS URL (cached; fetched again after JWT_JWKS_CACHE_MAX_AGE_SECONDS, or for an unknown `kid` at most
   * once per JWT_JWKS_COOLDOWN_SECONDS). Neither set: HS256 tokens signed with JWT_SECRET (development, tests).
   */
  JWT_JWKS_FILE: optional(z.string()),
  JWT_JWKS_URL: optional(
    z
      .string()
      .url()
      .regex(/^https?:\/\//, 'must be an http(s) URL'),
  ),
  JWT_JWKS_CACHE_MAX_AGE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  JWT_JWKS_COOLDOWN_SECONDS: z.coerce.number().int().min(0).max(3_600).default(30),
  JWT_JWKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** `iss` every token must carry when set (required in production). */
  JWT_ISSUER: optional(z.string()),
  /** Comma-separated: a token's `aud` must name one of them when set (required in production). */
  JWT_AUDIENCE: optional(z.string()),
  /** Comma-separated signing algorithms accepted; default RS256,ES256,EdDSA with a JWKS, HS256 without. */
  JWT_ALGORITHMS: optional(z.string()),
  JWT_ROLE_CLAIM: claimPath('role'),
  JWT_PERSON_ID_CLAIM: claimPath('personId'),
  JWT_INSTITUTION_ID_CLAIM: claimPath('institutionId'),
  JWT_REGION_CLAIM: claimPath('region'),
  JWT_PARTNER_CODE_CLAIM: claimPath('partnerCode'),
  /** Caller tokens may live at most this long (exp − iat); DESIGN.md, second round. Capped at 30 days so no setting brings back year-long tokens. */
  TOKEN_MAX_LIFETIME_HOURS: z.coerce.number().positive().max(720).default(24),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Mismatched presentations of one credential within the window that suspend its network settlement. */
  CREDENTIAL_SUSPEND_AFTER: z.coerce.number().int().min(1).default(3),
  CREDENTIAL_SUSPEND_WINDOW_HOURS: z.coerce.number().positive().default(24),
  /** The gateway gives up on a subgraph call after this long (the call's own work may still finish; retry with the same key). */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** How long a cross-province hold reserves money before it is voided if its settlement never decided. */
  LEDGER_HOLD_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(60_000),
  /** A new policy version must be scheduled at least this far ahead; services re-read versions twice as often. */
  POLICY_LEAD_TIME_MS: z.coerce.number().int().min(200).default(2_000),
  /** mutualAidStatistics withholds every cell with fewer distinct patients than this (small-cell suppression). */
  STATISTICS_MIN_PATIENTS: z.coerce.number().int().min(1).default(10),
  /** Registered operations for counters (Apollo persisted-query manifest). */
  TRUSTED_DOCUMENTS: z.string().optional(),
  /** When true, TERMINAL callers may send only the registered operations. */
  TERMINAL_TRUSTED_DOCUMENTS_ONLY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** When set, every service's /metrics answers only with `Authorization: Bearer <METRICS_TOKEN>`; required in production. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** Where the gateway keeps the rate-limit counts that every replica shares (and family its failed id-number matches). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .default('redis://127.0.0.1:6379'),
  RATE_LIMIT_TERMINAL: ratePerSecond(50),
  RATE_LIMIT_PARTNER: ratePerSecond(20),
  RATE_LIMIT_INSURED: ratePerSecond(10),
  RATE_LIMIT_ANONYMOUS: ratePerSecond(20),
  /** Requests are counted over windows of this many seconds (limit × window each), so a longer window admits bursts at the same average rate. */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3_600).default(1),
  /** Prefix of the counts' Redis keys (default DB_PREFIX): deployments and test stacks sharing one Redis never count each other's requests. */
  RATE_LIMIT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (1 to 64)')
    .optional(),
  /** Comma-separated addresses or CIDR ranges of the proxies in front of the gateway whose X-Forwarded-For is believed. */
  RATE_LIMIT_TRUSTED_PROXIES: z.string().default(''),
  /** Id numbers and names that matched nobody, per caller, before binding by id number is refused until the window ends. */
  BINDING_MATCH_FAILURES: z.coerce.number().int().min(1).default(5),
  BINDING_MATCH_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** OTLP/HTTP collector (e.g. http://otel-collector:4318) that receives traces; unset, nothing is traced or sent (README, Traces). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** Share of new traces kept, 0 to 1; a caller's sampled `traceparent` decides for its own trace (parent-based). */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
});
export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {}

/** Reads and checks the environment once at start; a bad value stops start-up naming the variable. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  if (env.NODE_ENV === 'production') {
    const problem = productionSecretsProblem(source);
    if (problem) throw new ConfigError(problem);
  }
  if (env.NODE_ENV === 'production' && !env.METRICS_TOKEN)
    throw new ConfigError('METRICS_TOKEN: set a bearer token for /metrics; it is required in production');
  return env;
}

/** Secrets in production: long enough that guessing is hopeless (32 characters; `openssl rand -hex 32` gives 64). */
export const MIN_PRODUCTION_SECRET_CHARS = 32;
const SECRETS = ['JWT_SECRET', 'SERVICE_SECRET'] as const;
const HOW_TO = 'generate one with `openssl rand -hex 32`';

/**
 * Why production must not start with these secrets, or null. Anyone who knows SERVICE_SECRET can
 * forge an ADMIN identity at a subgraph, and JWT_SECRET mints any caller's token, so: set explicitly,
 * at least MIN_PRODUCTION_SECRET_CHARS, no published placeholder ("change-me", which every
 * development default and example file contains), and two different values. Never names a value.
 */
export function productionSecretsProblem(source: NodeJS.ProcessEnv): string | null {
  for (const name of SECRETS) {
    const value = source[name];
    if (value === undefined || value === '') return `${name} is not set; production needs an explicit secret (${HOW_TO})`;
    if (/change-?me/i.test(value))
      return `${name} is a published placeholder (a development default or example value); production needs a secret of its own (${HOW_TO})`;
    if (value.length < MIN_PRODUCTION_SECRET_CHARS)
      return `${name} must have at least ${MIN_PRODUCTION_SECRET_CHARS} characters in production (${HOW_TO})`;
  }
  if (source.JWT_SECRET === source.SERVICE_SECRET)
    return 'JWT_SECRET and SERVICE_SECRET must differ: whoever can mint tokens must not also be able to sign identities for subgraphs';
  return null;
}

export type ServiceName = 'accounts' | 'family' | 'settlements';
/** The subgraphs that exist so far, in composition order; family and settlements join with their issues. */
export const SUBGRAPHS: readonly ServiceName[] = ['accounts', 'family', 'settlements'];

/** The base URLs of a service's replicas: its *_URL list, or the one replica on HOST and its *_PORT. */
export function serviceUrls(env: Env, service: ServiceName): string[] {
  const explicit = { accounts: env.ACCOUNTS_URL, family: env.FAMILY_URL, settlements: env.SETTLEMENTS_URL }[service];
  if (explicit) return explicit.map((url) => url.replace(/\/$/, ''));
  const port = { accounts: env.ACCOUNTS_PORT, family: env.FAMILY_PORT, settlements: env.SETTLEMENTS_PORT }[service];
  const host = env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST;
  return [`http://${host}:${port}`];
}
