import type { Catalogue, Outcome } from '../subgraphs/shared/errors';

/**
 * The outcomes the gateway itself answers (subgraphs/shared/errors.ts says how a catalogue is
 * written): tokens, limits, the guard's refusals before any subgraph is asked, and subgraphs that
 * do not answer. Outcomes the subgraphs share with it (the card, the HTTP shell) are SharedError's.
 */
export const GatewayError = {
  /** `why` is the token rule broken, in English: it names claims and headers as written. */
  invalidToken: (why: string) => ({ code: 'UNAUTHENTICATED', zh: `身份令牌无效：${why}`, en: `Invalid token: ${why}` }),
  /** The identity provider's key set is due to be read (or names a new kid) and cannot be: not the caller's fault, so he retries. */
  identityProviderUnavailable: {
    code: 'SERVICE_UNAVAILABLE',
    zh: '身份认证服务的公钥暂时无法读取，请稍后重试',
    en: "The identity provider's keys cannot be read now; retry later",
  },
  rateLimited: (retryAfterSeconds: number) => ({
    code: 'RATE_LIMITED',
    zh: `请求过于频繁，请 ${retryAfterSeconds} 秒后重试`,
    en: `Too many requests; retry after ${retryAfterSeconds} s`,
  }),
  notRegistered: {
    code: 'PERSISTED_QUERY_NOT_FOUND',
    zh: '柜台只能发送已登记的操作',
    en: 'Counters may send only registered operations (trusted documents); this one is not registered',
  },

  // Size limits (guard/analyze.ts), before validation (guard/admission.ts) and again on the operation run.
  tooManyMergeComparisons: (comparisons: number, maxComparisons: number) => ({
    code: 'QUERY_TOO_COMPLEX',
    zh: `查询中重复的字段或片段过多（${comparisons} 对，上限 ${maxComparisons}）`,
    en: `The query repeats fields or fragment spreads too often (${comparisons} pairs to compare; the limit is ${maxComparisons}); use aliases or fewer fragments`,
  }),
  tooDeep: (maxDepth: number) => ({
    code: 'QUERY_TOO_COMPLEX',
    zh: `查询嵌套超过 ${maxDepth} 层`,
    en: `The query nests more than ${maxDepth} levels of fields`,
  }),
  tooCostly: (maxCost: number) => ({
    code: 'QUERY_TOO_COMPLEX',
    zh: `查询代价超过上限 ${maxCost}（别名、片段和分页大小都计入）`,
    en: `The query would cost more than ${maxCost} (aliases, fragments and page sizes count)`,
  }),
  tooNested: (maxNesting: number) => ({
    code: 'QUERY_TOO_COMPLEX',
    zh: `查询的片段嵌套超过 ${maxNesting} 层`,
    en: `The query nests fragments and fields more than ${maxNesting} levels`,
  }),

  // The guard (guard/plugin.ts): which operation runs, who may use each field, its arguments.
  noSuchOperation: (operationName: string) => ({
    code: 'OPERATION_RESOLUTION_FAILURE',
    zh: `文档中没有名为 ${operationName} 的操作`,
    en: `The document has no operation named "${operationName}"`,
  }),
  operationNotNamed: {
    code: 'OPERATION_RESOLUTION_FAILURE',
    zh: '文档含有多个操作，请用 operationName 指明执行哪一个',
    en: 'The document has several operations; name the one to run in operationName',
  },
  fieldNeedsToken: (field: string) => ({
    code: 'UNAUTHENTICATED',
    zh: `请先登录后再查询 ${field}`,
    en: `Sign in first: ${field} needs a token`,
  }),
  roleMayNotUse: (role: string, field: string) => ({
    code: 'FORBIDDEN',
    zh: `当前身份（${role}）无权使用 ${field}`,
    en: `The ${role} role may not use ${field}`,
  }),
  /** Introspection is answered from the caller's part of the graph (guard/roleSchema.ts), data from the whole: not both at once. */
  introspectionMixed: {
    code: 'BAD_USER_INPUT',
    zh: '内省（__schema、__type）须单独作为一个操作发送，不能与数据字段混在一起',
    en: 'Send introspection (__schema, __type) as an operation of its own, not together with data fields',
  },
  /** A text rule (subgraphs/shared/text.ts) broken by an argument of `field`. */
  argumentText: (field: string, problem: Outcome) => ({ code: problem.code, zh: `${field}：${problem.zh}`, en: `${field}: ${problem.en}` }),
  /** The @patient arguments could not be read; `problem` is the reader's own English. */
  patientArgumentInvalid: (problem: string) => ({ code: 'BAD_USER_INPUT', zh: '参数无效', en: problem }),

  /** The explorer's development sign-in (devTokens.ts); `why` in English. */
  devTokenRequest: (why: string) => ({ code: 'BAD_USER_INPUT', zh: `无法签发开发令牌：${why}`, en: `No development token: ${why}` }),

  // Subgraphs that do not answer (server.ts): the counter retries with the same key or voids.
  subgraphTimedOut: (subgraph: string, timeoutMs: number) => ({
    code: 'SERVICE_UNAVAILABLE',
    zh: `${subgraph} 服务在 ${timeoutMs} 毫秒内未响应，请用同一交易流水号重试`,
    en: `The ${subgraph} service did not answer within ${timeoutMs} ms; retry with the same idempotency key`,
  }),
  subgraphUnavailable: (subgraph: string) => ({
    code: 'SERVICE_UNAVAILABLE',
    zh: `${subgraph} 服务暂时不可用，请稍后重试`,
    en: `The ${subgraph} service is unavailable; retry later`,
  }),
} satisfies Catalogue;
