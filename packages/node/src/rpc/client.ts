/**
 * A JSON-RPC 2.0 client over WebSocket that reconnects by itself: requests made while the
 * connection is down wait for it (up to their timeout), and subscriptions are made again on the new
 * connection, so a farmer survives its node restarting. `rpcHttpCall` is the one-shot HTTP form.
 */
import WebSocket from 'ws';
import { RpcError } from './errors.js';

/** Options of {@link RpcClient}. */
export interface RpcClientOptions {
  /** Per-request timeout, ms (default 30 000). */
  requestTimeoutMs?: number;
  /** First reconnect delay, ms (default 100); doubles up to `maxReconnectDelayMs`. */
  minReconnectDelayMs?: number;
  /** Default 2000. */
  maxReconnectDelayMs?: number;
}

/** A live subscription of an {@link RpcClient}. */
export interface RpcClientSubscription {
  /** The server's id on the current connection (changes after a reconnect). */
  readonly id: string | undefined;
  /** Ends it (and tells the server when connected). */
  unsubscribe(): Promise<void>;
}

interface Pending {
  method: string;
  /** Runs in the message handler itself, before any later frame of the same chunk is handled. */
  onResult?: ((v: unknown) => void) | undefined;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Sub {
  method: string;
  params: unknown[];
  notification: string;
  unsubscribeMethod: string;
  onItem: (item: unknown) => void;
  id: string | undefined;
  closed: boolean;
  /** A subscribe call is under way (the reconnect handler leaves it alone). */
  inFlight: boolean;
}

/**
 * @example
 * const client = new RpcClient('ws://127.0.0.1:9944');
 * const head = await client.request('chain_getHeader', []);
 * await client.subscribe('subspace_subscribeSlotInfo', [], 'subspace_slot_info', 'subspace_unsubscribeSlotInfo', (info) => {});
 * await client.close();
 */
export class RpcClient extends EventTarget {
  readonly url: string;
  private ws: WebSocket | undefined;
  private connected = false;
  private closed = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly subs = new Set<Sub>();
  private readonly byServerId = new Map<string, Sub>();
  private waiters: (() => void)[] = [];
  private delay: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly opts: Required<RpcClientOptions>;
  /** Times the connection was established (1 after the first connect). */
  connects = 0;

  constructor(url: string, opts: RpcClientOptions = {}) {
    super();
    this.url = url.replace(/^http/, 'ws');
    this.opts = {
      requestTimeoutMs: opts.requestTimeoutMs ?? 30_000,
      minReconnectDelayMs: opts.minReconnectDelayMs ?? 100,
      maxReconnectDelayMs: opts.maxReconnectDelayMs ?? 2000,
    };
    this.delay = this.opts.minReconnectDelayMs;
    this.open();
  }

  /** Whether the socket is open now. */
  get isConnected(): boolean {
    return this.connected;
  }

  /** Resolves once connected (at once when connected). */
  waitConnected(timeoutMs = this.opts.requestTimeoutMs): Promise<void> {
    if (this.connected) return Promise.resolve();
    if (this.closed) return Promise.reject(new RpcError({ code: 'RPC_DISCONNECTED', method: 'connect' }));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new RpcError({ code: 'RPC_TIMEOUT', method: 'connect', ms: timeoutMs }));
      }, timeoutMs);
      const done = () => {
        clearTimeout(t);
        if (this.closed) reject(new RpcError({ code: 'RPC_DISCONNECTED', method: 'connect' }));
        else resolve();
      };
      this.waiters.push(done);
    });
  }

  private open(): void {
    if (this.closed) return;
    const ws = new WebSocket(this.url, { maxPayload: 64 * 1024 * 1024 });
    this.ws = ws;
    ws.on('open', () => {
      this.connected = true;
      this.connects++;
      this.delay = this.opts.minReconnectDelayMs;
      for (const w of this.waiters.splice(0)) w();
      this.dispatchEvent(new Event('connected'));
      for (const sub of this.subs) if (!sub.inFlight && sub.id === undefined) void this.resubscribe(sub);
    });
    ws.on('message', (data) => this.onMessage(data.toString()));
    ws.on('error', () => {
      // connection refused / reset: 'close' follows and schedules the reconnect
    });
    ws.on('close', () => {
      if (this.ws !== ws) return;
      const was = this.connected;
      this.connected = false;
      this.ws = undefined;
      this.byServerId.clear();
      for (const sub of this.subs) sub.id = undefined;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new RpcError({ code: 'RPC_DISCONNECTED', method: p.method }));
      }
      if (was) this.dispatchEvent(new Event('disconnected'));
      if (this.closed) {
        for (const w of this.waiters.splice(0)) w();
        return;
      }
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.open();
      }, this.delay);
      this.delay = Math.min(this.delay * 2, this.opts.maxReconnectDelayMs);
    });
  }

  private onMessage(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    const items = Array.isArray(msg) ? msg : [msg];
    for (const m of items) {
      if (m === null || typeof m !== 'object') continue;
      const r = m as Record<string, unknown>;
      if (typeof r.id === 'number') {
        const p = this.pending.get(r.id);
        if (p === undefined) continue;
        this.pending.delete(r.id);
        if (r.error !== undefined && r.error !== null) {
          const e = r.error as { code?: unknown; message?: unknown; data?: unknown };
          const type = {
            code: 'RPC_REMOTE_ERROR' as const,
            method: p.method,
            rpcCode: typeof e.code === 'number' ? e.code : 0,
            message: typeof e.message === 'string' ? e.message : 'error',
            ...(e.data === undefined ? {} : { data: e.data }),
          };
          p.reject(new RpcError(type));
        } else {
          p.onResult?.(r.result);
          p.resolve(r.result);
        }
      } else if (typeof r.method === 'string' && r.params !== null && typeof r.params === 'object') {
        const { subscription, result } = r.params as { subscription?: unknown; result?: unknown };
        const sub = this.byServerId.get(String(subscription));
        if (sub !== undefined && sub.notification === r.method) {
          try {
            sub.onItem(result);
          } catch {
            // a consumer's error must not break the connection
          }
        }
      }
    }
  }

  /**
   * Calls a method; waits for a connection first when there is none (within the timeout).
   * Rejects with `RPC_REMOTE_ERROR`, `RPC_TIMEOUT` or `RPC_DISCONNECTED`.
   */
  request<T = unknown>(
    method: string,
    params: unknown[] = [],
    timeoutMs = this.opts.requestTimeoutMs,
  ): Promise<T> {
    return this.send<T>(method, params, timeoutMs, undefined);
  }

  private async send<T>(
    method: string,
    params: unknown[],
    timeoutMs: number,
    onResult: ((v: unknown) => void) | undefined,
  ): Promise<T> {
    const t0 = Date.now();
    await this.waitConnected(timeoutMs);
    const ws = this.ws;
    if (ws === undefined) throw new RpcError({ code: 'RPC_DISCONNECTED', method });
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const left = Math.max(1, timeoutMs - (Date.now() - t0));
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RpcError({ code: 'RPC_TIMEOUT', method, ms: timeoutMs }));
      }, left);
      this.pending.set(id, {
        method,
        onResult,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /**
   * Subscribes; the subscription is made again after every reconnect until `unsubscribe()`.
   * Resolves after the first successful subscribe.
   */
  async subscribe(
    method: string,
    params: unknown[],
    notification: string,
    unsubscribeMethod: string,
    onItem: (item: unknown) => void,
  ): Promise<RpcClientSubscription> {
    const sub: Sub = {
      method,
      params,
      notification,
      unsubscribeMethod,
      onItem,
      id: undefined,
      closed: false,
      inFlight: false,
    };
    this.subs.add(sub);
    try {
      await this.resubscribe(sub, true);
    } catch (e) {
      this.subs.delete(sub);
      throw e;
    }
    return {
      get id() {
        return sub.id;
      },
      unsubscribe: async () => {
        sub.closed = true;
        this.subs.delete(sub);
        const id = sub.id;
        if (id === undefined) return;
        this.byServerId.delete(id);
        if (this.connected) await this.request(unsubscribeMethod, [id]).catch(() => {});
      },
    };
  }

  private async resubscribe(sub: Sub, first = false): Promise<void> {
    sub.inFlight = true;
    try {
      // The id is registered as the answer is read: the first item may follow in the same chunk.
      const id = await this.send<unknown>(sub.method, sub.params, this.opts.requestTimeoutMs, (v) => {
        if (sub.closed || (typeof v !== 'string' && typeof v !== 'number')) return;
        sub.id = String(v);
        this.byServerId.set(sub.id, sub);
      });
      if (typeof id !== 'string' && typeof id !== 'number')
        throw new RpcError({ code: 'RPC_BAD_RESPONSE', method: sub.method, reason: 'subscription id' });
      if (sub.closed && sub.id !== undefined) {
        this.byServerId.delete(sub.id);
        if (this.connected) await this.request(sub.unsubscribeMethod, [sub.id]).catch(() => {});
      }
    } catch (e) {
      if (first) throw e;
      // the 'connected' handler retries on the next connection
    } finally {
      sub.inFlight = false;
    }
  }

  /** Closes for good: pending requests reject, no reconnect. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const ws = this.ws;
    if (ws === undefined) {
      for (const w of this.waiters.splice(0)) w();
      return;
    }
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.terminate();
    });
  }
}

/**
 * One JSON-RPC call over HTTP POST (no subscriptions).
 * @example await rpcHttpCall('http://127.0.0.1:9944', 'chain_getBlockHash', [0])
 */
export async function rpcHttpCall<T = unknown>(
  url: string,
  method: string,
  params: unknown[] = [],
  timeoutMs = 30_000,
): Promise<T> {
  const res = await fetch(url.replace(/^ws/, 'http'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  }).catch(() => {
    throw new RpcError({ code: 'RPC_DISCONNECTED', method });
  });
  const body = (await res.json().catch(() => undefined)) as
    | { result?: unknown; error?: { code: number; message: string; data?: unknown } }
    | undefined;
  if (body === undefined)
    throw new RpcError({ code: 'RPC_BAD_RESPONSE', method, reason: `HTTP ${res.status}` });
  if (body.error !== undefined) {
    throw new RpcError({
      code: 'RPC_REMOTE_ERROR',
      method,
      rpcCode: body.error.code,
      message: body.error.message,
      ...(body.error.data === undefined ? {} : { data: body.error.data }),
    });
  }
  return body.result as T;
}
