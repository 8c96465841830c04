/**
 * End to end: a development network (timekeeper, author, farmer, RPC in one process) produces 20
 * blocks whose solutions and PoT justifications verify independently, archives a segment whose
 * pieces verify, and continues from its head after a restart. Small presets keep it fast: the
 * shim proof of space, 4 chunks per record, 4 096 PoT iterations, 100 ms slots.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPieceValid } from '@autonomys/archiver';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { afterAll, describe, expect, it } from 'vitest';
import { RpcClient } from '../src/rpc/client.js';
import { signedBlockFromJson } from '../src/rpc/codec.js';
import { type DevNetwork, type DevNetworkOptions, startDevNetwork } from '../src/service/dev.js';
import { verifyBlock } from '../src/service/verify.js';

const dir = mkdtempSync(join(tmpdir(), 'autonomys-e2e-'));
const opts: DevNetworkOptions = {
  dataDir: dir,
  fastPos: true,
  potSlotIterations: 4096,
  slotDurationMs: 100,
  numChunks: 4,
  sectors: 2,
  piecesInSector: 8,
  slotsPerBlock: 1,
  rpc: { port: 0 },
};

async function until(cond: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('dev network end to end', () => {
  let net: DevNetwork | undefined;
  afterAll(async () => {
    await net?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('produces 20 verifiable blocks, archives a segment, and resumes after a restart', {
    timeout: 120_000,
  }, async () => {
    // The chain's KZG is shared by both starts; verification below loads its own.
    opts.kzg = new Kzg(await loadPublicParameters({ g1Count: 256 }));
    net = await startDevNetwork(opts);
    const { chain } = net;
    await until(() => chain.head().number >= 20 && chain.lastSegmentIndex() >= 1n, 50_000);

    // Independent checks: a KZG instance of our own, block bytes through the RPC's JSON.
    const kzg = new Kzg(await loadPublicParameters({ g1Count: 256 }));
    const client = new RpcClient(net.service.rpc!.wsUrl);
    const ctx = {
      kzg,
      historySize: chain.historySize(),
      maxPiecesInSector: net.spec.maxPiecesInSector,
      numChunks: net.spec.archiving.numChunks,
      shimProofOfSpace: true,
      segmentCommitment: (i: bigint) => chain.getSegmentHeader(i)?.segmentCommitment,
    };
    for (let n = 1; n <= 20; n++) {
      const hash = await client.request<string>('chain_getBlockHash', [n]);
      const block = signedBlockFromJson(await client.request('chain_getBlock', [hash]));
      const v = await verifyBlock(block.header, block.justifications, ctx);
      expect(v.checks.filter((c) => !c.ok)).toEqual([]);
      expect(v.checks.map((c) => c.name)).toEqual(
        expect.arrayContaining(['seal', 'justification', 'solution']),
      );
    }
    await client.close();

    // Segment 1 (the first after genesis) and its pieces.
    const header = chain.getSegmentHeader(1n)!;
    for (const position of [0, 1, 127, 128, 255]) {
      const piece = await chain.getPiece(256n + BigInt(position));
      expect(piece).toBeDefined();
      expect(isPieceValid(kzg, piece!, header.segmentCommitment, position, net.spec.archiving)).toBe(true);
    }

    // Restart on the same data directory: the chain continues from its head (read after the stop:
    // an import under way when it began completes, durably, before the chain closes).
    const block10 = chain.getBlockInfo(10)!.hash;
    await net.stop();
    const before = chain.head();
    net = await startDevNetwork(opts);
    expect(net.chain.head().number).toBe(before.number);
    expect(net.chain.getBlockInfo(10)!.hash).toEqual(block10);
    const resumed = net.chain;
    await until(() => resumed.head().number >= before.number + 2, 20_000);
  });
});
