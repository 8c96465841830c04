/**
 * JSON-RPC 2.0 over HTTP (POST) and WebSocket on one port, bound to 127.0.0.1 by default. HTTP
 * carries methods; WebSocket carries methods and subscriptions. Oversized bodies and frames are
 * refused with an error, never by crashing; a connection's subscriptions end when it closes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { JSON_RPC_ERROR } from './errors.js';
import type { RpcConnection, RpcRouter } from './jsonrpc.js';

/** Options of {@link startRpcServer}. */
export interface RpcServerOptions {
  /** Interface to bind (default `127.0.0.1`: the node is not reachable from other machines). */
  host?: string;
  /** Port (default 9944, the reference's; 0 picks a free one). */
  port?: number;
  /** Largest request body or WebSocket frame, bytes (default 16 MiB: a 5 MiB extrinsic as hex fits). */
  maxRequestBytes?: number;
  /** WebSocket connections at once (default 256). */
  maxConnections?: number;
  /**
   * Handlers for other HTTP requests (the storage gateway, the dashboard's files), tried in order
   * for every request that is not a JSON-RPC POST to `/`; each resolves `true` when it answered.
   */
  httpHandlers?: ReadonlyArray<(req: IncomingMessage, res: ServerResponse) => Promise<boolean>>;
}

/** A running server. */
export interface RpcServer {
  /** `http://host:port` (the WebSocket URL is the same with `ws://`). */
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  /** Live WebSocket connections. */
  connections(): number;
  /** Closes every connection and the listener. */
  close(): Promise<void>;
}

/** The default RPC port, as the reference node's. */
export const DEFAULT_RPC_PORT = 9944;

const tooLarge = (limit: number) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id: null,
    error: { code: JSON_RPC_ERROR.TOO_LARGE, message: `Request exceeds ${limit} bytes` },
  });

/**
 * Starts the server for a router.
 * @example
 * const server = await startRpcServer(router, { port: 0 });
 * const res = await fetch(server.url, { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"system_name"}' });
 * await server.close();
 */
export async function startRpcServer(router: RpcRouter, opts: RpcServerOptions = {}): Promise<RpcServer> {
  const host = opts.host ?? '127.0.0.1';
  const limit = opts.maxRequestBytes ?? 16 * 1024 * 1024;
  const maxConnections = opts.maxConnections ?? 256;
  const sockets = new Set<WebSocket>();

  const onHttp = (req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, body: string | undefined) => {
      if (res.headersSent) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body ?? '');
    };
    const handlers = opts.httpHandlers ?? [];
    if (handlers.length > 0 && !(req.method === 'POST' && (req.url === '/' || req.url === ''))) {
      void (async () => {
        try {
          for (const h of handlers) if (await h(req, res)) return;
        } catch (e) {
          if (!res.headersSent) {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(`internal error: ${e instanceof Error ? e.message : String(e)}\n`);
          } else res.destroy();
          return;
        }
        if (req.method === 'POST') {
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('not found\n');
          return;
        }
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found (JSON-RPC 2.0: POST a request to /, or connect with a WebSocket)\n');
      })();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' });
      res.end('JSON-RPC 2.0: POST a request, or connect with a WebSocket\n');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        reply(413, tooLarge(limit));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      refused = true;
    });
    req.on('end', () => {
      if (refused) return;
      router
        .handleText(Buffer.concat(chunks).toString('utf8'))
        .then((out) => reply(200, out))
        .catch(() => reply(500, undefined));
    });
  };

  const server: Server = createServer(onHttp);
  const wss = new WebSocketServer({ noServer: true, maxPayload: limit });
  server.on('upgrade', (req, socket, head) => {
    if (sockets.size >= maxConnections) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
  });

  const onSocket = (ws: WebSocket) => {
    sockets.add(ws);
    const connection: RpcConnection = {
      subscriptions: new Map(),
      send(text) {
        if (ws.readyState !== ws.OPEN) return false;
        ws.send(text);
        return true;
      },
    };
    const end = () => {
      sockets.delete(ws);
      for (const cancel of connection.subscriptions.values()) {
        try {
          cancel();
        } catch {
          // a subscription's teardown must not take the server down
        }
      }
      connection.subscriptions.clear();
    };
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
      router
        .handleText(text, connection)
        .then((out) => {
          if (out !== undefined) connection.send(out);
        })
        .catch(() => {});
    });
    ws.on('error', () => {
      // ws reports oversized frames as an error and closes (1009); the close handler cleans up
    });
    ws.on('close', end);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_RPC_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    wsUrl: `ws://${shownHost}:${port}`,
    port,
    connections: () => sockets.size,
    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
