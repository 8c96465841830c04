import type { RpcClient } from './rpc.js';

/** What every view gets: the RPC client and a way to report a failed answer. */
export interface ViewContext {
  rpc: RpcClient;
  /** The node's HTTP origin (for assets such as the KZG parameters and the gateway). */
  origin: string;
  error(where: string, e: unknown): void;
}

export type View = (root: HTMLElement, ctx: ViewContext) => () => void;
