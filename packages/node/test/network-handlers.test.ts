/**
 * The chain-backed handlers of the network (block provider, segment header store, piece cache),
 * the farmer's piece getter, and a peer serving an invalid block: refused and banned.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChainNetwork, createDsnNode } from '@autonomys/dsn';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { proveSlots } from '@autonomys/pot';
import { encodeSegmentHeader } from '@autonomys/primitives';
import { readmeCodeBlocks } from '@autonomys/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chain, testChainSpec } from '../src/index.js';
import {
  chainBlockProvider,
  chainPieceCache,
  chainSegmentHeaderStore,
  type NetworkEvent,
  NodeNetwork,
  networkPieceGetter,
  PotGossipSource,
  plotterPieceGetter,
} from '../src/network/index.js';
import { makeFarmer, produce } from './helpers/farm.js';

const WIDE = (1n << 64n) - 2n;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const local = { listen: ['/ip4/127.0.0.1/tcp/0'], allowNonGlobalAddresses: true, validatorThreads: 0 };

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let chain: Chain;
const cleanup: Array<() => Promise<unknown>> = [];
const spec = testChainSpec({ archiving: { numChunks: 4, numRawRecords: 128 }, initialSolutionRange: WIDE });

beforeAll(async () => {
  chain = await Chain.open({ spec, kzg: new Kzg(await loadPublicParameters({ g1Count: 256 })) });
  cleanup.push(() => chain.close());
  const farmer = await makeFarmer(chain, 3, 1, 4);
  for (let i = 0; i < 4; i++) await produce(chain, farmer);
}, 60_000);

afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => {});
});

describe('chain-backed handlers', () => {
  it('block provider: descending follows parents, ascending the best chain, unknown is empty', async () => {
    const p = chainBlockProvider(chain);
    const head = chain.head();
    const down = await p.getBlocks({
      from: { type: 'hash', hash: head.hash },
      direction: 'descending',
      max: 3,
    });
    expect(down.map((b) => chain.getBlockInfo(b.hash)?.number)).toEqual([4, 3, 2]);
    expect(hex(down[0]!.block)).toBe(hex((await chain.getBlockBytes(head.hash))!));
    const up = await p.getBlocks({ from: { type: 'number', number: 1 }, direction: 'ascending', max: 10 });
    expect(up.map((b) => chain.getBlockInfo(b.hash)?.number)).toEqual([1, 2, 3, 4]);
    const all = await p.getBlocks({ from: { type: 'number', number: 4 }, direction: 'descending', max: 100 });
    expect(all.map((b) => chain.getBlockInfo(b.hash)?.number)).toEqual([4, 3, 2, 1, 0]);
    expect(
      await p.getBlocks({
        from: { type: 'hash', hash: new Uint8Array(32).fill(9) },
        direction: 'ascending',
        max: 5,
      }),
    ).toEqual([]);
    expect(
      await p.getBlocks({ from: { type: 'number', number: 99 }, direction: 'ascending', max: 5 }),
    ).toEqual([]);
  });

  it('segment header store and piece cache cover the archived segments', async () => {
    const store = chainSegmentHeaderStore(chain);
    expect(chain.lastSegmentIndex()).toBe(0n);
    expect(store.lastSegmentHeaders(2).map((h) => h.segmentIndex)).toEqual([0n]);
    expect(hex(encodeSegmentHeader(store.getSegmentHeader(0n)!))).toBe(
      hex(encodeSegmentHeader(chain.getSegmentHeader(0n)!)),
    );
    expect(store.getSegmentHeader(1n)).toBeUndefined();
    const cache = chainPieceCache(chain);
    expect([cache.hasPiece(0n), cache.hasPiece(255n), cache.hasPiece(256n)]).toEqual([true, true, false]);
    expect(hex((await cache.getPiece(5n))!)).toBe(hex((await chain.getPiece(5n))!));
  });
});

describe('network', () => {
  it('a farmer piece getter fetches validated pieces from a peer; past the history is refused', async () => {
    const server = await NodeNetwork.start(chain, { ...local, sync: false });
    cleanup.push(() => server.stop());
    const client = await createDsnNode({
      ...local,
      genesisHash: chain.genesisHash,
      pieceSize: server.dsn.pieceSize,
      bootstrapPeers: server.addresses,
    });
    cleanup.push(() => client.stop());
    await client.dial(server.addresses[0]!);
    const getter = networkPieceGetter({
      node: client,
      validator: server.validator,
      params: spec.archiving,
      segmentHeader: (s) => chain.getSegmentHeader(s),
      historyPieces: () => 256n,
      retries: 1,
    });
    const piece = await plotterPieceGetter(getter)(17n);
    expect(piece && hex(piece)).toBe(hex((await chain.getPiece(17n))!));
    await expect(getter.getPiece(256n)).rejects.toMatchObject({ code: 'DSN_INVALID_ARGUMENT' });
  }, 30_000);

  it('a peer announcing a tampered block is refused and banned', async () => {
    const victimChain = await Chain.open({ spec, kzg: chain.kzg });
    cleanup.push(() => victimChain.close());
    const victim = await NodeNetwork.start(victimChain, { ...local, sync: false });
    cleanup.push(() => victim.stop());
    const events: NetworkEvent[] = [];
    victim.onEvent((e) => events.push(e));

    const good = (await chain.getBlockBytes(1))!;
    const bad = good.slice();
    bad[40] = bad[40]! ^ 0xff; // inside the state root: the seal's signature no longer verifies
    const fakeHash = new Uint8Array(32).fill(0xee);
    const evil = await createDsnNode({ ...local, genesisHash: chain.genesisHash });
    cleanup.push(() => evil.stop());
    const evilChain = new ChainNetwork(evil, {
      blocks: { getBlocks: () => [{ hash: fakeHash, block: bad }] },
    });
    await evilChain.start();
    await evil.dial(victim.addresses[0]!);
    await until(() => victim.dsn.connectedPeers().length > 0, 10_000, 'connection');
    await new Promise((r) => setTimeout(r, 200));
    const sent = await evilChain.announceBlock({
      number: 1,
      hash: fakeHash,
      header: new Uint8Array(8),
      isBest: true,
    });
    expect(sent).toBe(1);
    await until(() => victim.dsn.bans.isBanned(evil.peerId.toString()), 10_000, 'the ban');
    const rejected = events.find((e) => e.type === 'rejected');
    expect(rejected?.type === 'rejected' && [rejected.origin, rejected.code]).toEqual([
      'network',
      'BAD_SIGNATURE',
    ]);
    expect(victimChain.head().number).toBe(0);
  }, 30_000);
});

describe('proof-of-time gossip', () => {
  it('a node without a timekeeper follows gossiped proofs; an invalid next-slot proof bans its sender', async () => {
    const fresh = await Chain.open({ spec, kzg: chain.kzg });
    cleanup.push(() => fresh.close());
    const pot = new PotGossipSource({ chain: fresh });
    cleanup.push(async () => pot.stop());
    const receiver = await NodeNetwork.start(fresh, { ...local, sync: false, pot: pot.validator });
    cleanup.push(() => receiver.stop());
    pot.attach(receiver);
    const seen: bigint[] = [];
    pot.onProof((p) => seen.push(p.slot));

    const ctx = fresh.authoringContext();
    const proofs = proveSlots(ctx.nextSlotInput, 4, ctx.potParametersChange);
    const sender = await NodeNetwork.start(chain, { ...local, sync: false, announce: false });
    cleanup.push(() => sender.stop());
    await sender.dsn.dial(receiver.addresses[0]!);
    await until(() => receiver.dsn.connectedPeers().length > 0, 10_000, 'connection');
    await new Promise((r) => setTimeout(r, 200));
    // Slot 3 first (queued as a future proof), then 1 and 2: 3 follows from the queue.
    for (const i of [2, 0, 1]) expect(await sender.gossipPot(proofs[i]!)).toBe(1);
    await until(() => seen.length === 3, 10_000, 'three proofs');
    expect(seen).toEqual(proofs.slice(0, 3).map((p) => p.slot));
    expect(pot.nextInput.slot).toBe(proofs[3]!.slot);

    const bad = { ...proofs[3]!, checkpoints: proofs[3]!.checkpoints.slice() };
    bad.checkpoints[5] = bad.checkpoints[5]! ^ 1;
    await sender.gossipPot(bad);
    await until(() => receiver.dsn.bans.isBanned(sender.dsn.peerId.toString()), 10_000, 'the ban');
    expect(seen).toHaveLength(3);
  }, 30_000);
});

describe('README "Networking"', () => {
  it('runs the example', { timeout: 60_000 }, async () => {
    // Like runReadmeExample, with `@autonomys/node` mapped to the root and network entry points
    // (the network module is exported from the package root by src/index.ts).
    const pkgDir = fileURLToPath(new URL('..', import.meta.url));
    const code = readmeCodeBlocks(join(pkgDir, 'README.md')).find((b) => b.includes('// Networking'));
    expect(code).toBeDefined();
    const dir = join(pkgDir, '.scratch');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'network-entry.ts'),
      "export * from '../src/index.js';\nexport * from '../src/network/index.js';\n",
    );
    const file = join(dir, 'readme-networking.ts');
    writeFileSync(file, code!.replaceAll("from '@autonomys/node'", "from './network-entry.js'"));
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    };
    try {
      await import(file);
    } finally {
      console.log = original;
    }
    expect(lines).toEqual(['1', '1120']);
  });
});
