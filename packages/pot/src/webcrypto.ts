/**
 * Proof-of-time verification on WebCrypto (browsers, workers, Deno, Node >= 20): AES-128-CBC over
 * zero blocks with IV = x gives E(x), E(E(x)), ... as ciphertext blocks (pot A.2; the same
 * construction as the Node `cbc` engine), so the last ciphertext block of n zero blocks is E^n(x).
 * WebCrypto only pads (PKCS#7): one padding block more per call, which is dropped. The chain runs in
 * slices of {@link WEBCRYPTO_SLICE_BLOCKS} with the last block as the next IV, and the 8 checkpoint
 * segments of a slot are all started before any is awaited.
 *
 * Cost model (Chromium 150, measured in tools/browser-tests): the AES runs on the calling thread (the
 * page's main thread, or the worker's), BoringSSL with AES-NI, as fast per block as node:crypto. What
 * Node does not pay is the output: every call returns a new ArrayBuffer of 16 bytes per iteration,
 * and its pages are fresh memory, so a slot of 2^20 iterations writes 16 MiB into ~4096 newly
 * faulted pages (a page fault per 4 KiB written, whatever the slice size). That puts one thread at
 * roughly 1.5-2x of node:crypto; running the chains on two or more threads (Web Workers,
 * `PotWorkerVerifier`) is what brings the browser level with Node.
 *
 * WebCrypto is asynchronous only, so this is not a `PotEngine` (those also run synchronously); it
 * gives the same results as `verify`/`findCheckpointMismatch` (tests check it). No node: imports.
 */
import { equalBytes, potKeyFromSeed } from '@autonomys/primitives';
import { abytes, acheckpointIterations, aslotIterations } from './assert.js';
import { POT_CHECKPOINTS_SIZE, POT_KEY_SIZE, POT_NUM_CHECKPOINTS, POT_SEED_SIZE } from './constants.js';
import { PotError } from './errors.js';

/**
 * AES blocks per WebCrypto call (256 KiB of zeros): large enough to amortise the call (~20 µs),
 * below the 1 MiB outputs that Chromium's allocator maps and unmaps per call (2^16 blocks measured
 * 1.7x the CPU time of 2^14). 2^12-2^15 are within noise of each other in CPU time (tools/browser-tests).
 */
export const WEBCRYPTO_SLICE_BLOCKS = 1 << 14;

/** The part of WebCrypto used here (typed locally: the workspace has no DOM types). */
interface Subtle {
  importKey(
    format: 'raw',
    key: Uint8Array,
    algorithm: { name: 'AES-CBC' },
    extractable: false,
    usages: ['encrypt'],
  ): Promise<object>;
  encrypt(
    algorithm: { name: 'AES-CBC'; iv: Uint8Array },
    key: object,
    data: Uint8Array,
  ): Promise<ArrayBuffer>;
}

function subtle(): Subtle {
  const s = (globalThis as { crypto?: { subtle?: Subtle } }).crypto?.subtle;
  if (s === undefined) throw new PotError({ code: 'POT_ENGINE_UNAVAILABLE', engine: 'webcrypto' });
  return s;
}

let zeros: Uint8Array | undefined;

/** Options of the WebCrypto functions. */
export interface WebCryptoOptions {
  /** Aborting rejects with POT_ABORTED between slices. */
  signal?: AbortSignal;
  /** AES blocks per WebCrypto call (default {@link WEBCRYPTO_SLICE_BLOCKS}). */
  sliceBlocks?: number;
}

/** An imported AES-128 key, reusable across chains. */
export interface WebCryptoAesKey {
  readonly key: object;
}

/**
 * Imports a 16-byte AES key for {@link aesChainWebCrypto}.
 * @example const k = await importAesKeyWebCrypto(potKeyFromSeed(seed));
 */
export async function importAesKeyWebCrypto(key: Uint8Array): Promise<WebCryptoAesKey> {
  abytes(key, 'key', POT_KEY_SIZE);
  return { key: await subtle().importKey('raw', key, { name: 'AES-CBC' }, false, ['encrypt']) };
}

function asliceBlocks(slice: number): void {
  if (!Number.isSafeInteger(slice) || slice < 1 || slice > 1 << 22)
    throw new PotError({
      code: 'POT_INVALID_ARGUMENT',
      what: 'sliceBlocks',
      reason: 'expected an integer in [1, 2^22]',
    });
}

function aiterations(iterations: number): void {
  if (!Number.isSafeInteger(iterations) || iterations < 0)
    throw new PotError({
      code: 'POT_INVALID_ARGUMENT',
      what: 'iterations',
      reason: 'expected a non-negative integer',
    });
}

/** The shared plaintext of zero blocks, at least `blocks` long (never written: WebCrypto copies it). */
function zeroBlocks(blocks: number): Uint8Array {
  if (zeros === undefined || zeros.length < blocks * 16) zeros = new Uint8Array(blocks * 16);
  return zeros;
}

/** One chain, inputs trusted: `iterations` steps from `block` in calls of at most `slice` blocks. */
async function chain(
  s: Subtle,
  key: WebCryptoAesKey,
  block: Uint8Array,
  iterations: number,
  slice: number,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  const z = zeroBlocks(Math.min(slice, iterations));
  let x = block.slice();
  for (let left = iterations; left > 0; ) {
    if (signal?.aborted) throw new PotError({ code: 'POT_ABORTED' });
    const n = Math.min(left, slice);
    const out = await s.encrypt(
      { name: 'AES-CBC', iv: x },
      key.key,
      n * 16 === z.length ? z : z.subarray(0, n * 16),
    );
    // Only the last block is kept (a 16-byte copy), so the call's buffer can be collected at once.
    x = new Uint8Array(out, (n - 1) * 16, 16).slice();
    left -= n;
  }
  return x;
}

/**
 * x ← AES-128_key(x), `iterations` times from `block` (0 returns a copy), on WebCrypto.
 * @example await aesChainWebCrypto(await importAesKeyWebCrypto(key), seed, 1 << 20)
 */
export async function aesChainWebCrypto(
  key: WebCryptoAesKey,
  block: Uint8Array,
  iterations: number,
  opts: WebCryptoOptions = {},
): Promise<Uint8Array> {
  const slice = opts.sliceBlocks ?? WEBCRYPTO_SLICE_BLOCKS;
  asliceBlocks(slice);
  abytes(block, 'block', 16);
  aiterations(iterations);
  return chain(subtle(), key, block, iterations, slice, opts.signal);
}

/**
 * The chains of every 16-byte block of `blocks` (`iterations` steps each), all started before any is
 * awaited; their ends, in order. The WebCrypto counterpart of an engine's `multi`, and the unit of
 * work a {@link PotWorkerVerifier} sends to each worker.
 * @example await aesChainsWebCrypto(k, starts, slotIterations / 8) // 8 × 16 bytes
 */
export async function aesChainsWebCrypto(
  key: WebCryptoAesKey,
  blocks: Uint8Array,
  iterations: number,
  opts: WebCryptoOptions = {},
): Promise<Uint8Array> {
  const slice = opts.sliceBlocks ?? WEBCRYPTO_SLICE_BLOCKS;
  asliceBlocks(slice);
  abytes(blocks, 'blocks');
  if (blocks.length % 16 !== 0)
    throw new PotError({
      code: 'POT_INVALID_ARGUMENT',
      what: 'blocks',
      reason: `expected a multiple of 16 bytes, got ${blocks.length}`,
    });
  aiterations(iterations);
  const s = subtle();
  if (opts.signal?.aborted) throw new PotError({ code: 'POT_ABORTED' });
  const ends = await Promise.all(
    Array.from({ length: blocks.length / 16 }, (_, i) =>
      chain(s, key, blocks.subarray(i * 16, i * 16 + 16), iterations, slice, opts.signal),
    ),
  );
  const out = new Uint8Array(blocks.length);
  for (const [i, end] of ends.entries()) out.set(end, i * 16);
  return out;
}

/**
 * Index (0..7) of the first wrong checkpoint of a slot, or -1 when the proof is valid, on WebCrypto:
 * the same answer as `findCheckpointMismatch`. Throws POT_ABORTED when `signal` aborts first.
 * @example await findCheckpointMismatchWebCrypto(seed, 1 << 20, checkpoints) // -1
 */
export async function findCheckpointMismatchWebCrypto(
  seed: Uint8Array,
  slotIterations: number,
  checkpoints: Uint8Array,
  opts: WebCryptoOptions = {},
): Promise<number> {
  abytes(seed, 'seed', POT_SEED_SIZE);
  aslotIterations(slotIterations);
  abytes(checkpoints, 'checkpoints', POT_CHECKPOINTS_SIZE);
  const k = slotIterations / POT_NUM_CHECKPOINTS;
  return mismatch(await importAesKeyWebCrypto(potKeyFromSeed(seed)), seed, k, checkpoints, opts);
}

async function mismatch(
  key: WebCryptoAesKey,
  seed: Uint8Array,
  k: number,
  checkpoints: Uint8Array,
  opts: WebCryptoOptions,
): Promise<number> {
  const ends = await aesChainsWebCrypto(key, segmentStarts(seed, checkpoints), k, opts);
  return firstMismatch(ends, checkpoints);
}

/**
 * The chain starts of a slot's 8 segments: the seed, then checkpoints 0..6. pot A.3
 * @internal shared with ./web-verifier.ts, not re-exported by the browser entry
 */
export function segmentStarts(seed: Uint8Array, checkpoints: Uint8Array): Uint8Array {
  const starts = new Uint8Array(POT_CHECKPOINTS_SIZE);
  starts.set(seed);
  starts.set(checkpoints.subarray(0, POT_CHECKPOINTS_SIZE - 16), 16);
  return starts;
}

/**
 * Index of the first of the 8 checkpoints that differs from the chain `ends`, or -1.
 * @internal shared with ./web-verifier.ts, not re-exported by the browser entry
 */
export function firstMismatch(ends: Uint8Array, checkpoints: Uint8Array): number {
  for (let i = 0; i < POT_NUM_CHECKPOINTS; i++)
    if (!equalBytes(ends.subarray(i * 16, i * 16 + 16), checkpoints.subarray(i * 16, i * 16 + 16))) return i;
  return -1;
}

/**
 * Whether `checkpoints` are the proof of time of (`seed`, `slotIterations`), on WebCrypto: the same
 * answer as `verify`. Invalid iteration counts and lengths throw; wrong checkpoints give false.
 * @example await verifyWebCrypto(seed, 1 << 20, checkpoints) // true
 */
export async function verifyWebCrypto(
  seed: Uint8Array,
  slotIterations: number,
  checkpoints: Uint8Array,
  opts: WebCryptoOptions = {},
): Promise<boolean> {
  return (await findCheckpointMismatchWebCrypto(seed, slotIterations, checkpoints, opts)) === -1;
}

/**
 * {@link verifyWebCrypto} under an explicit AES key with `checkpointIterations` per checkpoint (the
 * reference's AES-level `verify`), for test vectors.
 * @example await verifyWithKeyWebCrypto(seed, key, 20, checkpoints) // true
 */
export async function verifyWithKeyWebCrypto(
  seed: Uint8Array,
  key: Uint8Array,
  checkpointIterations: number,
  checkpoints: Uint8Array,
): Promise<boolean> {
  abytes(seed, 'seed', POT_SEED_SIZE);
  acheckpointIterations(checkpointIterations);
  abytes(checkpoints, 'checkpoints', POT_CHECKPOINTS_SIZE);
  return (
    (await mismatch(await importAesKeyWebCrypto(key), seed, checkpointIterations, checkpoints, {})) === -1
  );
}

/**
 * A slot's 8 checkpoints on WebCrypto (sequential: each segment starts where the last ended): the
 * same bytes as `prove`.
 * @example await proveWebCrypto(seed, 160) // equals prove(seed, 160)
 */
export async function proveWebCrypto(
  seed: Uint8Array,
  slotIterations: number,
  opts: WebCryptoOptions = {},
): Promise<Uint8Array> {
  abytes(seed, 'seed', POT_SEED_SIZE);
  aslotIterations(slotIterations);
  const key = await importAesKeyWebCrypto(potKeyFromSeed(seed));
  const k = slotIterations / POT_NUM_CHECKPOINTS;
  const out = new Uint8Array(POT_CHECKPOINTS_SIZE);
  let x: Uint8Array = seed;
  for (let i = 0; i < POT_NUM_CHECKPOINTS; i++) {
    x = await aesChainWebCrypto(key, x, k, opts);
    out.set(x, i * 16);
  }
  return out;
}
