/** Sizes and limits of the network's erasure coding (archiving §2, farming §4.3). */

/** A scalar: 32 bytes big-endian, canonical (< r). archiving §1.1 */
export const SCALAR_SIZE = 32;
/** A compressed G1 point (a record commitment). archiving §1.2 */
export const COMMITMENT_SIZE = 48;
/**
 * log2 of the widest codeword: the node builds `ErasureCoding::new(16)` (log2 of
 * `Record::NUM_S_BUCKETS`), so `extend` takes up to 2^15 values and `recover` up to 2^16 shards.
 */
export const MAX_ERASURE_SCALE = 16;
/** The widest codeword (shards given to `recover`): 2^16 = NUM_S_BUCKETS. */
export const MAX_SHARDS = 2 ** MAX_ERASURE_SCALE;
/** The most source values `extend` takes: half the widest codeword, 2^15 = one record's chunks. */
export const MAX_SOURCE_VALUES = MAX_SHARDS / 2;
