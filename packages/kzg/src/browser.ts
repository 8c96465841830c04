/**
 * @autonomys/kzg for browsers (the `browser` condition of the package's exports): the Node entry's
 * API without files, the on-disk cache or worker threads. Parameters are decoded from bytes or
 * fetched from a URL; the backend is TypeScript until another is chosen, and blst compiled to
 * WebAssembly (`@autonomys/native/wasm`) is the fast one:
 *
 * ```ts
 * const backend = await selectBrowserBackend(); // blst WebAssembly, or TypeScript when it cannot load
 * const kzg = new Kzg(await fetchPublicParameters(url, { backend }), { backend });
 * ```
 *
 * Results are byte-identical to the Node entry's. No node: imports are reachable from here.
 * @module
 */
import type { BlstWasmSource } from '@autonomys/native/wasm';
import { type KzgBackend, typescriptCoreBackend } from './backend-ts.js';
import { loadWasmBackend } from './backend-wasm.js';

export { defaultBackend, setDefaultBackend } from './backend-default.js';
export {
  type KzgAsyncOptions,
  type KzgBackend,
  type PairingPair,
  typescriptCoreBackend,
  /** In browsers the TypeScript backend has no worker threads: it is the core one. */
  typescriptCoreBackend as typescriptBackend,
} from './backend-ts.js';
export { loadWasmBackend, wasmBackend } from './backend-wasm.js';
export * from './constants.js';
export { type Domain, getDomain, rootOfUnity } from './domain.js';
export { KzgError, type KzgErrorCode, type KzgErrorType } from './errors.js';
export { fft, fftG1, fftInPlace, ifft } from './fft.js';
export {
  FR_LIMBS,
  FR_ONE,
  FR_ZERO,
  type FrVector,
  frAddAt,
  frAddSubAt,
  frButterflyAt,
  frFromBigint,
  frMulAt,
  frReadAt,
  frSubAt,
  frToBigint,
  frVectorFromBytes,
  frVectorToBytes,
  frWriteAt,
  invBigint,
  isCanonicalAt,
  powBigint,
  readLimbs as frReadRawAt,
  writeLimbs as frWriteRawAt,
} from './fr.js';
export {
  FIXED_BASE_AUTO_MIN_TERMS,
  FIXED_BASE_MAX_POINTS,
  Kzg,
  type KzgOpening,
  type KzgOptions,
} from './kzg.js';
export {
  type BrowserParametersOptions,
  decodePublicParameters,
  decodePublicParametersAsync,
  fetchPublicParameters,
} from './parameters-browser.js';
export type { PublicParameters, PublicParametersOptions } from './parameters-core.js';
export { Polynomial, poly, type Scalars } from './polynomial.js';

/**
 * The fastest backend this page can run: blst on WebAssembly when `wasm` (default: the module next
 * to `@autonomys/native`, fetched) loads, else TypeScript. Says once on the console why it fell back.
 * @example const backend = await selectBrowserBackend({ wasm: '/assets/blst.wasm' });
 */
export async function selectBrowserBackend(opts: { wasm?: BlstWasmSource } = {}): Promise<KzgBackend> {
  try {
    return await loadWasmBackend(opts.wasm);
  } catch (e) {
    console.warn(
      `@autonomys/kzg: blst WebAssembly unavailable (${e instanceof Error ? e.message : String(e)}); using the TypeScript backend`,
    );
    return typescriptCoreBackend;
  }
}
