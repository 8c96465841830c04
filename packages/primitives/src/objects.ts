/**
 * Object mappings (archiving §3.7): where objects (e.g. a file's DAG nodes stored in a transaction)
 * start in a block, and, once archived, in the history (piece index and offset into the raw record).
 */
import { abigint, abytes, auint } from './assert.js';
import { BLAKE3_HASH_SIZE } from './constants.js';
import { ScaleReader, ScaleWriter, U64_MAX } from './scale.js';

const U32_MAX = 0xffff_ffff;

/** An object in a block: its BLAKE3 hash and the offset of its first byte in the encoded block. */
export interface BlockObject {
  readonly hash: Uint8Array;
  /** u32 offset in the block bytes given to the archiver. */
  readonly offset: number;
}

/** An archived object: its hash, the source piece holding its first byte, and that byte's offset. */
export interface GlobalObject {
  readonly hash: Uint8Array;
  readonly pieceIndex: bigint;
  /** u32 offset into the piece's raw record (the concatenated 31-byte chunks). */
  readonly offset: number;
}

/** `BlockObjectMapping::V0`: `0x00 ‖ Compact(count) ‖ count × (hash 32 ‖ offset u32 LE)`. */
export function encodeBlockObjectMapping(objects: readonly BlockObject[]): Uint8Array {
  const w = new ScaleWriter(5 + objects.length * 36).u8(0).compact(objects.length);
  for (const o of objects) {
    abytes(o.hash, BLAKE3_HASH_SIZE, 'object hash');
    auint(o.offset, 'object offset', U32_MAX);
    w.bytes(o.hash).u32(o.offset);
  }
  return w.finish();
}

export function decodeBlockObjectMapping(bytes: Uint8Array): BlockObject[] {
  const r = new ScaleReader(bytes, 'BlockObjectMapping');
  r.tag(1, 'BlockObjectMapping version');
  const n = r.compactU32('object count');
  // Each object takes 36 bytes: a count claiming more than the input holds is rejected before allocating.
  if (n * 36 > r.remaining) r.bytesView(n * 36, 'objects');
  const out: BlockObject[] = [];
  for (let i = 0; i < n; i++)
    out.push({ hash: r.fixed(BLAKE3_HASH_SIZE, 'object hash'), offset: r.u32('object offset') });
  r.finish();
  return out;
}

/** `GlobalObjectMapping::V0`: `0x00 ‖ Compact(count) ‖ count × (hash 32 ‖ piece index u64 ‖ offset u32)`. */
export function encodeGlobalObjectMapping(objects: readonly GlobalObject[]): Uint8Array {
  const w = new ScaleWriter(5 + objects.length * 44).u8(0).compact(objects.length);
  for (const o of objects) {
    abytes(o.hash, BLAKE3_HASH_SIZE, 'object hash');
    abigint(o.pieceIndex, 'piece index', U64_MAX);
    auint(o.offset, 'object offset', U32_MAX);
    w.bytes(o.hash).u64(o.pieceIndex).u32(o.offset);
  }
  return w.finish();
}

export function decodeGlobalObjectMapping(bytes: Uint8Array): GlobalObject[] {
  const r = new ScaleReader(bytes, 'GlobalObjectMapping');
  r.tag(1, 'GlobalObjectMapping version');
  const n = r.compactU32('object count');
  if (n * 44 > r.remaining) r.bytesView(n * 44, 'objects');
  const out: GlobalObject[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      hash: r.fixed(BLAKE3_HASH_SIZE, 'object hash'),
      pieceIndex: r.u64('piece index'),
      offset: r.u32('object offset'),
    });
  }
  r.finish();
  return out;
}
