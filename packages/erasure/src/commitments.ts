/**
 * `extend_commitments` (archiving §2, §3.5 step 3): the code applied to G1 points. By linearity the
 * parity commitment k is the commitment of parity record k, so parity records are never committed
 * directly. Output interleaved [C0, C'0, C1, C'1, …]; even positions are the inputs.
 *
 * The map from the n inputs to the n parity points is a circulant matrix: C'_t = Σ_j a_(t−j mod n)·C_j
 * with a = extend(1, 0, …, 0). TypeScript runs it as group FFTs (inverse FFT, twist, FFT on noble
 * points: about n·log2(n) scalar multiplications); on blst the same two transforms run in C
 * (`g1Fft`: ~n·log2(n) + n scalar multiplications, ~5x fewer group operations than the n MSMs of n
 * points it replaces, which remain the path for an addon without the transform). Points are decoded with on-curve and
 * subgroup checks (the reference checks only the curve, so a point outside the subgroup is rejected
 * here and accepted there: only invalid input differs).
 */
import { availableParallelism } from 'node:os';
import {
  FR_LIMBS,
  FR_ONE,
  frToBigint,
  frWriteAt,
  KzgError,
  rootOfUnity,
  typescriptBackend,
} from '@autonomys/kzg';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { aarray, abytes, apow2 } from './assert.js';
import { type ErasureOptions, engine } from './backend.js';
import { COMMITMENT_SIZE, MAX_SOURCE_VALUES, SCALAR_SIZE } from './constants.js';
import { ErasureError } from './errors.js';
import { extendInPlace, twist } from './extend.js';
import { twiddles } from './field.js';

const L = FR_LIMBS;
type Point = InstanceType<typeof bls12_381.G1.Point>;
type Native = NonNullable<ReturnType<typeof engine>>;
const G1 = bls12_381.G1.Point;
const UNCOMPRESSED = 96;

/**
 * The 2n commitments of an extended code from the n of its source (archiving §2
 * `extend_commitments`): n 48-byte compressed G1 points, n a power of two up to 2^15. Returns 2n
 * points, interleaved; position 2k is input k, position 2k+1 commits to parity record k.
 * @example
 * const all = extendCommitments(sourceCommitments); // 128 → 256 commitments (archiving §3.5)
 */
export function extendCommitments(commitments: readonly Uint8Array[], opts?: ErasureOptions): Uint8Array[] {
  const { flat, n } = flatten(commitments);
  const nat = engine(opts);
  if (nat?.hasG1Fft && n >= 2) {
    const { points, root, shifts } = transformInputs(nat, flat, n);
    const spectrum = reflect(nat.g1Fft(points, root), n);
    return interleave(commitments, split(nat.g1Fft(spectrum, root, { scalars: shifts, compress: true }), n));
  }
  const parity = nat === null ? parityTs(flat, n) : parityNative(nat, flat, n);
  return interleave(commitments, parity);
}

/** Options of {@link extendCommitmentsAsync}. */
export interface ExtendCommitmentsAsyncOptions extends ErasureOptions {
  /** Concurrent multi-scalar multiplications (default: `availableParallelism()`). */
  threads?: number;
  /** Aborting rejects with ERASURE_ABORTED (between MSMs; one already running finishes). */
  signal?: AbortSignal;
}

/**
 * {@link extendCommitments} on all cores: on blst the n parity points are n independent MSMs, run
 * `threads` at a time on libuv's thread pool. The TypeScript backend runs its group FFTs on the
 * calling thread (not split: a note in the README). Same output as `extendCommitments`.
 * @example const all = await extendCommitmentsAsync(sourceCommitments, { threads: 2 });
 */
export async function extendCommitmentsAsync(
  commitments: readonly Uint8Array[],
  opts: ExtendCommitmentsAsyncOptions = {},
): Promise<Uint8Array[]> {
  throwIfAborted(opts.signal);
  const { flat, n } = flatten(commitments);
  const nat = engine(opts);
  const threads = opts.threads ?? availableParallelism();
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > 256) {
    throw new ErasureError({
      code: 'ERASURE_INVALID_ARGUMENT',
      what: 'threads',
      reason: `expected an integer in [1, 256], got ${String(threads)}`,
    });
  }
  if (nat === null) return interleave(commitments, parityTs(flat, n));
  if (nat.hasG1Fft && n >= 2) {
    // Two G1 transforms on libuv's pool (~n·log2(n) scalar multiplications, one thread each).
    const { points, root, shifts } = transformInputs(nat, flat, n);
    const spectrum = reflect(await nat.g1FftAsync(points, root), n);
    throwIfAborted(opts.signal);
    const parity = await nat.g1FftAsync(spectrum, root, { scalars: shifts, compress: true });
    return interleave(commitments, split(parity, n));
  }
  const { table, rows } = circulantRows(nat, flat, n);
  const parity: Uint8Array[] = new Array(n);
  let next = 0;
  // `threads` lanes each take the next row when their MSM is done.
  const lane = async () => {
    while (next < n) {
      throwIfAborted(opts.signal);
      const t = next++;
      parity[t] = await nat.g1MsmAsync(table, rows(t), n, 0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(threads, n) }, lane));
  return interleave(commitments, parity);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new ErasureError({ code: 'ERASURE_ABORTED' });
}

function flatten(commitments: readonly Uint8Array[]): { flat: Uint8Array; n: number } {
  aarray(commitments, 'commitments');
  const n = apow2(commitments.length, 'commitments count', MAX_SOURCE_VALUES);
  const flat = new Uint8Array(n * COMMITMENT_SIZE);
  commitments.forEach((c, i) => {
    abytes(c, `commitments[${i}]`, COMMITMENT_SIZE);
    flat.set(c, i * COMMITMENT_SIZE);
  });
  return { flat, n };
}

function interleave(commitments: readonly Uint8Array[], parity: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let k = 0; k < parity.length; k++) out.push(commitments[k]!.slice(), parity[k]!);
  return out;
}

/**
 * The inputs of the transform path: the decoded points, ω_n, and the scalars ω_2n^j / n. The parity
 * points are the values at ω_2n·ω_n^k of the G1 "polynomial" interpolating the inputs on the
 * n-domain: with D the forward transform of the inputs, its coefficients are c_j = D_(−j mod n) / n,
 * and parity_k = Σ_j (c_j·ω_2n^j)·ω_n^(jk), a second forward transform with those scalars.
 */
function transformInputs(
  nat: Native,
  flat: Uint8Array,
  n: number,
): { points: Uint8Array; root: Uint8Array; shifts: Uint8Array } {
  const t = twist(n); // ω_2n^j·n^-1
  const shifts = new Uint8Array(n * SCALAR_SIZE);
  for (let j = 0; j < n; j++) frWriteAt(shifts, j * SCALAR_SIZE, t, j * L);
  return { points: decodePoints(nat, flat), root: rootOfUnity(n), shifts };
}

/** D_(−j mod n) for j < n, over 96-byte points. */
function reflect(d: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(d.length);
  for (let j = 0; j < n; j++) {
    const src = ((n - j) % n) * UNCOMPRESSED;
    out.set(d.subarray(src, src + UNCOMPRESSED), j * UNCOMPRESSED);
  }
  return out;
}

function split(concatenated: Uint8Array, n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, k) =>
    concatenated.slice(k * COMMITMENT_SIZE, (k + 1) * COMMITMENT_SIZE),
  );
}

/** a = extend(1, 0, …, 0) as n·32 bytes: the first column of the circulant matrix. */
function circulant(n: number): Uint8Array {
  const e = new Float64Array(n * L);
  e.set(FR_ONE, 0);
  extendInPlace(e, 0, n, null);
  const out = new Uint8Array(n * SCALAR_SIZE);
  for (let i = 0; i < n; i++) frWriteAt(out, i * SCALAR_SIZE, e, i * L);
  return out;
}

/** The inputs decoded with the curve and subgroup checks, as 96-byte points. */
function decodePoints(nat: Native, flat: Uint8Array): Uint8Array {
  try {
    return nat.g1PrepareAffine(flat, { subgroupCheck: true });
  } catch (e) {
    if (e instanceof nat.NativeError && 'index' in e.type) {
      const reason =
        e.type.code === 'NATIVE_NOT_IN_SUBGROUP'
          ? 'not in the prime-order subgroup'
          : e.type.code === 'NATIVE_NOT_ON_CURVE'
            ? 'not on the curve'
            : 'not a valid point encoding';
      throw new ErasureError({
        code: 'ERASURE_INVALID_POINT',
        what: 'commitments',
        index: e.type.index,
        reason,
      });
    }
    throw e;
  }
}

/** The decoded points and, per parity point t, the scalars of row t of the circulant matrix. */
function circulantRows(
  nat: Native,
  flat: Uint8Array,
  n: number,
): { table: Uint8Array; rows: (t: number) => Uint8Array } {
  const table = decodePoints(nat, flat);
  // Row t of the matrix is (a_(t−j mod n))_j = b_((j−t) mod n) with b_i = a_(−i mod n): a window of b‖b.
  const a = circulant(n);
  const bb = new Uint8Array(2 * n * SCALAR_SIZE);
  for (let i = 0; i < n; i++) {
    const src = ((n - i) % n) * SCALAR_SIZE;
    bb.set(a.subarray(src, src + SCALAR_SIZE), i * SCALAR_SIZE);
    bb.set(a.subarray(src, src + SCALAR_SIZE), (n + i) * SCALAR_SIZE);
  }
  const rows = (t: number) => {
    const start = ((n - t) % n) * SCALAR_SIZE;
    return bb.subarray(start, start + n * SCALAR_SIZE);
  };
  return { table, rows };
}

function parityNative(nat: Native, flat: Uint8Array, n: number): Uint8Array[] {
  const { table, rows } = circulantRows(nat, flat, n);
  const out: Uint8Array[] = [];
  for (let t = 0; t < n; t++) out.push(nat.g1Msm(table, rows(t), n, 0));
  return out;
}

function parityTs(flat: Uint8Array, n: number): Uint8Array[] {
  let table: Uint8Array;
  try {
    table = typescriptBackend.decompressG1(flat, true);
  } catch (e) {
    if (
      e instanceof KzgError &&
      (e.type.code === 'KZG_INVALID_POINT' || e.type.code === 'KZG_NOT_IN_SUBGROUP')
    ) {
      const reason = e.type.code === 'KZG_INVALID_POINT' ? e.type.reason : 'not in the prime-order subgroup';
      throw new ErasureError({
        code: 'ERASURE_INVALID_POINT',
        what: 'commitments',
        index: e.type.index ?? 0,
        reason,
      });
    }
    throw e;
  }
  const points: Point[] = [];
  for (let i = 0; i < n; i++) points.push(readUncompressed(table, i * UNCOMPRESSED));
  groupFft(points, n, true); // n·(coefficients)
  const t = twist(n); // ω_2n^k·n^-1
  for (let k = 0; k < n; k++) points[k] = times(points[k]!, frToBigint(t, k));
  groupFft(points, n, false);
  return points.map(encode);
}

function readUncompressed(table: Uint8Array, o: number): Point {
  if ((table[o]! & 0x40) !== 0) return G1.ZERO;
  let x = 0n;
  let y = 0n;
  for (let i = 0; i < 48; i++) {
    x = (x << 8n) | BigInt(table[o + i]!);
    y = (y << 8n) | BigInt(table[o + 48 + i]!);
  }
  return G1.fromAffine({ x, y });
}

function times(p: Point, k: bigint): Point {
  return p.is0() || k === 1n ? p : p.multiplyUnsafe(k);
}

function encode(p: Point): Uint8Array {
  if (p.is0()) {
    const out = new Uint8Array(COMMITMENT_SIZE);
    out[0] = 0xc0;
    return out;
  }
  return p.toBytes(true);
}

/** The unscaled DFT over G1 (inverse: with ω^-1), natural order, in place. */
function groupFft(a: Point[], n: number, inverse: boolean): void {
  const tw = inverse ? twiddles(n).inverse : twiddles(n).forward;
  const w: bigint[] = [];
  for (let j = 0; j < n >> 1; j++) w.push(frToBigint(tw, j));
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) [a[i], a[j]] = [a[j]!, a[i]!];
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let i = 0; i < n; i += len) {
      for (let j = 0; j < half; j++) {
        const u = a[i + j]!;
        const v = j === 0 ? a[i + j + half]! : times(a[i + j + half]!, w[j * step]!);
        a[i + j] = u.add(v);
        a[i + j + half] = u.subtract(v);
      }
    }
  }
}
