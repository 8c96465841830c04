/**
 * The curve operations KZG needs, behind one interface with two implementations: TypeScript
 * (@noble/curves for square roots, subgroup checks and pairings; our affine-bucket MSM) and blst
 * through `@autonomys/native` when its addon is loaded. Both take and return bytes in the same
 * formats, so they are interchangeable and produce identical output.
 *
 * This module has no node: imports (browsers use it as is); ./backend.ts adds the worker-thread MSM.
 *
 * Formats: scalars 32-byte big-endian canonical; G1 48-byte compressed, or 96-byte uncompressed
 * affine in tables (blst's `x ‖ y`, identity `40 00…00`); G2 96-byte compressed.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { G1_SIZE, G1_UNCOMPRESSED_SIZE } from './constants.js';
import { KzgError } from './errors.js';
import {
  type Affine,
  decodeG1At,
  encodeG1,
  jAdd,
  readUncompressedG1,
  toAffine,
  writeUncompressedG1,
} from './g1.js';
import { type AffinePoints, msmAffineBuckets } from './msm.js';

/** A G1 point (48 bytes compressed) and a G2 point (96 bytes compressed). */
export type PairingPair = readonly [g1: Uint8Array, g2: Uint8Array];

/** Options of the all-cores operations ({@link Kzg.commitAsync}, {@link KzgBackend.msmG1Async}). */
export interface KzgAsyncOptions {
  /** Parallel ranges (default: `availableParallelism()`); 1 runs the whole MSM off the calling thread. */
  threads?: number;
  /** Aborting rejects with KZG_ABORTED. */
  signal?: AbortSignal;
}

/** An MSM over the first `count` points of a table, with per-point precomputation (native only). */
export interface FixedBaseMsm {
  /** Points covered: MSMs of at most this many terms. */
  readonly count: number;
  /** Memory held, in bytes. */
  readonly bytes: number;
  /** Σ scalars[i]·P_i for the scalars.length / 32 first points, compressed; on the calling thread. */
  msm(scalars: Uint8Array): Uint8Array;
  /** {@link FixedBaseMsm.msm} off the calling thread, split into `threads` jobs. */
  msmAsync(scalars: Uint8Array, opts?: { threads?: number }): Promise<Uint8Array>;
}

export interface KzgBackend {
  /** `typescript`, `native` (the Node addon) or `wasm` (blst on WebAssembly). */
  readonly name: 'typescript' | 'native' | 'wasm';
  /**
   * Optional accelerated FFT over n canonical 32-byte big-endian scalars in natural order
   * (`inverse` includes the 1/n factor); `root` has order exactly n. Absent: the TypeScript FFT.
   */
  fftFr?(values: Uint8Array, inverse: boolean, root: Uint8Array): Uint8Array;
  /**
   * Optional Fourier transform over G1 (n a power of two, `root` of order exactly n): n 96-byte
   * uncompressed points in, each first multiplied by its scalar when `opts.scalars` (n·32 bytes)
   * is given; n points out, 96-byte uncompressed or, with `opts.compress`, 48-byte compressed.
   * `inverse` includes the 1/n factor. Absent: {@link Kzg.createWitnesses} opens point by point.
   */
  fftG1?(
    points: Uint8Array,
    root: Uint8Array,
    opts: { inverse?: boolean; scalars?: Uint8Array; compress?: boolean },
  ): Uint8Array;
  /** {@link KzgBackend.fftG1} off the calling thread (native: libuv's pool). Optional. */
  fftG1Async?(
    points: Uint8Array,
    root: Uint8Array,
    opts: { inverse?: boolean; scalars?: Uint8Array; compress?: boolean },
  ): Promise<Uint8Array>;
  /**
   * n compressed G1 points (n·48 bytes) to a table of n uncompressed ones (n·96 bytes), checking
   * the encoding, the curve equation and, when `subgroupCheck`, the subgroup. Throws
   * KZG_INVALID_POINT / KZG_NOT_IN_SUBGROUP with the index of the first bad point.
   */
  decompressG1(compressed: Uint8Array, subgroupCheck: boolean): Uint8Array;
  /** {@link KzgBackend.decompressG1} off the event loop where the backend can (native: libuv threads). */
  decompressG1Async(compressed: Uint8Array, subgroupCheck: boolean): Promise<Uint8Array>;
  /**
   * Σ scalars[i]·table[i] for i in [start, start + count), compressed (48 bytes). `table` holds
   * uncompressed points, `scalars` 32-byte canonical scalars (indexes shared with the table).
   * Disjoint ranges can run on different threads; {@link KzgBackend.addG1} sums the results.
   */
  msmG1(table: Uint8Array, scalars: Uint8Array, count: number, start: number): Uint8Array;
  /**
   * {@link KzgBackend.msmG1} split into `opts.threads` ranges that run in parallel off the calling
   * thread (native: libuv threads; TypeScript: worker threads), summed with `addG1`. Optional: a
   * backend without it runs `msmG1` inline.
   */
  msmG1Async?(
    table: Uint8Array,
    scalars: Uint8Array,
    count: number,
    start: number,
    opts?: KzgAsyncOptions,
  ): Promise<Uint8Array>;
  /**
   * Optional: the n - 1 coefficients of (P(X) - P(x)) / (X - x) (32-byte big-endian) from the
   * n ≥ 2 coefficients of P, as canonical bytes or an `FrVector`, and x (32-byte big-endian), by
   * synthetic division. Absent: TypeScript.
   */
  quotient?(coefficients: Uint8Array | Float64Array, x: Uint8Array): Uint8Array;
  /**
   * Optional: builds a {@link FixedBaseMsm} over the first `count` points of `table` (uncompressed),
   * off the calling thread on `opts.threads` jobs. See {@link Kzg.prepareFixedBase}.
   */
  prepareFixedBase?(table: Uint8Array, count: number, opts?: { threads?: number }): Promise<FixedBaseMsm>;
  /** The sum of two compressed G1 points. */
  addG1(a: Uint8Array, b: Uint8Array): Uint8Array;
  /**
   * Whether Π e(P_i, Q_i) = 1. Pairs holding an identity point contribute 1; points are checked
   * for the subgroup. Throws KZG_INVALID_POINT / KZG_NOT_IN_SUBGROUP for bad points.
   */
  pairingCheck(pairs: readonly PairingPair[]): boolean;
}

/** Parsed BigInt coordinates of the tables the TypeScript MSM has seen (filled on demand, per range). */
const parsedTables = new WeakMap<Uint8Array, AffinePoints>();

function affinePoints(table: Uint8Array, start: number, end: number): AffinePoints {
  let t = parsedTables.get(table);
  if (t === undefined) {
    const n = table.length / G1_UNCOMPRESSED_SIZE;
    t = { xs: new Array(n), ys: new Array(n), identity: new Uint8Array(n) };
    parsedTables.set(table, t);
  }
  // A pool worker only ever parses its own range of the table.
  for (let i = start; i < end; i++) {
    if (t.xs[i] !== undefined) continue;
    const p = readUncompressedG1(table, i * G1_UNCOMPRESSED_SIZE);
    if (p === null) {
      t.identity[i] = 1;
      t.xs[i] = 0n;
      t.ys[i] = 0n;
    } else {
      t.xs[i] = p.x;
      t.ys[i] = p.y;
    }
  }
  return t;
}

/**
 * Σ scalars[scalarOffset + i]·table[start + i] for i in [0, count), compressed: the TypeScript MSM
 * of one range (also what a pool worker runs).
 */
export function msmRangeTs(
  table: Uint8Array,
  scalars: Uint8Array,
  scalarOffset: number,
  count: number,
  start: number,
): Uint8Array {
  const points = affinePoints(table, start, start + count);
  return encodeG1(toAffine(msmAffineBuckets(points, start, scalars, scalarOffset, count)));
}

const G2 = bls12_381.G2.Point;

function decodeG2(bytes: Uint8Array, what: string): InstanceType<typeof G2> {
  try {
    return G2.fromBytes(bytes); // checks the encoding, the curve and the subgroup
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    if (/subgroup|torsion/i.test(reason)) throw new KzgError({ code: 'KZG_NOT_IN_SUBGROUP', what });
    throw new KzgError({ code: 'KZG_INVALID_POINT', what, reason });
  }
}

/** An event-loop turn: setImmediate in Node, a zero timeout elsewhere. */
const yieldToLoop: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise<void>((resolve) => setImmediate(resolve))
    : () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The TypeScript backend without worker threads (browsers; ./backend.ts's `typescriptBackend` adds
 * `msmG1Async` on worker threads for Node).
 */
export const typescriptCoreBackend: KzgBackend = {
  name: 'typescript',
  decompressG1(compressed, subgroupCheck) {
    const n = compressed.length / G1_SIZE;
    const out = new Uint8Array(n * G1_UNCOMPRESSED_SIZE);
    for (let i = 0; i < n; i++) {
      const p = decodeG1At(compressed, i * G1_SIZE, 'G1 point', subgroupCheck, i);
      writeUncompressedG1(out, i * G1_UNCOMPRESSED_SIZE, p);
    }
    return out;
  },
  async decompressG1Async(compressed, subgroupCheck) {
    // Chunks of 256 points (~0.1 s) with a yield in between keep the event loop responsive.
    const n = compressed.length / G1_SIZE;
    const out = new Uint8Array(n * G1_UNCOMPRESSED_SIZE);
    for (let start = 0; start < n; start += 256) {
      const end = Math.min(n, start + 256);
      for (let i = start; i < end; i++) {
        writeUncompressedG1(
          out,
          i * G1_UNCOMPRESSED_SIZE,
          decodeG1At(compressed, i * G1_SIZE, 'G1 point', subgroupCheck, i),
        );
      }
      await yieldToLoop();
    }
    return out;
  },
  msmG1(table, scalars, count, start) {
    return msmRangeTs(table, scalars, start, count, start);
  },
  addG1(a, b) {
    const pa = decodeG1At(a, 0, 'a', false);
    const pb = decodeG1At(b, 0, 'b', false);
    const j = (p: Affine) => (p === null ? { x: 1n, y: 1n, z: 0n } : { x: p.x, y: p.y, z: 1n });
    return encodeG1(toAffine(jAdd(j(pa), j(pb))));
  },
  pairingCheck(pairs) {
    const G1 = bls12_381.G1.Point;
    const terms: { g1: InstanceType<typeof G1>; g2: InstanceType<typeof G2> }[] = [];
    pairs.forEach(([a, b], i) => {
      const p = decodeG1At(a, 0, `pairs[${i}][0]`, true);
      const q = decodeG2(b, `pairs[${i}][1]`);
      // e(O, Q) = e(P, O) = 1: noble's pairing rejects the identity, so such pairs are dropped.
      if (p !== null && !q.is0()) terms.push({ g1: G1.fromAffine(p), g2: q });
    });
    const Fp12 = bls12_381.fields.Fp12;
    return Fp12.eql(bls12_381.pairingBatch(terms), Fp12.ONE);
  },
};

/** Asserts a buffer of whole items. */
export function assertMultiple(bytes: Uint8Array, size: number, what: string): void {
  if (bytes.length % size !== 0) {
    throw new KzgError({
      code: 'KZG_INVALID_LENGTH',
      what,
      expected: `a multiple of ${size}`,
      actual: bytes.length,
    });
  }
}
