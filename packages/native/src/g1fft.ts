/**
 * The Fourier transform over G1 (csrc/g1fft.c): the building block for computing every KZG opening
 * of a polynomial at once (@autonomys/kzg `createWitnesses`), O(n log n) scalar multiplications
 * instead of n MSMs of n points.
 */

import type { Status } from './addon.js';
import { addon } from './addon.js';
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
  ): Status;
}
const fftAddon = addon as (G1FftAddon & object) | null;

/** True when the addon is loaded and has {@link g1Fft}. */
export const hasG1Fft: boolean = typeof fftAddon?.g1Fft === 'function';

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
 * out_i = Σ_j points_j·ω^(ij) over G1 (n a power of two, ω = `rootOfUnity` of order exactly n,
 * 32 bytes big-endian), or the inverse transform. `points` holds n uncompressed affine points
 * (96 bytes each, the format of `g1PrepareAffine`; the identity is allowed), checked to be on the
 * curve. Returns n points, uncompressed unless `compress`. Errors: NATIVE_BAD_ENCODING /
 * NATIVE_NOT_ON_CURVE (point index), NATIVE_INVALID_SCALAR (scalar index), NATIVE_INVALID_ROOT.
 * @example const spectrum = g1Fft(srsPoints, omega512);
 */
export function g1Fft(points: Uint8Array, rootOfUnity: Uint8Array, opts: G1FftOptions = {}): Uint8Array {
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
  if (fftAddon === null || typeof fftAddon.g1Fft !== 'function')
    throw new NativeError({ code: 'NATIVE_UNAVAILABLE', what: 'g1Fft', reason: 'the addon has no g1Fft' });
  const out = new Uint8Array(n * (opts.compress === true ? G1_COMPRESSED_SIZE : G1_UNCOMPRESSED_SIZE));
  const st = fftAddon.g1Fft(out, points, scalars, rootOfUnity, opts.inverse === true);
  if (st !== undefined) throw statusError('g1Fft', st, 0, n);
  return out;
}
