/**
 * From archived segments back to blocks (archiving §3.8): feed segments in order, get back the
 * blocks that complete in each, with their numbers. Blocks spanning segments are carried over.
 */
import type { SegmentHeader } from '@autonomys/primitives';
import { ArchiverError } from './errors.js';
import { decodeSegment } from './segment.js';

/** What one segment yields: its parent header (absent for segment 0) and the completed blocks. */
export interface ReconstructedContents {
  readonly segmentHeader: SegmentHeader | undefined;
  /** `[blockNumber, encodedBlock]`, in order. */
  readonly blocks: Array<readonly [number, Uint8Array]>;
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Reassembles blocks from consecutive recorded history segments (the decoded bytes of a segment:
 * see `recoverSegment` for getting them from pieces).
 *
 * One deliberate difference from the reference: after a parent header whose last block is
 * complete, the reference emits a pending block numbered 0 — and, when nothing is pending, an
 * empty block 0, which its own DSN sync then rejects. Here nothing empty is emitted and numbering
 * continues from the header's block number + 1; everything else (including skipping a continuation
 * whose beginning was never seen) matches the reference.
 */
export class Reconstructor {
  private lastSegmentIndex: bigint | undefined;
  private partial: Uint8Array[] = [];

  /**
   * Adds the next segment. A segment out of order is `ARCHIVER_INCORRECT_SEGMENT_ORDER` and bytes
   * that do not decode are `ARCHIVER_SEGMENT_DECODING`; neither changes the reconstructor's state.
   */
  addSegment(segment: Uint8Array): ReconstructedContents {
    const items = decodeSegment(segment);
    let lastSegmentIndex = this.lastSegmentIndex;
    let partial = this.partial;
    let next = 0;
    let segmentHeader: SegmentHeader | undefined;
    const blocks: Array<readonly [number, Uint8Array]> = [];
    for (const item of items) {
      switch (item.type) {
        case 'padding':
          break;
        case 'block':
          if (partial.length > 0) {
            blocks.push([next++, join(partial)]);
            partial = [];
          }
          blocks.push([next++, item.bytes.slice()]);
          break;
        case 'blockStart':
          if (partial.length > 0) blocks.push([next++, join(partial)]);
          // An empty start (the reference's spill == length case) leaves nothing to continue.
          partial = item.bytes.length > 0 ? [item.bytes.slice()] : [];
          break;
        case 'blockContinuation':
          // Without the beginning of the block there is nothing to continue.
          if (partial.length > 0) partial = [...partial, item.bytes.slice()];
          break;
        case 'parentSegmentHeader': {
          const h = item.header;
          if (lastSegmentIndex !== undefined && h.segmentIndex !== lastSegmentIndex) {
            throw new ArchiverError({
              code: 'ARCHIVER_INCORRECT_SEGMENT_ORDER',
              expected: String(lastSegmentIndex + 1n),
              actual: String(h.segmentIndex + 1n),
            });
          }
          lastSegmentIndex = h.segmentIndex + 1n;
          segmentHeader = h;
          const number = h.lastArchivedBlock.number;
          if (h.lastArchivedBlock.archivedProgress.type === 'complete') {
            if (partial.length > 0) blocks.push([number, join(partial)]);
            partial = [];
            next = number + 1;
          } else {
            next = partial.length > 0 ? number : number + 1;
          }
          break;
        }
      }
    }
    this.partial = partial;
    this.lastSegmentIndex = lastSegmentIndex ?? 0n;
    return { segmentHeader, blocks };
  }
}
