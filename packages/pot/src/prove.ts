/**
 * The delay function (pot A.2) and the verification of a slot's checkpoints (pot A.3), at two levels:
 * the key level (an explicit AES key and an iteration count per checkpoint, like the reference's
 * `aes.rs`) and the slot level (`key = BLAKE3(seed)[0..16]`, `slot_iterations` a multiple of 16).
 */
import { equalBytes, potKeyFromSeed } from '@autonomys/primitives';
import { abytes, acheckpointIterations, aslotIterations, throwIfAborted } from './assert.js';
import { POT_CHECKPOINTS_SIZE, POT_KEY_SIZE, POT_NUM_CHECKPOINTS, POT_SEED_SIZE } from './constants.js';
import { type EngineOptions, getEngine, type PotEngine, type PotEngineName } from './engine.js';
import { PotError } from './errors.js';

/** Options of long-running calls (js-libp2p style). */
export interface AbortOptions {
  signal?: AbortSignal;
}

/** A progress event: `pot:checkpoint` after each of the 8 checkpoints of a slot. */
export interface PotProgressEvent {
  type: 'pot:checkpoint';
  detail: { checkpoint: number; iterations: number };
}

/** Options of {@link proveAsync}. */
export interface ProveAsyncOptions extends EngineOptions, AbortOptions {
  /** Called after each checkpoint. */
  onProgress?: (event: PotProgressEvent) => void;
  /**
   * Iterations per step between abort checks and event-loop turns (default: ~50 ms of work:
   * 2^22 native, 2^21 cbc, 2^18 ts).
   */
  chunkIterations?: number;
}

/** Something that can verify the 8 chains of a slot elsewhere (a worker pool). */
export interface PotChainRunner {
  /** `iterations` steps of each 16-byte block of `blocks` under `key`. */
  multi(
    key: Uint8Array,
    blocks: Uint8Array,
    iterations: number,
    opts?: AbortOptions & EngineOptions,
  ): Promise<Uint8Array>;
}

/** Options of {@link verifyAsync}. */
export interface VerifyAsyncOptions extends EngineOptions, AbortOptions {
  /** Run the chains on this pool (e.g. a {@link PotWorkerPool}) instead of this thread. */
  pool?: PotChainRunner;
}

// ---- key level ----

function proveKeyUnchecked(engine: PotEngine, seed: Uint8Array, key: Uint8Array, k: number): Uint8Array {
  const out = new Uint8Array(POT_CHECKPOINTS_SIZE);
  const chain = engine.chain(key, seed);
  for (let i = 0; i < POT_NUM_CHECKPOINTS; i++) {
    chain.advance(k);
    out.set(chain.block, i * 16);
  }
  return out;
}

/** The chain starts of the 8 segments: the seed, then checkpoints 0..6. pot A.3 */
function segmentStarts(seed: Uint8Array, checkpoints: Uint8Array): Uint8Array {
  const starts = new Uint8Array(POT_CHECKPOINTS_SIZE);
  starts.set(seed);
  starts.set(checkpoints.subarray(0, POT_CHECKPOINTS_SIZE - 16), 16);
  return starts;
}

/** Index of the first checkpoint that differs from `ends`, or -1. */
function firstMismatch(ends: Uint8Array, checkpoints: Uint8Array): number {
  for (let i = 0; i < POT_NUM_CHECKPOINTS; i++) {
    if (!equalBytes(ends.subarray(i * 16, i * 16 + 16), checkpoints.subarray(i * 16, i * 16 + 16))) return i;
  }
  return -1;
}

/**
 * The 8 checkpoints of the chain from `seed` under an explicit AES `key`, `checkpointIterations`
 * AES iterations apart (checkpoint i = E_key^((i+1)·k)(seed)). The reference's AES-level `create`.
 * @example proveWithKey(seed, key, 20) // 128 bytes, as the aes.rs test vector
 */
export function proveWithKey(
  seed: Uint8Array,
  key: Uint8Array,
  checkpointIterations: number,
  opts: EngineOptions = {},
): Uint8Array {
  abytes(seed, 'seed', POT_SEED_SIZE);
  abytes(key, 'key', POT_KEY_SIZE);
  acheckpointIterations(checkpointIterations);
  return proveKeyUnchecked(getEngine(opts.engine), seed, key, checkpointIterations);
}

/**
 * Index (0..7) of the first checkpoint that is not `checkpointIterations` AES iterations after the
 * previous one (or the seed), or -1 when all are. The 8 segments are independent chains, run
 * interleaved (one AES-NI loop for all 8 with the native engine).
 * @example findCheckpointMismatchWithKey(seed, key, 20, checkpoints) // -1
 */
export function findCheckpointMismatchWithKey(
  seed: Uint8Array,
  key: Uint8Array,
  checkpointIterations: number,
  checkpoints: Uint8Array,
  opts: EngineOptions = {},
): number {
  abytes(seed, 'seed', POT_SEED_SIZE);
  abytes(key, 'key', POT_KEY_SIZE);
  acheckpointIterations(checkpointIterations);
  abytes(checkpoints, 'checkpoints', POT_CHECKPOINTS_SIZE);
  const ends = getEngine(opts.engine).multi(key, segmentStarts(seed, checkpoints), checkpointIterations);
  return firstMismatch(ends, checkpoints);
}

/**
 * Whether `checkpoints` are the chain of `seed` under `key` (the reference's AES-level `verify`).
 * @example verifyWithKey(seed, key, 20, proveWithKey(seed, key, 20)) // true
 */
export function verifyWithKey(
  seed: Uint8Array,
  key: Uint8Array,
  checkpointIterations: number,
  checkpoints: Uint8Array,
  opts: EngineOptions = {},
): boolean {
  return findCheckpointMismatchWithKey(seed, key, checkpointIterations, checkpoints, opts) === -1;
}

// ---- slot level ----

/**
 * A slot's proof of time: the 8 checkpoints (128 bytes) of `slotIterations` AES-128 iterations
 * from `seed` under `BLAKE3(seed)[0..16]`; the output is the last checkpoint. pot A.2
 * Throws POT_ZERO_ITERATIONS / POT_NOT_MULTIPLE_OF_CHECKPOINTS before any work.
 * @example
 * const checkpoints = prove(hexToBytes('d666ccd8d593c23da8db6b5b1413b13a'), 160);
 * bytesToHex(potCheckpoint(checkpoints, 7)); // '337c27dfebb8318e8291621df130f9df'
 */
export function prove(seed: Uint8Array, slotIterations: number, opts: EngineOptions = {}): Uint8Array {
  abytes(seed, 'seed', POT_SEED_SIZE);
  aslotIterations(slotIterations);
  return proveKeyUnchecked(
    getEngine(opts.engine),
    seed,
    potKeyFromSeed(seed),
    slotIterations / POT_NUM_CHECKPOINTS,
  );
}

/**
 * Index (0..7) of the first wrong checkpoint of a slot, or -1 when the proof is valid. pot A.3
 * @example findCheckpointMismatch(seed, 160, checkpoints) // -1
 */
export function findCheckpointMismatch(
  seed: Uint8Array,
  slotIterations: number,
  checkpoints: Uint8Array,
  opts: EngineOptions = {},
): number {
  abytes(seed, 'seed', POT_SEED_SIZE);
  aslotIterations(slotIterations);
  abytes(checkpoints, 'checkpoints', POT_CHECKPOINTS_SIZE);
  const k = slotIterations / POT_NUM_CHECKPOINTS;
  const ends = getEngine(opts.engine).multi(potKeyFromSeed(seed), segmentStarts(seed, checkpoints), k);
  return firstMismatch(ends, checkpoints);
}

/**
 * Whether `checkpoints` are the proof of time of (`seed`, `slotIterations`). Invalid iteration counts
 * and lengths throw (the reference's `Err(NotMultipleOfCheckpoints)`); wrong checkpoints give false.
 * @example verify(seed, 160, prove(seed, 160)) // true
 */
export function verify(
  seed: Uint8Array,
  slotIterations: number,
  checkpoints: Uint8Array,
  opts: EngineOptions = {},
): boolean {
  return findCheckpointMismatch(seed, slotIterations, checkpoints, opts) === -1;
}

/**
 * {@link verify} that throws POT_CHECKPOINT_MISMATCH (with the index of the first wrong checkpoint).
 * @example verifyOrThrow(seed, 160, checkpoints)
 */
export function verifyOrThrow(
  seed: Uint8Array,
  slotIterations: number,
  checkpoints: Uint8Array,
  opts: EngineOptions = {},
): void {
  const i = findCheckpointMismatch(seed, slotIterations, checkpoints, opts);
  if (i !== -1) throw new PotError({ code: 'POT_CHECKPOINT_MISMATCH', checkpoint: i });
}

const DEFAULT_CHUNK: Record<PotEngineName, number> = { native: 1 << 22, cbc: 1 << 21, ts: 1 << 18 };

const yieldToLoop: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * {@link prove} without blocking the event loop: the chain runs in chunks (on libuv's thread pool
 * with the native engine, else inline with an event-loop turn between chunks), and `signal` is
 * checked between chunks (POT_ABORTED).
 * @example const checkpoints = await proveAsync(seed, 1 << 24, { signal: AbortSignal.timeout(5000) });
 */
export async function proveAsync(
  seed: Uint8Array,
  slotIterations: number,
  opts: ProveAsyncOptions = {},
): Promise<Uint8Array> {
  abytes(seed, 'seed', POT_SEED_SIZE);
  aslotIterations(slotIterations);
  const engine = getEngine(opts.engine);
  const chunk = opts.chunkIterations ?? DEFAULT_CHUNK[engine.name];
  if (!Number.isInteger(chunk) || chunk < 1)
    throw new PotError({
      code: 'POT_INVALID_ARGUMENT',
      what: 'chunkIterations',
      reason: 'expected a positive integer',
    });
  const { signal, onProgress } = opts;
  throwIfAborted(signal);
  const k = slotIterations / POT_NUM_CHECKPOINTS;
  const out = new Uint8Array(POT_CHECKPOINTS_SIZE);
  const chain = engine.chain(potKeyFromSeed(seed), seed);
  const offThread = engine.name === 'native';
  for (let i = 0; i < POT_NUM_CHECKPOINTS; i++) {
    for (let done = 0; done < k; ) {
      const n = Math.min(chunk, k - done);
      if (offThread) await chain.advanceAsync(n);
      else {
        chain.advance(n);
        await yieldToLoop();
      }
      done += n;
      throwIfAborted(signal);
    }
    out.set(chain.block, i * 16);
    onProgress?.({ type: 'pot:checkpoint', detail: { checkpoint: i, iterations: (i + 1) * k } });
  }
  return out;
}

/**
 * {@link findCheckpointMismatch} off the event loop: on `opts.pool` (worker threads) when given,
 * else on libuv's pool (native engine) or inline. Throws POT_ABORTED when `signal` aborts first.
 * @example await findCheckpointMismatchAsync(seed, it, checkpoints, { pool }) // -1
 */
export async function findCheckpointMismatchAsync(
  seed: Uint8Array,
  slotIterations: number,
  checkpoints: Uint8Array,
  opts: VerifyAsyncOptions = {},
): Promise<number> {
  abytes(seed, 'seed', POT_SEED_SIZE);
  aslotIterations(slotIterations);
  abytes(checkpoints, 'checkpoints', POT_CHECKPOINTS_SIZE);
  const { signal, pool } = opts;
  throwIfAborted(signal);
  const k = slotIterations / POT_NUM_CHECKPOINTS;
  const key = potKeyFromSeed(seed);
  const starts = segmentStarts(seed, checkpoints);
  let ends: Uint8Array;
  if (pool !== undefined) {
    const poolOpts: AbortOptions & EngineOptions = {};
    if (signal !== undefined) poolOpts.signal = signal;
    if (opts.engine !== undefined) poolOpts.engine = opts.engine;
    ends = await pool.multi(key, starts, k, poolOpts);
  } else ends = await abortable(getEngine(opts.engine).multiAsync(key, starts, k), signal);
  return firstMismatch(ends, checkpoints);
}

/**
 * {@link verify} off the event loop (see {@link findCheckpointMismatchAsync}).
 * @example await verifyAsync(seed, 1 << 24, checkpoints, { pool, signal })
 */
export async function verifyAsync(
  seed: Uint8Array,
  slotIterations: number,
  checkpoints: Uint8Array,
  opts: VerifyAsyncOptions = {},
): Promise<boolean> {
  return (await findCheckpointMismatchAsync(seed, slotIterations, checkpoints, opts)) === -1;
}

/** Rejects with POT_ABORTED as soon as `signal` aborts (the work itself cannot be interrupted). */
export function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return p;
  throwIfAborted(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new PotError({ code: 'POT_ABORTED' }));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
