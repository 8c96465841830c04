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
  /** With `proofMasks > 0`: the chunk masks of the first proofs. */
  proofMasks?: NativeProofMasks;
}

/**
 * BLAKE3 of the first proof (the chunk mask, farming §2.3) of each challenge index 0, 1, ... that has
 * one, up to a limit: `masks[32i..32i+32)` belongs to `sBuckets[i]`; indexes from `scanned` on were
 * not examined.
 */
export interface NativeProofMasks {
  sBuckets: Uint32Array;
  masks: Uint8Array;
  scanned: number;
}

/** Options of {@link posTables}. */
export interface PosTablesNativeOptions {
  /** Also hash the first proofs of this many challenge indexes (0..65536, default 0). */
  proofMasks?: number;
}

interface PosAddon {
  posTables?(seed: Uint8Array, k: number, maskLimit?: number): unknown[] | [number, number, number];
}

const pos = addon as PosAddon | null;

/** True when the addon is loaded and has the PoS kernel. */
export const hasPosTables: boolean = typeof pos?.posTables === 'function';

/**
 * Builds the seven proof-of-space tables of a 32-byte seed for space parameter k (6..25) on the
 * calling thread (~0.5-1 s at K=20), optionally with the chunk masks of the first proofs (~20 ms
 * for 32 768). Throws NATIVE_UNAVAILABLE without the addon.
 * @example const { x, positions, y7 } = posTables(seed, 20);
 */
export function posTables(seed: Uint8Array, k: number, opts: PosTablesNativeOptions = {}): NativePosTables {
  abytes(seed, 'seed', 32);
  aint(k, 'k', 6, 25);
  const limit = opts.proofMasks ?? 0;
  aint(limit, 'proofMasks', 0, 65_536);
  if (!hasPosTables)
    throw new NativeError({ code: 'NATIVE_UNAVAILABLE', what: 'posTables', reason: 'not built' });
  const r = limit > 0 ? pos!.posTables!(seed, k, limit) : pos!.posTables!(seed, k);
  if (!(r[0] instanceof Uint32Array))
    throw new NativeError({ code: 'NATIVE_OUT_OF_MEMORY', what: 'posTables' });
  const a = r as Uint32Array[];
  const tables: NativePosTables = { k, x: a[0]!, positions: a.slice(1, 7), y7: a[7]! };
  if (limit > 0)
    tables.proofMasks = {
      sBuckets: a[8]!,
      masks: r[9] as Uint8Array,
      scanned: r[10] as number,
    };
  return tables;
}
