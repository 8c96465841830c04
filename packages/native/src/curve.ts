/**
 * BLS12-381 on blst: G1 point codecs and subgroup checks, Pippenger MSMs, pairing product checks and
 * an Fr FFT. Native only: without the addon these throw NATIVE_UNAVAILABLE, and @autonomys/kzg uses
 * its own TypeScript backend instead (a JS copy here would only duplicate it).
 *
 * Formats (archiving §1): scalars 32-byte big-endian canonical; G1 48-byte compressed or 96-byte
 * uncompressed affine (`blst_p1_affine_serialize`); G2 96-byte compressed.
 */
import { availableParallelism } from 'node:os';
import { need, type Status } from './addon.js';
import { abytes, aint } from './assert.js';
import { G1_COMPRESSED_SIZE, G1_UNCOMPRESSED_SIZE, G2_COMPRESSED_SIZE, SCALAR_SIZE } from './constants.js';
import { NativeError } from './errors.js';
import { statusError } from './status.js';

export interface PointCheckOptions {
  /**
   * Also check that each point is in the prime-order subgroup (default true). The reference decodes
   * commitments and witnesses with the on-curve check only (archiving §1.2); skip the subgroup check
   * to match it, or for bytes already known good (a digest-pinned parameters file): it costs ~75 µs
   * per G1 point on our 2-core machine, four times the decompression itself.
   */
  subgroupCheck?: boolean;
}

export interface ThreadOptions {
  /** Jobs to split the work into, run on libuv's thread pool (default: availableParallelism()). */
  threads?: number;
}

function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 16));
}

/**
 * Decompresses one 48-byte G1 point to the 96-byte uncompressed form, checking the encoding, the
 * curve equation and (by default) the subgroup.
 * @example const xy = g1Decompress(commitment, { subgroupCheck: false });
 */
export function g1Decompress(point: Uint8Array, opts: PointCheckOptions = {}): Uint8Array {
  abytes(point, 'point', G1_COMPRESSED_SIZE);
  return g1PrepareAffine(point, opts);
}

/**
 * Decompresses a concatenation of 48-byte G1 points into a reusable table of 96-byte uncompressed
 * points for {@link g1Msm} (decompress once, then every MSM only re-reads coordinates).
 * @example const table = g1PrepareAffine(publicParameters.subarray(0, 32768 * 48));
 */
export function g1PrepareAffine(compressedPoints: Uint8Array, opts: PointCheckOptions = {}): Uint8Array {
  abytes(compressedPoints, 'compressedPoints', undefined, G1_COMPRESSED_SIZE);
  const native = need('g1PrepareAffine');
  const out = new Uint8Array((compressedPoints.length / G1_COMPRESSED_SIZE) * G1_UNCOMPRESSED_SIZE);
  const st = native.g1Decompress(out, compressedPoints, opts.subgroupCheck ?? true);
  if (st !== undefined) throw statusError('g1PrepareAffine', st);
  return out;
}

/**
 * {@link g1PrepareAffine} off the JS thread, split across `threads` jobs (2^15 points with subgroup
 * checks: ~3.1 s on one core, ~1.6 s on two).
 * @example const table = await g1PrepareAffineAsync(points, { threads: 2 });
 */
export async function g1PrepareAffineAsync(
  compressedPoints: Uint8Array,
  opts: PointCheckOptions & ThreadOptions = {},
): Promise<Uint8Array> {
  abytes(compressedPoints, 'compressedPoints', undefined, G1_COMPRESSED_SIZE);
  const threads = aint(opts.threads ?? defaultThreads(), 'threads', 1, 256);
  const native = need('g1PrepareAffineAsync');
  const count = compressedPoints.length / G1_COMPRESSED_SIZE;
  const ranges = split(count, threads);
  const parts = await Promise.all(
    ranges.map(([start, end]) =>
      native.g1DecompressAsync(
        compressedPoints.subarray(start * G1_COMPRESSED_SIZE, end * G1_COMPRESSED_SIZE),
        opts.subgroupCheck ?? true,
      ),
    ),
  );
  const out = new Uint8Array(count * G1_UNCOMPRESSED_SIZE);
  parts.forEach((part, i) => {
    const start = ranges[i]![0];
    if (!(part instanceof Uint8Array)) throw statusError('g1PrepareAffineAsync', part!, start);
    out.set(part, start * G1_UNCOMPRESSED_SIZE);
  });
  return out;
}

/**
 * Compresses a 96-byte uncompressed G1 point (checked to be on the curve) to 48 bytes.
 * @example g1Compress(g1Decompress(p)) // equals p
 */
export function g1Compress(point: Uint8Array): Uint8Array {
  abytes(point, 'point', G1_UNCOMPRESSED_SIZE);
  const out = new Uint8Array(G1_COMPRESSED_SIZE);
  const st = need('g1Compress').g1Compress(out, point);
  if (st !== undefined) throw statusError('g1Compress', st);
  return out;
}

/**
 * Whether a G1 point (48 compressed or 96 uncompressed bytes) is in the prime-order subgroup.
 * Throws NATIVE_BAD_ENCODING / NATIVE_NOT_ON_CURVE for bytes that are not a curve point at all.
 * @example if (!g1IsInSubgroup(witness)) reject();
 */
export function g1IsInSubgroup(point: Uint8Array): boolean {
  abytes(point, 'point');
  if (point.length !== G1_COMPRESSED_SIZE && point.length !== G1_UNCOMPRESSED_SIZE)
    abytes(point, 'point', 48);
  const st = need('g1IsInSubgroup').g1InGroup(point);
  if (st === undefined) return true;
  if (st[0] === 3) return false;
  throw statusError('g1IsInSubgroup', st);
}

/**
 * The sum of two 48-byte compressed G1 points (on-curve checked, no subgroup check): combines the
 * partial results of MSMs run over sub-ranges.
 * @example const c = g1Add(g1Msm(t, s, half), g1Msm(t, s, n - half, half));
 */
export function g1Add(a: Uint8Array, b: Uint8Array): Uint8Array {
  abytes(a, 'a', G1_COMPRESSED_SIZE);
  abytes(b, 'b', G1_COMPRESSED_SIZE);
  const out = new Uint8Array(G1_COMPRESSED_SIZE);
  const st = need('g1Add').g1Add(out, a, b);
  if (st !== undefined) throw statusError('g1Add', [st[0], st[1], 1]);
  return out;
}

/**
 * The bucket kernel of an MSM: `auto` (the default) picks by size, `blst` is blst's Pippenger, `affine`
 * the affine-bucket MSM of csrc/msm.c (batch inversion, signed digits; used by `auto` from 32 terms).
 * All give the same point: the choice is for tests and benchmarks. The environment variable
 * AUTONOMYS_NATIVE_MSM=blst (or affine) replaces `auto` process-wide, for comparisons.
 */
export type G1MsmKernel = 'auto' | 'blst' | 'affine';

const KERNEL_CODES: Record<G1MsmKernel, number> = { auto: 0, blst: 1, affine: 2 };

/** Parts an MSM can be split into (the addon's limit). */
const MAX_PARTS = 255;

const envKernel = process.env.AUTONOMYS_NATIVE_MSM;
const AUTO_CODE = envKernel === 'blst' || envKernel === 'affine' ? KERNEL_CODES[envKernel] : 0;

/** The addon's MSM entry points with their optional kernel argument (K_MSM_* of csrc/kernels.h). */
interface MsmAddon {
  g1Msm(out: Uint8Array, points: Uint8Array, scalars: Uint8Array, kernel?: number): Status;
  g1MsmAsync(
    points: Uint8Array,
    scalars: Uint8Array,
    kernel?: number,
    part?: number,
    parts?: number,
  ): Promise<Uint8Array | Status>;
}

function kernelCode(kernel: G1MsmKernel | undefined): number {
  const k = kernel ?? 'auto';
  if (typeof k !== 'string' || !Object.hasOwn(KERNEL_CODES, k)) {
    throw new NativeError({
      code: 'NATIVE_INVALID_ARGUMENT',
      what: 'kernel',
      reason: `expected one of ${Object.keys(KERNEL_CODES).join(', ')}`,
    });
  }
  return k === 'auto' ? AUTO_CODE : KERNEL_CODES[k];
}

function msmAddon(what: string): MsmAddon {
  return need(what) as unknown as MsmAddon;
}

function msmViews(
  what: string,
  points: Uint8Array,
  scalars: Uint8Array,
  count: number | undefined,
  start: number,
): [Uint8Array, Uint8Array] {
  abytes(points, 'points', undefined, G1_UNCOMPRESSED_SIZE);
  abytes(scalars, 'scalars', undefined, SCALAR_SIZE);
  aint(start, 'start');
  const n = aint(count ?? scalars.length / SCALAR_SIZE - start, 'count');
  if ((start + n) * SCALAR_SIZE > scalars.length || (start + n) * G1_UNCOMPRESSED_SIZE > points.length) {
    throw new NativeError({
      code: 'NATIVE_INVALID_ARGUMENT',
      what,
      reason: `range [${start}, ${start + n}) exceeds ${points.length / G1_UNCOMPRESSED_SIZE} points or ${scalars.length / SCALAR_SIZE} scalars`,
    });
  }
  return [
    points.subarray(start * G1_UNCOMPRESSED_SIZE, (start + n) * G1_UNCOMPRESSED_SIZE),
    scalars.subarray(start * SCALAR_SIZE, (start + n) * SCALAR_SIZE),
  ];
}

/**
 * Σ scalars[i]·points[i] for i in [start, start + count), as a 48-byte compressed point (the
 * identity for count = 0 is `c0 00…00`). `points` are 96-byte uncompressed (from
 * {@link g1PrepareAffine}); the table may be longer than the scalars. `count` defaults to all
 * scalars from `start`. Runs on the calling thread: from 32 terms the affine-bucket MSM of
 * csrc/msm.c, below blst's Pippenger (2^15 points: ~0.33-0.4 s of CPU here, provisional).
 * @example const commitment = g1Msm(table, coefficients); // coefficients: n × 32-byte BE scalars
 */
export function g1Msm(points: Uint8Array, scalars: Uint8Array, count?: number, start = 0): Uint8Array {
  return g1MsmWithKernel('auto', points, scalars, count, start);
}

/**
 * {@link g1Msm} with the bucket kernel chosen (the same point whichever): for tests and benchmarks.
 * @example const a = g1MsmWithKernel('blst', table, s), b = g1MsmWithKernel('affine', table, s);
 */
export function g1MsmWithKernel(
  kernel: G1MsmKernel,
  points: Uint8Array,
  scalars: Uint8Array,
  count?: number,
  start = 0,
): Uint8Array {
  const code = kernelCode(kernel);
  const [p, s] = msmViews('g1Msm', points, scalars, count, start);
  const out = new Uint8Array(G1_COMPRESSED_SIZE);
  const st = msmAddon('g1Msm').g1Msm(out, p, s, code);
  if (st !== undefined) throw statusError('g1Msm', st, start);
  return out;
}

/**
 * {@link g1Msm} on libuv's thread pool: the event loop stays free. The inputs are copied when the
 * call is made, so the caller may reuse its buffers immediately.
 * @example const c = await g1MsmAsync(table, coefficients);
 */
export async function g1MsmAsync(
  points: Uint8Array,
  scalars: Uint8Array,
  count?: number,
  start = 0,
): Promise<Uint8Array> {
  return msmAsync(kernelCode('auto'), points, scalars, count, start);
}

/** Part `part` of `parts` of the MSM (csrc/curve.c k_g1_msm_part) off the JS thread. */
async function msmAsync(
  code: number,
  points: Uint8Array,
  scalars: Uint8Array,
  count: number | undefined,
  start: number,
  part = 0,
  parts = 1,
): Promise<Uint8Array> {
  const [p, s] = msmViews('g1MsmAsync', points, scalars, count, start);
  const r = await msmAddon('g1MsmAsync').g1MsmAsync(p, s, code, part, parts);
  if (!(r instanceof Uint8Array)) throw statusError('g1MsmAsync', r!, start);
  return r;
}

/**
 * {@link g1MsmAsync} split into `threads` jobs that run in parallel, summed with {@link g1Add}. The
 * affine-bucket kernel shares out its windows between the jobs (each job reads every point);
 * blst's (`kernel: 'blst'`) gets a sub-range of the points per job. On 2 cores a 2^15-point MSM
 * takes ~0.5-0.55x the time of one job.
 * @example const c = await g1MsmParallel(table, coefficients, { threads: 2 });
 */
export async function g1MsmParallel(
  points: Uint8Array,
  scalars: Uint8Array,
  opts: ThreadOptions & { count?: number; start?: number; kernel?: G1MsmKernel } = {},
): Promise<Uint8Array> {
  const start = opts.start ?? 0;
  const code = kernelCode(opts.kernel);
  const [p, s] = msmViews('g1MsmParallel', points, scalars, opts.count, start);
  const threads = aint(opts.threads ?? defaultThreads(), 'threads', 1, 256);
  const n = s.length / SCALAR_SIZE;
  const jobs =
    code === KERNEL_CODES.blst
      ? split(n, threads).map(([a, b]) => msmAsync(code, p, s, b - a, a))
      : Array.from({ length: Math.min(threads, MAX_PARTS) }, (_, i) =>
          msmAsync(code, p, s, n, 0, i, Math.min(threads, MAX_PARTS)),
        );
  const parts = await Promise.all(jobs.map((job) => job.catch((e) => shiftError(e, start))));
  return parts.reduce((acc, x) => g1Add(acc, x));
}

function shiftError(e: unknown, offset: number): never {
  if (e instanceof NativeError && 'index' in e.type && offset !== 0) {
    throw new NativeError({ ...e.type, index: e.type.index + offset, what: 'g1MsmParallel' });
  }
  throw e;
}

/** `parts` contiguous ranges covering [0, n), the first ones one longer; never empty ranges unless n = 0. */
function split(n: number, parts: number): Array<[number, number]> {
  const k = Math.max(1, Math.min(parts, n));
  const out: Array<[number, number]> = [];
  for (let i = 0, start = 0; i < k; i++) {
    const len = Math.floor(n / k) + (i < n % k ? 1 : 0);
    out.push([start, start + len]);
    start += len;
  }
  return out;
}

/** A G1 point (48 bytes compressed) and a G2 point (96 bytes compressed). */
export type PairingPair = readonly [g1: Uint8Array, g2: Uint8Array];

/**
 * Whether Π e(P_i, Q_i) = 1 in GT (one shared Miller loop and one final exponentiation). Pairs with
 * an identity point contribute 1 (e(O, Q) = e(P, O) = 1); an empty list is true. Points are decoded
 * with on-curve and (by default) subgroup checks; invalid points throw.
 * @example // KZG: e(C - y·G1, G2) == e(π, τG2 - x·G2)  <=>  e(C - y·G1, G2)·e(-π, τG2 - x·G2) == 1
 * pairingCheck([[cMinusY, G2_GEN], [negPi, tauMinusX]]);
 */
export function pairingCheck(pairs: readonly PairingPair[], opts: PointCheckOptions = {}): boolean {
  if (!Array.isArray(pairs)) {
    throw new NativeError({
      code: 'NATIVE_INVALID_ARGUMENT',
      what: 'pairs',
      reason: 'expected an array of pairs',
    });
  }
  const g1s = new Uint8Array(pairs.length * G1_COMPRESSED_SIZE);
  const g2s = new Uint8Array(pairs.length * G2_COMPRESSED_SIZE);
  pairs.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new NativeError({
        code: 'NATIVE_INVALID_ARGUMENT',
        what: `pairs[${i}]`,
        reason: 'expected [g1, g2]',
      });
    }
    g1s.set(abytes(pair[0], `pairs[${i}][0]`, G1_COMPRESSED_SIZE), i * G1_COMPRESSED_SIZE);
    g2s.set(abytes(pair[1], `pairs[${i}][1]`, G2_COMPRESSED_SIZE), i * G2_COMPRESSED_SIZE);
  });
  const r = need('pairingCheck').pairingCheck(g1s, g2s, opts.subgroupCheck ?? true);
  if (typeof r === 'boolean') return r;
  throw statusError('pairingCheck', r!);
}

/**
 * Radix-2 FFT over Fr, natural order in and out (no bit-reversed output), archiving §1.3-1.4:
 * forward `out_k = Σ_j v_j·ω^(jk)`; inverse `out_k = n⁻¹·Σ_j v_j·ω^(-jk)`. `values` holds n (a power
 * of two) 32-byte big-endian canonical scalars; `rootOfUnity` (32-byte big-endian) must have order
 * exactly n, e.g. ω_n = 7^((r-1)/n).
 * @example const coefficients = frFft(evaluations, true, omega32768);
 */
export function frFft(values: Uint8Array, inverse: boolean, rootOfUnity: Uint8Array): Uint8Array {
  abytes(values, 'values', undefined, SCALAR_SIZE);
  abytes(rootOfUnity, 'rootOfUnity', SCALAR_SIZE);
  const n = values.length / SCALAR_SIZE;
  if (n === 0 || (n & (n - 1)) !== 0) {
    throw new NativeError({
      code: 'NATIVE_INVALID_ARGUMENT',
      what: 'values',
      reason: `${n} values, not a power of two`,
    });
  }
  const out = new Uint8Array(values.length);
  const st = need('frFft').frFft(out, values, rootOfUnity, inverse === true);
  if (st !== undefined) throw statusError('frFft', st, 0, n);
  return out;
}

/**
 * Column-wise rate-1/2 Reed-Solomon extension (archiving §3.5 step 2) in one call: `records` holds
 * n records (n a power of two, at least 2) of equal length, each a whole number of 32-byte
 * big-endian canonical scalars, concatenated. For every scalar offset j, the n values at j are the
 * evaluations at ω_n^i of a polynomial of degree < n, and parity record k gets its value at
 * ω_2n^(2k+1). `rootOfUnity2n` must have order exactly 2n. Returns the n parity records,
 * concatenated in the same layout. A scalar ≥ r throws NATIVE_INVALID_SCALAR with its flat index.
 * @example const parity = frExtendColumns(sourceRecords, 128, omega256);
 */
export function frExtendColumns(records: Uint8Array, n: number, rootOfUnity2n: Uint8Array): Uint8Array {
  abytes(records, 'records', undefined, SCALAR_SIZE);
  abytes(rootOfUnity2n, 'rootOfUnity2n', SCALAR_SIZE);
  if (!Number.isSafeInteger(n) || n < 2 || (n & (n - 1)) !== 0 || records.length % (n * SCALAR_SIZE) !== 0) {
    throw new NativeError({
      code: 'NATIVE_INVALID_ARGUMENT',
      what: 'n',
      reason: `${n} records: not a power of two >= 2 dividing ${records.length / SCALAR_SIZE} scalars`,
    });
  }
  const out = new Uint8Array(records.length);
  const st = need('frExtendColumns').frExtendColumns(out, records, n, rootOfUnity2n);
  if (st !== undefined) throw statusError('frExtendColumns', st, 0, records.length / SCALAR_SIZE);
  return out;
}

/** The addon's fixed-base entry points (csrc/msm-napi.h); the table is an opaque native handle. */
interface FixedBaseAddon {
  g1FixedBaseNew(count: number, windowBits: number): object;
  g1FixedBaseInfo(
    table: object,
  ): [count: number, c: number, windows: number, builtRows: number, bytes: number];
  g1FixedBaseBuildAsync(table: object, points: Uint8Array, lo: number): Promise<Status>;
  g1FixedBaseMsm(table: object, scalars: Uint8Array, part: number, parts: number, out: Uint8Array): Status;
  g1FixedBaseMsmAsync(
    table: object,
    scalars: Uint8Array,
    part: number,
    parts: number,
  ): Promise<Uint8Array | Status>;
}

/** Whether the loaded addon has the fixed-base MSM (an addon built from older sources does not). */
export const hasG1FixedBase: boolean = fixedBaseAddonOrNull() !== null;

function fixedBaseAddonOrNull(): FixedBaseAddon | null {
  try {
    const a = need('g1FixedBase') as unknown as Partial<FixedBaseAddon>;
    return typeof a.g1FixedBaseNew === 'function' ? (a as FixedBaseAddon) : null;
  } catch {
    return null;
  }
}

function fixedBaseAddon(what: string): FixedBaseAddon {
  const a = fixedBaseAddonOrNull();
  if (a !== null) return a;
  need(what); // throws NATIVE_UNAVAILABLE when the addon is missing
  throw new NativeError({
    code: 'NATIVE_UNAVAILABLE',
    what,
    reason: 'the addon predates the fixed-base MSM',
  });
}

export interface G1FixedBaseOptions extends ThreadOptions {
  /** Points of the table to use (default: all of `points`). */
  count?: number;
  /** Window bits c, 2..16 (default: by count, 16 from ~2^13 points): the table holds 255/c + 1 multiples per point. */
  windowBits?: number;
}

/**
 * A G1 MSM over points fixed once and reused (the KZG parameters): built once from the points, it
 * holds in native memory, for every point P and window k, the multiple 2^(c·k)·P in affine
 * coordinates (~1.5 KB per point at c = 16: 48 MiB for 2^15 points). An MSM over it is then a single
 * pass of affine bucket additions over n·(255/c + 1) entries: no per-window bucket sums, no doublings
 * between windows, no decoding of the points. The same 48 bytes as {@link g1Msm} over the same
 * points. Build it with {@link g1FixedBasePrepare}; it is freed when garbage-collected.
 */
export class G1FixedBase {
  /** Points in the table. */
  readonly count: number;
  /** Window bits c. */
  readonly windowBits: number;
  /** Native memory held, in bytes. */
  readonly bytes: number;
  readonly #table: object;

  /** @internal use {@link g1FixedBasePrepare} */
  constructor(table: object) {
    const [count, c, , , bytes] = fixedBaseAddon('G1FixedBase').g1FixedBaseInfo(table);
    this.#table = table;
    this.count = count;
    this.windowBits = c;
    this.bytes = bytes;
  }

  /**
   * Σ scalars[i]·P_i over the first `scalars.length / 32` points (32-byte big-endian canonical
   * scalars, at most `count` of them) on the calling thread, 48 bytes compressed.
   * @example const commitment = fixed.msm(coefficients);
   */
  msm(scalars: Uint8Array): Uint8Array {
    this.checkScalars(scalars, 'G1FixedBase.msm');
    const out = new Uint8Array(G1_COMPRESSED_SIZE);
    const st = fixedBaseAddon('G1FixedBase.msm').g1FixedBaseMsm(this.#table, scalars, 0, 1, out);
    if (st !== undefined) throw statusError('G1FixedBase.msm', st);
    return out;
  }

  /**
   * {@link G1FixedBase.msm} on libuv's thread pool, split into `threads` jobs (default: every core)
   * that share out the buckets, summed with {@link g1Add}. The scalars are copied when called.
   * @example const witness = await fixed.msmAsync(quotient, { threads: 2 });
   */
  async msmAsync(scalars: Uint8Array, opts: ThreadOptions = {}): Promise<Uint8Array> {
    this.checkScalars(scalars, 'G1FixedBase.msmAsync');
    const parts = Math.min(aint(opts.threads ?? defaultThreads(), 'threads', 1, 256), MAX_PARTS);
    const a = fixedBaseAddon('G1FixedBase.msmAsync');
    const results = await Promise.all(
      Array.from({ length: parts }, (_, i) => a.g1FixedBaseMsmAsync(this.#table, scalars, i, parts)),
    );
    const points = results.map((r) => {
      if (!(r instanceof Uint8Array)) throw statusError('G1FixedBase.msmAsync', r!);
      return r;
    });
    return points.reduce((acc, x) => g1Add(acc, x));
  }

  private checkScalars(scalars: Uint8Array, what: string): void {
    abytes(scalars, 'scalars', undefined, SCALAR_SIZE);
    if (scalars.length / SCALAR_SIZE > this.count) {
      throw new NativeError({
        code: 'NATIVE_INVALID_ARGUMENT',
        what,
        reason: `${scalars.length / SCALAR_SIZE} scalars for a table of ${this.count} points`,
      });
    }
  }
}

/**
 * Builds a {@link G1FixedBase} from 96-byte uncompressed points (from {@link g1PrepareAffine};
 * checked on the curve again) off the JS thread, split into `threads` jobs by point range. It costs
 * ~255 point doublings per point: ~4 s of CPU for 2^15 points here (provisional), once.
 * @example const fixed = await g1FixedBasePrepare(table, { count: 32_768, threads: 2 });
 */
export async function g1FixedBasePrepare(
  points: Uint8Array,
  opts: G1FixedBaseOptions = {},
): Promise<G1FixedBase> {
  abytes(points, 'points', undefined, G1_UNCOMPRESSED_SIZE);
  const total = points.length / G1_UNCOMPRESSED_SIZE;
  const count = aint(opts.count ?? total, 'count', 1, Math.min(total, 1 << 24));
  const c = aint(opts.windowBits ?? 0, 'windowBits', 0, 16);
  if (c === 1) aint(c, 'windowBits', 2, 16);
  const threads = aint(opts.threads ?? defaultThreads(), 'threads', 1, 256);
  const a = fixedBaseAddon('g1FixedBasePrepare');
  const table = a.g1FixedBaseNew(count, c);
  const results = await Promise.all(
    split(count, threads).map(([lo, hi]) =>
      a.g1FixedBaseBuildAsync(
        table,
        points.subarray(lo * G1_UNCOMPRESSED_SIZE, hi * G1_UNCOMPRESSED_SIZE),
        lo,
      ),
    ),
  );
  for (const st of results) if (st !== undefined) throw statusError('g1FixedBasePrepare', st);
  return new G1FixedBase(table);
}

/** Whether the loaded addon has {@link frQuotient}. */
export const hasFrQuotient: boolean = (() => {
  try {
    const a = need('frQuotient') as unknown as { frQuotient?: unknown; frQuotientLimbs?: unknown };
    return typeof a.frQuotient === 'function' && typeof a.frQuotientLimbs === 'function';
  } catch {
    return false;
  }
})();

/** Doubles per element of @autonomys/kzg's FrVector (11 limbs of 24 bits, Montgomery with R = 2^264). */
const FR_VECTOR_LIMBS = 11;

/**
 * The n - 1 coefficients of (P(X) - P(x)) / (X - x), the polynomial a KZG witness commits to, for
 * the n ≥ 2 coefficients of P and a point x (32-byte big-endian canonical), by synthetic division
 * (the remainder P(x) is dropped): one or two field products per coefficient. The coefficients are
 * 32-byte big-endian canonical scalars, lowest degree first, or @autonomys/kzg's `FrVector` (a
 * Float64Array of 11 limbs of 24 bits per element, little-endian, of a·2^264 mod r). Returns
 * 32-byte big-endian scalars. A coefficient ≥ r (or a malformed limb) throws NATIVE_INVALID_SCALAR
 * with its index (n for x).
 * @example const q = frQuotient(coefficients, x); // then g1Msm(table, q)
 */
export function frQuotient(coefficients: Uint8Array | Float64Array, x: Uint8Array): Uint8Array {
  const limbs = coefficients instanceof Float64Array;
  if (limbs) {
    if (coefficients.length % FR_VECTOR_LIMBS !== 0) {
      throw new NativeError({
        code: 'NATIVE_INVALID_ARGUMENT',
        what: 'coefficients',
        reason: `expected a Float64Array of a length divisible by ${FR_VECTOR_LIMBS}, got length=${coefficients.length}`,
      });
    }
  } else abytes(coefficients, 'coefficients', undefined, SCALAR_SIZE);
  abytes(x, 'x', SCALAR_SIZE);
  const n = coefficients.length / (limbs ? FR_VECTOR_LIMBS : SCALAR_SIZE);
  if (n < 2) return new Uint8Array(0);
  const a = need('frQuotient') as unknown as {
    frQuotient?: (out: Uint8Array, c: Uint8Array, x: Uint8Array) => Status;
    frQuotientLimbs?: (out: Uint8Array, c: Float64Array, x: Uint8Array) => Status;
  };
  if (typeof a.frQuotient !== 'function' || typeof a.frQuotientLimbs !== 'function')
    throw new NativeError({
      code: 'NATIVE_UNAVAILABLE',
      what: 'frQuotient',
      reason: 'the addon predates it',
    });
  const out = new Uint8Array((n - 1) * SCALAR_SIZE);
  const st = limbs ? a.frQuotientLimbs(out, coefficients, x) : a.frQuotient(out, coefficients, x);
  if (st !== undefined) throw statusError('frQuotient', st);
  return out;
}
