/**
 * The segment header chain (archiving §3.2, §3.5 step 7): each header names its predecessor by the
 * BLAKE3 hash of its SCALE bytes, indexes count up from 0, and the archived block only moves forward.
 */
import {
  equalBytes,
  type LastArchivedBlock,
  type SegmentHeader,
  segmentHeaderHash,
} from '@autonomys/primitives';
import { ArchiverError } from './errors.js';

const ZERO_HASH = new Uint8Array(32);

function fail(h: SegmentHeader, reason: string): never {
  throw new ArchiverError({
    code: 'ARCHIVER_SEGMENT_HEADER_CHAIN',
    segmentIndex: String(h.segmentIndex),
    reason,
  });
}

function progressed(prev: LastArchivedBlock, next: LastArchivedBlock): boolean {
  if (next.number > prev.number) return true;
  if (next.number < prev.number) return false;
  // Same block: it was partial before and has more bytes archived (or is complete) now.
  if (prev.archivedProgress.type !== 'partial') return false;
  return (
    next.archivedProgress.type === 'complete' || next.archivedProgress.bytes > prev.archivedProgress.bytes
  );
}

/**
 * Checks that `headers` form a chain, continuing `previous` when given (else starting at segment
 * 0 with a zero previous hash). Throws `ARCHIVER_SEGMENT_HEADER_CHAIN` naming the first bad header.
 * @example verifySegmentHeaderChain(headers) // throws unless headers[i+1] chains to headers[i]
 */
export function verifySegmentHeaderChain(headers: readonly SegmentHeader[], previous?: SegmentHeader): void {
  let prev = previous;
  for (const h of headers) {
    if (prev === undefined) {
      if (h.segmentIndex !== 0n)
        fail(h, 'the first header of a chain without a predecessor must be segment 0');
      if (!equalBytes(h.prevSegmentHeaderHash, ZERO_HASH))
        fail(h, 'segment 0 must have a zero previous hash');
    } else {
      if (h.segmentIndex !== prev.segmentIndex + 1n) fail(h, `expected segment ${prev.segmentIndex + 1n}`);
      if (!equalBytes(h.prevSegmentHeaderHash, segmentHeaderHash(prev)))
        fail(h, 'previous hash does not match the previous header');
      if (!progressed(prev.lastArchivedBlock, h.lastArchivedBlock))
        fail(h, 'the last archived block does not move forward');
    }
    prev = h;
  }
}
