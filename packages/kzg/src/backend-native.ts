/**
 * The blst backend through `@autonomys/native`, and the choice between backends. The package is
 * imported dynamically and defensively: where it is missing (a browser bundle) or its addon did not
 * build, the TypeScript backend is used. AUTONOMYS_KZG_BACKEND=typescript forces TypeScript.
 */

import { type KzgBackend, typescriptBackend } from './backend.js';
import { defaultBackend, setDefaultBackend } from './backend-default.js';
import { KzgError } from './errors.js';
import { raceAbort, throwIfAborted } from './utils.js';

type NativeModule = typeof import('@autonomys/native');

async function loadNative(): Promise<NativeModule | null> {
  if (typeof process !== 'undefined' && process.env?.AUTONOMYS_KZG_BACKEND === 'typescript') return null;
  try {
    const m = await import('@autonomys/native');
    return m.isNative ? m : null;
  } catch {
    return null;
  }
}

const native = await loadNative();

/** Native errors as KzgErrors (the same codes as the TypeScript backend throws). */
function translate(e: unknown, what: string): never {
  if (native !== null && e instanceof native.NativeError) {
    const t = e.type;
    const index = 'index' in t ? { index: t.index } : {};
    switch (t.code) {
      case 'NATIVE_BAD_ENCODING':
        throw new KzgError({
          code: 'KZG_INVALID_POINT',
          what,
          reason: 'not a valid point encoding',
          ...index,
        });
      case 'NATIVE_NOT_ON_CURVE':
        throw new KzgError({ code: 'KZG_INVALID_POINT', what, reason: 'not on the curve', ...index });
      case 'NATIVE_NOT_IN_SUBGROUP':
        throw new KzgError({ code: 'KZG_NOT_IN_SUBGROUP', what, ...index });
      case 'NATIVE_INVALID_SCALAR':
        throw new KzgError({ code: 'KZG_INVALID_SCALAR', what, ...index });
      default:
        throw new KzgError({ code: 'KZG_INVALID_ARGUMENT', what, reason: e.message });
    }
  }
  throw e;
}

function nativeBackend(m: NativeModule): KzgBackend {
  return {
    name: 'native',
    fftFr(values, inverse, root) {
      try {
        return m.frFft(values, inverse, root);
      } catch (e) {
        translate(e, 'values');
      }
    },
    ...(m.hasG1Fft
      ? {
          fftG1(
            points: Uint8Array,
            root: Uint8Array,
            opts: { inverse?: boolean; scalars?: Uint8Array; compress?: boolean },
          ) {
            try {
              return m.g1Fft(points, root, opts);
            } catch (e) {
              translate(e, 'points');
            }
          },
          fftG1Async(
            points: Uint8Array,
            root: Uint8Array,
            opts: { inverse?: boolean; scalars?: Uint8Array; compress?: boolean },
          ) {
            return m.g1FftAsync(points, root, opts).catch((e: unknown) => translate(e, 'points'));
          },
        }
      : {}),
    decompressG1(compressed, subgroupCheck) {
      if (compressed.length === 0) return new Uint8Array(0);
      try {
        return m.g1PrepareAffine(compressed, { subgroupCheck });
      } catch (e) {
        translate(e, 'G1 point');
      }
    },
    async decompressG1Async(compressed, subgroupCheck) {
      if (compressed.length === 0) return new Uint8Array(0);
      try {
        return await m.g1PrepareAffineAsync(compressed, { subgroupCheck });
      } catch (e) {
        translate(e, 'G1 point');
      }
    },
    msmG1(table, scalars, count, start) {
      try {
        return m.g1Msm(table, scalars, count, start);
      } catch (e) {
        translate(e, 'scalars');
      }
    },
    async msmG1Async(table, scalars, count, start, opts = {}) {
      throwIfAborted(opts.signal);
      // blst jobs cannot be interrupted once started: an abort rejects at once and drops the result.
      const job = m
        .g1MsmParallel(table, scalars, {
          count,
          start,
          ...(opts.threads === undefined ? {} : { threads: opts.threads }),
        })
        .catch((e: unknown) => translate(e, 'scalars'));
      return opts.signal === undefined ? job : raceAbort(job, opts.signal);
    },
    ...(m.hasFrQuotient
      ? {
          quotient(coefficients: Uint8Array | Float64Array, x: Uint8Array) {
            try {
              return m.frQuotient(coefficients, x);
            } catch (e) {
              translate(e, 'coefficients');
            }
          },
        }
      : {}),
    ...(m.hasG1FixedBase
      ? {
          async prepareFixedBase(table: Uint8Array, count: number, opts: { threads?: number } = {}) {
            const fixed = await m
              .g1FixedBasePrepare(table, {
                count,
                ...(opts.threads === undefined ? {} : { threads: opts.threads }),
              })
              .catch((e: unknown) => translate(e, 'G1 point'));
            return {
              count: fixed.count,
              bytes: fixed.bytes,
              msm(scalars: Uint8Array) {
                try {
                  return fixed.msm(scalars);
                } catch (e) {
                  translate(e, 'scalars');
                }
              },
              msmAsync(scalars: Uint8Array, o: { threads?: number } = {}) {
                return fixed.msmAsync(scalars, o).catch((e: unknown) => translate(e, 'scalars'));
              },
            };
          },
        }
      : {}),
    addG1(a, b) {
      try {
        return m.g1Add(a, b);
      } catch (e) {
        translate(e, 'G1 point');
      }
    },
    pairingCheck(pairs) {
      try {
        return m.pairingCheck(pairs, { subgroupCheck: true });
      } catch (e) {
        translate(e, 'pairs');
      }
    },
  };
}

/** The blst backend, or null when `@autonomys/native` is not loaded. */
export const nativeKzgBackend: KzgBackend | null = native === null ? null : nativeBackend(native);

/**
 * Makes the Node default the default backend (./backend-default.ts): blst when loaded, else
 * TypeScript with worker threads. Runs when this module loads; the Node entry calls it too, so that
 * a bundler dropping unused re-exports cannot skip it.
 */
export function registerNodeDefaultBackend(): void {
  setDefaultBackend(nativeKzgBackend ?? typescriptBackend);
}

registerNodeDefaultBackend();

export { defaultBackend };
