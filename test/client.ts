import type { Connection } from 'mysql2/promise';
import { randomInt } from 'node:crypto';
import { issueToken, type Claims } from '../gateway/auth';
import { signServiceCall } from '../subgraphs/shared/identity';
import { checkCharacter } from '../subgraphs/shared/residentId';
import { sumMetric } from '../scripts/bench/counters';
import { connectDatabase, loadState, metricsHeaders } from '../scripts/stack';

/** Drives the gateway over HTTP as a city front end would. */
export const stack = loadState();
export const gatewayUrl = `http://127.0.0.1:${stack.ports.gateway}`;
export const accountsUrl = `http://127.0.0.1:${stack.ports.accounts}`;
export const familyUrl = `http://127.0.0.1:${stack.ports.family}`;
export const settlementsUrl = `http://127.0.0.1:${stack.ports.settlements}`;

/**
 * What a test reads of an answer: its shape is that of the query text written beside the assertions
 * that check it, so a type per query (about 300 in test/) would restate each query and check nothing
 * more. A test that hands data on names its type: `gql<T>`, `internal<T>`.
 */
// biome-ignore lint/suspicious/noExplicitAny: an answer's shape is its query text's, and the test's assertions check it
export type AnswerData = any;

export interface GraphQLResult<T = AnswerData> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string } }>;
}

export interface CallOptions {
  token?: string;
  credential?: string;
  headers?: Record<string, string>;
}

export async function gql<T = AnswerData>(
  query: string,
  variables: Record<string, unknown> = {},
  options: CallOptions = {},
): Promise<GraphQLResult<T>> {
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.credential ? { 'x-insurance-credential': options.credential } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** The codes of a result's errors, in order. */
export function codes(result: GraphQLResult): string[] {
  return (result.errors ?? []).map((error) => error.extensions?.code ?? 'NONE');
}

export function token(claims: Partial<Claims> & { role: Claims['role'] }, lifetimeSeconds = 600): Promise<string> {
  return issueToken({ sub: `test-${claims.role.toLowerCase()}`, ...claims } as Claims, stack.jwtSecret, lifetimeSeconds);
}

/** A fresh valid resident id number: random address, birth date and serial, so runs and files never collide. */
export function newResidentId(address = String(randomInt(110000, 660000))): string {
  const birth = new Date(Date.UTC(1940, 0, 1) + randomInt(0, 25_000) * 86_400_000);
  const date = birth.toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `${address}${date}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

export const REGISTER = `mutation Register($input: RegisterInsuredInput!) {
  registerInsured(input: $input) { id name maskedIdNumber scheme status region { code } personalAccount { balance shareableBalance } }
}`;

export const CREDIT = `mutation Credit($input: CreditAccountInput!) {
  creditPersonalAccount(input: $input) { id amount balanceAfter kind reference createdAt }
}`;

export async function register(regionCode: string, scheme: 'EMPLOYEE' | 'RESIDENT' = 'EMPLOYEE', name = '测试人'): Promise<string> {
  const result = await gql(
    REGISTER,
    { input: { idNumber: newResidentId(), name, regionCode, scheme } },
    { token: await token({ role: 'ADMIN' }) },
  );
  if (!result.data?.registerInsured) throw new Error(`register failed: ${JSON.stringify(result.errors)}`);
  return result.data.registerInsured.id as string;
}

let keys = 0;
export function uniqueKey(label = 'k'): string {
  keys += 1;
  return `${label}-${process.pid}-${Date.now().toString(36)}-${keys}`;
}

export async function credit(personId: string, amount: string): Promise<void> {
  const result = await gql(
    CREDIT,
    { input: { personId, amount, idempotencyKey: uniqueKey('credit') } },
    { token: await token({ role: 'ADMIN' }) },
  );
  if (!result.data?.creditPersonalAccount) throw new Error(`credit failed: ${JSON.stringify(result.errors)}`);
}

/** Calls an internal API of a subgraph (accounts by default), signed as a service would. */
export async function internal<T = AnswerData>(
  path: string,
  body: unknown,
  serviceUrl = accountsUrl,
): Promise<{ result?: T; error?: { code: string } }> {
  const text = JSON.stringify(body);
  const response = await fetch(`${serviceUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-service-signature': signServiceCall(path, text, stack.serviceSecret) },
    body: text,
  });
  return (await response.json()) as { result?: T; error?: { code: string } };
}

/** A connection to one of the run's databases, for assertions the API cannot make (e.g. what is stored). */
export async function database(owner: string, province: string): Promise<Connection> {
  return connectDatabase(stack, owner, province);
}

/** A service's /metrics text, read with the stack's METRICS_TOKEN as a scraper would. */
export async function metricsText(serviceUrl: string): Promise<string> {
  const response = await fetch(`${serviceUrl}/metrics`, { headers: metricsHeaders(stack) });
  if (!response.ok) throw new Error(`${serviceUrl}/metrics answered ${response.status}`);
  return response.text();
}

/** Sum of a counter over its label sets (those containing `label`, if given), from a service's /metrics. */
export async function metricSum(serviceUrl: string, name: string, label = ''): Promise<number> {
  return sumMetric(await metricsText(serviceUrl), name, label ? [label] : []);
}
