/**
 * The FFT engines: TypeScript (always) and blst's `frFft` through `@autonomys/native` when its addon
 * is loaded. `@autonomys/native` is imported dynamically and defensively, as in @autonomys/kzg, so a
 * bundle without it still works. AUTONOMYS_ERASURE_BACKEND=typescript forces TypeScript.
 *
 * Where native pays (bench/index.ts, 2-core EPYC VM): blst's FFT is ~4x faster per butterfly than
 * ours, and a call costs the two byte conversions of its values. The crossover is measured at
 * NATIVE_MIN_SIZE elements; below it the TypeScript FFT runs even on the native backend.
 */
import { FR_LIMBS, type FrVector, powBigint, rootOfUnity } from '@autonomys/kzg';
import { scalarFromBigint, scalarToBigint } from '@autonomys/primitives';
import { ErasureError } from './errors.js';
import { fftTs, rawFromBytes, rawToBytes } from './field.js';

type NativeModule = typeof import('@autonomys/native');

async function loadNative(): Promise<NativeModule | null> {
  if (typeof process !== 'undefined' && process.env?.AUTONOMYS_ERASURE_BACKEND === 'typescript') return null;
  try {
    const m = await import('@autonomys/native');
    return m.isNative ? m : null;
  } catch {
    return null;
  }
}

const native = await loadNative();

/** Which FFT engine runs: `native` (blst through @autonomys/native) or `typescript`. */
export type ErasureBackend = 'native' | 'typescript';

/** Options every coding function takes. */
export interface ErasureOptions {
  /** The FFT engine; default `native` when `@autonomys/native` is loaded, else `typescript`. */
  backend?: ErasureBackend;
}

/** Whether the native FFT is available. */
export const hasNativeFft: boolean = native !== null;

/** The default backend. */
export function defaultErasureBackend(): ErasureBackend {
  return native === null ? 'typescript' : 'native';
}

/** Smallest FFT handed to blst on the native backend (below it the call overhead dominates). */
export const NATIVE_MIN_SIZE = 64;

/** The engine an options object selects; throws for `native` without the addon. */
export function engine(opts: ErasureOptions | undefined): NativeModule | null {
  const b = opts?.backend;
  if (b === undefined) return native;
  if (b === 'typescript') return null;
  if (b === 'native') {
    if (native === null)
      throw new ErasureError({
        code: 'ERASURE_INVALID_ARGUMENT',
        what: 'backend',
        reason: '@autonomys/native is not loaded (addon not built, or AUTONOMYS_ERASURE_BACKEND=typescript)',
      });
    return native;
  }
  throw new ErasureError({
    code: 'ERASURE_INVALID_ARGUMENT',
    what: 'backend',
    reason: `unknown backend ${String(b)}`,
  });
}

const roots = new Map<number, { forward: Uint8Array; inverse: Uint8Array }>();
/** ω_n and ω_n^-1 as 32-byte scalars (the native FFT's root argument). */
export function nativeRoots(n: number): { forward: Uint8Array; inverse: Uint8Array } {
  let r = roots.get(n);
  if (r === undefined) {
    const forward = rootOfUnity(n);
    // ω^-1 = ω^(n-1): blst's unscaled FFT with it is our unscaled inverse.
    const inverse = n === 1 ? forward : rootOfUnityPower(n, n - 1);
    r = { forward, inverse };
    roots.set(n, r);
  }
  return r;
}

function rootOfUnityPower(n: number, k: number): Uint8Array {
  return scalarFromBigint(powBigint(scalarToBigint(rootOfUnity(n)), BigInt(k)));
}

/**
 * The unscaled DFT (inverse: with ω^-1, not divided by n) of the n elements at element offset
 * `base`, in place, on blst when `nat` is given and n is large enough, else in TypeScript.
 */
export function fft(v: FrVector, base: number, n: number, inverse: boolean, nat: NativeModule | null): void {
  if (nat === null || n < NATIVE_MIN_SIZE) {
    fftTs(v, base, n, inverse);
    return;
  }
  const r = nativeRoots(n);
  const out = nat.frFft(rawToBytes(v, base * FR_LIMBS, n), false, inverse ? r.inverse : r.forward);
  rawFromBytes(out, v, base * FR_LIMBS);
}
