import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import {
  RPC_DISCONNECTED,
  RPC_MALFORMED_ANSWER,
  RPC_TIMEOUT,
  RpcClient,
  RpcError,
  type WebSocketLike,
} from '../src/rpc.js';

type Handler = (msg: { id: number; method: string; params: unknown[] }, send: (v: unknown) => void) => void;

/** A scripted JSON-RPC WebSocket server on a fixed port (so a restart is reachable at the same URL). */
async function server(
  handler: Handler,
  port = 0,
): Promise<{ url: string; port: number; close(): Promise<void>; http: Server }> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      handler(msg, (v) => ws.send(typeof v === 'string' ? v : JSON.stringify(v)));
    });
  });
  await new Promise<void>((r) => http.listen(port, '127.0.0.1', r));
  const p = (http.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${p}`,
    port: p,
    http,
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        http.close(() => r());
      }),
  };
}

const WS = WebSocket as unknown as WebSocketLike;
/** The RpcError a call rejects with. */
const failure = (p: Promise<unknown>): Promise<RpcError> =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: RpcError) => e,
  );
const clients: RpcClient[] = [];
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
});

function client(url: string, opts = {}) {
  const c = new RpcClient(url, { WebSocket: WS, minBackoffMs: 20, maxBackoffMs: 100, ...opts });
  clients.push(c);
  return c;
}

describe('RpcClient', () => {
  it('answers requests and turns error objects into RpcError', async () => {
    const s = await server((m, send) => {
      if (m.method === 'ok') send({ jsonrpc: '2.0', id: m.id, result: { echo: m.params } });
      else send({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'Method not found' } });
    });
    servers.push(s);
    const c = client(s.url);
    expect(await c.request('ok', [1, 'a'])).toEqual({ echo: [1, 'a'] });
    const e = await failure(c.request('nope'));
    expect(e).toBeInstanceOf(RpcError);
    expect(e.code).toBe(-32601);
  });

  it('treats malformed answers as errors, never as data', async () => {
    const s = await server((m, send) => {
      if (m.method === 'neither') send({ jsonrpc: '2.0', id: m.id });
      else if (m.method === 'badError') send({ jsonrpc: '2.0', id: m.id, error: { code: 'x' } });
    });
    servers.push(s);
    const c = client(s.url);
    expect((await failure(c.request('neither'))).code).toBe(RPC_MALFORMED_ANSWER);
    expect((await failure(c.request('badError'))).code).toBe(RPC_MALFORMED_ANSWER);
  });

  it('times out when no answer comes', async () => {
    const s = await server(() => {});
    servers.push(s);
    const c = client(s.url, { timeoutMs: 100 });
    expect((await failure(c.request('silent'))).code).toBe(RPC_TIMEOUT);
  });

  it('reconnects after the node restarts and re-establishes subscriptions', async () => {
    let subs = 0;
    const handler: Handler = (m, send) => {
      if (m.method === 'sub') {
        subs++;
        send({ jsonrpc: '2.0', id: m.id, result: `s${subs}` });
        setTimeout(
          () => send({ jsonrpc: '2.0', method: 'note', params: { subscription: `s${subs}`, result: subs } }),
          10,
        );
      }
    };
    const s1 = await server(handler);
    const c = client(s1.url);
    const states: string[] = [];
    c.onState((st) => states.push(st.state));
    const got: unknown[] = [];
    c.subscribe('sub', [], 'note', 'unsub', (v) => got.push(v));
    await expect.poll(() => got.length).toBe(1);
    const pending = failure(c.request('never'));
    await s1.close();
    expect((await pending).code).toBe(RPC_DISCONNECTED);
    const s2 = await server(handler, s1.port);
    servers.push(s2);
    await expect.poll(() => got.length, { timeout: 5000 }).toBe(2);
    expect(got).toEqual([1, 2]);
    expect(states).toContain('closed');
    expect(states.at(-1)).toBe('open');
  });

  it('reports a server that sends non-JSON to the subscriptions', async () => {
    const s = await server((m, send) => {
      send({ jsonrpc: '2.0', id: m.id, result: 'x' });
      send('this is not json');
    });
    servers.push(s);
    const c = client(s.url);
    const errors: RpcError[] = [];
    c.subscribe(
      'sub',
      [],
      'n',
      'u',
      () => {},
      (e) => errors.push(e),
    );
    await expect.poll(() => errors.length).toBeGreaterThan(0);
    expect(errors[0]!.code).toBe(RPC_MALFORMED_ANSWER);
  });
});
