/**
 * Proof of time over the network (pot A.7): a `PotSource` fed by `/autonomys/pot-gossip/1`, for
 * nodes without a timekeeper of their own, and the relay of a local timekeeper's proofs. Received
 * proofs go through `PotGossipValidator` (slot window, next-slot input, iteration range; the next
 * slot's proof is verified); accepted ones are re-gossiped, handed to the listeners (the block
 * author) and advance the expected input.
 */
import {
  type GossipProof,
  nextSlotInput,
  PotGossipValidator,
  type PotNextSlotInput,
  type PotParametersChange,
  type PotSlotProof,
  PotVerifier,
  potCheckpointsOutput,
} from '@autonomys/pot';
import type { BlockInfo, ChainApi } from '../consensus/api.js';
import type { PotSource, Unsubscribe } from '../roles/types.js';

/** Where a {@link PotGossipSource} gossips (a `NodeNetwork`). */
export interface PotGossipTarget {
  gossipPot(proof: GossipProof, from?: string): Promise<number>;
}

export interface PotGossipSourceOptions {
  readonly chain: Pick<ChainApi, 'authoringContext' | 'on' | 'off'>;
  /** The verifier (default the chain's `potVerifier`, so that checkpoints from imported blocks' justifications are known). */
  readonly verifier?: PotVerifier;
  /** A local timekeeper: its proofs are gossiped and advance the expected input. */
  readonly local?: PotSource;
}

/**
 * @example
 * const pot = new PotGossipSource({ chain, verifier });
 * const net = await NodeNetwork.start(chain, { ...opts, pot: pot.validator });
 * pot.attach(net);
 * await NodeService.start({ chain, timekeeper: false, potSource: pot, ... });
 */
export class PotGossipSource implements PotSource {
  readonly validator: PotGossipValidator;
  private next: PotNextSlotInput;
  private change: PotParametersChange | undefined;
  private target: PotGossipTarget | undefined;
  private readonly listeners = new Set<(p: PotSlotProof) => void>();
  private readonly detach: Unsubscribe[] = [];
  private readonly verifier: PotVerifier;

  constructor(o: PotGossipSourceOptions) {
    const ctx = o.chain.authoringContext();
    this.next = ctx.nextSlotInput;
    this.change = ctx.potParametersChange;
    const own = (o.chain as { potVerifier?: unknown }).potVerifier;
    this.verifier = o.verifier ?? (own instanceof PotVerifier ? own : new PotVerifier());
    this.validator = new PotGossipValidator({
      verifier: this.verifier,
      nextSlotInput: () => this.next,
      onProof: (proof, from) => this.accept(proof, from),
    });
    // After sync (or a long pause) the chain may be past the gossip: follow its head, then every
    // slot whose checkpoints the verifier already knows (from the blocks' justifications).
    const onHead = (_b: BlockInfo) => {
      const c = o.chain.authoringContext();
      this.change = c.potParametersChange;
      if (c.nextSlotInput.slot > this.next.slot) this.next = c.nextSlotInput;
      this.catchUp();
    };
    o.chain.on('newHead', onHead);
    this.detach.push(() => o.chain.off('newHead', onHead));
    if (o.local !== undefined) this.relayFrom(o.local);
  }

  /** Gossips a local timekeeper's proofs (and follows them); returns the unsubscribe function. */
  relayFrom(local: PotSource): Unsubscribe {
    const off = local.onProof((p) => {
      this.advance(p);
      void this.target?.gossipPot(p).catch(() => 0);
    });
    this.detach.push(off);
    return off;
  }

  /** Advances over slots whose checkpoints are already verified, handing them to the listeners. */
  private catchUp(): void {
    let advanced = false;
    for (let i = 0; i < 64; i++) {
      const { seed, slotIterations, slot } = this.next;
      const checkpoints = this.verifier.getCheckpoints(seed, slotIterations);
      if (checkpoints === undefined) break;
      const proof: PotSlotProof = { slot, seed, slotIterations, checkpoints };
      this.advance(proof);
      this.emit(proof);
      advanced = true;
    }
    if (advanced) void this.validator.onNextSlotInput().catch(() => undefined);
  }

  /** The next slot input the gossip expects. */
  get nextInput(): PotNextSlotInput {
    return this.next;
  }

  /** Where accepted and local proofs are gossiped (call once the network started). */
  attach(target: PotGossipTarget): void {
    this.target = target;
  }

  onProof(listener: (proof: PotSlotProof) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private advance(p: PotSlotProof): void {
    if (p.slot < this.next.slot) return;
    this.next = nextSlotInput(p.slot, p.slotIterations, potCheckpointsOutput(p.checkpoints), this.change);
  }

  private emit(proof: PotSlotProof): void {
    for (const l of this.listeners) {
      try {
        l(proof);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  private accept(proof: GossipProof, from: string | undefined): void {
    this.advance(proof);
    void this.target?.gossipPot(proof, from).catch(() => 0);
    this.emit(proof);
    // Proofs queued for the new next slot (sent ahead by faster peers) are candidates now.
    void this.validator.onNextSlotInput().catch(() => undefined);
  }

  stop(): void {
    for (const d of this.detach.splice(0)) d();
    this.listeners.clear();
  }
}
