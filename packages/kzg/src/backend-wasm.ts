/**
 * The blst backend on WebAssembly (`@autonomys/native/wasm`): the same C kernels as the Node addon,
 * single-threaded, for browsers (and Node, where it serves as a test of the module). Same bytes and
 * the same errors as the other backends. No node: imports.
 */
import { type BlstWasm, type BlstWasmSource, loadBlstWasm, NativeError } from '@autonomys/native/wasm';
import type { KzgBackend } from './backend-ts.js';
import { KzgError } from './errors.js';
import { throwIfAborted } from './utils.js';

/** The addon's (and the module's) errors as KzgErrors, with the codes the TypeScript backend throws. */
function translate(e: unknown, what: string): never {
  if (e instanceof NativeError) {
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

/** Points per slice of {@link KzgBackend.decompressG1Async}, with an event-loop turn in between. */
const DECOMPRESS_SLICE = 1024;

const yieldToLoop = (): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A KZG backend over an instantiated blst WebAssembly module.
 * @example const kzg = new Kzg(params, { backend: wasmBackend(await loadBlstWasm(url)) });
 */
export function wasmBackend(blst: BlstWasm): KzgBackend {
  return {
    name: 'wasm',
    fftFr(values, inverse, root) {
      try {
        return blst.frFft(values, inverse, root);
      } catch (e) {
        translate(e, 'values');
      }
    },
    decompressG1(compressed, subgroupCheck) {
      if (compressed.length === 0) return new Uint8Array(0);
      try {
        return blst.g1PrepareAffine(compressed, { subgroupCheck });
      } catch (e) {
        translate(e, 'G1 point');
      }
    },
    async decompressG1Async(compressed, subgroupCheck) {
      const n = compressed.length / 48;
      const out = new Uint8Array(n * 96);
      for (let start = 0; start < n; start += DECOMPRESS_SLICE) {
        const end = Math.min(n, start + DECOMPRESS_SLICE);
        try {
          out.set(
            blst.g1PrepareAffine(compressed.subarray(start * 48, end * 48), { subgroupCheck }),
            start * 96,
          );
        } catch (e) {
          if (e instanceof NativeError && 'index' in e.type)
            translate(new NativeError({ ...e.type, index: e.type.index + start }), 'G1 point');
          translate(e, 'G1 point');
        }
        if (end < n) await yieldToLoop();
      }
      return out;
    },
    msmG1(table, scalars, count, start) {
      try {
        return blst.g1Msm(table, scalars, count, start);
      } catch (e) {
        translate(e, 'scalars');
      }
    },
    async msmG1Async(table, scalars, count, start, opts = {}) {
      // One thread: the MSM runs on the calling thread after an event-loop turn.
      throwIfAborted(opts.signal);
      await yieldToLoop();
      throwIfAborted(opts.signal);
      try {
        return blst.g1Msm(table, scalars, count, start);
      } catch (e) {
        translate(e, 'scalars');
      }
    },
    addG1(a, b) {
      try {
        return blst.g1Add(a, b);
      } catch (e) {
        translate(e, 'G1 point');
      }
    },
    pairingCheck(pairs) {
      try {
        return blst.pairingCheck(pairs, { subgroupCheck: true });
      } catch (e) {
        translate(e, 'pairs');
      }
    },
  };
}

/**
 * Loads blst.wasm (default: `@autonomys/native`'s `wasm/blst.wasm` next to the package, fetched) and
 * returns its backend. Rejects with the module's NATIVE_UNAVAILABLE error when it cannot be had; see
 * {@link selectBrowserBackend} for the fallback to TypeScript.
 * @example const backend = await loadWasmBackend('/assets/blst.wasm');
 */
export async function loadWasmBackend(source?: BlstWasmSource): Promise<KzgBackend> {
  return wasmBackend(await loadBlstWasm(source));
}
