/**
 * Loads the compiled addon (built at install by scripts/build.mjs) once. The path is resolved from
 * the package root, which is one level above both `src/` (tests, sources) and `dist/` (published).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { NativeError } from './errors.js';

/** `undefined` on success, else `[statusCode, index, group]` (csrc/kernels.h). */
export type Status = undefined | [code: number, index: number, group: number];

/** The raw addon; src/*.ts validate every argument before calling it. */
export interface Addon {
  readonly hasAes: boolean;
  g1Decompress(out: Uint8Array, compressed: Uint8Array, subgroupCheck: boolean): Status;
  g1DecompressAsync(compressed: Uint8Array, subgroupCheck: boolean): Promise<Uint8Array | Status>;
  g1Compress(out: Uint8Array, point: Uint8Array): Status;
  g1InGroup(point: Uint8Array): Status;
  g1Add(out: Uint8Array, a: Uint8Array, b: Uint8Array): Status;
  g1Msm(out: Uint8Array, points: Uint8Array, scalars: Uint8Array): Status;
  g1MsmAsync(points: Uint8Array, scalars: Uint8Array): Promise<Uint8Array | Status>;
  pairingCheck(g1s: Uint8Array, g2s: Uint8Array, subgroupCheck: boolean): boolean | Status;
  frFft(out: Uint8Array, values: Uint8Array, root: Uint8Array, inverse: boolean): Status;
  frExtendColumns(out: Uint8Array, records: Uint8Array, n: number, root2n: Uint8Array): Status;
  aesChainMulti(out: Uint8Array, key: Uint8Array, blocks: Uint8Array, iterations: number): Status;
  aesChainMultiAsync(key: Uint8Array, blocks: Uint8Array, iterations: number): Promise<Uint8Array | Status>;
}

/** Where the install script puts the addon, relative to the package root. */
export const ADDON_PATH = fileURLToPath(new URL('../build/Release/autonomys_native.node', import.meta.url));

function load(): { addon: Addon | null; reason: string } {
  if (process.env.AUTONOMYS_NATIVE_DISABLE === '1')
    return { addon: null, reason: 'AUTONOMYS_NATIVE_DISABLE=1' };
  try {
    return { addon: createRequire(import.meta.url)(ADDON_PATH) as Addon, reason: '' };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason =
      err.code === 'MODULE_NOT_FOUND' ? 'not built' : (err.code ?? err.message.split('\n')[0] ?? 'error');
    // One line, once per process: the packages that use us carry on with their TypeScript paths.
    console.warn(`@autonomys/native: native addon unavailable (${reason}); using the JS fallbacks`);
    return { addon: null, reason };
  }
}

const loaded = load();

/** The addon, or null when it could not be loaded. */
export const addon: Addon | null = loaded.addon;

/** Why the addon is not loaded (empty when it is). */
export const unavailableReason: string = loaded.reason;

/** The addon, or a NATIVE_UNAVAILABLE error naming the function that needed it. */
export function need(what: string): Addon {
  if (addon !== null) return addon;
  throw new NativeError({ code: 'NATIVE_UNAVAILABLE', what, reason: unavailableReason });
}
