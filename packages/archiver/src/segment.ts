/**
 * Segments and their items (archiving §3.2): a segment is `0x00` (V0) followed by SCALE-encoded
 * items with no count prefix; zero bytes at the end decode as Padding items.
 */
import {
  type BlockObject,
  compactLength,
  readSegmentHeader,
  ScaleReader,
  ScaleWriter,
  SEGMENT_HEADER_SIZE_COMPLETE,
  SEGMENT_HEADER_SIZE_PARTIAL,
  type SegmentHeader,
  writeSegmentHeader,
} from '@autonomys/primitives';
import { ArchiverError } from './errors.js';

/** Item tags. */
export const SEGMENT_ITEM_PADDING = 0;
export const SEGMENT_ITEM_BLOCK = 1;
export const SEGMENT_ITEM_BLOCK_START = 2;
export const SEGMENT_ITEM_BLOCK_CONTINUATION = 3;
export const SEGMENT_ITEM_PARENT_SEGMENT_HEADER = 4;

/** A block's bytes in a segment, whole or in part, with the objects that start in it. */
export interface BlockBytesItem {
  readonly type: 'block' | 'blockStart' | 'blockContinuation';
  bytes: Uint8Array;
  /** Objects whose first byte lies in `bytes` (offsets relative to `bytes`); not encoded. */
  objects: BlockObject[];
}

export type SegmentItem =
  | { readonly type: 'padding' }
  | BlockBytesItem
  | { readonly type: 'parentSegmentHeader'; readonly header: SegmentHeader };

const TAGS = {
  block: SEGMENT_ITEM_BLOCK,
  blockStart: SEGMENT_ITEM_BLOCK_START,
  blockContinuation: SEGMENT_ITEM_BLOCK_CONTINUATION,
} as const;

/** Encoded size of an item: `1 + compactLen(L) + L` for block bytes, 95/99 for a header, 1 for padding. */
export function segmentItemEncodedSize(item: SegmentItem): number {
  switch (item.type) {
    case 'padding':
      return 1;
    case 'parentSegmentHeader':
      return (
        1 +
        (item.header.lastArchivedBlock.archivedProgress.type === 'complete'
          ? SEGMENT_HEADER_SIZE_COMPLETE
          : SEGMENT_HEADER_SIZE_PARTIAL)
      );
    default:
      return 1 + compactLength(item.bytes.length) + item.bytes.length;
  }
}

/**
 * Writes `0x00 ‖ items` into `out` (which must be zero-filled beyond the items: zero bytes are the
 * padding). Returns the number of bytes written. Throws when the items do not fit.
 */
export function encodeSegmentInto(items: readonly SegmentItem[], out: Uint8Array): number {
  let size = 1;
  for (const item of items) size += segmentItemEncodedSize(item);
  if (size > out.length) {
    throw new ArchiverError({
      code: 'ARCHIVER_INVALID_ARGUMENT',
      what: 'segment',
      reason: `${size} encoded bytes exceed ${out.length}`,
    });
  }
  out[0] = 0;
  let at = 1;
  const w = new ScaleWriter(SEGMENT_HEADER_SIZE_PARTIAL + 9);
  for (const item of items) {
    if (item.type === 'padding') {
      out[at++] = SEGMENT_ITEM_PADDING;
      continue;
    }
    w.length = 0;
    if (item.type === 'parentSegmentHeader') {
      w.u8(SEGMENT_ITEM_PARENT_SEGMENT_HEADER);
      writeSegmentHeader(w, item.header);
      out.set(w.finish(), at);
      at += w.length;
      continue;
    }
    w.u8(TAGS[item.type]).compact(item.bytes.length);
    out.set(w.finish(), at);
    at += w.length;
    out.set(item.bytes, at);
    at += item.bytes.length;
  }
  return at;
}

/** A fresh encoding of a segment (no padding added). */
export function encodeSegment(items: readonly SegmentItem[]): Uint8Array {
  let size = 1;
  for (const item of items) size += segmentItemEncodedSize(item);
  const out = new Uint8Array(size);
  encodeSegmentInto(items, out);
  return out;
}

/**
 * Decodes a segment: the V0 tag, then items until the input ends. Block bytes are views into
 * `bytes` (copy them to keep them past the buffer's life). Trailing zeros come back as padding items
 * unless `keepPadding` is false (the default drops them).
 */
export function decodeSegment(bytes: Uint8Array, opts: { keepPadding?: boolean } = {}): SegmentItem[] {
  try {
    const r = new ScaleReader(bytes, 'segment');
    r.tag(1, 'Segment version');
    const items: SegmentItem[] = [];
    while (r.remaining > 0) {
      const tag = r.tag(5, 'SegmentItem');
      switch (tag) {
        case SEGMENT_ITEM_PADDING:
          if (opts.keepPadding) items.push({ type: 'padding' });
          break;
        case SEGMENT_ITEM_PARENT_SEGMENT_HEADER:
          items.push({ type: 'parentSegmentHeader', header: readSegmentHeader(r) });
          break;
        default: {
          const n = r.compactU32('block bytes length');
          const type =
            tag === SEGMENT_ITEM_BLOCK
              ? 'block'
              : tag === SEGMENT_ITEM_BLOCK_START
                ? 'blockStart'
                : 'blockContinuation';
          items.push({ type, bytes: r.bytesView(n, 'block bytes'), objects: [] });
        }
      }
    }
    return items;
  } catch (e) {
    if (e instanceof ArchiverError) throw e;
    throw new ArchiverError({
      code: 'ARCHIVER_SEGMENT_DECODING',
      reason: e instanceof Error ? e.message : String(e),
    });
  }
}
