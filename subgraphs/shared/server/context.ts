import type { BaseContext } from '@apollo/server';
import type { Identity } from '../identity';

/**
 * What every server (the gateway and each subgraph) knows of one GraphQL request before its own
 * additions: the verified caller and the request id that every log line and subgraph call carries.
 */
export interface ServerContext extends BaseContext {
  identity: Identity;
  requestId: string;
}
