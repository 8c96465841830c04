/**
 * The node's proof-of-time verifier (sc-proof-of-time `verifier.rs`, pot A.3): verifies a slot's
 * checkpoints once and remembers them by (seed, slot_iterations) in a bounded LRU cache, so a second
 * look at the same proof is a byte comparison; walks several slots for `isOutputValid`.
 */
import { bytesToHex, equalBytes, potCheckpointsOutput } from '@autonomys/primitives';
import { abytes, aslotIterations, throwIfAborted } from './assert.js';
import {
  assertPotNextSlotInput,
  nextSlotInput,
  type PotNextSlotInput,
  type PotParametersChange,
} from './chain.js';
import {
  POT_CHECKPOINTS_SIZE,
  POT_OUTPUT_SIZE,
  POT_SEED_SIZE,
  POT_VERIFIER_CACHE_SIZE,
} from './constants.js';
import type { PotEngineName } from './engine.js';
import { PotError } from './errors.js';
import {
  type AbortOptions,
  abortable,
  findCheckpointMismatch,
  findCheckpointMismatchAsync,
  type PotChainRunner,
  type ProveAsyncOptions,
  proveAsync,
} from './prove.js';

/** Options of {@link PotVerifier}. */
export interface PotVerifierInit {
  /** Verified (seed, iterations) entries kept (default {@link POT_VERIFIER_CACHE_SIZE}). */
  cacheSize?: number;
  /** Verify on this pool (worker threads) instead of the calling thread / libuv. */
  pool?: PotChainRunner;
  /** The AES engine (default: the fastest available). */
  engine?: PotEngineName;
}

/** Options of {@link PotVerifier.isOutputValid}. */
export interface IsOutputValidOptions extends AbortOptions {
  /** Passed to the proving of slots that are not cached. */
  prove?: Omit<ProveAsyncOptions, 'signal' | 'engine'>;
}

/** A small LRU map: Map keeps insertion order, so re-inserting on use moves an entry to the end. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly capacity: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }
  get size(): number {
    return this.map.size;
  }
}

const cacheKey = (seed: Uint8Array, slotIterations: number) => `${bytesToHex(seed)}:${slotIterations}`;

/**
 * Verifies proofs of time with a cache of verified checkpoints.
 * @example
 * const verifier = new PotVerifier({ pool: createPotWorkerPool() });
 * if (await verifier.verifyCheckpoints(seed, slotIterations, checkpoints)) { ... }
 */
export class PotVerifier {
  private readonly cache: Lru<Uint8Array>;
  private readonly pool: PotChainRunner | undefined;
  private readonly engine: PotEngineName | undefined;
  /** Verifications of the same inputs in flight, shared rather than repeated. */
  private readonly inflight = new Map<string, Promise<Uint8Array | undefined>>();

  constructor(init: PotVerifierInit = {}) {
    const size = init.cacheSize ?? POT_VERIFIER_CACHE_SIZE;
    if (!Number.isInteger(size) || size < 1)
      throw new PotError({
        code: 'POT_INVALID_ARGUMENT',
        what: 'cacheSize',
        reason: 'expected a positive integer',
      });
    this.cache = new Lru(size);
    this.pool = init.pool;
    this.engine = init.engine;
  }

  /** Entries in the cache. */
  get cacheSize(): number {
    return this.cache.size;
  }

  /**
   * Remembers checkpoints known to be good (proved locally, e.g. by the timekeeper).
   * @example verifier.injectVerifiedCheckpoints(seed, slotIterations, prove(seed, slotIterations))
   */
  injectVerifiedCheckpoints(seed: Uint8Array, slotIterations: number, checkpoints: Uint8Array): void {
    abytes(seed, 'seed', POT_SEED_SIZE);
    aslotIterations(slotIterations);
    abytes(checkpoints, 'checkpoints', POT_CHECKPOINTS_SIZE);
    this.cache.set(cacheKey(seed, slotIterations), checkpoints.slice());
  }

  /**
   * The verified checkpoints of (seed, iterations), if cached (a copy).
   * @example verifier.getCheckpoints(seed, slotIterations)?.length // 128
   */
  getCheckpoints(seed: Uint8Array, slotIterations: number): Uint8Array | undefined {
    abytes(seed, 'seed', POT_SEED_SIZE);
    aslotIterations(slotIterations);
    return this.cache.get(cacheKey(seed, slotIterations))?.slice();
  }

  /**
   * Verifies on the calling thread (compares with the cache first; caches a valid proof).
   * @example verifier.verifyCheckpointsSync(seed, 512, checkpoints) // true
   */
  verifyCheckpointsSync(seed: Uint8Array, slotIterations: number, checkpoints: Uint8Array): boolean {
    abytes(checkpoints, 'checkpoints', POT_CHECKPOINTS_SIZE);
    const cached = this.getCheckpoints(seed, slotIterations);
    if (cached !== undefined) return equalBytes(cached, checkpoints);
    const opts = this.engine === undefined ? {} : { engine: this.engine };
    if (findCheckpointMismatch(seed, slotIterations, checkpoints, opts) !== -1) return false;
    this.cache.set(cacheKey(seed, slotIterations), checkpoints.slice());
    return true;
  }

  /**
   * Verifies off the event loop (pool, or libuv with the native engine): a cached entry is compared,
   * else the 8 segments run as independent chains; a valid proof is cached. Concurrent calls for the
   * same inputs share one verification; `signal` stops waiting for it.
   * @example await verifier.verifyCheckpoints(seed, slotIterations, checkpoints, { signal })
   */
  async verifyCheckpoints(
    seed: Uint8Array,
    slotIterations: number,
    checkpoints: Uint8Array,
    opts: AbortOptions = {},
  ): Promise<boolean> {
    abytes(checkpoints, 'checkpoints', POT_CHECKPOINTS_SIZE);
    const cached = this.getCheckpoints(seed, slotIterations);
    if (cached !== undefined) return equalBytes(cached, checkpoints);
    throwIfAborted(opts.signal);
    const key = `${cacheKey(seed, slotIterations)}:${bytesToHex(checkpoints)}`;
    let p = this.inflight.get(key);
    if (p === undefined) {
      const vopts: Parameters<typeof findCheckpointMismatchAsync>[3] = {};
      if (this.pool !== undefined) vopts.pool = this.pool;
      if (this.engine !== undefined) vopts.engine = this.engine;
      // No signal on the shared work: one caller giving up must not fail the others (each races its own).
      const cp = checkpoints.slice();
      p = findCheckpointMismatchAsync(seed, slotIterations, cp, vopts).then((i) =>
        i === -1 ? cp : undefined,
      );
      this.inflight.set(key, p);
      void p.then(
        () => this.inflight.delete(key),
        () => this.inflight.delete(key),
      );
    }
    const ok = await abortable(p, opts.signal);
    if (ok === undefined) return false;
    this.cache.set(cacheKey(seed, slotIterations), ok);
    return true;
  }

  /**
   * The checkpoints of a slot input: from the cache, else proved (off the event loop) and cached.
   * @example const checkpoints = await verifier.checkpointsOf(input)
   */
  async checkpointsOf(input: PotNextSlotInput, opts: IsOutputValidOptions = {}): Promise<Uint8Array> {
    assertPotNextSlotInput(input);
    const cached = this.cache.get(cacheKey(input.seed, input.slotIterations));
    if (cached !== undefined) return cached.slice();
    const popts: ProveAsyncOptions = { ...opts.prove };
    if (opts.signal !== undefined) popts.signal = opts.signal;
    if (this.engine !== undefined) popts.engine = this.engine;
    const checkpoints = await proveAsync(input.seed, input.slotIterations, popts);
    this.cache.set(cacheKey(input.seed, input.slotIterations), checkpoints.slice());
    return checkpoints;
  }

  /**
   * Whether `slots` slots from `input` end with `output` (the reference's `is_output_valid`): each
   * slot's checkpoints come from the cache or are proved, and each next input is derived with
   * `parametersChange` (pot A.3, A.4). Used for the PoT justifications of a block.
   * @example await verifier.isOutputValid(input, 3, expectedOutput, change) // true
   */
  async isOutputValid(
    input: PotNextSlotInput,
    slots: number,
    output: Uint8Array,
    parametersChange?: PotParametersChange,
    opts: IsOutputValidOptions = {},
  ): Promise<boolean> {
    assertPotNextSlotInput(input);
    if (!Number.isInteger(slots) || slots < 1)
      throw new PotError({
        code: 'POT_INVALID_ARGUMENT',
        what: 'slots',
        reason: 'expected a positive integer',
      });
    abytes(output, 'output', POT_OUTPUT_SIZE);
    let next = input;
    for (let i = 0; ; i++) {
      throwIfAborted(opts.signal);
      const out = potCheckpointsOutput(await this.checkpointsOf(next, opts));
      if (i === slots - 1) return equalBytes(out, output);
      next = nextSlotInput(next.slot, next.slotIterations, out, parametersChange);
    }
  }
}
