/**
 * Test fixtures for plotting: one archived segment's worth of pieces at a small record size, built
 * directly with @autonomys/kzg and @autonomys/erasure (the archiver sits below the plotter in the
 * layer order), and proof-of-space tables for small presets.
 */
import { extendColumns } from '@autonomys/erasure';
import { Kzg, loadPublicParameters, type Polynomial, poly } from '@autonomys/kzg';
import { blake3, blake3_254, FULL_BYTES, NUM_PIECES } from '@autonomys/primitives';
import {
  createShimTableGenerator,
  isShimProofValid,
  type PieceGetter,
  type PosTable,
  type PosTableGenerator,
} from '../src/index.js';

export const NUM_CHUNKS_SMALL = 16;

let kzgPromise: Promise<Kzg> | undefined;
/** KZG with the first 256 G1 powers (segment commitments need 256; small records fewer). */
export function testKzg(g1Count = 256): Promise<Kzg> {
  if (g1Count !== 256) return loadPublicParameters({ g1Count }).then((p) => new Kzg(p));
  kzgPromise ??= loadPublicParameters({ g1Count }).then((p) => new Kzg(p));
  return kzgPromise;
}

/** Deterministic canonical scalars: 0x00 ‖ 31 bytes of BLAKE3(label ‖ i). */
export function scalars(count: number, label: number): Uint8Array {
  const out = new Uint8Array(count * FULL_BYTES);
  const input = new Uint8Array(8);
  const v = new DataView(input.buffer);
  for (let i = 0; i < count; i++) {
    v.setUint32(0, label, true);
    v.setUint32(4, i, true);
    out.set(blake3(input).subarray(0, 31), i * FULL_BYTES + 1);
  }
  return out;
}

/** One archived segment (segment 0) of 256 pieces of `numChunks`-chunk records. */
export interface TestSegment {
  readonly numChunks: number;
  readonly records: readonly Uint8Array[];
  readonly commitments: readonly Uint8Array[];
  readonly segmentCommitment: Uint8Array;
  /** The piece at a position (witness computed on first use). */
  piece(position: number): Uint8Array;
  /**
   * A getter over this segment; later segments are served as copies of it (piece i is piece
   * i mod 256, its witness opening the same segment commitment), so sectors can be plotted at
   * history sizes above 1.
   */
  readonly pieceGetter: PieceGetter;
  /** Pieces handed out by the getter. */
  readonly fetched: bigint[];
}

export async function makeSegment(numChunks: number, label = 1): Promise<TestSegment> {
  const kzg = await testKzg();
  const source = Array.from({ length: NUM_PIECES / 2 }, (_, i) => scalars(numChunks, label * 1000 + i));
  const parity = extendColumns(source);
  // Piece positions interleave: even = source record k, odd = parity record k.
  const records = Array.from({ length: NUM_PIECES }, (_, i) => (i % 2 === 0 ? source : parity)[i >>> 1]!);
  const commitments = records.map((r) => kzg.commit(poly(r)));
  const hashes = new Uint8Array(NUM_PIECES * FULL_BYTES);
  commitments.forEach((c, i) => {
    hashes.set(blake3_254(c), i * FULL_BYTES);
  });
  const segmentPoly: Polynomial = poly(hashes);
  const segmentCommitment = kzg.commit(segmentPoly);
  const pieces = new Map<number, Uint8Array>();
  const piece = (position: number) => {
    let p = pieces.get(position);
    if (p === undefined) {
      const record = records[position]!;
      p = new Uint8Array(record.length + 96);
      p.set(record);
      p.set(commitments[position]!, record.length);
      p.set(kzg.createWitness(segmentPoly, NUM_PIECES, position), record.length + 48);
      pieces.set(position, p);
    }
    return p;
  };
  const fetched: bigint[] = [];
  return {
    numChunks,
    records,
    commitments,
    segmentCommitment,
    piece,
    fetched,
    pieceGetter: async (index) => {
      fetched.push(index);
      return piece(Number(index % BigInt(NUM_PIECES))).slice();
    },
  };
}

/**
 * A shim variant whose proofs depend on the seed and are sparse (about 1 s-bucket in 2 has one), so
 * that small records often get fewer than numChunks encoded chunks and store an unencoded tail.
 * Test-only; its verifier is `isProofValid` below.
 */
function sparseHas(seed: Uint8Array, s: number): boolean {
  return (seed[0]! + seed[1]! * 3 + s * 7 + ((s * s) >>> 2)) % 5 < 2;
}
export function createSparseTableGenerator(): PosTableGenerator {
  const shim = createShimTableGenerator();
  return {
    kind: 'shim',
    async generate(seed, o) {
      const t = await shim.generate(seed, o);
      const copy = seed.slice();
      const table: PosTable = {
        kind: 'shim',
        findProof: (s) => (sparseHas(copy, s) ? t.findProof(s) : undefined),
      };
      return table;
    },
    isProofValid: (seed, s, proof) => sparseHas(seed, s) && isShimProofValid(seed, s, proof),
    async close() {},
  };
}
