/**
 * Cutting the block stream into segments (archiving §3.4) and placing objects (§3.7). This layer
 * is synchronous and does no cryptography: it decides which bytes go into which segment and what
 * `last_archived_block` each segment ends with, exactly as the reference archiver does.
 */
import {
  type BlockObject,
  compactLength,
  type GlobalObject,
  type LastArchivedBlock,
  type SegmentHeader,
} from '@autonomys/primitives';
import { ArchiverError } from './errors.js';
import type { SegmentGeometry } from './params.js';
import { type BlockBytesItem, type SegmentItem, segmentItemEncodedSize } from './segment.js';

/** `{ number: 0, Partial(0) }`: the state before the first block (genesis keeps number 0). */
export const INITIAL_LAST_ARCHIVED_BLOCK: LastArchivedBlock = Object.freeze({
  number: 0,
  archivedProgress: Object.freeze({ type: 'partial', bytes: 0 }),
});

const U32_MAX = 0xffff_ffff;

function isInitial(b: LastArchivedBlock): boolean {
  return b.number === 0 && b.archivedProgress.type === 'partial' && b.archivedProgress.bytes === 0;
}

function partialBytes(b: LastArchivedBlock): number {
  // A continuation implies the block was partially archived before.
  return b.archivedProgress.type === 'partial' ? b.archivedProgress.bytes : 0;
}

/** A segment cut from the stream, before commitments: its items and the block it ends in. */
export interface CutSegment {
  readonly segmentIndex: bigint;
  readonly items: SegmentItem[];
  readonly lastArchivedBlock: LastArchivedBlock;
  /** The objects that start in this segment. */
  readonly objects: GlobalObject[];
}

/** The mutable state of segmentation (what a restart needs, plus the buffered items). */
export interface SegmenterState {
  segmentIndex: bigint;
  lastArchivedBlock: LastArchivedBlock;
  /** Items not yet in a segment: a parent header first (after segment 0), then block bytes. */
  buffer: SegmentItem[];
}

/** Splits objects at `split`: those at or past it move (rebased) to the returned list. */
function splitObjects(item: BlockBytesItem, split: number): BlockObject[] {
  const keep: BlockObject[] = [];
  const moved: BlockObject[] = [];
  for (const o of item.objects) {
    if (o.offset >= split) moved.push({ hash: o.hash, offset: o.offset - split });
    else keep.push(o);
  }
  item.objects = keep;
  return moved;
}

/**
 * Takes the next segment's items from the buffer, or returns undefined (leaving the buffer as it
 * was) when there is not enough data yet. Mutates `state` only when a segment is produced.
 */
export function cutSegment(state: SegmenterState, geometry: SegmentGeometry): CutSegment | undefined {
  const SIZE = geometry.segmentSize;
  const items: SegmentItem[] = [];
  let lab: LastArchivedBlock = state.lastArchivedBlock;
  let size = 1; // the V0 tag
  let taken = 0;
  const buffer = state.buffer;

  // `SIZE - 2`: the smallest item takes two bytes, so stop a little early.
  while (size < SIZE - 2) {
    const item = buffer[taken];
    if (item === undefined) return undefined; // not enough data: the buffer is untouched
    const itemSize = segmentItemEncodedSize(item);
    size += itemSize;
    if (size >= SIZE) {
      const spill = size - SIZE;
      const inner = item.type === 'parentSegmentHeader' || item.type === 'padding' ? 0 : item.bytes.length;
      // The compact length prefix alone can overflow: then the item waits for the next segment.
      // Strictly `>`: with spill == inner the item stays, truncated to zero bytes (archiving §3.4).
      if (spill > inner) {
        size -= itemSize;
        break;
      }
    }
    taken++;
    if (item.type === 'block') {
      lab = { number: isInitial(lab) ? lab.number : lab.number + 1, archivedProgress: { type: 'complete' } };
    } else if (item.type === 'blockContinuation') {
      lab = {
        number: lab.number,
        archivedProgress: { type: 'partial', bytes: partialBytes(lab) + item.bytes.length },
      };
    }
    items.push(item);
  }
  buffer.splice(0, taken);

  const spill = size > SIZE ? size - SIZE : 0;
  if (spill > 0) {
    const last = items.pop() as BlockBytesItem; // only block bytes can overflow
    const split = last.bytes.length - spill;
    const continuation: BlockBytesItem = {
      type: 'blockContinuation',
      bytes: last.bytes.subarray(split),
      objects: [],
    };
    continuation.objects = splitObjects(last, split);
    let head: BlockBytesItem;
    if (last.type === 'block') {
      head = { type: 'blockStart', bytes: last.bytes.subarray(0, split), objects: last.objects };
      lab = { number: lab.number, archivedProgress: { type: 'partial', bytes: split } };
    } else {
      head = { type: 'blockContinuation', bytes: last.bytes.subarray(0, split), objects: last.objects };
      lab = { number: lab.number, archivedProgress: { type: 'partial', bytes: partialBytes(lab) - spill } };
    }
    items.push(head);
    buffer.unshift(continuation);
  } else {
    lab = { number: lab.number, archivedProgress: { type: 'complete' } };
  }

  const segmentIndex = state.segmentIndex;
  state.lastArchivedBlock = lab;
  return {
    segmentIndex,
    items,
    lastArchivedBlock: lab,
    objects: placeObjects(segmentIndex, items, geometry),
  };
}

/**
 * The global positions of the objects in `items` of segment `segmentIndex` (§3.7), draining each
 * item's object list so every object is reported once.
 */
export function placeObjects(
  segmentIndex: bigint,
  items: readonly SegmentItem[],
  geometry: SegmentGeometry,
): GlobalObject[] {
  const out: GlobalObject[] = [];
  const firstPiece = segmentIndex * BigInt(geometry.numPieces);
  let base = 1; // the V0 tag
  for (const item of items) {
    if (item.type === 'block' || item.type === 'blockStart' || item.type === 'blockContinuation') {
      for (const o of item.objects) {
        const off = base + 1 + compactLength(item.bytes.length) + o.offset;
        const record = Math.floor(off / geometry.rawRecordSize);
        out.push({
          hash: o.hash,
          pieceIndex: firstPiece + BigInt(2 * record),
          offset: off % geometry.rawRecordSize,
        });
      }
      item.objects = [];
    }
    base += segmentItemEncodedSize(item);
  }
  return out;
}

/** Validates a block before any state changes. */
export function checkBlock(
  bytes: Uint8Array,
  objects: readonly BlockObject[],
  maxBlockBytes = U32_MAX,
): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new ArchiverError({
      code: 'ARCHIVER_INVALID_ARGUMENT',
      what: 'block bytes',
      reason: 'expected a Uint8Array',
    });
  }
  if (bytes.length > Math.min(maxBlockBytes, U32_MAX)) {
    throw new ArchiverError({
      code: 'ARCHIVER_BLOCK_TOO_LARGE',
      blockBytes: bytes.length,
      maxBlockBytes: Math.min(maxBlockBytes, U32_MAX),
    });
  }
  for (const o of objects) {
    if (!(o.hash instanceof Uint8Array) || o.hash.length !== 32) {
      throw new ArchiverError({
        code: 'ARCHIVER_INVALID_ARGUMENT',
        what: 'object hash',
        reason: 'expected 32 bytes',
      });
    }
    if (!Number.isInteger(o.offset) || o.offset < 0 || o.offset >= Math.max(bytes.length, 1)) {
      throw new ArchiverError({
        code: 'ARCHIVER_INVALID_OBJECT_OFFSET',
        offset: o.offset,
        blockBytes: bytes.length,
      });
    }
  }
}

/**
 * The buffer of an archiver restarted from the last segment header and the (partially) archived
 * block (§3.4 `with_initial_state`).
 */
export function restartBuffer(
  header: SegmentHeader,
  blockBytes: Uint8Array | undefined,
  objects: readonly BlockObject[],
): SegmentItem[] {
  const buffer: SegmentItem[] = [{ type: 'parentSegmentHeader', header }];
  const progress = header.lastArchivedBlock.archivedProgress;
  if (progress.type === 'partial') {
    const n = progress.bytes;
    const len = blockBytes?.length ?? 0;
    if (len === n) throw new ArchiverError({ code: 'ARCHIVER_INVALID_LAST_ARCHIVED_BLOCK', blockBytes: len });
    if (len < n)
      throw new ArchiverError({
        code: 'ARCHIVER_INVALID_BLOCK_SMALL_SIZE',
        blockBytes: len,
        archivedBlockBytes: n,
      });
    const rest = (blockBytes as Uint8Array).subarray(n);
    const moved = objects.filter((o) => o.offset >= n).map((o) => ({ hash: o.hash, offset: o.offset - n }));
    buffer.push({ type: 'blockContinuation', bytes: rest, objects: moved });
  }
  return buffer;
}
