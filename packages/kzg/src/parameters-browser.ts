/**
 * The public parameters without a file system (browsers, workers, edge runtimes): decoded from bytes
 * or fetched from a URL. No on-disk cache: decode once per page and keep the result. The same
 * checks and results as the Node entry's functions of the same names. No node: imports.
 */
import { bytesToHex } from '@autonomys/primitives';
import { sha256 } from '@noble/hashes/sha2.js';
import { defaultBackend } from './backend-default.js';
import { KzgError } from './errors.js';
import {
  checkG2,
  corruptPoint,
  finish,
  type PublicParameters,
  type PublicParametersOptions,
  prepare,
} from './parameters-core.js';

/** The options of the browser decoders (the Node entry's, without its on-disk cache). */
export type BrowserParametersOptions = Omit<PublicParametersOptions, 'cache'>;

const sha256Hex = (bytes: Uint8Array): string => bytesToHex(sha256(bytes));

/**
 * Decodes the public parameters from the file's bytes, synchronously.
 * @example const params = decodePublicParameters(bytes, { g1Count: 4096 });
 */
export function decodePublicParameters(
  bytes: Uint8Array,
  opts: BrowserParametersOptions = {},
): PublicParameters {
  const p = prepare(bytes, opts, sha256Hex);
  checkG2(bytes);
  let g1: Uint8Array;
  try {
    g1 = (opts.backend ?? defaultBackend()).decompressG1(p.compressedG1, p.subgroupCheck);
  } catch (e) {
    corruptPoint(e);
  }
  return finish(p, g1);
}

/**
 * {@link decodePublicParameters} in slices with event-loop turns in between (the page stays
 * responsive: 2^15 points take ~1.5 s on blst WebAssembly, ~15 s in TypeScript).
 * @example const params = await decodePublicParametersAsync(bytes);
 */
export async function decodePublicParametersAsync(
  bytes: Uint8Array,
  opts: BrowserParametersOptions = {},
): Promise<PublicParameters> {
  const p = prepare(bytes, opts, sha256Hex);
  checkG2(bytes);
  let g1: Uint8Array;
  try {
    g1 = await (opts.backend ?? defaultBackend()).decompressG1Async(p.compressedG1, p.subgroupCheck);
  } catch (e) {
    corruptPoint(e);
  }
  return finish(p, g1);
}

/**
 * Fetches the parameters file (1 579 104 bytes) from `url` and decodes it.
 * @example const params = await fetchPublicParameters('/assets/eth-public-parameters.bin');
 */
export async function fetchPublicParameters(
  url: string | URL,
  opts: BrowserParametersOptions = {},
): Promise<PublicParameters> {
  const response = await fetch(url);
  if (!response.ok) throw new KzgError({ code: 'KZG_PARAMETERS_NOT_FOUND', paths: [String(url)] });
  return decodePublicParametersAsync(new Uint8Array(await response.arrayBuffer()), opts);
}
