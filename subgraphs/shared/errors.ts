import type { GraphQLFormattedError } from 'graphql';

/** The stable `extensions.code` values of DESIGN.md; clients switch on these, never on messages. */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CREDENTIAL_MISMATCH',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'NOT_INSURED',
  'NOT_ELIGIBLE',
  'RELATIONSHIP_NOT_ALLOWED',
  'CROSS_PROVINCE_NOT_ALLOWED',
  'DUPLICATE_BINDING',
  'PURPOSE_NOT_ALLOWED',
  'INSUFFICIENT_BALANCE',
  'IDEMPOTENCY_CONFLICT',
  'INVALID_STATE',
  'SERVICE_UNAVAILABLE',
  'CREDENTIAL_REQUIRED',
  'CREDENTIAL_INVALID',
  'CREDENTIAL_SUSPENDED',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'PERSISTED_QUERY_NOT_FOUND',
  // Apollo's own, passed through as Apollo gives them.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/**
 * The HTTP status of each code, wherever the code is answered outside a GraphQL result: the gateway's
 * refusals before execution (guard/plugin.ts), HttpError (server/http.ts) and the HTTP shell's answer
 * to a DomainError. Errors inside a GraphQL result ride on HTTP 200 as GraphQL-over-HTTP says; for
 * Apollo's own codes this is what Apollo answers, written here so the table is whole.
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CREDENTIAL_MISMATCH: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  NOT_INSURED: 400,
  NOT_ELIGIBLE: 400,
  RELATIONSHIP_NOT_ALLOWED: 400,
  CROSS_PROVINCE_NOT_ALLOWED: 400,
  DUPLICATE_BINDING: 400,
  PURPOSE_NOT_ALLOWED: 400,
  INSUFFICIENT_BALANCE: 400,
  IDEMPOTENCY_CONFLICT: 400,
  INVALID_STATE: 400,
  SERVICE_UNAVAILABLE: 503,
  CREDENTIAL_REQUIRED: 403,
  CREDENTIAL_INVALID: 403,
  CREDENTIAL_SUSPENDED: 403,
  QUERY_TOO_COMPLEX: 400,
  RATE_LIMITED: 429,
  PERSISTED_QUERY_NOT_FOUND: 400,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  // Apollo's automatic persisted queries protocol: the client sends the full query next.
  PERSISTED_QUERY_NOT_SUPPORTED: 200,
  OPERATION_RESOLUTION_FAILURE: 400,
};

/** An expected outcome the caller can act on: its stable code and what to do, in Chinese with English beside. */
export interface Outcome {
  readonly code: ErrorCode;
  readonly zh: string;
  readonly en: string;
}

/**
 * How each area (every subgraph, the gateway, and SharedError below for what several share) names the
 * outcomes it raises: one `const` object in its `errors.ts`, checked with `satisfies Catalogue`, whose
 * keys are the outcomes' names and whose values are the outcomes. An outcome whose message names a
 * value (an id, a region, a limit) is a factory of that value, so the wording stays in the catalogue
 * and the call site passes only the value: `fail(AccountsError.personNotFound(id))`. (A TypeScript
 * enum with a `{ [k in XError]: … }` table, rafiki's way, cannot carry those values; the object is the
 * same exhaustive table with its names and entries written once, side by side.)
 */
export type Catalogue = Readonly<Record<string, Outcome | ((...values: never[]) => Outcome)>>;

/** How an outcome reads to a client: Chinese, then English. */
export function messageOf(outcome: Outcome): string {
  return `${outcome.zh} / ${outcome.en}`;
}

/** An expected outcome, thrown; anything else thrown is a bug. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly zh: string;
  readonly en: string;

  constructor(outcome: Outcome) {
    super(messageOf(outcome));
    this.code = outcome.code;
    this.zh = outcome.zh;
    this.en = outcome.en;
  }
}

export function fail(outcome: Outcome): never {
  throw new DomainError(outcome);
}

/**
 * What `work` answers, or null when it refused with an expected outcome that `refused` accepts: for
 * a caller to whom that refusal simply means "nothing moved". Any other error is thrown on.
 */
export async function unlessRefused<T>(work: Promise<T>, refused: (code: ErrorCode) => boolean): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof DomainError) || !refused(error.code)) throw error;
    return null;
  }
}

/**
 * What a client may see of an error: a known code with its bilingual message, or a generic
 * SERVICE_UNAVAILABLE. Never a stack trace, SQL or an internal host name.
 */
export function maskError(formatted: GraphQLFormattedError, original: unknown): { masked: GraphQLFormattedError; unexpected: boolean } {
  const domain = findDomainError(original);
  const code = domain?.code ?? (formatted.extensions?.code as string | undefined);
  if (code && KNOWN_CODES.has(code)) {
    const message = domain ? domain.message : formatted.message;
    return { masked: { message, locations: formatted.locations, path: formatted.path, extensions: { code } }, unexpected: false };
  }
  return {
    masked: {
      message: messageOf(SharedError.unexpected),
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: SharedError.unexpected.code },
    },
    unexpected: true,
  };
}

function findDomainError(error: unknown): DomainError | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (current instanceof DomainError) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

export function isKnownCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && KNOWN_CODES.has(code);
}

/** The outcomes several services raise: the HTTP shell, roles, pages, days, money, text, databases, the card. */
export const SharedError = {
  /** Anything unexpected (a bug, a lost connection), masked: the outcome is unknown, so the client retries or voids. */
  unexpected: { code: 'SERVICE_UNAVAILABLE', zh: '服务暂时不可用，请稍后重试', en: 'Service temporarily unavailable, please retry later' },
  internalServiceUnavailable: {
    code: 'SERVICE_UNAVAILABLE',
    zh: '内部服务暂时不可用，请稍后重试',
    en: 'An internal service is unavailable; retry later',
  },
  databaseUnavailable: (province: string) => ({
    code: 'SERVICE_UNAVAILABLE',
    zh: `省份 ${province} 的数据库暂时不可用，请稍后重试`,
    en: `The database of province ${province} is unavailable; retry later`,
  }),
  noBackend: (province: string) => ({
    code: 'NOT_FOUND',
    zh: `未配置省份 ${province} 的数据库`,
    en: `No backend is configured for province ${province}`,
  }),
  policyVersionsUnavailable: {
    code: 'SERVICE_UNAVAILABLE',
    zh: '政策版本暂时无法读取，请稍后重试',
    en: 'The policy versions cannot be read now; retry later',
  },

  // The HTTP shell (server/): what a request looks like before any operation runs.
  notFound: { code: 'NOT_FOUND', zh: '没有这个地址', en: 'not found' },
  bodyTooLarge: (limitBytes: number) => ({ code: 'BAD_REQUEST', zh: '请求体过大', en: `Request body larger than ${limitBytes} bytes` }),
  bodyNotJson: { code: 'BAD_REQUEST', zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  metricsNeedToken: { code: 'UNAUTHENTICATED', zh: '监控指标需要令牌', en: '/metrics needs Authorization: Bearer <METRICS_TOKEN>' },
  registeredOperationsByPost: {
    code: 'PERSISTED_QUERY_NOT_FOUND',
    zh: '柜台只能以 POST 发送已登记的操作',
    en: 'Counters send registered operations by POST',
  },
  subgraphPostOnly: {
    code: 'BAD_REQUEST',
    zh: '子图只接受网关签名的 POST 请求',
    en: 'Subgraphs accept only POST requests signed by the gateway',
  },
  subgraphCallUnsigned: {
    code: 'UNAUTHENTICATED',
    zh: '子图只接受网关为本服务和本请求体签名的调用',
    en: 'Subgraphs accept only calls the gateway signed for this subgraph and this body',
  },
  noInternalRoute: { code: 'NOT_FOUND', zh: '没有这个内部接口', en: 'no such internal route' },
  internalCallUnsigned: { code: 'UNAUTHENTICATED', zh: '内部调用未签名或已过期', en: 'unsigned or expired service call' },
  internalRequestInvalid: (path: string, problem: string) => ({
    code: 'BAD_REQUEST',
    zh: `内部调用参数无效：${path}`,
    en: `${path}: ${problem}`,
  }),

  // Callers (auth.ts).
  signInFirst: { code: 'UNAUTHENTICATED', zh: '请先登录', en: 'Sign in first: this field needs a token' },
  roleMayNot: (role: string) => ({ code: 'FORBIDDEN', zh: '当前身份无权执行此操作', en: `The ${role} role may not use this field` }),
  adminLimitedTo: (region: string | undefined) => ({
    code: 'FORBIDDEN',
    zh: `管理员只能管理本统筹区（${region}）`,
    en: `This ADMIN is limited to region ${region}`,
  }),

  // 本人参保，本人享受 (ownCard.ts): the gateway and the settlements subgraph answer with the same words.
  credentialRequired: {
    code: 'CREDENTIAL_REQUIRED',
    zh: '请出示患者本人的医保卡或医保电子凭证',
    en: "Present the patient's own card or e-voucher in X-Insurance-Credential",
  },
  credentialInvalid: {
    code: 'CREDENTIAL_INVALID',
    zh: '医保凭证无效或已注销，请患者重新申领',
    en: 'The credential is unknown or revoked; the patient must get a new one',
  },
  credentialSuspended: {
    code: 'CREDENTIAL_SUSPENDED',
    zh: '该医保凭证的联网结算已暂停，请联系医保经办机构',
    en: 'Network settlement with this credential is suspended; the insured person must contact the bureau',
  },
  credentialMismatch: {
    code: 'CREDENTIAL_MISMATCH',
    zh: '医保凭证不属于该患者：须使用患者本人的医保卡（本人参保，本人享受）',
    en: 'The credential does not belong to the patient: every patient settles with his or her own card',
  },

  // Input every service reads alike.
  unknownRegion: (regionCode: string) => ({ code: 'BAD_USER_INPUT', zh: `未知统筹区：${regionCode}`, en: `Unknown region: ${regionCode}` }),
  cursorInvalid: { code: 'BAD_USER_INPUT', zh: '分页游标无效', en: 'The `after` cursor is not one this API gave out' },
  pageSizeOutOfRange: (maxPageSize: number) => ({
    code: 'BAD_USER_INPUT',
    zh: `first 必须在 0 到 ${maxPageSize} 之间`,
    en: `first must be between 0 and ${maxPageSize}`,
  }),
  dayMalformed: { code: 'BAD_USER_INPUT', zh: '日期格式应为 YYYY-MM-DD', en: 'date must be a real calendar day written YYYY-MM-DD' },
  dateTimeMalformed: { code: 'BAD_USER_INPUT', zh: '时间格式应为 ISO-8601', en: 'DateTime must be an ISO-8601 timestamp' },
  moneyNotString: { code: 'BAD_USER_INPUT', zh: '金额必须是字符串，如 "12.30"', en: 'Money must be a string such as "12.30"' },
  moneyMalformed: (text: string) => ({
    code: 'BAD_USER_INPUT',
    zh: `金额格式错误：${JSON.stringify(text.slice(0, 40))}`,
    en: 'Money must look like "12.30" (yuan, at most two decimals)',
  }),
  amountNegative: (field: string) => ({ code: 'BAD_USER_INPUT', zh: `${field}：金额不能为负`, en: `${field}: Money must not be negative` }),
  /** `what` names the amount's role in both languages (单笔金额 / a single credit or payment). */
  amountOverLimit: (field: string, what: { zh: string; en: string }, maxYuan: string) => ({
    code: 'BAD_USER_INPUT',
    zh: `${field}：${what.zh}不能超过 ${maxYuan} 元`,
    en: `${field}: ${what.en} is at most ${maxYuan} yuan`,
  }),
  textControlCharacter: (path: string, character: string) => ({
    code: 'BAD_USER_INPUT',
    zh: `${path} 含有控制字符 ${character}`,
    en: `${path} contains the control character ${character}; control characters (U+0000-U+001F, U+007F) are not accepted`,
  }),
  textTooLong: (path: string, maxChars: number) => ({
    code: 'BAD_USER_INPUT',
    zh: `${path} 不能超过 ${maxChars} 个字符`,
    en: `${path} must be at most ${maxChars} characters`,
  }),
  /** `allowed` says in both languages what the field may hold (text.ts, TEXT_RULES). */
  textNotAllowed: (path: string, allowed: { zh: string; en: string }) => ({
    code: 'BAD_USER_INPUT',
    zh: `${path} ${allowed.zh}`,
    en: `${path} ${allowed.en}`,
  }),
  keyEmpty: (path: string) => ({ code: 'BAD_USER_INPUT', zh: `${path} 不能为空`, en: `${path} must not be empty` }),
} satisfies Catalogue;
