/**
 * The Fourier transform over G1 (csrc/g1fft.c): the building block for computing every KZG opening
 * of a polynomial at once (@autonomys/kzg `createWitnesses`) and for extending commitments
 * (@autonomys/erasure), O(n log n) scalar multiplications instead of n MSMs of n points.
 */
import { addon, type Status } from './addon.js';
import { abytes } from './assert.js';
import { G1_COMPRESSED_SIZE, G1_UNCOMPRESSED_SIZE, SCALAR_SIZE } from './constants.js';
import { NativeError } from './errors.js';
import { statusError } from './status.js';

interface G1FftAddon {
  g1Fft?(
    out: Uint8Array,
    points: Uint8Array,
    scalars: Uint8Array,
    root: Uint8Array,
    inverse: boolean,
    compress: boolean,
  ): Status;
  g1FftAsync?(
    points: Uint8Array,
    scalars: Uint8Array,
    root: Uint8Array,
    inverse: boolean,
    compress: boolean,
  ): Promise<Uint8Array | Status>;
}
const fftAddon = addon as (G1FftAddon & object) | null;

/** True when the addon is loaded and has {@link g1Fft} and {@link g1FftAsync}. */
export const hasG1Fft: boolean =
  typeof fftAddon?.g1Fft === 'function' && typeof fftAddon.g1FftAsync === 'function';

/** Options of {@link g1Fft}. */
export interface G1FftOptions {
  /** The inverse transform (with the 1/n factor; `rootOfUnity` is still the forward root). */
  inverse?: boolean;
  /** n 32-byte big-endian canonical scalars: point i is multiplied by scalar i first. */
  scalars?: Uint8Array;
  /** Write 48-byte compressed points instead of 96-byte uncompressed ones (default false). */
  compress?: boolean;
}

/**
 * out_k = Σ_j s_j·points_j·ω^(jk) over G1 (s_j = 1 without `scalars`; n a power of two, ω =
 * `rootOfUnity` of order exactly n, 32 bytes big-endian), or the inverse transform (ω^-1, times
 * 1/n). `points` holds n uncompressed affine points (96 bytes each, the format of
 * `g1PrepareAffine`; the identity is allowed), checked to be on the curve. Returns n points,
 * uncompressed unless `compress`. Errors: NATIVE_BAD_ENCODING / NATIVE_NOT_ON_CURVE (point index),
 * NATIVE_INVALID_SCALAR (scalar index), NATIVE_INVALID_ROOT, NATIVE_INVALID_ARGUMENT (lengths).
 * @example const spectrum = g1Fft(srsPoints, omega512);
 */
export function g1Fft(points: Uint8Array, rootOfUnity: Uint8Array, opts: G1FftOptions = {}): Uint8Array {
  const { n, scalars, fft } = checkArgs(points, rootOfUnity, opts);
  const out = new Uint8Array(n * (opts.compress === true ? G1_COMPRESSED_SIZE : G1_UNCOMPRESSED_SIZE));
  const st = fft.g1Fft!(out, points, scalars, rootOfUnity, opts.inverse === true, opts.compress === true);
  if (st !== undefined) throw statusError('g1Fft', st, 0, n);
  return out;
}

/**
 * {@link g1Fft} on libuv's thread pool (the inputs are copied first, so the caller may reuse them).
 * @example const parity = await g1FftAsync(coefficients, omega128, { scalars: shifts, compress: true });
 */
export async function g1FftAsync(
  points: Uint8Array,
  rootOfUnity: Uint8Array,
  opts: G1FftOptions = {},
): Promise<Uint8Array> {
  const { n, scalars, fft } = checkArgs(points, rootOfUnity, opts);
  const r = await fft.g1FftAsync!(
    points,
    scalars,
    rootOfUnity,
    opts.inverse === true,
    opts.compress === true,
  );
  if (!(r instanceof Uint8Array)) throw statusError('g1FftAsync', r!, 0, n);
  return r;
}

function checkArgs(
  points: Uint8Array,
  rootOfUnity: Uint8Array,
  opts: G1FftOptions,
): { n: number; scalars: Uint8Array; fft: G1FftAddon } {
  abytes(points, 'points', undefined, G1_UNCOMPRESSED_SIZE);
  abytes(rootOfUnity, 'rootOfUnity', SCALAR_SIZE);
  const n = points.length / G1_UNCOMPRESSED_SIZE;
  if (n === 0 || (n & (n - 1)) !== 0)
    throw new NativeError({
      code: 'NATIVE_INVALID_ARGUMENT',
      what: 'points',
      reason: `${n} points, not a power of two`,
    });
  const scalars = opts.scalars ?? new Uint8Array(0);
  if (opts.scalars !== undefined) abytes(scalars, 'scalars', n * SCALAR_SIZE);
  if (!hasG1Fft || fftAddon === null)
    throw new NativeError({ code: 'NATIVE_UNAVAILABLE', what: 'g1Fft', reason: 'the addon has no g1Fft' });
  return { n, scalars, fft: fftAddon };
}
