/**
 * Proof-of-space table construction (farming §3.4) for `@autonomys/plotter`, in C (csrc/pos.c):
 * ChaCha8 f1, bucket matching, and fn with BLAKE3 eight hashes at a time. The plotter keeps a
 * byte-identical TypeScript path and calls this only when {@link hasPosTables} is true.
 */
import { addon } from './addon.js';
import { abytes, aint } from './assert.js';
import { NativeError } from './errors.js';

/** The tables as typed arrays: x of table 1, (left, right) rank pairs of tables 2..7, y of table 7. */
export interface NativePosTables {
  k: number;
  x: Uint32Array;
  positions: Uint32Array[];
  y7: Uint32Array;
}

interface PosAddon {
  posTables?(seed: Uint8Array, k: number): Uint32Array[] | [number, number, number];
}

const pos = addon as PosAddon | null;

/** True when the addon is loaded and has the PoS kernel. */
export const hasPosTables: boolean = typeof pos?.posTables === 'function';

/**
 * Builds the seven proof-of-space tables of a 32-byte seed for space parameter k (6..25) on the
 * calling thread (~0.5-1 s at K=20). Throws NATIVE_UNAVAILABLE without the addon.
 * @example const { x, positions, y7 } = posTables(seed, 20);
 */
export function posTables(seed: Uint8Array, k: number): NativePosTables {
  abytes(seed, 'seed', 32);
  aint(k, 'k', 6, 25);
  if (!hasPosTables)
    throw new NativeError({ code: 'NATIVE_UNAVAILABLE', what: 'posTables', reason: 'not built' });
  const r = pos!.posTables!(seed, k);
  if (!(r[0] instanceof Uint32Array))
    throw new NativeError({ code: 'NATIVE_OUT_OF_MEMORY', what: 'posTables' });
  const arrays = r as Uint32Array[];
  return { k, x: arrays[0]!, positions: arrays.slice(1, 7), y7: arrays[7]! };
}
