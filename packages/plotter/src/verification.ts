/**
 * Solution verification (farming §7), in the reference's order (`subspace-verification`
 * `verify_solution`): proof of space, solution range, chunk opening, then the optional piece checks
 * (history size, piece offset, expiration, record witness against the segment commitment).
 */
import { Kzg } from '@autonomys/kzg';
import {
  BLAKE3_HASH_SIZE,
  blake3,
  blake3_254,
  COMMITMENT_SIZE,
  createBlake3Keyed32,
  FULL_BYTES,
  isCanonicalScalarAt,
  MIN_SECTOR_LIFETIME,
  NUM_PIECES,
  POT_OUTPUT_SIZE,
  PUBLIC_KEY_SIZE,
  publicKeyHash,
  type Solution,
  sectorDerivePieceIndex,
  sectorEvaluationSeed,
  sectorExpirationHistorySize,
  sectorId,
  sectorSlotChallenge,
  slotGlobalChallenge,
  WITNESS_SIZE,
} from '@autonomys/primitives';
import { abytes, aint, au64 } from './assert.js';
import { auditSBucket } from './auditing.js';
import { PlotterError } from './errors.js';
import { isProofValid } from './pos/functions.js';
import { anumChunks, type SectorOptions } from './sector/layout.js';
import type { Fraction } from './solution-range.js';

/** Piece checks of block import and vote verification (skipped in the stateless header check). */
export interface PieceCheckParams {
  /** The runtime's maximum pieces per sector (1000). */
  maxPiecesInSector: number;
  /** Commitment of the segment holding the solution's piece (see {@link solutionPieceIndex}). */
  segmentCommitment: Uint8Array;
  /** The chain's history size at the parent block. */
  currentHistorySize: bigint;
  /**
   * Commitment of segment `historySize + minSectorLifetime − 1` when that segment exists; without
   * it the sector cannot be expired yet.
   */
  sectorExpirationCheckSegmentCommitment?: Uint8Array;
  /** Default 5. */
  recentSegments?: bigint;
  /** Default (1, 10). */
  recentHistoryFraction?: Fraction;
  /** Default 4. */
  minSectorLifetime?: number;
}

/** What a solution is verified against. */
export interface VerifySolutionParams {
  /** u64. */
  slot: bigint;
  /** The proof-of-time output of the slot (16 bytes). */
  potOutput: Uint8Array;
  /** The block range, or the voting range for votes (u64). */
  solutionRange: bigint;
  pieceCheck?: PieceCheckParams;
}

/** How to verify. */
export interface VerifySolutionOptions extends SectorOptions {
  /** KZG with the public parameters. */
  kzg: Kzg;
  /** The proof-of-space verifier: default the Chia one at K = 20; `isShimProofValid` on test networks. */
  isProofValid?: (seed: Uint8Array, sBucket: number, proof: Uint8Array) => boolean;
}

const U64_MAX = 0xffffffffffffffffn;

/** The audit distance of a (masked) chunk: the shorter way around 2^64 between the two u64s. */
export function auditDistance(
  chunk: Uint8Array,
  slotChallenge: Uint8Array,
  globalChallenge: Uint8Array,
): bigint {
  const out = new Uint8Array(BLAKE3_HASH_SIZE);
  createBlake3Keyed32(slotChallenge)(out, 0, chunk, 0);
  const a = new DataView(out.buffer).getBigUint64(0, true);
  const g = new DataView(globalChallenge.buffer, globalChallenge.byteOffset, 8).getBigUint64(0, true);
  const d1 = (g - a) & U64_MAX;
  const d2 = (a - g) & U64_MAX;
  return d1 < d2 ? d1 : d2;
}

function pieceSelection(c: PieceCheckParams) {
  return {
    maxPiecesInSector: c.maxPiecesInSector,
    ...(c.recentSegments === undefined ? {} : { recentSegments: c.recentSegments }),
    ...(c.recentHistoryFraction === undefined ? {} : { recentHistoryFraction: c.recentHistoryFraction }),
  };
}

/**
 * The piece index a solution claims (its segment is `pieceIndex / 256`): what a verifier looks up
 * the segment commitment for.
 * @example const segmentIndex = solutionPieceIndex(solution, 1000) / 256n;
 */
export function solutionPieceIndex(
  solution: Solution,
  maxPiecesInSector: number,
  opts: Pick<PieceCheckParams, 'recentSegments' | 'recentHistoryFraction'> = {},
): bigint {
  abytes(solution.publicKey, PUBLIC_KEY_SIZE, 'solution.publicKey');
  aint(solution.sectorIndex, 0, 0xffff, 'solution.sectorIndex');
  aint(solution.pieceOffset, 0, 0xffff, 'solution.pieceOffset');
  au64(solution.historySize, 'solution.historySize');
  aint(maxPiecesInSector, 1, 0xffff, 'maxPiecesInSector');
  const id = sectorId(publicKeyHash(solution.publicKey), solution.sectorIndex, solution.historySize);
  return derive(id, solution, {
    maxPiecesInSector,
    segmentCommitment: new Uint8Array(0),
    currentHistorySize: 1n,
    ...opts,
  });
}

function derive(id: Uint8Array, solution: Solution, c: PieceCheckParams): bigint {
  try {
    return sectorDerivePieceIndex(id, solution.pieceOffset, solution.historySize, pieceSelection(c));
  } catch {
    // Only a history size whose piece count overflows u64 gets here.
    throw new PlotterError({ code: 'PLOTTER_INVALID_HISTORY_SIZE' });
  }
}

function checkShape(solution: Solution): void {
  if (solution === null || typeof solution !== 'object')
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what: 'solution',
      reason: 'expected a Solution',
    });
  abytes(solution.publicKey, PUBLIC_KEY_SIZE, 'solution.publicKey');
  aint(solution.sectorIndex, 0, 0xffff, 'solution.sectorIndex');
  aint(solution.pieceOffset, 0, 0xffff, 'solution.pieceOffset');
  au64(solution.historySize, 'solution.historySize');
  if (solution.historySize === 0n)
    throw new PlotterError({
      code: 'PLOTTER_OUT_OF_RANGE',
      what: 'solution.historySize',
      value: '0',
      min: '1',
      max: String(U64_MAX),
    });
  abytes(solution.recordCommitment, COMMITMENT_SIZE, 'solution.recordCommitment');
  abytes(solution.recordWitness, WITNESS_SIZE, 'solution.recordWitness');
  abytes(solution.chunk, FULL_BYTES, 'solution.chunk');
  abytes(solution.chunkWitness, WITNESS_SIZE, 'solution.chunkWitness');
  abytes(solution.proofOfSpace, undefined, 'solution.proofOfSpace');
}

/**
 * Verifies a solution and returns its audit distance. Failures throw `PlotterError` with the
 * network's error kind, checked in the reference's order: `PLOTTER_INVALID_PROOF_OF_SPACE`,
 * `PLOTTER_OUTSIDE_SOLUTION_RANGE`, `PLOTTER_INVALID_CHUNK_WITNESS` (undecodable commitment),
 * `PLOTTER_INVALID_CHUNK`, `PLOTTER_INVALID_CHUNK_WITNESS`, then with piece checks
 * `PLOTTER_FUTURE_HISTORY_SIZE`, `PLOTTER_INVALID_PIECE_OFFSET`, `PLOTTER_INVALID_HISTORY_SIZE`,
 * `PLOTTER_SECTOR_EXPIRED`, `PLOTTER_INVALID_PIECE`.
 * @example
 * const distance = verifySolution(solution, { slot, potOutput, solutionRange, pieceCheck }, { kzg });
 * const isBlock = distance <= solutionRange / 2n;
 */
export function verifySolution(
  solution: Solution,
  params: VerifySolutionParams,
  opts: VerifySolutionOptions,
): bigint {
  checkShape(solution);
  au64(params.slot, 'slot');
  abytes(params.potOutput, POT_OUTPUT_SIZE, 'potOutput');
  au64(params.solutionRange, 'solutionRange');
  if (!(opts.kzg instanceof Kzg))
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what: 'kzg',
      reason: 'expected a Kzg instance',
    });
  const numSBuckets = anumChunks(opts.numChunks) * 2;
  const verifyPos = opts.isProofValid ?? ((seed, s, proof) => isProofValid(seed, s, proof));
  const kzg = opts.kzg;

  // 1-2: sector id, challenges, audited s-bucket.
  const id = sectorId(publicKeyHash(solution.publicKey), solution.sectorIndex, solution.historySize);
  const globalChallenge = slotGlobalChallenge(params.potOutput, params.slot);
  const slotChallenge = sectorSlotChallenge(id, globalChallenge);
  const s = auditSBucket(slotChallenge, numSBuckets);

  // 3: proof of space for the record's evaluation seed and the s-bucket.
  if (!verifyPos(sectorEvaluationSeed(id, solution.pieceOffset), s, solution.proofOfSpace))
    throw new PlotterError({ code: 'PLOTTER_INVALID_PROOF_OF_SPACE' });

  // 4: distance of the masked chunk (as it sits in the plot).
  const mask = blake3(solution.proofOfSpace);
  const masked = new Uint8Array(FULL_BYTES);
  for (let i = 0; i < FULL_BYTES; i++) masked[i] = solution.chunk[i]! ^ mask[i]!;
  const distance = auditDistance(masked, slotChallenge, globalChallenge);
  const half = params.solutionRange / 2n;
  if (distance > half)
    throw new PlotterError({ code: 'PLOTTER_OUTSIDE_SOLUTION_RANGE', halfSolutionRange: half, distance });

  // 5: the chunk is the record polynomial's value at ω^s (domain 2·numChunks). The reference decodes
  // the commitment before the chunk, so an undecodable commitment wins over a non-canonical chunk.
  try {
    kzg.backend.decompressG1(solution.recordCommitment, true);
  } catch {
    throw new PlotterError({ code: 'PLOTTER_INVALID_CHUNK_WITNESS' });
  }
  if (!isCanonicalScalarAt(solution.chunk, 0))
    throw new PlotterError({ code: 'PLOTTER_INVALID_CHUNK', reason: 'chunk is not a canonical scalar' });
  if (!kzg.verify(solution.recordCommitment, numSBuckets, s, solution.chunk, solution.chunkWitness))
    throw new PlotterError({ code: 'PLOTTER_INVALID_CHUNK_WITNESS' });

  const c = params.pieceCheck;
  if (c === undefined) return distance;
  aint(c.maxPiecesInSector, 1, 0xffff, 'maxPiecesInSector');
  abytes(c.segmentCommitment, COMMITMENT_SIZE, 'segmentCommitment');
  au64(c.currentHistorySize, 'currentHistorySize');
  const minLifetime = c.minSectorLifetime ?? MIN_SECTOR_LIFETIME;
  aint(minLifetime, 0, 0xffff, 'minSectorLifetime');

  // 6a: a sector may be plotted at the segment this very block includes, hence + 1.
  if (solution.historySize > c.currentHistorySize + 1n)
    throw new PlotterError({
      code: 'PLOTTER_FUTURE_HISTORY_SIZE',
      current: c.currentHistorySize,
      solution: solution.historySize,
    });
  // 6b: strict (the spec's ≤ is not what the network runs).
  if (solution.pieceOffset >= c.maxPiecesInSector)
    throw new PlotterError({
      code: 'PLOTTER_INVALID_PIECE_OFFSET',
      pieceOffset: solution.pieceOffset,
      maxPiecesInSector: c.maxPiecesInSector,
    });
  // 6c: expiration, when the check segment exists.
  if (c.sectorExpirationCheckSegmentCommitment !== undefined) {
    abytes(
      c.sectorExpirationCheckSegmentCommitment,
      COMMITMENT_SIZE,
      'sectorExpirationCheckSegmentCommitment',
    );
    const exp = sectorExpirationHistorySize(
      id,
      solution.historySize,
      c.sectorExpirationCheckSegmentCommitment,
      minLifetime,
    );
    if (exp === undefined) throw new PlotterError({ code: 'PLOTTER_INVALID_HISTORY_SIZE' });
    if (exp <= c.currentHistorySize)
      throw new PlotterError({
        code: 'PLOTTER_SECTOR_EXPIRED',
        expirationHistorySize: exp,
        currentHistorySize: c.currentHistorySize,
      });
  }
  // 6d-e: the record commitment is in the segment, at the piece's position.
  const pieceIndex = derive(id, solution, c);
  const position = Number(pieceIndex % BigInt(NUM_PIECES));
  if (
    !kzg.verify(
      c.segmentCommitment,
      NUM_PIECES,
      position,
      blake3_254(solution.recordCommitment),
      solution.recordWitness,
    )
  )
    throw new PlotterError({
      code: 'PLOTTER_INVALID_PIECE',
      pieceIndex,
      reason: 'the record witness does not open the segment commitment',
    });
  return distance;
}
