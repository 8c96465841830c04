/** Sizes and constants of the network's KZG scheme (archiving §1). */

/** A compressed G1 point (ZCash/IETF flags in the top 3 bits of byte 0). archiving §1.2 */
export const G1_SIZE = 48;
/** An uncompressed affine G1 point, x ‖ y big-endian; the identity is `40 00…00` (blst's form). */
export const G1_UNCOMPRESSED_SIZE = 96;
/** A compressed G2 point. */
export const G2_SIZE = 96;
/** A scalar: 32 bytes big-endian, canonical (< r). archiving §1.1 */
export const SCALAR_SIZE = 32;
/** G1 powers τ^i·G1 in the public parameters (i = 0..32767): the largest committable polynomial. */
export const NUM_G1_POWERS = 32_768;
/** G2 powers τ^i·G2 in the public parameters; only τ·G2 is used (for verification). */
export const NUM_G2_POWERS = 65;
/** The public parameters file: 32 768 compressed G1 then 65 compressed G2 points (1 579 104 bytes). */
export const PUBLIC_PARAMETERS_SIZE = NUM_G1_POWERS * G1_SIZE + NUM_G2_POWERS * G2_SIZE;
/** SHA-256 of the network's public parameters file (archiving §1.2). */
export const PUBLIC_PARAMETERS_SHA256 = 'f3ead1a6249527aa503d6c56578325c01d19b3365cc59905be2bba64ae322925';
/** The primitive element whose powers give the roots of unity: ω_n = 7^((r-1)/n). archiving §1.3 */
export const ROOTS_OF_UNITY_GENERATOR = 7n;
/** log2 of the largest radix-2 domain (2^16 = NUM_S_BUCKETS, the erasure-coding width). */
export const MAX_DOMAIN_LOG2 = 16;
/** The largest radix-2 domain size supported. */
export const MAX_DOMAIN_SIZE = 2 ** MAX_DOMAIN_LOG2;
