/**
 * @autonomys/node service benchmarks (the roles' side of issue #7):
 * - slot arrival to a submitted solution: one farmer slot (audit every sector, prove the best
 *   candidate, submit), on slots known to hold a candidate; the goal is "well inside the 4-slot
 *   authoring delay" (4 s on the network);
 * - `autonomys dev` start to the first block (fresh data directory: calibration, genesis archiving,
 *   plotting, the first slots and the block's build, signing and import).
 *
 * Run: `node --conditions=autonomys-source --import tsx packages/node/bench/service.ts`, or import
 * `serviceCases()` into bench/index.ts.
 */
import { type BenchCase, runBench } from '@autonomys/bench';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import {
  auditPlot,
  createPosTableGenerator,
  createShimTableGenerator,
  type PosTableGenerator,
} from '@autonomys/plotter';
import { blake3, slotGlobalChallenge, sr25519PairFromSeed } from '@autonomys/primitives';
import { Farmer } from '../src/roles/farmer.js';
import type { FarmerAppInfo, FarmerNode, SlotInfo } from '../src/roles/types.js';
import { startDevNetwork } from '../src/service/dev.js';

/** A node stand-in that serves deterministic pieces and counts submissions. */
function standIn(numChunks: number, shim: boolean): FarmerNode & { submitted: number } {
  const pieceSize = numChunks * 32 + 96;
  return {
    submitted: 0,
    async farmerAppInfo(): Promise<FarmerAppInfo> {
      return {
        genesisHash: new Uint8Array(32),
        protocolInfo: {
          historySize: 1n,
          maxPiecesInSector: 1000,
          recentSegments: 5n,
          recentHistoryFraction: [1n, 10n],
          minSectorLifetime: 4,
        },
        numChunks,
        numRawRecords: 128,
        shimProofOfSpace: shim,
      };
    },
    onSlotInfo: async () => () => {},
    async submitSolution() {
      this.submitted++;
    },
    onRewardSigning: async () => () => {},
    async submitRewardSignature() {},
    onArchivedSegmentHeader: async () => () => {},
    segmentHeaders: async (i) => i.map(() => undefined),
    async piece(index) {
      const piece = new Uint8Array(pieceSize);
      for (let i = 0; i < pieceSize; i += 32)
        piece.set(
          blake3(new TextEncoder().encode(`${index}/${i}`)).subarray(0, Math.min(32, pieceSize - i)),
          i,
        );
      for (let c = 0; c < numChunks; c++) piece[c * 32] = 0; // chunks below the field modulus
      return piece;
    },
  };
}

/** A farmer with plotted sectors and slots that each have a candidate. */
async function farmingCase(
  name: string,
  numChunks: number,
  tableGenerator: PosTableGenerator,
  shim: boolean,
  samples: number,
): Promise<BenchCase> {
  const node = standIn(numChunks, shim);
  const keypair = sr25519PairFromSeed(new Uint8Array(32).fill(5));
  const kzg = new Kzg(await loadPublicParameters({ g1Count: Math.max(256, numChunks) }));
  const sectors = 2;
  const piecesInSector = 16;
  const farmer = new Farmer({ node, keypair, sectorCount: sectors, piecesInSector, tableGenerator, kzg });
  await farmer.start();
  const plotted = farmer.sectorSources();
  const range = (1n << 64n) / 8n;
  const slots: SlotInfo[] = [];
  for (let s = 1n; slots.length < samples + 1; s++) {
    const globalChallenge = slotGlobalChallenge(
      blake3(new TextEncoder().encode(`pot ${s}`)).subarray(0, 16),
      s,
    );
    const audits = await auditPlot({
      publicKey: keypair.publicKey,
      sectors: plotted,
      globalChallenge,
      solutionRange: range,
      numChunks,
    });
    if (audits.length > 0)
      slots.push({ slotNumber: s, globalChallenge, solutionRange: range, votingSolutionRange: range });
  }
  let i = 0;
  return {
    name,
    size: `${sectors}×${piecesInSector} pieces, ${numChunks} chunks/record`,
    samples,
    fn: async () => {
      const slot = slots[i++ % slots.length]!;
      await farmer.farmSlot(slot);
    },
  };
}

function devStartCase(fastPos: boolean): BenchCase {
  return {
    name: `autonomys dev: start to first block (${fastPos ? 'shim PoS' : 'Chia K=20'})`,
    size: 'dev defaults, 1 s slots',
    samples: 1,
    warmup: false,
    fn: async () => {
      const net = await startDevNetwork({ fastPos, rpc: false });
      await new Promise<void>((resolve) => {
        if (net.chain.head().number > 0) resolve();
        net.chain.on('newHead', () => resolve());
      });
      await net.stop();
    },
  };
}

/** The service benchmark cases (each sets up its own farmer or network). */
export async function serviceCases(): Promise<BenchCase[]> {
  const shim = createShimTableGenerator();
  const chia = createPosTableGenerator({ threads: 0 });
  return [
    await farmingCase('slot → submitted solution (audit + prove, shim PoS)', 8, shim, true, 20),
    await farmingCase('slot → submitted solution (audit + prove, Chia K=20)', 8, chia, false, 3),
    devStartCase(true),
    devStartCase(false),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runBench({ package: 'node-service', cases: await serviceCases(), time: 1, iterations: 1 });
  process.exit();
}
