/**
 * A custom farmer, assembled from the npm packages the way a third-party farmer builder would:
 * plotting, auditing and proving from @autonomys/plotter, KZG from @autonomys/kzg, keys and the
 * solution codec from @autonomys/primitives, and a JSON-RPC connection to a node
 * (`RpcClient` of @autonomys/node, which reconnects by itself). The node's API is used directly:
 * pieces come from `subspace_piece` (the PieceGetter), slots from `subspace_subscribeSlotInfo`,
 * solutions go to `subspace_submitSolutionResponse`, and blocks the farmer won are signed through
 * `subspace_subscribeRewardSigning` / `subspace_submitRewardSignature`.
 *
 * Run it against a dev node (`autonomys dev --fast-pos` in another terminal):
 *   node --conditions=autonomys-source --import tsx packages/node/examples/custom-farmer/main.ts ws://127.0.0.1:9944
 */
import { pathToFileURL } from 'node:url';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { RpcClient } from '@autonomys/node';
import {
  auditPlot,
  createPosTableGenerator,
  createShimTableGenerator,
  type PieceGetter,
  type PlottedSector,
  plotSector,
  proveSolutions,
} from '@autonomys/plotter';
import {
  bytesToHex,
  encodeSolution,
  hexToBytes,
  REWARD_SIGNING_CONTEXT,
  sr25519PairFromSeed,
  sr25519Sign,
} from '@autonomys/primitives';

/** Options of {@link runCustomFarmer}. */
export interface CustomFarmerOptions {
  /** The node's WebSocket URL. */
  url: string;
  /** 32-byte seed of the farmer's sr25519 key (default: random). */
  seed?: Uint8Array;
  sectors?: number;
  piecesInSector?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

const hex = (b: Uint8Array) => `0x${bytesToHex(b)}`;

/** Plots, then farms until `signal` aborts; resolves with what it did. */
export async function runCustomFarmer(o: CustomFarmerOptions) {
  const log = o.log ?? console.log;
  const client = new RpcClient(o.url);
  const seed = o.seed ?? crypto.getRandomValues(new Uint8Array(32));
  const { publicKey, secretKey } = sr25519PairFromSeed(seed);
  const stats = { solutions: 0, signed: 0 };

  // 1. What the chain expects of farmers.
  const app = await client.request<{
    protocolInfo: { historySize: number; maxPiecesInSector: number };
    numChunks: number;
    numRawRecords: number;
    shimProofOfSpace: boolean;
  }>('subspace_getFarmerAppInfo');
  const numChunks = app.numChunks;
  const kzg = new Kzg(await loadPublicParameters({ g1Count: Math.max(2 * app.numRawRecords, numChunks) }));
  const tableGenerator = app.shimProofOfSpace ? createShimTableGenerator() : createPosTableGenerator();

  // 2. A PieceGetter over JSON-RPC, and the plot.
  const pieceGetter: PieceGetter = async (pieceIndex) => {
    const piece = await client.request<string | null>('subspace_piece', [Number(pieceIndex)]);
    return piece === null ? undefined : hexToBytes(piece);
  };
  const sectors: PlottedSector[] = [];
  for (let sectorIndex = 0; sectorIndex < (o.sectors ?? 2); sectorIndex++) {
    sectors.push(
      await plotSector({
        publicKey,
        sectorIndex,
        historySize: BigInt(app.protocolInfo.historySize),
        piecesInSector: o.piecesInSector ?? 8,
        maxPiecesInSector: app.protocolInfo.maxPiecesInSector,
        pieceGetter,
        tableGenerator,
        numChunks,
      }),
    );
    log(`custom farmer: sector ${sectorIndex} plotted`);
  }

  // 3. Sign the blocks our solutions win.
  await client.subscribe(
    'subspace_subscribeRewardSigning',
    [],
    'subspace_reward_signing',
    'subspace_unsubscribeRewardSigning',
    (info) => {
      const { hash, publicKey: key } = info as { hash: string; publicKey: string };
      if (key !== hex(publicKey)) return;
      const signature = sr25519Sign(secretKey, publicKey, hexToBytes(hash), {
        context: REWARD_SIGNING_CONTEXT,
      });
      stats.signed++;
      void client
        .request('subspace_submitRewardSignature', [{ hash, signature: hex(signature) }])
        .catch(() => {});
    },
  );

  // 4. Every slot: audit, prove, submit (the solution sink is `subspace_submitSolutionResponse`).
  let busy = false;
  await client.subscribe(
    'subspace_subscribeSlotInfo',
    [],
    'subspace_slot_info',
    'subspace_unsubscribeSlotInfo',
    (item) => {
      if (busy) return; // still proving the previous slot
      busy = true;
      const slot = item as {
        slotNumber: number;
        globalChallenge: string;
        votingSolutionRange: number | string;
      };
      void (async () => {
        const audits = await auditPlot({
          publicKey,
          sectors,
          globalChallenge: hexToBytes(slot.globalChallenge),
          solutionRange: BigInt(slot.votingSolutionRange),
          numChunks,
        });
        const best = audits[0];
        if (best === undefined) return;
        const sector = sectors.find((s) => s.metadata.sectorIndex === best.sectorIndex)!;
        for await (const solution of proveSolutions({
          publicKey,
          rewardAddress: publicKey,
          metadata: sector.metadata,
          sector: sector.sector,
          tableGenerator,
          kzg,
          audit: best,
          maxSolutions: 1,
          numChunks,
        })) {
          await client.request('subspace_submitSolutionResponse', [
            { slotNumber: slot.slotNumber, solution: hex(encodeSolution(solution)) },
          ]);
          stats.solutions++;
        }
      })()
        .catch((e) => log(`custom farmer: slot ${slot.slotNumber}: ${(e as Error).message}`))
        .finally(() => {
          busy = false;
        });
    },
  );
  log(`custom farmer ${hex(publicKey).slice(0, 10)}… farming`);

  await new Promise<void>((resolve) => {
    if (o.signal?.aborted) resolve();
    o.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await client.close();
  await tableGenerator.close?.();
  return { publicKey, ...stats };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  const result = await runCustomFarmer({ url: process.argv[2] ?? 'ws://127.0.0.1:9944', signal: ac.signal });
  console.log(`custom farmer stopped: ${result.solutions} solutions, ${result.signed} blocks signed`);
  process.exit();
}
