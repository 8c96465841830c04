/**
 * Building the tables of a seed on the calling thread, natively when `@autonomys/native` has the PoS
 * kernel, else in TypeScript (byte-identical), and finding proofs in them.
 */
import { abytes, aindex, aint, ak } from '../assert.js';
import { POS_K, POS_NUM_TABLES, POS_SEED_SIZE } from '../constants.js';
import { PlotterError } from '../errors.js';
import type { PosOptions } from './functions.js';
import { nativePosTables } from './native.js';
import { CHALLENGE_INDEXES, computeProofMasks, findProofXs, packXs } from './proof.js';
import { buildTablesJs, type CheckAbort, type PosTablesData, type ProofMasks } from './table.js';

export type { PosTablesData, ProofMasks };

/** Options of table construction. */
export interface PosTablesOptions extends PosOptions {
  /**
   * `true`: require the native kernel (throws PLOTTER_INVALID_ARGUMENT without it); `false`: always
   * TypeScript; default: native when available.
   */
  native?: boolean;
  /** Also compute the chunk masks of the first this many proofs (`proofMasks` of the result; default 0). */
  proofMasks?: number;
}

/** Which implementation builds tables when `native` is not forced. */
export function defaultBackend(): 'native' | 'ts' {
  return nativePosTables !== undefined ? 'native' : 'ts';
}

/** Table construction after argument checks (also the worker's entry). */
export function buildTables(
  seed: Uint8Array,
  k: number,
  native: boolean | undefined,
  checkAbort?: CheckAbort,
  proofMasks = 0,
  cores = 1,
  spare: ArrayBuffer[] = [],
): PosTablesData {
  if (native === true && nativePosTables === undefined) {
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what: 'native',
      reason: 'the native PoS kernel of @autonomys/native is not available',
    });
  }
  if (native !== false && nativePosTables !== undefined) {
    const data =
      proofMasks > 0 || cores > 1 || spare.length > 0
        ? nativePosTables(seed, k, { proofMasks, threads: cores, ...(spare.length > 0 ? { spare } : {}) })
        : nativePosTables(seed, k);
    // An addon built before the masks existed ignores the option: compute them here then.
    if (proofMasks > 0 && data.proofMasks === undefined)
      return { ...data, proofMasks: computeProofMasks(data, proofMasks) };
    return data;
  }
  const data = buildTablesJs(seed, k, checkAbort);
  if (proofMasks === 0) return data;
  checkAbort?.();
  return { ...data, proofMasks: computeProofMasks(data, proofMasks) };
}

/**
 * Builds the seven proof-of-space tables of a 32-byte seed synchronously (farming §3.4): ~0.5 s
 * natively, a few seconds in TypeScript at K=20, ~56 MB. Prefer {@link createPosTableGenerator} to
 * keep the work off the main thread.
 * @example const tables = createPosTables(seed); findProof(tables, 1011);
 */
export function createPosTables(seed: Uint8Array, opts: PosTablesOptions = {}): PosTablesData {
  const k = ak(opts.k, POS_K);
  abytes(seed, POS_SEED_SIZE, 'seed');
  const masks = opts.proofMasks ?? 0;
  aint(masks, 0, CHALLENGE_INDEXES, 'proofMasks');
  return buildTables(seed, k, opts.native, undefined, masks);
}

function assertTables(tables: PosTablesData): void {
  if (
    tables === null ||
    typeof tables !== 'object' ||
    !(tables.x instanceof Uint32Array) ||
    !(tables.y7 instanceof Uint32Array) ||
    !Array.isArray(tables.positions) ||
    tables.positions.length !== POS_NUM_TABLES - 1
  ) {
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what: 'tables',
      reason: 'not a PosTablesData',
    });
  }
}

/**
 * The first proof (8·K = 160 bytes) for a challenge index, or undefined when there is none (about
 * 40% of s-buckets at K=20). "First" is the canonical order of farming §3.4, so plots match the
 * reference byte for byte.
 * @example const proof = findProof(tables, sBucket); if (proof) mask = proofHash(proof);
 */
export function findProof(tables: PosTablesData, sBucket: number): Uint8Array | undefined {
  assertTables(tables);
  aindex(sBucket);
  const xs = findProofXs(tables, sBucket);
  return xs === undefined ? undefined : packXs(xs, tables.k);
}
