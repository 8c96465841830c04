/**
 * The timekeeper role (pot A.6): prove slot after slot, each next input derived from the previous
 * output (and the pending parameters change), publish every proof, and restart from another input
 * when told (a reorg, or a valid proof from a peer that got there first). Proving runs off the event
 * loop (native: libuv's thread pool) in chunks, so a restart or stop takes effect within one chunk.
 */
import { potCheckpointsOutput } from '@autonomys/primitives';
import {
  assertPotNextSlotInput,
  nextSlotInput,
  type PotNextSlotInput,
  type PotParametersChange,
  type PotSlotProof,
} from './chain.js';
import type { EngineOptions } from './engine.js';
import { PotError } from './errors.js';
import { type AbortOptions, proveAsync } from './prove.js';
import type { PotVerifier } from './verifier.js';

/** Options of {@link Timekeeper}. */
export interface TimekeeperInit extends EngineOptions {
  /** The first slot to prove. */
  input: PotNextSlotInput;
  /** The pending parameters change, if any (see {@link Timekeeper.setParametersChange}). */
  parametersChange?: PotParametersChange;
  /** Every proof is injected here as known-good, so verifying it later is a byte comparison. */
  verifier?: PotVerifier;
  /** Iterations between restart/stop checks (default ~50 ms of work for the engine). */
  chunkIterations?: number;
  /** Proofs an iterator buffers for a slow consumer before dropping the oldest (default 64). */
  bufferSize?: number;
}

/** The `slot` event of a {@link Timekeeper}. */
export type TimekeeperSlotEvent = CustomEvent<PotSlotProof>;

/**
 * Produces slots continuously: an event target (`slot` events) and an async iterable of proofs.
 * @example
 * const tk = new Timekeeper({ input: genesisSlotInput(genesisHash, '', 1 << 20) });
 * for await (const { slot, checkpoints } of tk) {
 *   if (slot === 10n) break; // leaving the loop stops the timekeeper
 * }
 */
export class Timekeeper extends EventTarget {
  private next: PotNextSlotInput;
  private change: PotParametersChange | undefined;
  private readonly init: TimekeeperInit;
  private running: Promise<void> | undefined;
  private stopping = false;
  /** Aborts the proof in progress (restart or stop). */
  private current: AbortController | undefined;

  constructor(init: TimekeeperInit) {
    super();
    assertPotNextSlotInput(init.input);
    this.init = init;
    this.next = { ...init.input, seed: init.input.seed.slice() };
    this.change = init.parametersChange;
  }

  /** The input the timekeeper proves next (or is proving). */
  get nextInput(): PotNextSlotInput {
    return { ...this.next, seed: this.next.seed.slice() };
  }

  /** Whether the proving loop runs. */
  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /**
   * Starts proving (no-op when running). Errors other than restarts end the loop and are
   * dispatched as an `error` event.
   * @example tk.start(); tk.addEventListener('slot', (e) => gossip((e as TimekeeperSlotEvent).detail));
   */
  start(): void {
    if (this.running !== undefined) return;
    this.stopping = false;
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /**
   * Restarts from `input`: the proof in progress is dropped. pot A.6: the state changed (reorg,
   * or a faster proof from a peer).
   * @example tk.setInput(nextSlotInput(proof.slot, proof.slotIterations, output, change));
   */
  setInput(input: PotNextSlotInput): void {
    assertPotNextSlotInput(input);
    this.next = { ...input, seed: input.seed.slice() };
    this.current?.abort();
  }

  /** Sets or clears the pending parameters change used to derive the following inputs. */
  setParametersChange(change: PotParametersChange | undefined): void {
    this.change = change;
  }

  /**
   * Stops after aborting the proof in progress; resolves when the loop has ended.
   * @example await tk.stop();
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.current?.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { engine, chunkIterations, verifier } = this.init;
    while (!this.stopping) {
      const input = this.next;
      const ac = new AbortController();
      this.current = ac;
      let checkpoints: Uint8Array;
      try {
        const opts: Parameters<typeof proveAsync>[2] = { signal: ac.signal };
        if (engine !== undefined) opts.engine = engine;
        if (chunkIterations !== undefined) opts.chunkIterations = chunkIterations;
        checkpoints = await proveAsync(input.seed, input.slotIterations, opts);
      } catch (e) {
        if (e instanceof PotError && e.code === 'POT_ABORTED') continue; // restart or stop
        this.dispatchEvent(new CustomEvent('error', { detail: e }));
        return;
      } finally {
        this.current = undefined;
      }
      if (this.next !== input) continue; // the state moved on while proving
      const proof: PotSlotProof = { ...input, checkpoints };
      verifier?.injectVerifiedCheckpoints(input.seed, input.slotIterations, checkpoints);
      this.next = nextSlotInput(
        input.slot,
        input.slotIterations,
        potCheckpointsOutput(checkpoints),
        this.change,
      );
      this.dispatchEvent(new CustomEvent('slot', { detail: proof }));
    }
  }

  /**
   * The proofs from now on, as an async iterable (starts the timekeeper; leaving the loop or
   * aborting `signal` ends the iteration, and stops the timekeeper when `stopOnReturn`, the default).
   * Proving never waits for the consumer: beyond `bufferSize` unread proofs the oldest is dropped.
   * @example for await (const proof of tk.proofs({ signal })) handle(proof);
   */
  async *proofs(opts: AbortOptions & { stopOnReturn?: boolean } = {}): AsyncGenerator<PotSlotProof> {
    const buffer: PotSlotProof[] = [];
    const limit = this.init.bufferSize ?? 64;
    let wake: (() => void) | undefined;
    let failure: unknown;
    let failed = false;
    const onSlot = (e: Event) => {
      buffer.push((e as TimekeeperSlotEvent).detail);
      if (buffer.length > limit) buffer.shift();
      wake?.();
    };
    const onError = (e: Event) => {
      failed = true;
      failure = (e as CustomEvent).detail;
      wake?.();
    };
    const onAbort = () => wake?.();
    this.addEventListener('slot', onSlot);
    this.addEventListener('error', onError);
    opts.signal?.addEventListener('abort', onAbort);
    this.start();
    try {
      for (;;) {
        if (buffer.length > 0) {
          yield buffer.shift()!;
          continue;
        }
        if (failed) throw failure;
        if (opts.signal?.aborted === true || !this.isRunning) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
          void this.running?.then(resolve);
        });
        wake = undefined;
      }
    } finally {
      this.removeEventListener('slot', onSlot);
      this.removeEventListener('error', onError);
      opts.signal?.removeEventListener('abort', onAbort);
      if (opts.stopOnReturn !== false) await this.stop();
    }
  }

  /** `proofs()` with the defaults. */
  [Symbol.asyncIterator](): AsyncGenerator<PotSlotProof> {
    return this.proofs();
  }
}
