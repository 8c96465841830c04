/**
 * Two nodes in one process, each with its own chain, farmer and `NodeService`, connected only
 * through the network (what `autonomys dev --nodes N` needs): node 0 runs the timekeeper; node 1
 * has none and takes node 0's proofs either in process (`potSource: s0.timekeeper`) or only over
 * PoT gossip (`PotGossipSource`, as N processes would), and plots through its network piece
 * getter. Both author; blocks cross in both directions by announcement.
 * Slow suite (AUTONOMYS_SLOW_TESTS=1).
 */
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { createShimTableGenerator } from '@autonomys/plotter';
import { sr25519PairFromSeed } from '@autonomys/primitives';
import { afterEach, describe, expect, it } from 'vitest';
import { Chain, NodeService, testChainSpec } from '../src/index.js';
import { type NetworkEvent, NodeNetwork, PotGossipSource } from '../src/network/index.js';
import { solutionRangeFor } from '../src/service/config.js';

const local = { listen: ['/ip4/127.0.0.1/tcp/0'], allowNonGlobalAddresses: true, validatorThreads: 0 };

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('two node services over the network', () => {
  const stops: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const f of stops.splice(0).reverse()) await f().catch(() => {});
  });

  it.each(['in-process', 'gossip'] as const)(
    'PoT %s: both farm and author; each imports the other one’s blocks',
    {
      timeout: 180_000,
    },
    async (mode) => {
      const kzg = new Kzg(await loadPublicParameters({ g1Count: 256 }));
      const spec = testChainSpec({
        potSlotIterations: 4096,
        archiving: { numChunks: 4, numRawRecords: 128 },
        initialSolutionRange: solutionRangeFor(1, 8, 3),
      });
      const farmerOf = (seed: number, pieceGetter: NodeNetwork['plotterPieceGetter']) => ({
        keypair: sr25519PairFromSeed(new Uint8Array(32).fill(seed)),
        sectorCount: 1,
        piecesInSector: 8,
        tableGenerator: createShimTableGenerator(),
        kzg,
        pieceGetter,
      });
      const events: NetworkEvent[][] = [[], []];

      // Node 0: timekeeper, author, farmer.
      const c0 = await Chain.open({ spec, kzg });
      stops.push(() => c0.close());
      const pot0 = new PotGossipSource({ chain: c0 });
      const n0 = await NodeNetwork.start(c0, {
        ...local,
        pot: pot0.validator,
        onEvent: (e) => events[0]!.push(e),
      });
      stops.push(() => n0.stop());
      pot0.attach(n0);
      const s0 = await NodeService.start({
        chain: c0,
        slotDurationMs: 100,
        rpc: false,
        closeChain: false,
        farmer: farmerOf(1, n0.plotterPieceGetter),
      });
      stops.push(() => s0.stop());
      pot0.relayFrom(s0.timekeeper!);

      // Node 1: its own chain and farmer, proofs of time from node 0's timekeeper.
      const c1 = await Chain.open({ spec, kzg });
      stops.push(() => c1.close());
      const pot1 = new PotGossipSource({ chain: c1 });
      const n1 = await NodeNetwork.start(c1, {
        ...local,
        bootstrapPeers: n0.addresses,
        pot: pot1.validator,
        onEvent: (e) => events[1]!.push(e),
      });
      stops.push(() => n1.stop());
      pot1.attach(n1);
      const s1 = await NodeService.start({
        chain: c1,
        timekeeper: false,
        potSource: mode === 'gossip' ? pot1 : s0.timekeeper!,
        slotDurationMs: 100,
        rpc: false,
        closeChain: false,
        farmer: farmerOf(2, n1.plotterPieceGetter),
      });
      stops.push(() => s1.stop());
      await Promise.all([s0.farming(), s1.farming()]);
      const slots: bigint[] = [];
      pot1.onProof((p) => slots.push(p.slot));

      const fromNetwork = (i: number) => events[i]!.filter((e) => e.type === 'imported').length;
      await until(() => fromNetwork(0) > 0 && fromNetwork(1) > 0, 120_000, 'blocks in both directions');
      await until(
        () => c1.getBlockInfo(c0.head().hash) !== undefined && c0.getBlockInfo(c1.head().hash) !== undefined,
        30_000,
        'each to know the other one’s head',
      );
      expect(c0.head().number).toBeGreaterThan(0);
      // Node 1 follows the proofs of time over the network in both modes.
      expect(slots.length).toBeGreaterThan(0);
    },
  );
});
