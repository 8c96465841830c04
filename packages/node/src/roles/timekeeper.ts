/**
 * The timekeeper role (pot A.6) on @autonomys/pot's `Timekeeper`, paced to a slot clock: a proof is
 * published at its slot's due time and the next proof starts only then, so with iterations
 * calibrated to a fraction `f` of the slot duration the role keeps `f` of one core busy (the rest is
 * left to farming and import). Slots up to `catchUpTo` (already known to the chain after a restart)
 * are published as fast as they are proved.
 */
import {
  type PotNextSlotInput,
  type PotParametersChange,
  type PotSlotProof,
  type PotVerifier,
  Timekeeper,
  type TimekeeperInit,
} from '@autonomys/pot';
import type { PotSource, Unsubscribe } from './types.js';

/** Options of {@link TimekeeperRole}. */
export interface TimekeeperRoleInit {
  /** The first slot to prove. */
  input: PotNextSlotInput;
  parametersChange?: PotParametersChange | undefined;
  /** Slot duration, ms (default 1000, the network's); 0 publishes every proof at once. */
  slotDurationMs?: number;
  /** Slots up to this one are published without waiting (restart catch-up). */
  catchUpTo?: bigint;
  /** Every proof is injected here as known-good (pot A.6), e.g. the chain's, so import skips re-proving it. */
  verifier?: PotVerifier;
}

/**
 * @example
 * const tk = new TimekeeperRole({ input: genesisSlotInput(genesisHash, '', iterations), slotDurationMs: 1000 });
 * tk.onProof((p) => console.log(p.slot));
 * tk.start();
 */
export class TimekeeperRole implements PotSource {
  private readonly tk: Timekeeper;
  private readonly duration: number;
  private readonly catchUpTo: bigint;
  private readonly listeners = new Set<(p: PotSlotProof) => void>();
  private base: { slot: bigint; at: number } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  /** Proofs published. */
  published = 0;
  /** Milliseconds spent proving (for the duty-cycle figure). */
  provingMs = 0;
  private provingSince = 0;
  private lastProof: PotSlotProof | undefined;

  constructor(init: TimekeeperRoleInit) {
    const tkInit: TimekeeperInit = { input: init.input };
    if (init.parametersChange !== undefined) tkInit.parametersChange = init.parametersChange;
    if (init.verifier !== undefined) tkInit.verifier = init.verifier;
    this.tk = new Timekeeper(tkInit);
    this.duration = init.slotDurationMs ?? 1000;
    this.catchUpTo = init.catchUpTo ?? 0n;
    this.tk.addEventListener('slot', (e) => this.onSlot((e as CustomEvent<PotSlotProof>).detail));
    this.tk.addEventListener('error', () => {
      // the pot timekeeper ends its loop on a non-abort error; restart it unless stopped
      if (!this.stopped) this.resume();
    });
  }

  /** The last proof published. */
  get last(): PotSlotProof | undefined {
    return this.lastProof;
  }

  /** The input proved next. */
  get nextInput(): PotNextSlotInput {
    return this.tk.nextInput;
  }

  onProof(listener: (proof: PotSlotProof) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts proving. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.resume();
  }

  /** Restarts from another input (a reorg, a parameters change behind the proved slots). */
  setInput(input: PotNextSlotInput): void {
    this.base = undefined;
    this.tk.setInput(input);
  }

  /** Sets the pending parameters change (from the best block's runtime, A.5/A.6). */
  setParametersChange(change: PotParametersChange | undefined): void {
    this.tk.setParametersChange(change);
  }

  /** Stops; resolves when the proof in progress is dropped. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.tk.stop();
  }

  private resume(): void {
    this.provingSince = performance.now();
    this.tk.start();
  }

  private onSlot(proof: PotSlotProof): void {
    this.provingMs += performance.now() - this.provingSince;
    // Hold the next proof until this one is published (the pot timekeeper loop ends here).
    const halted = this.tk.stop();
    if (this.stopped) return;
    const now = performance.now();
    let wait = 0;
    if (this.duration > 0 && proof.slot > this.catchUpTo) {
      if (this.base === undefined) this.base = { slot: proof.slot, at: now };
      const due = this.base.at + Number(proof.slot - this.base.slot) * this.duration;
      wait = Math.max(0, due - now);
      // A proof more than two slots late re-bases the clock instead of bursting to catch up.
      if (now - due > 2 * this.duration) this.base = { slot: proof.slot, at: now };
    }
    const publish = () => {
      this.timer = undefined;
      if (this.stopped) return;
      this.lastProof = proof;
      this.published++;
      for (const l of [...this.listeners]) {
        try {
          l(proof);
        } catch {
          // a consumer's failure does not stop time
        }
      }
      // start() is a no-op until the halted loop has fully ended
      void halted.then(() => {
        if (!this.stopped) this.resume();
      });
    };
    if (wait === 0) queueMicrotask(publish);
    else this.timer = setTimeout(publish, wait);
  }
}
