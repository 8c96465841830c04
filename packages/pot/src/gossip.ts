/**
 * Proof-of-time gossip (pot A.7, sc-proof-of-time `source/gossip.rs`): the `GossipProof` codec and a
 * validator implementing the reference's rules, with its reputation changes, for the network layer
 * (`validate` on receipt) and the node (`handleProof`, `onNextSlotInput`). Transport-free: the caller
 * injects the local next-slot input, the peers' reputations and what to do with reports and winners.
 */
import { bytesToHex, equalBytes, ScaleReader, ScaleWriter } from '@autonomys/primitives';
import { abytes, aslot, aslotIterations } from './assert.js';
import { decodeWith, type PotNextSlotInput, type PotSlotProof } from './chain.js';
import {
  EXPECTED_POT_VERIFICATION_SPEEDUP,
  POT_CHECKPOINTS_SIZE,
  POT_GOSSIP_MAX_PEERS,
  POT_GOSSIP_PEER_CACHE_SIZE,
  POT_GOSSIP_PROOF_SIZE,
  POT_MAX_SLOTS_IN_THE_FUTURE,
  POT_REPUTATION,
  POT_SEED_SIZE,
} from './constants.js';
import { PotError } from './errors.js';
import { type AbortOptions, proveAsync } from './prove.js';
import type { PotVerifier } from './verifier.js';

/** A gossiped proof: the same fields as {@link PotSlotProof}, 156 bytes of SCALE. */
export type GossipProof = PotSlotProof;

/**
 * SCALE of a gossip proof: slot u64 ‖ seed 16 ‖ slot_iterations u32 ‖ 8 checkpoints (156 bytes).
 * @example encodeGossipProof(proof).length // 156
 */
export function encodeGossipProof(proof: GossipProof): Uint8Array {
  aslot(proof.slot);
  abytes(proof.seed, 'seed', POT_SEED_SIZE);
  aslotIterations(proof.slotIterations);
  abytes(proof.checkpoints, 'checkpoints', POT_CHECKPOINTS_SIZE);
  return new ScaleWriter(POT_GOSSIP_PROOF_SIZE)
    .u64(proof.slot)
    .bytes(proof.seed)
    .u32(proof.slotIterations)
    .bytes(proof.checkpoints)
    .finish();
}

/**
 * Decodes a gossip proof: exactly 156 bytes, `slot_iterations` non-zero (`NonZeroU32`). Any other
 * input throws POT_INVALID_ENCODING. The multiple-of-16 rule is for verification, not decoding.
 * @example decodeGossipProof(encodeGossipProof(proof)).slot
 */
export function decodeGossipProof(bytes: Uint8Array): GossipProof {
  abytes(bytes, 'GossipProof');
  return decodeWith('GossipProof', () => {
    const r = new ScaleReader(bytes, 'GossipProof');
    const slot = r.u64('slot');
    const seed = r.fixed(POT_SEED_SIZE, 'seed');
    const slotIterations = r.u32('slot iterations');
    const checkpoints = r.fixed(POT_CHECKPOINTS_SIZE, 'checkpoints');
    r.finish();
    if (slotIterations === 0)
      throw new PotError({
        code: 'POT_INVALID_ENCODING',
        what: 'GossipProof',
        reason: 'slot iterations is zero (NonZeroU32)',
      });
    return { slot, seed, slotIterations, checkpoints };
  });
}

/** A reputation change for a peer (Substrate `ReputationChange`); `fatal` bans the peer. */
export interface PotPeerReport {
  /** Negative cost, e.g. -32; fatal reports use i32::MIN (-2^31), as Substrate does. */
  value: number;
  /** Why, e.g. `'old slot'`. */
  reason: string;
  /** An invalid proof: the reference reports it as fatal (the peer is banned). */
  fatal: boolean;
}

/** What happened to a proof in {@link PotGossipValidator.handleProof}. */
export type PotGossipOutcome =
  /** Verified for the next slot: re-gossip it and extend the local chain (`onProof` was called). */
  | 'accepted'
  /** For a future slot: kept in the sender's queue until the local chain reaches it. */
  | 'queued'
  /** Not used (past slot matching the cache, next slot already known, or ignored while syncing). */
  | 'ignored'
  /** Penalised, not fatal (outdated, mismatching the next input). */
  | 'penalised'
  /** Invalid: the sender got a fatal report. */
  | 'invalid';

/** What the validator needs from the node and the network (js-libp2p style: injected). */
export interface PotGossipValidatorInit {
  /** The verifier and its cache of verified checkpoints. */
  verifier: PotVerifier;
  /** The local next-slot input (the PoT state). */
  nextSlotInput: () => PotNextSlotInput;
  /** While true, everything is ignored (rule 1). Default: never syncing. */
  isMajorSyncing?: () => boolean;
  /** A peer's current reputation; candidates are tried from the most reputable. Default 0. */
  reputation?: (peer: string) => number;
  /** Applies a reputation change. */
  report?: (peer: string, report: PotPeerReport) => void;
  /** A verified proof for the next slot: re-gossip it and hand it to the source worker. */
  onProof?: (proof: GossipProof, from: string | undefined) => void;
  /** Slots past the current one still accepted (default 10). */
  maxSlotsInTheFuture?: number;
  /** Future proofs kept per peer (default 20). */
  peerCacheSize?: number;
  /** Peers whose future proofs are kept (default 1000, least recently used dropped). */
  maxPeers?: number;
  /** Distinct candidates from which only the most reputable is verified (default 7). */
  expectedVerificationSpeedup?: number;
}

/** The verdict of {@link PotGossipValidator.validate}. */
export type PotGossipValidation =
  | { result: 'accept'; proof: GossipProof }
  | { result: 'discard'; reason: string; report?: PotPeerReport };

const report = (value: number, reason: string): PotPeerReport => ({ value, reason, fatal: false });
// Substrate `ReputationChange::new_fatal`: i32::MIN, the peer is banned.
const fatal = (reason: string): PotPeerReport => ({ value: -(2 ** 31), reason, fatal: true });

/**
 * The gossip rules of pot A.7.
 * @example
 * const gossip = new PotGossipValidator({ verifier, nextSlotInput: () => state.next, report, onProof });
 * const v = gossip.validate(peer, bytes);          // on receipt
 * if (v.result === 'accept') await gossip.handleProof(peer, v.proof);
 * await gossip.onNextSlotInput();                  // after the local chain advanced
 */
export class PotGossipValidator {
  private readonly init: PotGossipValidatorInit;
  private readonly maxFuture: bigint;
  private readonly peerCacheSize: number;
  private readonly maxPeers: number;
  private readonly speedup: number;
  /** Per peer (LRU order): that peer's future proofs, oldest first. */
  private readonly peerQueues = new Map<string, GossipProof[]>();

  constructor(init: PotGossipValidatorInit) {
    this.init = init;
    this.maxFuture = BigInt(init.maxSlotsInTheFuture ?? POT_MAX_SLOTS_IN_THE_FUTURE);
    this.peerCacheSize = init.peerCacheSize ?? POT_GOSSIP_PEER_CACHE_SIZE;
    this.maxPeers = init.maxPeers ?? POT_GOSSIP_MAX_PEERS;
    this.speedup = init.expectedVerificationSpeedup ?? EXPECTED_POT_VERIFICATION_SPEEDUP;
  }

  private report(peer: string | undefined, r: PotPeerReport | undefined): void {
    if (peer !== undefined && r !== undefined) this.init.report?.(peer, r);
  }

  /**
   * Superficial validation on receipt (rules 1-7): decode, slot window, next-slot inputs, iteration
   * range. Reports the sender on failure. An accepted proof still needs {@link handleProof}.
   * @example gossip.validate('peer-a', message) // { result: 'accept', proof }
   */
  validate(peer: string, message: Uint8Array): PotGossipValidation {
    if (this.init.isMajorSyncing?.() === true) return { result: 'discard', reason: 'major syncing' };
    let proof: GossipProof;
    try {
      proof = decodeGossipProof(message);
    } catch {
      return this.discard(peer, report(POT_REPUTATION.undecodable, 'undecodable'));
    }
    const next = this.init.nextSlotInput();
    const current = next.slot - 1n;
    if (proof.slot < current) return this.discard(peer, report(POT_REPUTATION.oldSlot, 'old slot'));
    if (proof.slot > current + this.maxFuture)
      return this.discard(peer, report(POT_REPUTATION.tooFarInTheFuture, 'slot too far in the future'));
    if (proof.slot === next.slot && !sameInput(proof, next))
      return this.discard(peer, report(POT_REPUTATION.nextSlotMismatch, 'next slot mismatch'));
    // Applies to every slot, not only the next one. The bound is `next * 3 / 2` in integers (the
    // reference computes it in u32; it cannot overflow below 1 431 655 765 iterations).
    if (
      proof.slotIterations < next.slotIterations ||
      proof.slotIterations > Math.floor((next.slotIterations * 3) / 2)
    )
      return this.discard(peer, report(POT_REPUTATION.iterationsOutOfRange, 'slot iterations out of range'));
    return { result: 'accept', proof };
  }

  private discard(peer: string, r: PotPeerReport): PotGossipValidation {
    this.report(peer, r);
    return { result: 'discard', reason: r.reason, report: r };
  }

  /** Whether the network may drop a stored message: its slot is below the current slot. */
  isExpired(proof: { slot: bigint }): boolean {
    return proof.slot < this.init.nextSlotInput().slot - 1n;
  }

  /**
   * Processes an accepted proof from `peer`: past slot -> compared with the cache, next slot ->
   * fully verified, future slot -> queued for that peer.
   * @example await gossip.handleProof('peer-a', proof) // 'accepted'
   */
  async handleProof(peer: string, proof: GossipProof, opts: AbortOptions = {}): Promise<PotGossipOutcome> {
    if (this.init.isMajorSyncing?.() === true) return 'ignored';
    const next = this.init.nextSlotInput();
    if (proof.slot < next.slot) return this.checkPast(peer, proof);
    if (proof.slot === next.slot) {
      if (!sameInput(proof, next)) {
        this.report(peer, report(POT_REPUTATION.nextSlotMismatch, 'next slot mismatch'));
        return 'penalised';
      }
      if (
        await this.init.verifier.verifyCheckpoints(proof.seed, proof.slotIterations, proof.checkpoints, opts)
      ) {
        this.init.onProof?.(proof, peer);
        return 'accepted';
      }
      this.report(peer, fatal('invalid proof'));
      return 'invalid';
    }
    this.enqueue(peer, proof);
    return 'queued';
  }

  /** A proof for a slot the local chain has passed: only the cache can judge it. */
  private checkPast(peer: string, proof: GossipProof): PotGossipOutcome {
    const known = this.init.verifier.getCheckpoints(proof.seed, proof.slotIterations);
    if (known === undefined) {
      this.report(peer, report(POT_REPUTATION.outdatedProof, 'outdated proof'));
      return 'penalised';
    }
    if (!equalBytes(known, proof.checkpoints)) {
      this.report(peer, fatal('invalid proof'));
      return 'invalid';
    }
    return 'ignored';
  }

  private enqueue(peer: string, proof: GossipProof): void {
    let q = this.peerQueues.get(peer);
    if (q === undefined) {
      q = [];
      if (this.peerQueues.size >= this.maxPeers)
        this.peerQueues.delete(this.peerQueues.keys().next().value as string);
    } else this.peerQueues.delete(peer); // re-insert: most recently used last
    this.peerQueues.set(peer, q);
    q.push(proof);
    if (q.length > this.peerCacheSize) {
      q.shift();
      this.report(peer, report(POT_REPUTATION.tooManyProofs, 'too many proofs'));
    }
  }

  /** Future proofs queued for `peer` (for inspection and tests). */
  queued(peer: string): readonly GossipProof[] {
    return this.peerQueues.get(peer) ?? [];
  }

  /**
   * Call when the local next-slot input advanced: queued proofs below it are judged against the
   * cache, those for exactly the next slot are candidates. Fewer than 7 distinct candidates: verify
   * from the most reputable sender down, first valid wins; 7 or more (suspected DoS): verify only the
   * most reputable and otherwise prove locally. The winner goes to `onProof` once; every sender of
   * another candidate gets a fatal report. Returns the winner, if any.
   * @example const winner = await gossip.onNextSlotInput();
   */
  async onNextSlotInput(opts: AbortOptions = {}): Promise<GossipProof | undefined> {
    if (this.init.isMajorSyncing?.() === true) return undefined;
    const next = this.init.nextSlotInput();
    const rep = this.init.reputation ?? (() => 0);
    // Distinct candidates (by checkpoints) and all their senders.
    const candidates = new Map<string, { proof: GossipProof; senders: string[] }>();
    for (const [peer, q] of this.peerQueues) {
      const keep: GossipProof[] = [];
      for (const proof of q) {
        if (proof.slot > next.slot) keep.push(proof);
        else if (proof.slot < next.slot) this.checkPast(peer, proof);
        else if (!sameInput(proof, next))
          this.report(peer, report(POT_REPUTATION.nextSlotMismatch, 'next slot mismatch'));
        else {
          const id = bytesToHex(proof.checkpoints);
          const c = candidates.get(id);
          if (c === undefined) candidates.set(id, { proof, senders: [peer] });
          else if (!c.senders.includes(peer)) c.senders.push(peer);
        }
      }
      if (keep.length === 0) this.peerQueues.delete(peer);
      else this.peerQueues.set(peer, keep);
    }
    if (candidates.size === 0) return undefined;
    const best = (c: { senders: string[] }) => Math.max(...c.senders.map(rep));
    const ordered = [...candidates.values()].sort((a, b) => best(b) - best(a));
    const { verifier } = this.init;
    let winner: { proof: GossipProof; senders: string[] } | undefined;
    let local: GossipProof | undefined;
    if (ordered.length < this.speedup) {
      for (const c of ordered) {
        if (
          await verifier.verifyCheckpoints(c.proof.seed, c.proof.slotIterations, c.proof.checkpoints, opts)
        ) {
          winner = c;
          break;
        }
      }
    } else {
      const top = ordered[0]!;
      if (
        await verifier.verifyCheckpoints(
          top.proof.seed,
          top.proof.slotIterations,
          top.proof.checkpoints,
          opts,
        )
      )
        winner = top;
      else {
        // Verifying them all would cost more than proving: prove locally instead.
        const checkpoints = await proveAsync(
          next.seed,
          next.slotIterations,
          opts.signal ? { signal: opts.signal } : {},
        );
        verifier.injectVerifiedCheckpoints(next.seed, next.slotIterations, checkpoints);
        local = { ...next, checkpoints };
        winner = ordered.find((c) => equalBytes(c.proof.checkpoints, checkpoints));
      }
    }
    for (const c of ordered)
      if (c !== winner) for (const peer of c.senders) this.report(peer, fatal('invalid proof'));
    const result = winner?.proof ?? local;
    if (result !== undefined) this.init.onProof?.(result, winner?.senders[0]);
    return result;
  }
}

function sameInput(proof: GossipProof, next: PotNextSlotInput): boolean {
  return proof.slotIterations === next.slotIterations && equalBytes(proof.seed, next.seed);
}
