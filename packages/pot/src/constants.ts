/**
 * Proof-of-time constants (pot-consensus-dsn A.1). The sizes come from @autonomys/primitives; the
 * gossip and verification constants are the reference node's (sc-proof-of-time `source/gossip.rs`).
 */
import { POT_NUM_CHECKPOINTS } from '@autonomys/primitives';

export {
  BLOCK_AUTHORING_DELAY,
  POT_CHECKPOINTS_SIZE,
  POT_KEY_SIZE,
  POT_NUM_CHECKPOINTS,
  POT_OUTPUT_SIZE,
  POT_SEED_SIZE,
  SLOT_DURATION_MS,
} from '@autonomys/primitives';

/**
 * `slot_iterations` must be a multiple of this: 8 checkpoints, each an even number of iterations
 * (the reference verifies a checkpoint as half encryption and half decryption). pot A.1
 */
export const POT_ITERATIONS_MULTIPLE = 2 * POT_NUM_CHECKPOINTS;

/** The largest `slot_iterations`: it is a u32 (`NonZeroU32`) on the wire and in the runtime. */
export const POT_MAX_SLOT_ITERATIONS = 0xffff_fff0;

/** Mainnet genesis `pot_slot_iterations` (about 1 s on a 6.2 GHz 14900KS). pot A.1 */
export const POT_MAINNET_SLOT_ITERATIONS = 206_557_520;

/** Gossip: proofs for slots more than this far past the current slot are penalised. pot A.7 */
export const POT_MAX_SLOTS_IN_THE_FUTURE = 10;

/**
 * Gossip: verifying is expected to be this many times faster than proving; with at least this many
 * distinct candidates for one slot, only the most reputable is verified before proving locally. pot A.7
 */
export const EXPECTED_POT_VERIFICATION_SPEEDUP = 7;

/** Gossip: future proofs kept per peer (the oldest is dropped, at a cost, beyond this). pot A.7 */
export const POT_GOSSIP_PEER_CACHE_SIZE = 20;

/** Gossip: peers whose future proofs are kept (least recently used beyond this). pot A.7 */
export const POT_GOSSIP_MAX_PEERS = 1000;

/** Gossip protocol name (a Substrate notification protocol, no handshake). pot A.7 */
export const POT_GOSSIP_PROTOCOL = '/subspace/subspace-proof-of-time/1';

/** Size of a SCALE-encoded `GossipProof`: slot u64, seed 16, iterations u32, checkpoints 128. */
export const POT_GOSSIP_PROOF_SIZE = 8 + 16 + 4 + 16 * POT_NUM_CHECKPOINTS;

/** Reputation changes of the gossip rules (Substrate `ReputationChange` values). pot A.7 */
export const POT_REPUTATION = {
  /** The message does not decode. */
  undecodable: -(2 ** 3),
  /** Slot below the current slot. */
  oldSlot: -(2 ** 5),
  /** Slot more than {@link POT_MAX_SLOTS_IN_THE_FUTURE} past the current slot. */
  tooFarInTheFuture: -(2 ** 5),
  /** Seed or iterations of a proof for the next slot differ from the local next input. */
  nextSlotMismatch: -(2 ** 5),
  /** Iterations outside `[next, next * 3 / 2]`. */
  iterationsOutOfRange: -(2 ** 5),
  /** A proof for a past slot that the local cache cannot check. */
  outdatedProof: -(2 ** 5),
  /** The per-peer queue of future proofs overflowed. */
  tooManyProofs: -(2 ** 5),
} as const;

/** Entries of the verified-checkpoints cache of a {@link PotVerifier} by default. */
export const POT_VERIFIER_CACHE_SIZE = 256;
