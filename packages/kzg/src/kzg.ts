/**
 * KZG commitments with the network's parameters (archiving §1.4): commit = Σ c_k·G1[k] over the
 * monomial powers; a witness for P at x = ω_n^i is the commitment of (P(X) - P(x)) / (X - x);
 * verify checks e(C - y·G1, G2) = e(π, τ·G2 - x·G2).
 */
import { BLS12_381_R, bytesToHex } from '@autonomys/primitives';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import type { FixedBaseMsm, KzgAsyncOptions, KzgBackend } from './backend.js';
import { defaultBackend } from './backend-default.js';
import { G1_SIZE, G1_UNCOMPRESSED_SIZE, SCALAR_SIZE } from './constants.js';
import { assertDomainSize, domainPoint, getDomain, rootOfUnity } from './domain.js';
import { KzgError } from './errors.js';
import { fft } from './fft.js';
import {
  FR_LIMBS,
  frAddAt,
  frFromBigint,
  frMulAt,
  frWriteAt,
  isCanonicalAt,
  readLimbs,
  writeLimbs,
} from './fr.js';
import type { PublicParameters } from './parameters.js';
import { Polynomial } from './polynomial.js';
import { abytesKzg, aindex, aint, raceAbort, throwIfAborted } from './utils.js';

/** One opening: `value` = P(ω_n^index) for the polynomial committed to in `commitment`. */
export interface KzgOpening {
  commitment: Uint8Array;
  domainSize: number;
  index: number;
  value: Uint8Array;
  witness: Uint8Array;
}

/** -G2 compressed: verification pairs (C - y·G1 + x·π) with it. */
const NEG_G2 = bls12_381.G2.Point.BASE.negate().toBytes(true);
/** The generator G1 as a 96-byte table entry. */
const G1_GENERATOR_TABLE = (() => {
  const { x, y } = bls12_381.G1.Point.BASE.toAffine();
  const out = new Uint8Array(G1_UNCOMPRESSED_SIZE);
  out.set(bls12_381.fields.Fp.toBytes(x), 0);
  out.set(bls12_381.fields.Fp.toBytes(y), G1_SIZE);
  return out;
})();

const R = BLS12_381_R;
/** One G1 transform the Toeplitz method asks for (see `Kzg.fk20`). */
interface G1Transform {
  points: Uint8Array;
  root: Uint8Array;
  opts: { inverse?: boolean; scalars?: Uint8Array; compress?: boolean };
}
/** First byte of the 96-byte uncompressed identity (the infinity flag; the rest is zero). */
const G1_IDENTITY_FLAG = 0x40;
/** The running quotient coefficient and the coefficient read, for the quotient loop. */
const scratch = new Float64Array(FR_LIMBS);
const coefficient = new Float64Array(FR_LIMBS);
/** Unpredictable bytes from WebCrypto (Node and browsers), in the 64 KiB slices it allows per call. */
function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)));
  return out;
}

const beToBigint = (b: Uint8Array): bigint => BigInt(`0x${bytesToHex(b)}`);
function bigintToBe(x: bigint, out: Uint8Array, offset: number): void {
  let v = x;
  for (let i = offset + SCALAR_SIZE - 1; i >= offset; i--, v >>= 8n) out[i] = Number(v & 0xffn);
}

/**
 * Points a fixed-base table covers at most: 2^15, a record polynomial (the largest MSM of
 * archiving and proving); ~1.5 KB of native memory per point, 48 MiB in all.
 */
export const FIXED_BASE_MAX_POINTS = 32_768;
/** Terms from which an async MSM counts towards starting the fixed-base build (policy `auto`). */
export const FIXED_BASE_AUTO_MIN_TERMS = 8192;
/** Such MSMs seen before the `auto` policy starts the build (the table is evidently reused). */
const FIXED_BASE_AUTO_CALLS = 2;

export interface KzgOptions {
  /** The backend (default: {@link defaultBackend}, blst when its addon is loaded). */
  backend?: KzgBackend;
  /**
   * The fixed-base MSM (native backend only, see {@link Kzg.prepareFixedBase}): `auto` (the
   * default) builds its table in the background, on one thread, once a second async MSM of at
   * least 8192 terms shows the parameters in repeated use, and uses it once ready; `off` never
   * builds it unless {@link Kzg.prepareFixedBase} is called. AUTONOMYS_KZG_FIXED_BASE=off sets
   * the default to `off`.
   */
  fixedBase?: 'auto' | 'off';
}

const envFixedBase = typeof process !== 'undefined' ? process.env?.AUTONOMYS_KZG_FIXED_BASE : undefined;

/**
 * `count` less the trailing zero scalars: they add nothing to an MSM, and a record's polynomial
 * recovered from its 2^16 evaluations has 2^16 coefficients whose top half is zero (proving's
 * witness would otherwise pay for 2^16 terms, and miss the 2^15-point fixed-base table).
 */
function trimZeroScalars(scalars: Uint8Array, count: number): number {
  let end = count * SCALAR_SIZE;
  if (scalars.byteOffset % 4 === 0) {
    const words = new Uint32Array(scalars.buffer, scalars.byteOffset, end / 4);
    let w = words.length;
    while (w > 0 && words[w - 1] === 0) w--;
    end = w * 4;
  }
  while (end > 0 && scalars[end - 1] === 0) end--;
  return Math.ceil(end / SCALAR_SIZE);
}

/** The number of coefficients up to the last nonzero one (see {@link trimZeroScalars}). */
function significantLength(polynomial: Polynomial): number {
  const n = polynomial.length;
  if (polynomial.hasBytes()) return trimZeroScalars(polynomial.coefficientBytes(), n);
  const v = polynomial.vector; // Montgomery limbs: zero is all-zero limbs
  let m = n;
  for (; m > 0; m--) {
    let zero = true;
    for (let l = (m - 1) * FR_LIMBS; l < m * FR_LIMBS; l++) if (v[l] !== 0) zero = false;
    if (!zero) break;
  }
  return m;
}

/** The KZG scheme over decoded public parameters and a backend. */
export class Kzg {
  readonly parameters: PublicParameters;
  readonly backend: KzgBackend;
  readonly #fixedPolicy: 'auto' | 'off';
  /** The fixed-base table once built. */
  #fixed: FixedBaseMsm | null = null;
  /** Its build, once started (resolves null when the backend has none). */
  #fixedBuild: Promise<FixedBaseMsm | null> | null = null;
  /** Large async MSMs seen (policy `auto`). */
  #largeCalls = 0;

  /**
   * @example const kzg = new Kzg(await loadPublicParameters());
   */
  constructor(parameters: PublicParameters, opts: KzgOptions = {}) {
    this.parameters = parameters;
    this.backend = opts.backend ?? defaultBackend();
    this.#fixedPolicy = opts.fixedBase ?? (envFixedBase === 'off' ? 'off' : 'auto');
  }

  /**
   * Builds (once) the fixed-base MSM table of the backend over the first
   * min(g1Count, {@link FIXED_BASE_MAX_POINTS}) parameters: for every point P and window k the
   * multiple 2^(16·k)·P, 48 MiB of native memory for 2^15 points, ~4 s of CPU once (split over
   * `threads` jobs, default every core; provisional figures). From then on `commit`,
   * `createWitness` and their async forms of at most that many terms run over it: the same bytes
   * in ~0.7x of the CPU time of the generic MSM, and split by buckets over the threads. Resolves
   * true when ready, false when the backend has no fixed-base MSM (TypeScript, WebAssembly).
   * Farmers call it at start-up so that the first proof is fast already.
   * @example await kzg.prepareFixedBase({ threads: 2 });
   */
  async prepareFixedBase(opts: { threads?: number } = {}): Promise<boolean> {
    if (opts.threads !== undefined) aint(opts.threads, 'threads', 1, 256);
    return (await this.startFixedBase(opts.threads)) !== null;
  }

  /** Native memory held by the fixed-base table, in bytes (0 until it is built). */
  get fixedBaseBytes(): number {
    return this.#fixed?.bytes ?? 0;
  }

  private startFixedBase(threads: number | undefined): Promise<FixedBaseMsm | null> {
    if (this.#fixedBuild === null) {
      const count = Math.min(this.parameters.g1Count, FIXED_BASE_MAX_POINTS);
      const prepare = this.backend.prepareFixedBase;
      this.#fixedBuild =
        prepare === undefined || count === 0
          ? Promise.resolve(null)
          : prepare
              .call(this.backend, this.parameters.g1, count, threads === undefined ? {} : { threads })
              .then((fixed) => {
                this.#fixed = fixed;
                return fixed;
              });
    }
    return this.#fixedBuild;
  }

  /** The fixed-base table when it serves `count` terms; for async calls, the `auto` policy's trigger. */
  private fixedFor(count: number, async: boolean): FixedBaseMsm | null {
    const fixed = this.#fixed;
    if (fixed !== null && count > 0 && count <= fixed.count) return fixed;
    if (
      async &&
      this.#fixedPolicy === 'auto' &&
      this.#fixedBuild === null &&
      this.backend.prepareFixedBase !== undefined &&
      count >= FIXED_BASE_AUTO_MIN_TERMS &&
      count <= FIXED_BASE_MAX_POINTS &&
      ++this.#largeCalls >= FIXED_BASE_AUTO_CALLS
    ) {
      // In the background on one thread (the other cores keep serving); a failure leaves the
      // generic MSM in place.
      this.startFixedBase(1).catch(() => {
        this.#fixedBuild = Promise.resolve(null);
      });
    }
    return null;
  }

  /**
   * The 48-byte commitment Σ c_k·G1[k] to a polynomial of at most `parameters.g1Count`
   * coefficients (the identity `c0 00…00` for the zero polynomial).
   * @example const commitment = kzg.commit(poly(values));
   */
  commit(polynomial: Polynomial): Uint8Array {
    const n = this.checkCommittable(polynomial);
    return this.msmSync(polynomial.coefficientBytes(), n);
  }

  /**
   * The 48-byte witness for the value of `polynomial` at ω_n^index (n = domainSize, a power of
   * two up to 2^16): the commitment of the quotient by (X - x), by synthetic division.
   * @example const witness = kzg.createWitness(p, 256, 3);
   */
  createWitness(polynomial: Polynomial, domainSize: number, index: number): Uint8Array {
    const q = this.quotient(polynomial, domainSize, index);
    return this.msmSync(q, q.length / SCALAR_SIZE);
  }

  /**
   * {@link Kzg.commit} on all cores: the MSM is split into `threads` ranges (default: every core)
   * that run in parallel (native: blst on libuv's thread pool; TypeScript: worker threads), and
   * the partial sums are added. Same bytes as `commit`. An aborted `signal` rejects with
   * KZG_ABORTED at once; TypeScript workers running the job are terminated, native jobs already
   * started finish in the background and their result is dropped.
   * @example const commitment = await kzg.commitAsync(recordPoly, { threads: 2 });
   */
  async commitAsync(polynomial: Polynomial, opts: KzgAsyncOptions = {}): Promise<Uint8Array> {
    throwIfAborted(opts.signal);
    const n = this.checkCommittable(polynomial);
    return this.msmAsync(polynomial.coefficientBytes(), n, opts);
  }

  /**
   * {@link Kzg.createWitness} with the MSM on all cores (see {@link Kzg.commitAsync}); the quotient
   * is computed on the calling thread (~10 ms at 2^15 coefficients). Same bytes as `createWitness`.
   * @example const witness = await kzg.createWitnessAsync(recordPoly, 65_536, sBucket);
   */
  async createWitnessAsync(
    polynomial: Polynomial,
    domainSize: number,
    index: number,
    opts: KzgAsyncOptions = {},
  ): Promise<Uint8Array> {
    throwIfAborted(opts.signal);
    const q = this.quotient(polynomial, domainSize, index);
    return this.msmAsync(q, q.length / SCALAR_SIZE, opts);
  }

  /**
   * Whether {@link Kzg.createWitnesses} computes the openings together (the backend has a G1
   * Fourier transform: native blst) rather than one MSM each.
   */
  get hasFastWitnesses(): boolean {
    return this.backend.fftG1 !== undefined;
  }

  /**
   * The witnesses of `polynomial` at every point ω_n^0..ω_n^(n-1) of the domain (n = domainSize),
   * concatenated (48 bytes each, index i at 48·i): the same bytes as `createWitness(p, n, i)` for
   * every i. With a G1 Fourier transform in the backend ({@link Kzg.hasFastWitnesses}) they come
   * out together in O(m log m) scalar multiplications (the Toeplitz method of Feist and
   * Khovratovich, for m coefficients with m - 1 ≤ n): the quotient by (X - x) has the coefficients
   * h_k = Σ_(j>k) c_j·x^(j-k-1), so its commitment is Σ_k x^k·H_k with H_k = Σ_(j>k) c_j·G1[j-k-1],
   * a Toeplitz product computed as one circular convolution of size L ≥ 2m - 3 (the transform of
   * the powers, cached, times the transform of the reversed coefficients, transformed back), and the
   * n openings are the transform of H over the domain. Otherwise one MSM per point.
   * @example const witnesses = kzg.createWitnesses(poly(hashes), 256); // 256 × 48 bytes
   */
  createWitnesses(polynomial: Polynomial, domainSize: number): Uint8Array {
    const n = assertDomainSize(domainSize, 'domainSize');
    const fftG1 = this.backend.fftG1;
    if (fftG1 === undefined || !this.fk20Applies(polynomial, n)) return this.witnessByWitness(polynomial, n);
    const steps = this.fk20(polynomial, n);
    let r = steps.next();
    while (!r.done) r = steps.next(fftG1.call(this.backend, r.value.points, r.value.root, r.value.opts));
    return r.value;
  }

  /**
   * {@link Kzg.createWitnesses} with its G1 transforms on libuv's thread pool (native), so the
   * calling thread stays free; the same bytes. Without an async transform it runs inline.
   * @example const witnesses = await kzg.createWitnessesAsync(poly(hashes), 256);
   */
  async createWitnessesAsync(
    polynomial: Polynomial,
    domainSize: number,
    opts: { signal?: AbortSignal } = {},
  ): Promise<Uint8Array> {
    throwIfAborted(opts.signal);
    const n = assertDomainSize(domainSize, 'domainSize');
    const fftG1Async = this.backend.fftG1Async;
    if (fftG1Async === undefined || !this.fk20Applies(polynomial, n))
      return this.createWitnesses(polynomial, n);
    const steps = this.fk20(polynomial, n);
    let r = steps.next();
    while (!r.done) {
      const out = await fftG1Async.call(this.backend, r.value.points, r.value.root, r.value.opts);
      throwIfAborted(opts.signal);
      r = steps.next(out);
    }
    return r.value;
  }

  /** Whether the Toeplitz method serves m coefficients on the n-domain (else one MSM per point). */
  private fk20Applies(polynomial: Polynomial, n: number): boolean {
    const m = polynomial instanceof Polynomial ? polynomial.length : 0;
    return m > 2 && m - 1 <= n;
  }

  private witnessByWitness(polynomial: Polynomial, n: number): Uint8Array {
    const out = new Uint8Array(n * G1_SIZE);
    for (let i = 0; i < n; i++) out.set(this.createWitness(polynomial, n, i), i * G1_SIZE);
    return out;
  }

  /**
   * The steps of the Toeplitz method, yielding each G1 transform it needs (the caller runs it, inline
   * or off the thread) and returning the n compressed witnesses.
   */
  private *fk20(polynomial: Polynomial, n: number): Generator<G1Transform, Uint8Array, Uint8Array> {
    const m = polynomial.length;
    if (m - 1 > this.parameters.g1Count)
      throw new KzgError({
        code: 'KZG_POLYNOMIAL_TOO_LARGE',
        coefficients: m,
        available: this.parameters.g1Count,
      });
    const coefficients = polynomial.coefficientBytes();
    let size = 2;
    while (size < 2 * m - 3) size <<= 1;
    const rootL = rootOfUnity(size);
    // The transform of G1[0..m-2] padded with the identity, once per (L, m).
    const key = `${size}:${m}`;
    let powers = this.powersSpectrum.get(key);
    if (powers === undefined) {
      const padded = new Uint8Array(size * G1_UNCOMPRESSED_SIZE);
      padded.set(this.parameters.g1.subarray(0, (m - 1) * G1_UNCOMPRESSED_SIZE));
      for (let l = m - 1; l < size; l++) padded[l * G1_UNCOMPRESSED_SIZE] = G1_IDENTITY_FLAG;
      powers = yield { points: padded, root: rootL, opts: {} };
      this.powersSpectrum.set(key, powers);
    }
    // The reversed coefficients F_u = c_(m-1-u), u ≤ m - 2, padded with zeros, transformed.
    const reversed = new Uint8Array(size * SCALAR_SIZE);
    for (let u = 0; u <= m - 2; u++)
      reversed.set(coefficients.subarray((m - 1 - u) * SCALAR_SIZE, (m - u) * SCALAR_SIZE), u * SCALAR_SIZE);
    const spectrum = this.backend.fftFr ? this.backend.fftFr(reversed, false, rootL) : fft(reversed);
    // (F * G1)_t for every t; H_k = (F * G1)_(m-2-k).
    const conv = yield { points: powers, root: rootL, opts: { inverse: true, scalars: spectrum } };
    const h = new Uint8Array(n * G1_UNCOMPRESSED_SIZE);
    for (let k = 0; k < n; k++) {
      if (k <= m - 2) {
        const t = m - 2 - k;
        h.set(
          conv.subarray(t * G1_UNCOMPRESSED_SIZE, (t + 1) * G1_UNCOMPRESSED_SIZE),
          k * G1_UNCOMPRESSED_SIZE,
        );
      } else h[k * G1_UNCOMPRESSED_SIZE] = G1_IDENTITY_FLAG;
    }
    return yield { points: h, root: rootOfUnity(n), opts: { compress: true } };
  }

  /** Transforms of the padded powers for {@link Kzg.createWitnesses}, by `L:m`. */
  private readonly powersSpectrum = new Map<string, Uint8Array>();

  private checkCommittable(polynomial: Polynomial): number {
    if (!(polynomial instanceof Polynomial)) {
      throw new KzgError({
        code: 'KZG_INVALID_ARGUMENT',
        what: 'polynomial',
        reason: 'expected a Polynomial',
      });
    }
    const n = polynomial.length;
    if (n > this.parameters.g1Count) {
      throw new KzgError({
        code: 'KZG_POLYNOMIAL_TOO_LARGE',
        coefficients: n,
        available: this.parameters.g1Count,
      });
    }
    return n;
  }

  private msmSync(scalars: Uint8Array, terms: number): Uint8Array {
    const count = trimZeroScalars(scalars, terms);
    const fixed = this.fixedFor(count, false);
    if (fixed !== null) return fixed.msm(scalars.subarray(0, count * SCALAR_SIZE));
    return this.backend.msmG1(this.parameters.g1, scalars, count, 0);
  }

  private async msmAsync(scalars: Uint8Array, terms: number, opts: KzgAsyncOptions): Promise<Uint8Array> {
    // Without `threads` the backend uses every core (availableParallelism()).
    if (opts.threads !== undefined) aint(opts.threads, 'threads', 1, 256);
    const count = trimZeroScalars(scalars, terms);
    const fixed = this.fixedFor(count, true);
    if (fixed !== null) {
      // Native jobs cannot be interrupted once started: an abort rejects at once and drops the result.
      const job = fixed.msmAsync(
        scalars.subarray(0, count * SCALAR_SIZE),
        opts.threads === undefined ? {} : { threads: opts.threads },
      );
      return opts.signal === undefined ? job : raceAbort(job, opts.signal);
    }
    const table = this.parameters.g1;
    if (this.backend.msmG1Async) return this.backend.msmG1Async(table, scalars, count, 0, opts);
    // A backend without its own threads: ranges on the calling thread (still exact, not parallel).
    return this.backend.msmG1(table, scalars, count, 0);
  }

  /**
   * The coefficients of (P(X) - P(x)) / (X - x) for x = ω_n^index, as canonical bytes, by
   * synthetic division: q_(m-2) = c_(m-1), q_(k-1) = c_k + x·q_k (the remainder P(x) is dropped).
   * One limb multiplication and one addition per coefficient, no BigInt: at 2^15 coefficients
   * ~10 ms against ~0.4 s for the MSM. Bytes in, bytes out through raw limbs (fr.ts): frMul(q, x·R)
   * = q·x keeps raw values raw, so no conversion product when the polynomial is held as bytes
   * (what `poly` returns on blst).
   */
  private quotient(polynomial: Polynomial, domainSize: number, index: number): Uint8Array {
    if (!(polynomial instanceof Polynomial)) {
      throw new KzgError({
        code: 'KZG_INVALID_ARGUMENT',
        what: 'polynomial',
        reason: 'expected a Polynomial',
      });
    }
    const domain = getDomain(assertDomainSize(domainSize, 'domainSize'));
    aindex(index, domain.size, 'index');
    const n = polynomial.length;
    if (n - 1 > this.parameters.g1Count) {
      throw new KzgError({
        code: 'KZG_POLYNOMIAL_TOO_LARGE',
        coefficients: n,
        available: this.parameters.g1Count,
      });
    }
    const m = significantLength(polynomial); // trailing zero coefficients give trailing zeros
    if (m <= 1) return new Uint8Array(0);
    const point = domainPoint(domain, index);
    if (this.backend.quotient !== undefined) {
      // Native: one or two blst products per coefficient, ~4 ms at 2^15 against ~15-35 ms here.
      const xb = new Uint8Array(SCALAR_SIZE);
      bigintToBe(point, xb, 0);
      return this.backend.quotient(
        polynomial.hasBytes()
          ? polynomial.coefficientBytes().subarray(0, m * SCALAR_SIZE)
          : polynomial.vector.subarray(0, m * FR_LIMBS),
        xb,
      );
    }
    const x = frFromBigint(point);
    // One running element, streamed from the coefficients to the output bytes (no m-element
    // temporary). Bytes are read as raw limbs; a Montgomery vector is read as is and converted on
    // the way out (one more product per coefficient).
    const out = new Uint8Array((m - 1) * SCALAR_SIZE);
    const acc = scratch;
    if (polynomial.hasBytes()) {
      const c = polynomial.coefficientBytes();
      readLimbs(acc, 0, c, (m - 1) * SCALAR_SIZE);
      writeLimbs(out, (m - 2) * SCALAR_SIZE, acc, 0);
      for (let k = m - 2; k >= 1; k--) {
        frMulAt(acc, 0, acc, 0, x, 0);
        readLimbs(coefficient, 0, c, k * SCALAR_SIZE);
        frAddAt(acc, 0, acc, 0, coefficient, 0);
        writeLimbs(out, (k - 1) * SCALAR_SIZE, acc, 0);
      }
    } else {
      const c = polynomial.vector;
      acc.set(c.subarray((m - 1) * FR_LIMBS, m * FR_LIMBS));
      frWriteAt(out, (m - 2) * SCALAR_SIZE, acc, 0);
      for (let k = m - 2; k >= 1; k--) {
        frMulAt(acc, 0, acc, 0, x, 0);
        frAddAt(acc, 0, acc, 0, c, k * FR_LIMBS);
        frWriteAt(out, (k - 1) * SCALAR_SIZE, acc, 0);
      }
    }
    return out;
  }

  /**
   * Whether `witness` proves that the polynomial committed to in `commitment` takes `value` at
   * ω_n^index. False for any undecodable input (a bad point, a point outside the subgroup, a
   * non-canonical value), as the reference; wrong argument types, lengths, domain sizes or indexes
   * throw.
   * @example kzg.verify(commitment, 256, 3, value, witness) // true
   */
  verify(
    commitment: Uint8Array,
    domainSize: number,
    index: number,
    value: Uint8Array,
    witness: Uint8Array,
  ): boolean {
    return this.verifyBatch([{ commitment, domainSize, index, value, witness }], { weights: false });
  }

  /**
   * Verifies many openings with one pairing check: with random 128-bit weights r_i,
   * e(Σ r_i·(C_i - y_i·G1 + x_i·π_i), -G2)·e(Σ r_i·π_i, τ·G2) = 1. True for an empty list; false
   * when any opening is undecodable or wrong (except with probability ~2^-128).
   * @example kzg.verifyBatch(openings)
   */
  verifyBatch(openings: readonly KzgOpening[], opts: { weights?: boolean } = {}): boolean {
    if (!Array.isArray(openings)) {
      throw new KzgError({ code: 'KZG_INVALID_ARGUMENT', what: 'openings', reason: 'expected an array' });
    }
    const k = openings.length;
    if (k === 0) return true;
    const compressed = new Uint8Array(2 * k * G1_SIZE);
    const xs: bigint[] = [];
    const ys: bigint[] = [];
    let valid = true;
    openings.forEach((o, i) => {
      abytesKzg(o.commitment, `openings[${i}].commitment`, G1_SIZE);
      abytesKzg(o.witness, `openings[${i}].witness`, G1_SIZE);
      abytesKzg(o.value, `openings[${i}].value`, SCALAR_SIZE);
      const domain = getDomain(assertDomainSize(o.domainSize, `openings[${i}].domainSize`));
      aindex(o.index, domain.size, `openings[${i}].index`);
      if (!isCanonicalAt(o.value, 0)) valid = false;
      compressed.set(o.commitment, i * G1_SIZE);
      compressed.set(o.witness, (k + i) * G1_SIZE);
      xs.push(domainPoint(domain, o.index));
      ys.push(valid ? beToBigint(o.value) : 0n);
    });
    if (!valid) return false;
    let table: Uint8Array;
    try {
      // The reference decodes with the curve check only; we also require the subgroup (the
      // pairing is only defined there), which differs from it on invalid points alone.
      table = this.backend.decompressG1(compressed, true);
    } catch (e) {
      if (e instanceof KzgError) return false;
      throw e;
    }
    // Weights: 1 for a single opening; random 128-bit otherwise (unpredictable to the prover).
    const useWeights = opts.weights !== false && k > 1;
    const rnd = useWeights ? randomBytes(16 * k) : null;
    const weights = xs.map((_, i) =>
      rnd === null ? 1n : beToBigint(rnd.subarray(16 * i, 16 * i + 16)) | 1n,
    );
    // L = Σ r_i·C_i + Σ (r_i·x_i)·π_i + (-Σ r_i·y_i)·G1 over the table [C..., π..., G1].
    const full = new Uint8Array((2 * k + 1) * G1_UNCOMPRESSED_SIZE);
    full.set(table, 0);
    full.set(G1_GENERATOR_TABLE, 2 * k * G1_UNCOMPRESSED_SIZE);
    const scalars = new Uint8Array((2 * k + 1) * SCALAR_SIZE);
    let ySum = 0n;
    for (let i = 0; i < k; i++) {
      const r = weights[i]!;
      bigintToBe(r, scalars, i * SCALAR_SIZE);
      bigintToBe((r * xs[i]!) % R, scalars, (k + i) * SCALAR_SIZE);
      ySum = (ySum + r * ys[i]!) % R;
    }
    bigintToBe((R - ySum) % R, scalars, 2 * k * SCALAR_SIZE);
    const lhs = this.backend.msmG1(full, scalars, 2 * k + 1, 0);
    // Σ r_i·π_i over the witnesses (their scalars are the weights again).
    const wScalars = new Uint8Array(2 * k * SCALAR_SIZE);
    wScalars.set(scalars.subarray(0, k * SCALAR_SIZE), k * SCALAR_SIZE);
    const rhs = this.backend.msmG1(table, wScalars, k, k);
    return this.backend.pairingCheck([
      [lhs, NEG_G2],
      [rhs, this.parameters.tauG2],
    ]);
  }
}
