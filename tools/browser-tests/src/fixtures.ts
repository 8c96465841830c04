/**
 * Fixtures built in Node with the packages' Node entries (native blst when loaded): a network-size
 * piece that verifies against its segment commitment, a small archived history (segment headers and
 * pieces of the development preset), and a farmed solution. Deterministic: every byte derives from
 * BLAKE3 of labels.
 */
import { Archiver, isPieceValid, kzgSegmentCommitter } from '@autonomys/archiver';
import { type Kzg, type PublicParameters, poly } from '@autonomys/kzg';
import {
  auditPlot,
  createShimTableGenerator,
  isShimProofValid,
  plotSector,
  proveSolutions,
  solutionPieceIndex,
  verifySolution,
} from '@autonomys/plotter';
import { prove } from '@autonomys/pot';
import {
  blake3,
  blake3_254,
  encodeSegmentHeader,
  encodeSolution,
  type SegmentHeader,
  type Solution,
  slotGlobalChallenge,
} from '@autonomys/primitives';

/** `n` bytes of BLAKE3(label ‖ counter) blocks. */
export function detBytes(n: number, label: string): Uint8Array {
  const out = new Uint8Array(n);
  const tag = new TextEncoder().encode(label);
  const input = new Uint8Array(tag.length + 4);
  input.set(tag);
  const view = new DataView(input.buffer);
  for (let i = 0, at = 0; at < n; i++, at += 32) {
    view.setUint32(tag.length, i, true);
    out.set(blake3(input).subarray(0, Math.min(32, n - at)), at);
  }
  return out;
}

/** `count` canonical scalars (a zero top byte). */
export function detScalars(count: number, label: string): Uint8Array {
  const out = detBytes(count * 32, label);
  for (let i = 0; i < count; i++) out[i * 32] = 0;
  return out;
}

/** A network-size piece (record of 2^15 chunks ‖ commitment ‖ witness) at `position` of a segment. */
export interface PieceFixture {
  piece: Uint8Array;
  recordSize: number;
  recordCommitment: Uint8Array;
  segmentCommitment: Uint8Array;
  position: number;
}

/**
 * A piece built as the archiver builds one (archiving §4): the record's commitment, and a segment
 * polynomial whose value at ω^position is the commitment's 254-bit hash (the other 255 values are
 * fixture scalars), committed to and opened at the position.
 */
export function networkPiece(kzg: Kzg, position = 7): PieceFixture {
  const chunks = 1 << 15;
  const recordSize = chunks * 32;
  const record = detScalars(chunks, 'record');
  const recordCommitment = kzg.commit(poly(record));
  const values = detScalars(256, 'segment');
  values.set(blake3_254(recordCommitment), position * 32);
  const segmentPoly = poly(values);
  const segmentCommitment = kzg.commit(segmentPoly);
  const witness = kzg.createWitness(segmentPoly, 256, position);
  const piece = new Uint8Array(recordSize + 96);
  piece.set(record);
  piece.set(recordCommitment, recordSize);
  piece.set(witness, recordSize + 48);
  if (!isPieceValid(kzg, piece, segmentCommitment, position))
    throw new Error('fixture piece does not verify');
  return { piece, recordSize, recordCommitment, segmentCommitment, position };
}

/** The development preset: 32 chunks per record, 128 source records per segment. */
export const SMALL_PARAMS = { numChunks: 32, numRawRecords: 128 } as const;

export interface HistoryFixture {
  headers: SegmentHeader[];
  encodedHeaders: Uint8Array[];
  /** Pieces by global index (segment · 256 + position). */
  pieces: Map<bigint, Uint8Array>;
  solution: SolutionFixture;
}

export interface SolutionFixture {
  solution: Solution;
  encoded: Uint8Array;
  slot: bigint;
  potOutput: Uint8Array;
  solutionRange: bigint;
  numChunks: number;
  pieceCheck: { maxPiecesInSector: number; segmentCommitment: Uint8Array; currentHistorySize: bigint };
  /** The distance Node's verifySolution returned. */
  distance: bigint;
}

/**
 * Archives deterministic blocks into two segments of the development preset, plots a sector from
 * them with the shim proof of space, and farms slots until a solution verifies in Node.
 */
export async function smallHistory(kzg: Kzg, parameters: PublicParameters): Promise<HistoryFixture> {
  void parameters;
  const committer = kzgSegmentCommitter({ threads: 0, parameters: { g1Count: 256 } });
  const archiver = new Archiver({ params: SMALL_PARAMS, committer });
  const headers: SegmentHeader[] = [];
  const pieces = new Map<bigint, Uint8Array>();
  for (let number = 0; headers.length < 2; number++) {
    const { segments } = await archiver.addBlock(detBytes(40_000, `block ${number}`), [], { number });
    for (const s of segments) {
      headers.push(s.header);
      const size = s.pieces.length / 256;
      for (let i = 0; i < 256; i++)
        pieces.set(s.header.segmentIndex * 256n + BigInt(i), s.pieces.slice(i * size, (i + 1) * size));
    }
  }
  await committer.close?.();

  const numChunks = SMALL_PARAMS.numChunks;
  const publicKey = detBytes(32, 'public key');
  const rewardAddress = detBytes(32, 'reward address');
  const historySize = BigInt(headers.length);
  const tableGenerator = createShimTableGenerator();
  const { sector, metadata } = await plotSector({
    publicKey,
    sectorIndex: 0,
    historySize,
    piecesInSector: 16,
    pieceGetter: async (i) => pieces.get(i),
    tableGenerator,
    numChunks,
  });
  const solutionRange = (1n << 64n) / 16n;
  let seed: Uint8Array = detBytes(16, 'pot seed');
  for (let slot = 1n; slot <= 200n; slot++) {
    const potOutput = prove(seed, 1024).subarray(112, 128);
    seed = potOutput;
    const audits = await auditPlot({
      publicKey,
      sectors: [{ sector, metadata }],
      globalChallenge: slotGlobalChallenge(potOutput, slot),
      solutionRange,
      numChunks,
    });
    const audit = audits[0];
    if (audit === undefined) continue;
    for await (const solution of proveSolutions({
      publicKey,
      rewardAddress,
      metadata,
      sector,
      tableGenerator,
      kzg,
      audit,
      maxSolutions: 1,
      numChunks,
    })) {
      const segmentIndex = Number(solutionPieceIndex(solution, 1000) / 256n);
      const pieceCheck = {
        maxPiecesInSector: 1000,
        segmentCommitment: headers[segmentIndex]!.segmentCommitment,
        currentHistorySize: historySize,
      };
      const distance = verifySolution(
        solution,
        { slot, potOutput, solutionRange, pieceCheck },
        { kzg, isProofValid: isShimProofValid, numChunks },
      );
      await tableGenerator.close?.();
      return {
        headers,
        encodedHeaders: headers.map(encodeSegmentHeader),
        pieces,
        solution: {
          solution,
          encoded: encodeSolution(solution),
          slot,
          potOutput: potOutput.slice(),
          solutionRange,
          numChunks,
          pieceCheck,
          distance,
        },
      };
    }
  }
  throw new Error('no solution in 200 slots');
}
