/**
 * The public parameters (archiving §1.2): 32 768 compressed G1 powers τ^i·G1 then 65 compressed
 * G2 powers τ^i·G2, 1 579 104 bytes. Decoding checks the length, each point's encoding and curve
 * equation, and the subgroup (see `subgroupCheck`); the decoded G1 table is cached on disk (see
 * cache.ts) so that later start-ups skip the decompression (~15 s in TypeScript, ~1.6 s native).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { defaultBackend } from './backend-native.js';
import { readCache, writeCache } from './cache.js';
import { KzgError } from './errors.js';
import {
  checkG2,
  corruptPoint,
  finish,
  type PublicParameters,
  type PublicParametersOptions,
  prepare,
} from './parameters-core.js';

export type { PublicParameters, PublicParametersOptions } from './parameters-core.js';

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Decodes the public parameters from the file's bytes (synchronously), using the cache when a
 * valid entry exists and writing one otherwise.
 * @example const params = decodePublicParameters(readFileSync(path), { g1Count: 4096 });
 */
export function decodePublicParameters(
  bytes: Uint8Array,
  opts: PublicParametersOptions = {},
): PublicParameters {
  const p = prepare(bytes, opts, sha256Hex);
  const cached = opts.cache === false ? null : readCache(p.sha256, p.count, p.subgroupCheck, opts.cache);
  if (cached !== null) return finish(p, cached);
  checkG2(bytes);
  let g1: Uint8Array;
  try {
    g1 = (opts.backend ?? defaultBackend()).decompressG1(p.compressedG1, p.subgroupCheck);
  } catch (e) {
    corruptPoint(e);
  }
  const params = finish(p, g1);
  if (opts.cache !== false) writeCache(p.sha256, p.count, p.subgroupCheck, g1, opts.cache);
  return params;
}

/** {@link decodePublicParameters} with the decompression off the event loop (native: on libuv threads). */
export async function decodePublicParametersAsync(
  bytes: Uint8Array,
  opts: PublicParametersOptions = {},
): Promise<PublicParameters> {
  const p = prepare(bytes, opts, sha256Hex);
  const cached = opts.cache === false ? null : readCache(p.sha256, p.count, p.subgroupCheck, opts.cache);
  if (cached !== null) return finish(p, cached);
  checkG2(bytes);
  let g1: Uint8Array;
  try {
    g1 = await (opts.backend ?? defaultBackend()).decompressG1Async(p.compressedG1, p.subgroupCheck);
  } catch (e) {
    corruptPoint(e);
  }
  const params = finish(p, g1);
  if (opts.cache !== false) writeCache(p.sha256, p.count, p.subgroupCheck, g1, opts.cache);
  return params;
}

const FILE_NAME = 'eth-public-parameters.bin';

/**
 * Where {@link loadPublicParameters} looks, in order: $AUTONOMYS_KZG_PARAMETERS, the package's
 * `dist/assets/` (the build copies the file there), and the workspace's `../shared/vectors/kzg/`
 * (a development checkout).
 */
export function defaultParametersPaths(): string[] {
  const paths: string[] = [];
  const env = typeof process !== 'undefined' ? process.env?.AUTONOMYS_KZG_PARAMETERS : undefined;
  if (env) paths.push(env);
  // From src/ (sources) and from dist/ (the build) alike, the package root is one level up.
  paths.push(fileURLToPath(new URL(`../dist/assets/${FILE_NAME}`, import.meta.url)));
  paths.push(fileURLToPath(new URL(`../../../../shared/vectors/kzg/${FILE_NAME}`, import.meta.url)));
  return [...new Set(paths)];
}

/** The first existing path of `paths`, or KZG_PARAMETERS_NOT_FOUND listing all of them. */
function locate(paths: string[]): string {
  const found = paths.find((p) => existsSync(p));
  if (found === undefined) throw new KzgError({ code: 'KZG_PARAMETERS_NOT_FOUND', paths });
  return found;
}

/**
 * Loads and decodes the public parameters from `path`, or from the first default location that
 * exists ({@link defaultParametersPaths}).
 * @example const kzg = new Kzg(await loadPublicParameters());
 */
export async function loadPublicParameters(
  opts: PublicParametersOptions & { path?: string } = {},
): Promise<PublicParameters> {
  const path = locate(opts.path === undefined ? defaultParametersPaths() : [opts.path]);
  return decodePublicParametersAsync(new Uint8Array(await readFile(path)), opts);
}

/**
 * The synchronous {@link loadPublicParameters}.
 * @example const params = loadPublicParametersSync({ g1Count: 4096 });
 */
export function loadPublicParametersSync(
  opts: PublicParametersOptions & { path?: string } = {},
): PublicParameters {
  const path = locate(opts.path === undefined ? defaultParametersPaths() : [opts.path]);
  return decodePublicParameters(new Uint8Array(readFileSync(path)), opts);
}
