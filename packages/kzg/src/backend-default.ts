/**
 * The backend used when none is given ({@link Kzg}, `poly`): TypeScript until another one is set.
 * The Node entry sets it when it loads (./backend-native.ts: blst when the addon is loaded, else
 * TypeScript with worker threads); browsers can set the WebAssembly one (./browser.ts). No node:
 * imports here.
 */
import { type KzgBackend, typescriptCoreBackend } from './backend-ts.js';

let current: KzgBackend = typescriptCoreBackend;

/**
 * The backend used by default: native when its addon is loaded, else TypeScript.
 * @example defaultBackend().name // 'native' or 'typescript'
 */
export function defaultBackend(): KzgBackend {
  return current;
}

/**
 * Makes `backend` the default of every later {@link Kzg} and `poly` call that names none.
 * @example setDefaultBackend(await loadWasmBackend());
 */
export function setDefaultBackend(backend: KzgBackend): void {
  current = backend;
}
