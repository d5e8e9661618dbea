import { SUBGRAPHS, serviceUrls, type Env } from '../subgraphs/shared/env';

/** A subgraph's /ready pings its databases within 2 s; past this it counts as unreachable. */
const READY_TIMEOUT_MS = 3_000;

/** What one replica's /ready answered: its body (each province backend's state), or that it did not answer. */
export interface ReplicaReadiness {
  url: string;
  ready: boolean;
  state: object;
}

export interface GatewayReadiness {
  ready: boolean;
  /** Each subgraph's state as its replicas reported it (subgraphReadiness). */
  subgraphs: Record<string, object>;
}

/**
 * Readiness of the gateway: at least one replica of every subgraph answers its own /ready. One is
 * enough because every call goes round the replicas that do not take it (HttpClient); asking for all
 * of them would take every gateway out of service when one replica stops, making the loss of one
 * replica an outage. One province down leaves every replica ready, so the gateway stays in service
 * for the other provinces.
 */
export async function gatewayReadiness(env: Env): Promise<GatewayReadiness> {
  const states = await Promise.all(
    SUBGRAPHS.map(async (name) => ({ name, ...subgraphReadiness(await Promise.all(serviceUrls(env, name).map(replicaReadiness))) })),
  );
  return { ready: states.every((state) => state.ready), subgraphs: Object.fromEntries(states.map(({ name, state }) => [name, state])) };
}

async function replicaReadiness(url: string): Promise<ReplicaReadiness> {
  const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(READY_TIMEOUT_MS) }).catch(() => undefined);
  if (!response) return { url, ready: false, state: { status: 'unreachable' } };
  const state = (await response.json().catch(() => ({ status: 'unavailable' }))) as object;
  return { url, ready: response.ok, state };
}

/**
 * A subgraph is ready when one of its replicas is; its state is that replica's (else the first
 * replica's), and while it is ready the replicas that are not are named, so a replica down shows.
 */
export function subgraphReadiness(replicas: readonly ReplicaReadiness[]): { ready: boolean; state: object } {
  const chosen = replicas.find((replica) => replica.ready) ?? replicas[0];
  const notReady = replicas.filter((replica) => !replica.ready).map((replica) => replica.url);
  if (!chosen.ready || notReady.length === 0) return { ready: chosen.ready, state: chosen.state };
  return { ready: true, state: { ...chosen.state, replicasNotReady: notReady } };
}
