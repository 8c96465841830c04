import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHeader } from '../src/chain/header.js';
import { Chain, testChainSpec } from '../src/consensus/index.js';
import { FarmingHub } from '../src/roles/hub.js';
import { RpcClient, rpcHttpCall } from '../src/rpc/client.js';
import {
  headerFromJson,
  segmentHeaderFromJson,
  signedBlockFromJson,
  slotInfoFromJson,
} from '../src/rpc/codec.js';
import { JSON_RPC_ERROR, type RpcError } from '../src/rpc/errors.js';
import { buildNodeRouter, type NodeStatusSource } from '../src/rpc/methods.js';
import { toHex } from '../src/rpc/params.js';
import { type RpcServer, startRpcServer } from '../src/rpc/server.js';

const status: NodeStatusSource = {
  name: 'test',
  version: '0',
  roles: () => ({ timekeeper: false, farmer: false, author: false }),
  plotting: () => undefined,
  slot: () => undefined,
  blocksAuthored: () => 0,
};

describe('node JSON-RPC over HTTP and WebSocket', () => {
  let chain: Chain;
  let hub: FarmingHub;
  let server: RpcServer;
  let router: ReturnType<typeof buildNodeRouter>;
  beforeAll(async () => {
    chain = await Chain.open({ spec: testChainSpec() });
    hub = new FarmingHub(chain);
    router = buildNodeRouter({ chain, hub, status });
    server = await startRpcServer(router, { port: 0, maxRequestBytes: 64 * 1024 });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    hub?.close();
    await chain?.close();
  });

  it('serves chain_* for genesis', async () => {
    const genesis = toHex(chain.genesisHash);
    expect(await rpcHttpCall(server.url, 'chain_getBlockHash', [0])).toBe(genesis);
    expect(await rpcHttpCall(server.url, 'chain_getBlockHash', [])).toBe(genesis);
    expect(await rpcHttpCall(server.url, 'chain_getBlockHash', [99])).toBeNull();
    expect(await rpcHttpCall(server.url, 'chain_getFinalizedHead')).toBe(genesis);
    const header = headerFromJson(await rpcHttpCall(server.url, 'chain_getHeader', [genesis]));
    expect(encodeHeader(header)).toEqual(encodeHeader(chain.head().header));
    const block = signedBlockFromJson(await rpcHttpCall(server.url, 'chain_getBlock'));
    expect(block.justifications).toEqual([]);
    expect(await rpcHttpCall(server.url, 'chain_getHeader', [`0x${'11'.repeat(32)}`])).toBeNull();
  });

  it('serves subspace_* segment headers, pieces and farmer info', async () => {
    const [h0, h1] = await rpcHttpCall<unknown[]>(server.url, 'subspace_segmentHeaders', [[0, 1]]);
    expect(segmentHeaderFromJson(h0)).toEqual(chain.getSegmentHeader(0n));
    expect(h1).toBeNull();
    expect((await rpcHttpCall<unknown[]>(server.url, 'subspace_lastSegmentHeaders', [5])).length).toBe(1);
    const piece = await rpcHttpCall<string>(server.url, 'subspace_piece', [0]);
    expect(piece).toBe(toHex((await chain.getPiece(0n))!));
    const app = await rpcHttpCall<{ genesisHash: string; protocolInfo: { historySize: number } }>(
      server.url,
      'subspace_getFarmerAppInfo',
    );
    expect(app.genesisHash).toBe(toHex(chain.genesisHash));
    expect(app.protocolInfo.historySize).toBe(1);
    const methods = await rpcHttpCall<{ methods: string[] }>(server.url, 'rpc_methods');
    for (const m of [
      'chain_getHeader',
      'chain_subscribeNewHeads',
      'subspace_subscribeSlotInfo',
      'subspace_submitSolutionResponse',
      'author_submitExtrinsic',
      'system_health',
      'autonomys_nodeStatus',
    ])
      expect(methods.methods).toContain(m);
    const s = await rpcHttpCall<{ best: { number: number } }>(server.url, 'autonomys_nodeStatus');
    expect(s.best.number).toBe(0);
  });

  it('refuses bad input with JSON-RPC errors', async () => {
    const code = async (method: string, params: unknown[]) => {
      try {
        await rpcHttpCall(server.url, method, params);
      } catch (e) {
        return (e as RpcError).type.code === 'RPC_REMOTE_ERROR'
          ? (e as RpcError & { type: { rpcCode: number } }).type.rpcCode
          : -1;
      }
      return 0;
    };
    expect(await code('author_submitExtrinsic', ['0x00'])).toBe(JSON_RPC_ERROR.REJECTED);
    expect(await code('author_submitExtrinsic', ['zz'])).toBe(JSON_RPC_ERROR.INVALID_PARAMS);
    expect(await code('chain_getHeader', ['0x1234'])).toBe(JSON_RPC_ERROR.INVALID_PARAMS);
    expect(await code('subspace_piece', ['-1'])).toBe(JSON_RPC_ERROR.INVALID_PARAMS);
    expect(await code('subspace_submitSolutionResponse', [{ slotNumber: 1, solution: '0x00' }])).toBe(
      JSON_RPC_ERROR.INVALID_PARAMS,
    );
    expect(await code('chain_subscribeNewHeads', [])).toBe(JSON_RPC_ERROR.REJECTED); // HTTP has no subscriptions
    const big = await fetch(server.url, { method: 'POST', body: 'x'.repeat(100 * 1024) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: number } }).error.code).toBe(JSON_RPC_ERROR.TOO_LARGE);
    const get = await fetch(server.url);
    expect(get.status).toBe(405);
  });

  it('pushes new heads and slot info over WebSocket', async () => {
    const client = new RpcClient(server.wsUrl);
    const heads: unknown[] = [];
    const slots: unknown[] = [];
    await client.subscribe('chain_subscribeNewHeads', [], 'chain_newHead', 'chain_unsubscribeNewHeads', (h) =>
      heads.push(h),
    );
    const sub = await client.subscribe(
      'subspace_subscribeSlotInfo',
      [],
      'subspace_slot_info',
      'subspace_unsubscribeSlotInfo',
      (s) => slots.push(s),
    );
    await new Promise((r) => setTimeout(r, 50));
    hub.publishSlot({
      slotNumber: 9n,
      globalChallenge: new Uint8Array(32).fill(1),
      solutionRange: 5n,
      votingSolutionRange: 50n,
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(headerFromJson(heads[0]).number).toBe(0);
    expect(slots.map(slotInfoFromJson)).toEqual([
      {
        slotNumber: 9n,
        globalChallenge: new Uint8Array(32).fill(1),
        solutionRange: 5n,
        votingSolutionRange: 50n,
      },
    ]);
    await sub.unsubscribe();
    hub.publishSlot({
      slotNumber: 10n,
      globalChallenge: new Uint8Array(32),
      solutionRange: 5n,
      votingSolutionRange: 50n,
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(slots).toHaveLength(1);
    await client.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(server.connections()).toBe(0);
    expect(hub.farmerCount).toBe(0); // the closed connection's subscriptions ended
  });

  it('fuzz: every method with random params answers with a result or a JSON-RPC error', async () => {
    const names = router.methodNames();
    const conn = { subscriptions: new Map<string, () => void>(), send: () => true };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.array(fc.oneof(fc.jsonValue(), fc.uint8Array({ maxLength: 40 }).map(toHex), fc.nat()), {
          maxLength: 3,
        }),
        async (method, params) => {
          const out = await router.handleText(
            JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
            conn,
          );
          const res = JSON.parse(out!);
          expect('result' in res || typeof res.error.code === 'number').toBe(true);
          if ('error' in res) expect(res.error.code).not.toBe(JSON_RPC_ERROR.INTERNAL_ERROR);
        },
      ),
      { numRuns: 400 },
    );
    for (const cancel of conn.subscriptions.values()) cancel();
  });
});
