/**
 * The archiver: confirmed blocks in, archived segments (segment header + pieces) out, exactly as the
 * live network produces them (archiving §3). Segmentation is synchronous; turning a segment into
 * pieces (erasure coding, KZG commitments and witnesses) is the job of a {@link SegmentCommitter}.
 */
import {
  type BlockObject,
  type GlobalObject,
  type LastArchivedBlock,
  type SegmentHeader,
  segmentHeaderHash,
} from '@autonomys/primitives';
import { ArchiverError } from './errors.js';
import { type ArchivingParams, type SegmentGeometry, segmentGeometry } from './params.js';
import { encodeSegmentInto, type SegmentItem } from './segment.js';
import {
  checkBlock,
  cutSegment,
  INITIAL_LAST_ARCHIVED_BLOCK,
  placeObjects,
  restartBuffer,
  type SegmenterState,
} from './segmenter.js';

/** Progress of one segment's cryptography. */
export type ArchiveProgressEvent =
  | { readonly type: 'archive:segment-start'; readonly segmentIndex: bigint }
  | {
      readonly type: 'archive:records-committed';
      readonly segmentIndex: bigint;
      readonly committed: number;
      readonly total: number;
    }
  | { readonly type: 'archive:segment-done'; readonly segmentIndex: bigint };

export interface ArchiveOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ArchiveProgressEvent) => void;
}

/** Turns one recorded history segment into its pieces and segment commitment. */
export interface SegmentCommitter {
  commit(
    segment: Uint8Array,
    segmentIndex: bigint,
    geometry: SegmentGeometry,
    opts?: ArchiveOptions,
  ): Promise<{ pieces: Uint8Array; segmentCommitment: Uint8Array }>;
}

/** One archived segment: its header and its pieces (`numPieces` consecutive pieces of `pieceSize` bytes). */
export interface ArchivedSegment {
  readonly header: SegmentHeader;
  readonly pieces: Uint8Array;
}

/** What one block produced: the segments it completed and the objects now placed in history. */
export interface AddBlockOutcome {
  readonly segments: ArchivedSegment[];
  readonly objects: GlobalObject[];
}

/** A block with its object mapping; `number` is optional and checked when given. */
export interface ArchiverBlock {
  readonly bytes: Uint8Array;
  readonly objects?: readonly BlockObject[];
  readonly number?: number;
}

/** The whole state of an archiver, as a plain value (what {@link archiveSegment} takes and returns). */
export interface ArchiverState {
  readonly segmentIndex: bigint;
  readonly prevSegmentHeaderHash: Uint8Array;
  readonly lastArchivedBlock: LastArchivedBlock;
  /** Items not yet archived (a parent header first after segment 0, then block bytes). */
  readonly buffer: readonly SegmentItem[];
  /** The number the next block will get, or undefined before the first block. */
  readonly nextBlockNumber: number | undefined;
}

export interface ArchiverOptions {
  readonly params?: ArchivingParams;
  /** How segments become pieces; default: KZG + erasure coding (`kzgSegmentCommitter`). */
  readonly committer: SegmentCommitter;
  /** Largest block accepted (default and maximum: u32::MAX, the compact prefix's limit). */
  readonly maxBlockBytes?: number;
}

/** The state of a fresh archiver (before genesis). */
export function initialArchiverState(): ArchiverState {
  return {
    segmentIndex: 0n,
    prevSegmentHeaderHash: new Uint8Array(32),
    lastArchivedBlock: INITIAL_LAST_ARCHIVED_BLOCK,
    buffer: [],
    nextBlockNumber: undefined,
  };
}

/**
 * The state of an archiver restarted from the last segment header and the block it ends in (the
 * full encoded block when its archived progress is partial; ignored when complete). The restarted
 * archiver produces the same bytes as one that never stopped.
 */
export function restartArchiverState(
  header: SegmentHeader,
  blockBytes?: Uint8Array,
  objects: readonly BlockObject[] = [],
): ArchiverState {
  return {
    segmentIndex: header.segmentIndex + 1n,
    prevSegmentHeaderHash: segmentHeaderHash(header),
    lastArchivedBlock: header.lastArchivedBlock,
    buffer: restartBuffer(header, blockBytes, objects),
    nextBlockNumber: header.lastArchivedBlock.number + 1,
  };
}

function cloneItems(items: readonly SegmentItem[]): SegmentItem[] {
  return items.map((i) =>
    i.type === 'block' || i.type === 'blockStart' || i.type === 'blockContinuation'
      ? { type: i.type, bytes: i.bytes, objects: [...i.objects] }
      : i,
  );
}

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ArchiverError({ code: 'ARCHIVER_ABORTED' });
}

/**
 * The pure form of the archiver: from a state and blocks to the segments they complete, the placed
 * objects and the new state. The input state is not modified.
 * @example
 * const { segments, state } = await archiveSegment(initialArchiverState(), [{ bytes: genesis }], { committer });
 */
export async function archiveSegment(
  state: ArchiverState,
  blocks: readonly ArchiverBlock[],
  opts: ArchiverOptions & ArchiveOptions,
): Promise<AddBlockOutcome & { state: ArchiverState }> {
  const geometry = segmentGeometry(opts.params);
  const s: ArchiverState = { ...state, buffer: cloneItems(state.buffer) };
  let current = s;
  const segments: ArchivedSegment[] = [];
  const objects: GlobalObject[] = [];
  for (const block of blocks) {
    const r = await addBlockTo(current, block, geometry, opts);
    segments.push(...r.segments);
    objects.push(...r.objects);
    current = r.state;
  }
  return { segments, objects, state: current };
}

async function addBlockTo(
  state: ArchiverState,
  block: ArchiverBlock,
  geometry: SegmentGeometry,
  opts: ArchiverOptions & ArchiveOptions,
): Promise<AddBlockOutcome & { state: ArchiverState }> {
  const objectsIn = block.objects ?? [];
  checkBlock(block.bytes, objectsIn, opts.maxBlockBytes);
  const expected = state.nextBlockNumber ?? 0;
  if (block.number !== undefined && block.number !== expected) {
    throw new ArchiverError({ code: 'ARCHIVER_UNEXPECTED_BLOCK_NUMBER', expected, actual: block.number });
  }
  aborted(opts.signal);
  // Work on copies: a failure (or an abort) part-way leaves the caller's state as it was.
  const seg: SegmenterState = {
    segmentIndex: state.segmentIndex,
    lastArchivedBlock: state.lastArchivedBlock,
    buffer: cloneItems(state.buffer),
  };
  let prevHash = state.prevSegmentHeaderHash;
  seg.buffer.push({
    type: 'block',
    bytes: block.bytes,
    objects: objectsIn.map((o) => ({ hash: o.hash, offset: o.offset })),
  });
  const segments: ArchivedSegment[] = [];
  const objects: GlobalObject[] = [];
  for (let cut = cutSegment(seg, geometry); cut !== undefined; cut = cutSegment(seg, geometry)) {
    objects.push(...cut.objects);
    // Zero bytes past the items are padding. Shared memory where there is any, so that a committer
    // with worker threads reads the segment in place (no 128 MiB copy).
    const bytes = new Uint8Array(
      typeof SharedArrayBuffer === 'function'
        ? new SharedArrayBuffer(geometry.segmentSize)
        : new ArrayBuffer(geometry.segmentSize),
    );
    encodeSegmentInto(cut.items, bytes);
    opts.onProgress?.({ type: 'archive:segment-start', segmentIndex: cut.segmentIndex });
    const { pieces, segmentCommitment } = await opts.committer.commit(
      bytes,
      cut.segmentIndex,
      geometry,
      opts,
    );
    const header: SegmentHeader = {
      segmentIndex: cut.segmentIndex,
      segmentCommitment,
      prevSegmentHeaderHash: prevHash,
      lastArchivedBlock: cut.lastArchivedBlock,
    };
    segments.push({ header, pieces });
    opts.onProgress?.({ type: 'archive:segment-done', segmentIndex: cut.segmentIndex });
    prevHash = segmentHeaderHash(header);
    seg.segmentIndex = cut.segmentIndex + 1n;
    seg.buffer.unshift({ type: 'parentSegmentHeader', header });
  }
  // Objects already certain to land in the next segment, at known places (§3.7 buffer pass).
  objects.push(...placeObjects(seg.segmentIndex, seg.buffer, geometry));
  return {
    segments,
    objects,
    state: {
      segmentIndex: seg.segmentIndex,
      prevSegmentHeaderHash: prevHash,
      lastArchivedBlock: seg.lastArchivedBlock,
      buffer: seg.buffer,
      nextBlockNumber: expected + 1,
    },
  };
}

/**
 * The stateful archiver over {@link archiveSegment}: feed it confirmed blocks in order. Calls are
 * queued, so `addBlock` may be called again before the previous promise settles; a rejected block
 * (or an aborted call) leaves the state as it was.
 */
export class Archiver {
  private current: ArchiverState;
  private queue: Promise<unknown> = Promise.resolve();
  readonly geometry: SegmentGeometry;

  constructor(
    private readonly opts: ArchiverOptions,
    state: ArchiverState = initialArchiverState(),
  ) {
    this.geometry = segmentGeometry(opts.params);
    this.current = state;
  }

  /** An archiver continuing after `header` (see {@link restartArchiverState}). */
  static restart(
    opts: ArchiverOptions,
    header: SegmentHeader,
    blockBytes?: Uint8Array,
    objects?: readonly BlockObject[],
  ): Archiver {
    return new Archiver(opts, restartArchiverState(header, blockBytes, objects));
  }

  /** The current state (a value: safe to persist or to pass to {@link archiveSegment}). */
  get state(): ArchiverState {
    return this.current;
  }

  /** Adds the next confirmed block; resolves with the segments it completed and its placed objects. */
  addBlock(
    bytes: Uint8Array,
    objects: readonly BlockObject[] = [],
    opts: ArchiveOptions & { number?: number } = {},
  ): Promise<AddBlockOutcome> {
    const run = async () => {
      const block: ArchiverBlock =
        opts.number === undefined ? { bytes, objects } : { bytes, objects, number: opts.number };
      const r = await addBlockTo(this.current, block, this.geometry, { ...this.opts, ...opts });
      this.current = r.state;
      return { segments: r.segments, objects: r.objects };
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
