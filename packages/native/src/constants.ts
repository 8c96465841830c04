/** A G1 point, ZCash/IETF compressed (flags in the top 3 bits of byte 0). archiving §1.2 */
export const G1_COMPRESSED_SIZE = 48;
/** A G1 point, uncompressed affine x ‖ y big-endian (`blst_p1_affine_serialize`; infinity = 0x40 ‖ 0^95). */
export const G1_UNCOMPRESSED_SIZE = 96;
/** A G2 point, ZCash/IETF compressed. */
export const G2_COMPRESSED_SIZE = 96;
/** A BLS12-381 scalar (Fr element): 32 bytes big-endian, canonical (< r). archiving §1.1 */
export const SCALAR_SIZE = 32;
/** An AES-128 key. */
export const AES_KEY_SIZE = 16;
/** An AES block. */
export const AES_BLOCK_SIZE = 16;
