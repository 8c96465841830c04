/**
 * A transport-independent JSON-RPC 2.0 router: methods, subscriptions (Substrate style: the
 * subscribe call returns an id, items arrive as `{ method: <notification>, params: { subscription,
 * result } }`), batches and notifications. Every malformed input becomes a JSON-RPC error object;
 * nothing a client sends can throw out of {@link RpcRouter.handleText}.
 */
import { AutonomysError } from '@autonomys/primitives';
import { JSON_RPC_ERROR, RpcError } from './errors.js';

/** A JSON-RPC error object (§5.1). */
export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** One response (§5). */
export type JsonRpcResponse =
  | { jsonrpc: '2.0'; id: string | number | null; result: unknown }
  | { jsonrpc: '2.0'; id: string | number | null; error: JsonRpcErrorObject };

/** The channel a subscription delivers on (a WebSocket connection). */
export interface RpcConnection {
  /** Sends one JSON text frame; false when the connection is gone. */
  send(text: string): boolean;
  /** The active subscriptions of this connection: id → cancel. */
  readonly subscriptions: Map<string, () => void>;
}

/** A method handler: positional params in, a JSON-serialisable result out. */
export type RpcMethodHandler = (params: readonly unknown[]) => unknown;

/** A subscription: `subscribe` starts delivering items through `emit` and returns its cancel. */
export interface RpcSubscriptionSpec {
  /** The notification method of items (`chain_newHead`). */
  notification: string;
  /** The unsubscribe method (`chain_unsubscribeNewHeads`). */
  unsubscribe: string;
  subscribe(params: readonly unknown[], emit: (result: unknown) => void): () => void;
}

/** Limits of a router. */
export interface RpcRouterLimits {
  /** Requests in one batch (default 128). */
  maxBatch?: number;
  /** Subscriptions per connection (default 1024). */
  maxSubscriptionsPerConnection?: number;
}

const isId = (v: unknown): v is string | number | null =>
  v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

function errorResponse(
  id: string | number | null,
  code: number,
  message: string,
  data?: unknown,
): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } };
}

/** JSON with bigints as decimal strings would be lossy; handlers return hex or numbers instead. */
function stringify(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));
}

/**
 * Maps a thrown value to a JSON-RPC error: typed parameter errors become -32602, refusals -32010,
 * any other typed error (a decoder's, the core's) -32010 with its code, and the rest -32603 without
 * internals.
 */
export function toJsonRpcError(e: unknown): JsonRpcErrorObject {
  if (e instanceof RpcError) {
    switch (e.type.code) {
      case 'RPC_INVALID_PARAMS':
        return { code: JSON_RPC_ERROR.INVALID_PARAMS, message: `Invalid params: ${e.type.reason}` };
      case 'RPC_REJECTED':
        return { code: JSON_RPC_ERROR.REJECTED, message: e.type.reason };
      default:
        return { code: JSON_RPC_ERROR.INTERNAL_ERROR, message: e.message };
    }
  }
  if (e instanceof AutonomysError)
    return { code: JSON_RPC_ERROR.REJECTED, message: e.message, data: { code: e.code } };
  return { code: JSON_RPC_ERROR.INTERNAL_ERROR, message: 'Internal error' };
}

/**
 * The method table and dispatcher shared by the HTTP and WebSocket transports.
 * @example
 * const router = new RpcRouter();
 * router.method('system_name', () => 'autonomys-ts');
 * await router.handleText('{"jsonrpc":"2.0","id":1,"method":"system_name"}'); // '{"jsonrpc":"2.0","id":1,"result":"autonomys-ts"}'
 */
export class RpcRouter {
  private readonly methods = new Map<string, RpcMethodHandler>();
  private readonly subscriptions = new Map<string, RpcSubscriptionSpec>();
  private readonly unsubscribes = new Map<string, string>();
  private nextSubscription = 1;
  private readonly maxBatch: number;
  private readonly maxSubs: number;

  constructor(limits: RpcRouterLimits = {}) {
    this.maxBatch = limits.maxBatch ?? 128;
    this.maxSubs = limits.maxSubscriptionsPerConnection ?? 1024;
  }

  /** Registers a method. */
  method(name: string, handler: RpcMethodHandler): this {
    this.methods.set(name, handler);
    return this;
  }

  /** Registers a subscription under its subscribe method name. */
  subscription(name: string, spec: RpcSubscriptionSpec): this {
    this.subscriptions.set(name, spec);
    this.unsubscribes.set(spec.unsubscribe, name);
    return this;
  }

  /** Every method name, subscribe and unsubscribe included, sorted (for `rpc_methods`). */
  methodNames(): string[] {
    return [...this.methods.keys(), ...this.subscriptions.keys(), ...this.unsubscribes.keys()].sort();
  }

  /**
   * Handles one request text (a request, a notification or a batch); returns the response text, or
   * `undefined` when nothing is to be answered (notifications only).
   */
  async handleText(text: string, connection?: RpcConnection): Promise<string | undefined> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return stringify(errorResponse(null, JSON_RPC_ERROR.PARSE_ERROR, 'Parse error'));
    }
    if (Array.isArray(parsed)) {
      if (parsed.length === 0)
        return stringify(errorResponse(null, JSON_RPC_ERROR.INVALID_REQUEST, 'Invalid Request: empty batch'));
      if (parsed.length > this.maxBatch)
        return stringify(
          errorResponse(null, JSON_RPC_ERROR.TOO_LARGE, `Batch of ${parsed.length} exceeds ${this.maxBatch}`),
        );
      const out: JsonRpcResponse[] = [];
      for (const item of parsed) {
        const r = await this.handleOne(item, connection);
        if (r !== undefined) out.push(r);
      }
      return out.length === 0 ? undefined : stringify(out);
    }
    const r = await this.handleOne(parsed, connection);
    return r === undefined ? undefined : stringify(r);
  }

  /** Handles one parsed request object. */
  async handleOne(req: unknown, connection?: RpcConnection): Promise<JsonRpcResponse | undefined> {
    if (req === null || typeof req !== 'object' || Array.isArray(req))
      return errorResponse(null, JSON_RPC_ERROR.INVALID_REQUEST, 'Invalid Request');
    const r = req as Record<string, unknown>;
    const hasId = Object.hasOwn(r, 'id');
    const id = hasId && isId(r.id) ? r.id : null;
    if (r.jsonrpc !== '2.0' || typeof r.method !== 'string' || (hasId && !isId(r.id)))
      return errorResponse(id, JSON_RPC_ERROR.INVALID_REQUEST, 'Invalid Request');
    let params: readonly unknown[];
    if (r.params === undefined) params = [];
    else if (Array.isArray(r.params)) params = r.params;
    else if (typeof r.params === 'object' && r.params !== null)
      // By-name parameters: the reference's methods take one struct, so the object is the first.
      params = [r.params];
    else return errorResponse(id, JSON_RPC_ERROR.INVALID_REQUEST, 'Invalid Request: params');
    const answer = (result: unknown): JsonRpcResponse | undefined =>
      hasId ? { jsonrpc: '2.0', id, result: result === undefined ? null : result } : undefined;
    const method = r.method;
    try {
      const handler = this.methods.get(method);
      if (handler !== undefined) return answer(await handler(params));
      const sub = this.subscriptions.get(method);
      if (sub !== undefined) return answer(this.subscribe(sub, params, connection));
      const subName = this.unsubscribes.get(method);
      if (subName !== undefined) {
        const subId = params[0];
        if (typeof subId !== 'string' && typeof subId !== 'number')
          throw new RpcError({ code: 'RPC_INVALID_PARAMS', method, reason: 'expected a subscription id' });
        const cancel = connection?.subscriptions.get(String(subId));
        if (cancel === undefined) return answer(false);
        connection?.subscriptions.delete(String(subId));
        cancel();
        return answer(true);
      }
      return hasId
        ? errorResponse(id, JSON_RPC_ERROR.METHOD_NOT_FOUND, `Method not found: ${method.slice(0, 64)}`)
        : undefined;
    } catch (e) {
      const err = toJsonRpcError(e);
      return hasId ? errorResponse(id, err.code, err.message, err.data) : undefined;
    }
  }

  private subscribe(
    spec: RpcSubscriptionSpec,
    params: readonly unknown[],
    connection?: RpcConnection,
  ): string {
    if (connection === undefined)
      throw new RpcError({
        code: 'RPC_REJECTED',
        method: spec.notification,
        reason: 'Subscriptions need a WebSocket connection',
      });
    if (connection.subscriptions.size >= this.maxSubs)
      throw new RpcError({
        code: 'RPC_REJECTED',
        method: spec.notification,
        reason: 'Too many subscriptions',
      });
    const subId = `${this.nextSubscription++}`;
    // Items emitted before the subscribe answer is sent would arrive first: hold them a tick.
    let ready = false;
    const early: unknown[] = [];
    const emit = (result: unknown) => {
      if (!connection.subscriptions.has(subId)) return;
      if (!ready) {
        early.push(result);
        return;
      }
      connection.send(
        stringify({ jsonrpc: '2.0', method: spec.notification, params: { subscription: subId, result } }),
      );
    };
    connection.subscriptions.set(subId, () => {});
    const cancel = spec.subscribe(params, emit);
    connection.subscriptions.set(subId, cancel);
    setImmediate(() => {
      ready = true;
      for (const item of early.splice(0)) emit(item);
    });
    return subId;
  }
}
