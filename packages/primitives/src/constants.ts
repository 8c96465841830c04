/**
 * The network's sizes and parameters, one place for the whole workspace. Each comes from the
 * digests in shared/spec (archiving §0, farming §1, pot-consensus-dsn A.1/B.1); sizes are derived
 * from their parts. Code takes sizes as parameters with these as defaults.
 */

// ---- Scalars and chunks (archiving §0, §1.1) ----

/** Payload bytes per scalar: a raw chunk. 2^248 < r, so any 31 bytes are a scalar. */
export const SAFE_BYTES = 31;
/** Stored bytes per scalar: a chunk, the canonical 32-byte big-endian BLS12-381 Fr encoding. */
export const FULL_BYTES = 32;
/** Alias of {@link FULL_BYTES} in scalar contexts. */
export const SCALAR_SIZE = FULL_BYTES;
/** The BLS12-381 scalar field modulus r. */
export const BLS12_381_R = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

// ---- Records, pieces, segments (archiving §0) ----

/** Chunks per record (2^15). */
export const NUM_CHUNKS = 32_768;
/** S-buckets per record and per sector: the erasure-extended record (2^16). farming §1 */
export const NUM_S_BUCKETS = NUM_CHUNKS * 2;
/** Bytes of a raw record: 32 768 chunks of 31 bytes. */
export const RAW_RECORD_SIZE = SAFE_BYTES * NUM_CHUNKS; // 1 015 808
/** Bytes of a record: 32 768 chunks of 32 bytes. */
export const RECORD_SIZE = FULL_BYTES * NUM_CHUNKS; // 1 048 576
/** Compressed G1 point: a KZG commitment. */
export const COMMITMENT_SIZE = 48;
/** Compressed G1 point: a KZG witness (opening proof). */
export const WITNESS_SIZE = 48;
/** A piece: record ‖ record commitment ‖ record witness. archiving §3.5 step 6 */
export const PIECE_SIZE = RECORD_SIZE + COMMITMENT_SIZE + WITNESS_SIZE; // 1 048 672
/** Source records per segment. */
export const NUM_RAW_RECORDS = 128;
/** Erasure-coding rate of segments: each source record gains one parity record. */
export const ERASURE_CODING_RATE = [1, 2] as const;
/** Pieces per archived segment: 128 source (even positions) and 128 parity (odd positions). */
export const NUM_PIECES = NUM_RAW_RECORDS * 2; // 256
/** Bytes of a recorded history segment (the SCALE-encoded segment, zero-padded). */
export const RECORDED_HISTORY_SEGMENT_SIZE = RAW_RECORD_SIZE * NUM_RAW_RECORDS; // 130 023 424
/** Bytes of an archived history segment: 256 pieces. */
export const ARCHIVED_HISTORY_SEGMENT_SIZE = PIECE_SIZE * NUM_PIECES; // 268 460 032

// ---- Hashes and identities ----

/** BLAKE3-256 output. */
export const BLAKE3_HASH_SIZE = 32;
/** An sr25519 public key (the farmer's identity). farming §4.1 */
export const PUBLIC_KEY_SIZE = 32;
/** A consensus-chain AccountId (the reward address). */
export const REWARD_ADDRESS_SIZE = 32;
/** A sector id: keyed BLAKE3 of the sector index and history size. farming §4.1 */
export const SECTOR_ID_SIZE = 32;

// ---- Segment headers (archiving §3.2) ----

/** SCALE size of a `SegmentHeader::V0` whose last block is complete. */
export const SEGMENT_HEADER_SIZE_COMPLETE = 1 + 8 + COMMITMENT_SIZE + BLAKE3_HASH_SIZE + 4 + 1; // 94
/** SCALE size of a `SegmentHeader::V0` whose last block is partially archived. */
export const SEGMENT_HEADER_SIZE_PARTIAL = SEGMENT_HEADER_SIZE_COMPLETE + 4; // 98

// ---- Proof of space and farming (farming §1) ----

/** Proof-of-space K. */
export const POS_K = 20;
/** A proof-of-space seed. */
export const POS_SEED_SIZE = 32;
/** A proof of space: 64 x-values of K bits. */
export const POS_PROOF_SIZE = (64 * POS_K) / 8; // 160
/** Runtime maximum of pieces in one sector. */
export const MAX_PIECES_IN_SECTOR = 1000;
/** Segments counted as recent history for piece selection (code: 5; the spec says 3). */
export const RECENT_SEGMENTS = 5;
/** Share of a sector drawn from recent history. */
export const RECENT_HISTORY_FRACTION = [1, 10] as const;
/** Segments a sector lives at least. */
export const MIN_SECTOR_LIFETIME = 4;
/** Expected blocks per slot. */
export const SLOT_PROBABILITY = [1, 6] as const;
/** Per record in a sector: commitment, witness, piece checksum. farming §4.6 */
export const RECORD_METADATA_SIZE = COMMITMENT_SIZE + WITNESS_SIZE + BLAKE3_HASH_SIZE; // 128
/** A Solution's SCALE size with a 32-byte reward address. farming §6 */
export const SOLUTION_SIZE =
  PUBLIC_KEY_SIZE +
  REWARD_ADDRESS_SIZE +
  2 +
  8 +
  2 +
  COMMITMENT_SIZE +
  WITNESS_SIZE +
  FULL_BYTES +
  WITNESS_SIZE +
  POS_PROOF_SIZE; // 412

// ---- Proof of time (pot-consensus-dsn A.1) ----

/** PoT seed, key, output and checkpoint: one AES block each. */
export const POT_SEED_SIZE = 16;
export const POT_KEY_SIZE = 16;
export const POT_OUTPUT_SIZE = 16;
/** Checkpoints per slot; slot iterations must be a multiple of twice this. */
export const POT_NUM_CHECKPOINTS = 8;
/** Slot duration in milliseconds. */
export const SLOT_DURATION_MS = 1000;
/** Slots between a slot's PoT and the block that claims it. */
export const BLOCK_AUTHORING_DELAY = 4;
