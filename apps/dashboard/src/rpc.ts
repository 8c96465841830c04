/**
 * A JSON-RPC 2.0 client over one WebSocket, for the dashboard: requests with timeouts,
 * subscriptions that are re-established after a reconnect, reconnection with capped exponential
 * backoff, and strict checking of every answer (a malformed answer is an error, never data).
 */

export type ConnectionState =
  | { state: 'connecting'; attempt: number }
  | { state: 'open' }
  | { state: 'closed'; retryInMs: number; reason: string };

/** A JSON-RPC error answer, or a transport/shape problem (`code` < -40000 are ours). */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** Our own codes for failures that are not the server's answers. */
export const RPC_TIMEOUT = -40001;
export const RPC_MALFORMED_ANSWER = -40002;
export const RPC_DISCONNECTED = -40003;

/** The WebSocket constructor to use (the browser's, or `ws` in Node tests). */
export type WebSocketLike = {
  new (url: string): WebSocket;
};

export interface RpcClientOptions {
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
  /** Backoff bounds for reconnecting (default 250 ms .. 8 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Defaults to globalThis.WebSocket. */
  WebSocket?: WebSocketLike;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface Subscription {
  method: string;
  params: unknown[];
  notification: string;
  unsubscribe: string;
  listener: (data: unknown) => void;
  onError: (e: RpcError) => void;
  serverId: string | number | undefined;
  active: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export class RpcClient {
  private ws: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly byServerId = new Map<string, Subscription>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private attempt = 0;
  private closedByUser = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private openWaiters: Array<() => void> = [];
  state: ConnectionState = { state: 'connecting', attempt: 0 };

  constructor(
    readonly url: string,
    private readonly opts: RpcClientOptions = {},
  ) {
    this.connect();
  }

  /** Calls `listener` now and on every change of the connection state. */
  onState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  private connect(): void {
    const WS = this.opts.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketLike);
    this.attempt++;
    this.setState({ state: 'connecting', attempt: this.attempt });
    let ws: WebSocket;
    try {
      ws = new WS(this.url);
    } catch (e) {
      this.scheduleReconnect(String(e));
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.setState({ state: 'open' });
      const waiters = this.openWaiters;
      this.openWaiters = [];
      for (const w of waiters) w();
      for (const s of this.subscriptions) if (s.active) void this.establish(s);
    };
    ws.onmessage = (ev: MessageEvent) => this.onMessage(ev.data);
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.failAll(`connection closed (${ev.code})`);
      if (!this.closedByUser) this.scheduleReconnect(`closed with code ${ev.code}`);
    };
    ws.onerror = () => {
      /* onclose follows and handles it */
    };
  }

  private scheduleReconnect(reason: string): void {
    const min = this.opts.minBackoffMs ?? 250;
    const max = this.opts.maxBackoffMs ?? 8000;
    const delay = Math.min(max, min * 2 ** Math.min(this.attempt, 10));
    this.setState({ state: 'closed', retryInMs: delay, reason });
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private failAll(reason: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RpcError(RPC_DISCONNECTED, reason));
      this.pending.delete(id);
    }
    this.byServerId.clear();
    for (const s of this.subscriptions) s.serverId = undefined;
  }

  private onMessage(raw: unknown): void {
    let msg: unknown;
    try {
      msg = JSON.parse(typeof raw === 'string' ? raw : String(raw));
    } catch {
      this.malformed('an answer that is not JSON');
      return;
    }
    if (!isObject(msg) || msg.jsonrpc !== '2.0') {
      this.malformed('an answer without jsonrpc: "2.0"');
      return;
    }
    if (typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (isObject(msg.error)) {
        const { code, message, data } = msg.error;
        p.reject(
          typeof code === 'number' && typeof message === 'string'
            ? new RpcError(code, message, data)
            : new RpcError(RPC_MALFORMED_ANSWER, 'malformed error object'),
        );
      } else if ('result' in msg) p.resolve(msg.result);
      else p.reject(new RpcError(RPC_MALFORMED_ANSWER, 'an answer with neither result nor error'));
      return;
    }
    if (typeof msg.method === 'string' && isObject(msg.params)) {
      const { subscription, result } = msg.params;
      const s = this.byServerId.get(String(subscription));
      if (s && s.notification === msg.method) s.listener(result);
    }
  }

  private malformed(what: string): void {
    // The server broke the protocol: every subscription hears of it; nothing is treated as data.
    for (const s of this.subscriptions) s.onError(new RpcError(RPC_MALFORMED_ANSWER, what));
  }

  private waitOpen(): Promise<void> {
    if (this.ws && this.state.state === 'open') return Promise.resolve();
    return new Promise((resolve) => this.openWaiters.push(resolve));
  }

  /** One call; waits for the connection. Rejects with RpcError (server error, timeout, disconnect). */
  async request<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    await this.waitOpen();
    const ws = this.ws!;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RpcError(RPC_TIMEOUT, `${method}: no answer in ${this.opts.timeoutMs ?? 15_000} ms`));
      }, this.opts.timeoutMs ?? 15_000);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /**
   * A subscription that survives reconnects (it is re-established on every new connection).
   * Returns a function that ends it.
   */
  subscribe(
    method: string,
    params: unknown[],
    notification: string,
    unsubscribe: string,
    listener: (data: unknown) => void,
    onError: (e: RpcError) => void = () => {},
  ): () => void {
    const s: Subscription = {
      method,
      params,
      notification,
      unsubscribe,
      listener,
      onError,
      serverId: undefined,
      active: true,
    };
    this.subscriptions.add(s);
    if (this.state.state === 'open') void this.establish(s);
    return () => {
      s.active = false;
      this.subscriptions.delete(s);
      if (s.serverId !== undefined) {
        this.byServerId.delete(String(s.serverId));
        this.request(s.unsubscribe, [s.serverId]).catch(() => {});
      }
    };
  }

  private async establish(s: Subscription): Promise<void> {
    try {
      const id = await this.request(s.method, s.params);
      if (typeof id !== 'string' && typeof id !== 'number') {
        s.onError(new RpcError(RPC_MALFORMED_ANSWER, `${s.method}: subscription id of the wrong type`));
        return;
      }
      if (!s.active) return;
      s.serverId = id;
      this.byServerId.set(String(id), s);
    } catch (e) {
      if (e instanceof RpcError && e.code !== RPC_DISCONNECTED) s.onError(e);
    }
  }

  /** Closes for good (no reconnect). */
  close(): void {
    this.closedByUser = true;
    clearTimeout(this.reconnectTimer);
    this.ws?.close();
    this.failAll('closed by the client');
  }
}
