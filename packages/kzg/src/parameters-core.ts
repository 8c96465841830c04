/**
 * Decoding the public parameters (archiving §1.2) from bytes, shared by the Node entry
 * (./parameters.ts: files, the on-disk cache, node:crypto) and the browser entry
 * (./parameters-browser.ts: bytes or a URL). No node: imports here.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import type { KzgBackend } from './backend-ts.js';
import type { CacheOptions } from './cache.js';
import {
  G1_SIZE,
  G1_UNCOMPRESSED_SIZE,
  G2_SIZE,
  NUM_G1_POWERS,
  NUM_G2_POWERS,
  PUBLIC_PARAMETERS_SHA256,
  PUBLIC_PARAMETERS_SIZE,
} from './constants.js';
import { KzgError } from './errors.js';
import { abytesKzg } from './utils.js';

/** Decoded public parameters. */
export interface PublicParameters {
  /** How many G1 powers were decoded (the largest committable polynomial). */
  readonly g1Count: number;
  /** G1 powers τ^i·G1, i < g1Count, 96-byte uncompressed affine each (blst's form). */
  readonly g1: Uint8Array;
  /** τ·G2 (G2[1]), compressed: the only G2 power used (by verification). */
  readonly tauG2: Uint8Array;
  /** SHA-256 of the parameters file, hex. */
  readonly sha256: string;
}

export interface PublicParametersOptions {
  /** Decode only the first `g1Count` G1 powers (default all 32 768): fewer points load faster. */
  g1Count?: number;
  /**
   * Check every G1 point for subgroup membership. Default `'auto'`: only when the bytes are not
   * the network's pinned file (SHA-256 {@link PUBLIC_PARAMETERS_SHA256}), whose points are known
   * to be in the subgroup (checked once, by this package's slow test suite).
   */
  subgroupCheck?: boolean | 'auto';
  /** The backend that decompresses (default: native when loaded, else TypeScript). */
  backend?: KzgBackend;
  /** The on-disk cache of decoded tables: `false` disables it. */
  cache?: CacheOptions | false;
}

export interface Prepared {
  count: number;
  sha256: string;
  subgroupCheck: boolean;
  tauG2: Uint8Array;
  compressedG1: Uint8Array;
}

export function prepare(
  bytes: Uint8Array,
  opts: PublicParametersOptions,
  sha256Hex: (bytes: Uint8Array) => string,
): Prepared {
  abytesKzg(bytes, 'public parameters');
  if (bytes.length !== PUBLIC_PARAMETERS_SIZE) {
    throw new KzgError({
      code: 'KZG_PARAMETERS_CORRUPT',
      reason: `expected ${PUBLIC_PARAMETERS_SIZE} bytes (${NUM_G1_POWERS} G1 + ${NUM_G2_POWERS} G2 points), got ${bytes.length}`,
    });
  }
  const count = opts.g1Count ?? NUM_G1_POWERS;
  if (!Number.isSafeInteger(count) || count < 1 || count > NUM_G1_POWERS) {
    throw new KzgError({
      code: 'KZG_INVALID_ARGUMENT',
      what: 'g1Count',
      reason: `expected an integer in [1, ${NUM_G1_POWERS}], got ${count}`,
    });
  }
  const sha256 = sha256Hex(bytes);
  const mode = opts.subgroupCheck ?? 'auto';
  const subgroupCheck = mode === 'auto' ? sha256 !== PUBLIC_PARAMETERS_SHA256 : mode;
  const g2Start = NUM_G1_POWERS * G1_SIZE;
  return {
    count,
    sha256,
    subgroupCheck,
    tauG2: bytes.slice(g2Start + G2_SIZE, g2Start + 2 * G2_SIZE),
    compressedG1: bytes.subarray(0, count * G1_SIZE),
  };
}

/** Validates the G2 powers: encoding, curve and subgroup (noble), and G2[0] = the generator. */
export function checkG2(bytes: Uint8Array): void {
  const g2Start = NUM_G1_POWERS * G1_SIZE;
  for (let i = 0; i < NUM_G2_POWERS; i++) {
    const b = bytes.subarray(g2Start + i * G2_SIZE, g2Start + (i + 1) * G2_SIZE);
    let ok = false;
    try {
      const q = bls12_381.G2.Point.fromBytes(b);
      ok = i !== 0 || q.equals(bls12_381.G2.Point.BASE);
    } catch {}
    if (!ok)
      throw new KzgError({ code: 'KZG_PARAMETERS_CORRUPT', reason: `G2 power ${i} is not a valid point` });
  }
}

export function finish(p: Prepared, g1: Uint8Array): PublicParameters {
  // G1[0] must be the generator (archiving §1.2); cheap, and it catches a shifted or wrong file.
  const gen = new Uint8Array(G1_UNCOMPRESSED_SIZE);
  const { x, y } = bls12_381.G1.Point.BASE.toAffine();
  gen.set(bls12_381.fields.Fp.toBytes(x), 0);
  gen.set(bls12_381.fields.Fp.toBytes(y), G1_SIZE);
  if (!g1.subarray(0, G1_UNCOMPRESSED_SIZE).every((v, i) => v === gen[i])) {
    throw new KzgError({ code: 'KZG_PARAMETERS_CORRUPT', reason: 'G1 power 0 is not the generator' });
  }
  return { g1Count: p.count, g1, tauG2: p.tauG2, sha256: p.sha256 };
}

export function corruptPoint(e: unknown): never {
  if (e instanceof KzgError && (e.code === 'KZG_INVALID_POINT' || e.code === 'KZG_NOT_IN_SUBGROUP')) {
    const index = 'index' in e.type ? e.type.index : undefined;
    throw new KzgError({
      code: 'KZG_PARAMETERS_CORRUPT',
      reason: `G1 power ${index ?? '?'}: ${e.code === 'KZG_NOT_IN_SUBGROUP' ? 'not in the subgroup' : e.message}`,
    });
  }
  throw e;
}
