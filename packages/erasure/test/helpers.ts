import { readFileSync } from 'node:fs';
import { decodePublicParameters, fft, ifft, type PublicParameters } from '@autonomys/kzg';
import { BLS12_381_R, scalarFromBigint } from '@autonomys/primitives';
import { vectorPath } from '@autonomys/test-utils';
import { type ErasureBackend, hasNativeFft } from '../src/index.js';

/** Every backend available here: TypeScript always, native when the addon loaded. */
export const backends: ErasureBackend[] = ['typescript', ...(hasNativeFft ? (['native'] as const) : [])];

/** Deterministic pseudo-random scalars (full-size values below r). */
export function scalars(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n * 32);
  for (let i = 0; i < n; i++) {
    const x = (BigInt(i + 1 + seed * 1_000_003) * 0x9e3779b97f4a7c15f39cc0605cedc835n) ** 3n % BLS12_381_R;
    out.set(scalarFromBigint(x < 0n ? x + BLS12_381_R : x), i * 32);
  }
  return out;
}

/** Scalar i of a flat vector. */
export const at = (v: Uint8Array, i: number): Uint8Array => v.subarray(i * 32, i * 32 + 32);

/** The codeword by the definition (archiving §2): DFT_2n(IDFT_n(source) ‖ 0^n), via @autonomys/kzg. */
export function codeword(source: Uint8Array): Uint8Array {
  const c = ifft(source);
  const padded = new Uint8Array(c.length * 2);
  padded.set(c);
  return fft(padded);
}

/** The shards of a codeword with `lost` positions removed. */
export function shardsOf(word: Uint8Array, lost: (i: number) => boolean): (Uint8Array | null)[] {
  return Array.from({ length: word.length / 32 }, (_, i) => (lost(i) ? null : at(word, i).slice()));
}

export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const loaded = new Map<number, PublicParameters>();
/** The first `count` G1 powers of the network's parameters (small polynomials only). */
export function params(count: number): PublicParameters {
  let p = loaded.get(count);
  if (p === undefined) {
    p = decodePublicParameters(new Uint8Array(readFileSync(vectorPath('kzg/eth-public-parameters.bin'))), {
      g1Count: count,
    });
    loaded.set(count, p);
  }
  return p;
}
