/**
 * The auto-dag-data format's constants (ai3 §1.1), derived from their parts as the client SDK does,
 * so that chunk and fan-out sizes give byte-identical DAGs.
 */

/** The largest encoded node: one node is one `system.remark`, kept under 64 KiB. */
export const DEFAULT_NODE_MAX_SIZE = 65535;

/** The longest file or folder name, in UTF-16 code units (JS `string.length`, the SDK's quirk). */
export const MAX_NAME_SIZE = 255;

// The header space the SDK reserves in every node before it sizes a chunk. Only the sum matters:
// type u8 (1) + linkDepth u32 (4) + size u64 (8) + name with its terminator (255 + 1)
// + reserved (100) + upload options (100).
/** Bytes reserved for node metadata when sizing a chunk: 469. */
export const NODE_METADATA_SIZE = 1 + 4 + 8 + (MAX_NAME_SIZE + 1) + 100 + 100;

/** The payload of a full file chunk: 65535 - 469 = 65066 bytes. */
export const DEFAULT_MAX_CHUNK_SIZE = DEFAULT_NODE_MAX_SIZE - NODE_METADATA_SIZE;

/** One dag-pb link with only a Hash: `12 26 0a 24 ‖ 36-byte CID` = 40 bytes. */
export const LINK_SIZE_IN_BYTES = 40;

/** Links per node: floor(65066 / 40) = 1626. */
export const DEFAULT_MAX_LINK_PER_NODE = Math.floor(DEFAULT_MAX_CHUNK_SIZE / LINK_SIZE_IN_BYTES);

/** CID version 1. */
export const CID_VERSION = 1;
/** The multicodec the CIDs carry: raw (0x55), although the block is dag-pb (an Autonomys quirk). */
export const RAW_CODEC = 0x55;
/**
 * The multihash code of BLAKE3-256 in Autonomys CIDs: 0x1f. The multicodec table assigns 0x1e to
 * blake3; 0x1f is what the network uses and must be kept for CID compatibility.
 */
export const BLAKE3_MULTIHASH_CODE = 0x1f;
/** The BLAKE3 digest length in a CID. */
export const BLAKE3_DIGEST_SIZE = 32;
/** A binary CID: version, codec, multihash code, digest length (one byte each), digest: 36 bytes. */
export const CID_SIZE = 4 + BLAKE3_DIGEST_SIZE;
/** The 4 bytes every binary Autonomys CID starts with: `01 55 1f 20`. */
export const CID_PREFIX: Uint8Array = Uint8Array.of(
  CID_VERSION,
  RAW_CODEC,
  BLAKE3_MULTIHASH_CODE,
  BLAKE3_DIGEST_SIZE,
);

/** Compression reads its input in 1 MiB pushes; fflate's output depends on the push boundaries. */
export const COMPRESSION_CHUNK_SIZE = 1024 * 1024;
/** The zlib level Auto Drive uploads with. */
export const DEFAULT_COMPRESSION_LEVEL = 9;

/** The longest path of links `readFile`, `readFolder` and `walk` follow by default (a file tree of depth 3 already holds ~280 TB; the rest is room for nested folders). */
export const DEFAULT_MAX_DEPTH = 64;
