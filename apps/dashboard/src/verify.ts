/**
 * Verification in this browser, with the same packages the node runs: a piece against its segment
 * commitment (@autonomys/archiver + @autonomys/kzg, WebAssembly blst where it loads), a block's PoT
 * checkpoints (@autonomys/pot on WebCrypto AES), a block's solution (@autonomys/plotter). Every
 * input comes from the node as bytes and is decoded here; nothing the node says is taken on trust
 * except the bytes themselves.
 */
import type { SubspaceJustification } from '@autonomys/node/chain';
import { bytesToHex, decodeSegmentHeader, type SegmentHeader } from '@autonomys/primitives';
import { type BlockSummary, hexField, MalformedAnswer, obj, u64 } from './chain-data.js';
import type { ViewContext } from './context.js';
import type { Verdict } from './views/verify-button.js';

/** The network facts a verifier needs, from the node's status (defaults: the live network's). */
export interface ProtocolFacts {
  numChunks: number;
  numRawRecords: number;
  maxPiecesInSector: number;
  fastPos: boolean;
  recentSegments: bigint;
  recentHistoryFraction: [bigint, bigint];
  minSectorLifetime: number;
}

let facts: Promise<ProtocolFacts> | undefined;

export function protocolFacts(ctx: ViewContext): Promise<ProtocolFacts> {
  if (facts !== undefined) return facts;
  const loading = (async (): Promise<ProtocolFacts> => {
    // The farmer's view of the protocol (the reference's FarmerAppInfo, plus this node's geometry).
    const info = obj(await ctx.rpc.request('subspace_getFarmerAppInfo'), 'farmer app info');
    const p = obj(info.protocolInfo, 'protocolInfo');
    const num = (v: unknown, what: string) => {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0)
        throw new MalformedAnswer(`${what}: expected a positive integer`);
      return v;
    };
    const frac = p.recentHistoryFraction;
    if (!Array.isArray(frac) || frac.length !== 2) throw new MalformedAnswer('recentHistoryFraction');
    return {
      numChunks: num(info.numChunks, 'numChunks'),
      numRawRecords: num(info.numRawRecords, 'numRawRecords'),
      maxPiecesInSector: num(p.maxPiecesInSector, 'maxPiecesInSector'),
      fastPos: info.shimProofOfSpace === true,
      recentSegments: u64(p.recentSegments, 'recentSegments'),
      recentHistoryFraction: [
        u64(frac[0], 'recentHistoryFraction[0]'),
        u64(frac[1], 'recentHistoryFraction[1]'),
      ],
      minSectorLifetime: num(p.minSectorLifetime, 'minSectorLifetime'),
    };
  })();
  facts = loading;
  loading.catch(() => {
    facts = undefined;
  });
  return loading;
}

let backendChoice: Promise<import('@autonomys/kzg').KzgBackend> | undefined;

/**
 * blst on WebAssembly (the module the build emits beside the bundle), else TypeScript; made the
 * default so `poly()` (the record's inverse FFT) runs on it too. Chosen once per page.
 */
function kzgBackend(): Promise<import('@autonomys/kzg').KzgBackend> {
  backendChoice ??= (async () => {
    // The `browser` build of @autonomys/kzg (what Vite bundles) has these; the types here resolve to
    // the Node entry, which does not export them.
    const { selectBrowserBackend, setDefaultBackend } = (await import('@autonomys/kzg')) as unknown as {
      selectBrowserBackend(): Promise<import('@autonomys/kzg').KzgBackend>;
      setDefaultBackend(backend: import('@autonomys/kzg').KzgBackend): void;
    };
    const backend = await selectBrowserBackend();
    setDefaultBackend(backend);
    return backend;
  })();
  return backendChoice;
}

const kzgs = new Map<number, Promise<import('@autonomys/kzg').Kzg>>();

/** KZG over the first `g1Count` parameter points, fetched from the node's assets once. */
async function kzgFor(ctx: ViewContext, g1Count: number) {
  let k = kzgs.get(g1Count);
  if (k === undefined) {
    k = (async () => {
      const { Kzg, decodePublicParametersAsync } = await import('@autonomys/kzg');
      const backend = await kzgBackend();
      const res = await fetch(`${ctx.origin}/assets/kzg/eth-public-parameters.bin`);
      if (!res.ok) throw new Error(`KZG parameters: HTTP ${res.status}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      return new Kzg(await decodePublicParametersAsync(bytes, { g1Count, backend }), { backend });
    })();
    kzgs.set(g1Count, k);
  }
  return k;
}

async function segmentHeader(ctx: ViewContext, index: bigint): Promise<SegmentHeader> {
  const list = await ctx.rpc.request('subspace_segmentHeaders', [[Number(index)]]);
  if (!Array.isArray(list) || list.length !== 1)
    throw new MalformedAnswer('subspace_segmentHeaders: expected one entry');
  if (list[0] === null) throw new Error(`segment ${index} is not archived yet`);
  const encoded = hexField(obj(list[0], 'segment header').encoded, 'segment header.encoded');
  const header = decodeSegmentHeader(encoded);
  if (header.segmentIndex !== index)
    throw new MalformedAnswer(`asked for segment ${index}, got ${header.segmentIndex}`);
  return header;
}

/** A piece (from `subspace_piece`) against its segment's commitment (from the segment header). */
export async function verifyPiece(ctx: ViewContext, pieceIndex: bigint, tamper = false): Promise<Verdict> {
  const f = await protocolFacts(ctx);
  const numPieces = 2 * f.numRawRecords;
  const answer = await ctx.rpc.request('subspace_piece', [Number(pieceIndex)]);
  if (answer === null) throw new Error(`piece ${pieceIndex} is not available`);
  const piece = hexField(answer, 'piece');
  if (tamper) piece[7] = (piece[7] ?? 0) ^ 1;
  const segmentIndex = pieceIndex / BigInt(numPieces);
  const header = await segmentHeader(ctx, segmentIndex);
  const kzg = await kzgFor(ctx, Math.max(f.numChunks, numPieces));
  const { isPieceValid } = await import('@autonomys/archiver');
  const position = Number(pieceIndex % BigInt(numPieces));
  const ok = isPieceValid(kzg, piece, header.segmentCommitment, position, {
    numChunks: f.numChunks,
    numRawRecords: f.numRawRecords,
  });
  return {
    ok,
    checked: `piece ${pieceIndex}: its record commitment is opened at position ${position} of segment ${segmentIndex} (commitment ${bytesToHex(header.segmentCommitment).slice(0, 16)}…), KZG backend ${kzg.backend.name}`,
  };
}

/** The page's PoT verifier: Web Workers (one per core) running WebCrypto AES, started on first use. */
let potWorkers: import('@autonomys/pot').PotWorkerVerifier | null | undefined;

/**
 * One slot's checkpoints, verified with the best this browser offers: WebCrypto AES-CBC on Web
 * Workers (a slot's 8 chains split among them), WebCrypto on the page when workers fail, and the
 * TypeScript AES where there is no WebCrypto (pages that are not a secure context).
 */
async function verifySlotPot(
  seed: Uint8Array,
  iterations: number,
  checkpoints: Uint8Array,
): Promise<{ ok: boolean; how: string }> {
  const pot = await import('@autonomys/pot');
  if (globalThis.crypto?.subtle === undefined)
    return {
      ok: await pot.verifyAsync(seed, iterations, checkpoints),
      how: 'TypeScript AES (no WebCrypto: not a secure context)',
    };
  if (potWorkers === undefined) {
    try {
      potWorkers = pot.PotWorkerVerifier.spawn(
        () => new Worker(new URL('./pot-worker.ts', import.meta.url), { type: 'module' }),
      );
    } catch {
      potWorkers = null;
    }
  }
  if (potWorkers !== null) {
    try {
      const ok = await potWorkers.verify(seed, iterations, checkpoints);
      return { ok, how: `WebCrypto AES-CBC on ${potWorkers.workers} Web Workers` };
    } catch (e) {
      if (!(e instanceof pot.PotError && e.code === 'POT_WORKER_FAILED')) throw e;
      potWorkers.terminate();
      potWorkers = null;
    }
  }
  return {
    ok: await pot.verifyWebCrypto(seed, iterations, checkpoints),
    how: 'WebCrypto AES-CBC on the page',
  };
}

/**
 * A block's PoT justification: every slot's 8 checkpoints re-computed from its seed (AES-128 in
 * WebCrypto, on Web Workers), each next slot's seed derived from the last output. The justification
 * runs from the parent's future slot up to this block's future slot (slot + the authoring delay), so
 * its last output must be the block's future proof of time; the block's own slot's proof of time is
 * among the outputs when that slot is covered here (else an earlier block's justification covered it).
 */
export async function verifyBlockPot(b: BlockSummary, j: SubspaceJustification): Promise<Verdict> {
  const { potOutputToSeed } = await import('@autonomys/primitives');
  const iterations = b.items.potSlotIterations;
  let seed = j.seed;
  let ok = j.checkpoints.length > 0;
  let how = '';
  const outputs: string[] = [];
  for (const c of j.checkpoints) {
    const slot = await verifySlotPot(seed, iterations, c);
    how = slot.how;
    if (!slot.ok) {
      ok = false;
      break;
    }
    const last = c.subarray(c.length - 16);
    outputs.push(bytesToHex(last));
    seed = potOutputToSeed(last);
  }
  const potInfo = b.items.preDigest.potInfo;
  const future = bytesToHex(potInfo.futureProofOfTime);
  const endsAtFuture = outputs.length === j.checkpoints.length && outputs.at(-1) === future;
  const own = outputs.includes(bytesToHex(potInfo.proofOfTime));
  return {
    ok: ok && endsAtFuture,
    checked: `${j.checkpoints.length} slots × 8 checkpoints at ${iterations} iterations per slot (${how}); the last output ${endsAtFuture ? 'is' : 'is NOT'} the block's future proof of time; its own slot's proof of time ${own ? 'is among the outputs' : 'was covered by an earlier justification'}`,
  };
}

/** A block's solution, as block import checks it (PoS, audit distance, chunk and record witnesses, piece). */
export async function verifyBlockSolution(ctx: ViewContext, b: BlockSummary): Promise<Verdict> {
  const f = await protocolFacts(ctx);
  const plotter = await import('@autonomys/plotter');
  const solution = b.items.preDigest.solution;
  const pieceIndex = plotter.solutionPieceIndex(solution, f.maxPiecesInSector, {
    recentSegments: f.recentSegments,
    recentHistoryFraction: f.recentHistoryFraction,
  });
  const numPieces = 2 * f.numRawRecords;
  const header = await segmentHeader(ctx, pieceIndex / BigInt(numPieces));
  // Block import checks a solution against the history size at the block's parent.
  const parent = `0x${bytesToHex(b.header.parentHash)}`;
  const historySize = u64(await ctx.rpc.request('autonomys_historySize', [parent]), 'history size');
  const kzg = await kzgFor(ctx, Math.max(f.numChunks, numPieces));
  const distance = plotter.verifySolution(
    solution,
    {
      slot: b.slot,
      potOutput: b.items.preDigest.potInfo.proofOfTime,
      solutionRange: b.items.solutionRange,
      pieceCheck: {
        maxPiecesInSector: f.maxPiecesInSector,
        segmentCommitment: header.segmentCommitment,
        currentHistorySize: historySize,
        recentSegments: f.recentSegments,
        recentHistoryFraction: f.recentHistoryFraction,
        minSectorLifetime: f.minSectorLifetime,
      },
    },
    { kzg, numChunks: f.numChunks, ...(f.fastPos ? { isProofValid: plotter.isShimProofValid } : {}) },
  );
  return {
    ok: true,
    checked: `proof of space (${f.fastPos ? 'shim' : 'K = 20'}), audit distance ${distance} within the solution range ${b.items.solutionRange}, chunk and record witnesses, piece ${pieceIndex} against segment ${header.segmentIndex}`,
  };
}
