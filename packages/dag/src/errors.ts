import { AutonomysError } from '@autonomys/primitives';

export type DagErrorType =
  /** A caller passed something of the wrong kind or out of range (not bytes, a bad option). */
  | { code: 'DAG_INVALID_ARGUMENT'; what: string; reason: string }
  /** A CID that cannot be parsed: bad multibase text, truncated varints, a wrong digest length. */
  | { code: 'DAG_INVALID_CID'; reason: string }
  /** A well-formed CID of another kind: version 0, another codec, another hash function. */
  | {
      code: 'DAG_UNSUPPORTED_CID';
      field: 'multibase' | 'version' | 'codec' | 'multihash';
      value: string | number;
      expected: string | number;
    }
  /** Bytes that are not a canonical dag-pb node carrying an IPLDNodeData message. */
  | { code: 'DAG_MALFORMED_NODE'; reason: string; offset: number }
  /** A node whose BLAKE3 digest is not the one its CID names. */
  | { code: 'DAG_HASH_MISMATCH'; cid: string; actual: string }
  /** An encoded node larger than the node limit. */
  | { code: 'DAG_NODE_TOO_LARGE'; size: number; max: number }
  /** A file or folder name longer than 255 UTF-16 code units. */
  | { code: 'DAG_NAME_TOO_LONG'; length: number; max: number }
  /** A node of a type that cannot appear where it was linked (a folder inside a file...). */
  | { code: 'DAG_UNEXPECTED_NODE_TYPE'; cid: string; expected: string; actual: string }
  /** A link whose target does not sit strictly lower in the tree: the links would loop. */
  | { code: 'DAG_LINK_CYCLE'; cid: string; parentDepth: number; childDepth: number }
  /** A tree deeper, wider or bigger than the reader's limits allow. */
  | { code: 'DAG_LIMIT_EXCEEDED'; what: 'depth' | 'links' | 'size'; limit: number; actual: number }
  /** The block source has no node for a CID. */
  | { code: 'DAG_MISSING_NODE'; cid: string }
  /** Upload options this package cannot apply (encryption, an unknown algorithm). */
  | { code: 'DAG_UNSUPPORTED_OPTION'; what: string; value: string }
  /** Stored bytes that do not inflate as the zlib stream their head says they are. */
  | { code: 'DAG_DECOMPRESSION_FAILED'; reason: string }
  /** Off-chain metadata that is not the JSON the format defines. */
  | { code: 'DAG_INVALID_METADATA'; reason: string };

/**
 * The error class of `@autonomys/dag`: `err.code` is stable API, `err.type` carries the data.
 *
 * @example
 * try { decodeNode(bytes); } catch (e) {
 *   if (e instanceof DagError && e.type.code === 'DAG_MALFORMED_NODE') console.log(e.type.offset);
 * }
 */
export class DagError extends AutonomysError<DagErrorType> {}

export type DagErrorCode = DagErrorType['code'];

/** Throws DAG_INVALID_ARGUMENT. */
export function invalidArgument(what: string, reason: string): never {
  throw new DagError({ code: 'DAG_INVALID_ARGUMENT', what, reason });
}

/** Throws DAG_MALFORMED_NODE. */
export function malformed(reason: string, offset: number): never {
  throw new DagError({ code: 'DAG_MALFORMED_NODE', reason, offset });
}
