import { afterEach, describe, expect, it } from 'vitest';
import { RpcClient } from '../src/rpc/client.js';
import { RpcError } from '../src/rpc/errors.js';
import { RpcRouter } from '../src/rpc/jsonrpc.js';
import { type RpcServer, startRpcServer } from '../src/rpc/server.js';

function ticker() {
  const r = new RpcRouter();
  const emitters = new Set<(v: unknown) => void>();
  r.method('ping', () => 'pong');
  r.subscription('tick_subscribe', {
    notification: 'tick',
    unsubscribe: 'tick_unsubscribe',
    subscribe: (_p, emit) => {
      emitters.add(emit);
      return () => emitters.delete(emit);
    },
  });
  return {
    r,
    tick: (v: unknown) => {
      for (const e of emitters) e(v);
    },
    subscribers: () => emitters.size,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 5000) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await sleep(20);
  }
}

describe('RpcClient', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  it('reconnects after the server restarts: subscriptions resume, waiting requests complete', async () => {
    const a = ticker();
    let server: RpcServer = await startRpcServer(a.r, { port: 0 });
    const port = server.port;
    const client = new RpcClient(server.wsUrl, {
      minReconnectDelayMs: 20,
      maxReconnectDelayMs: 100,
      requestTimeoutMs: 5000,
    });
    cleanup.push(() => client.close());
    const items: unknown[] = [];
    await client.subscribe('tick_subscribe', [], 'tick', 'tick_unsubscribe', (v) => items.push(v));
    a.tick(1);
    await until(() => items.length === 1);

    let disconnected = 0;
    client.addEventListener('disconnected', () => disconnected++);
    await server.close();
    await until(() => !client.isConnected);
    const pending = client.request('ping'); // waits for the connection to come back
    await sleep(150);
    const b = ticker();
    server = await startRpcServer(b.r, { port });
    cleanup.push(() => server.close());
    expect(await pending).toBe('pong');
    await until(() => b.subscribers() === 1);
    b.tick(2);
    await until(() => items.length === 2);
    expect(items).toEqual([1, 2]);
    expect(disconnected).toBe(1);
    expect(client.connects).toBe(2);
  });

  it('times out, reports remote errors, and refuses after close', async () => {
    const a = ticker();
    const server = await startRpcServer(a.r, { port: 0 });
    cleanup.push(() => server.close());
    const client = new RpcClient(server.wsUrl);
    await expect(client.request('nope')).rejects.toMatchObject({
      type: { code: 'RPC_REMOTE_ERROR', rpcCode: -32601 },
    });
    await client.close();
    await expect(client.request('ping')).rejects.toBeInstanceOf(RpcError);
    const lonely = new RpcClient('ws://127.0.0.1:1', { minReconnectDelayMs: 10 });
    await expect(lonely.request('ping', [], 100)).rejects.toMatchObject({ type: { code: 'RPC_TIMEOUT' } });
    await lonely.close();
  });
});
