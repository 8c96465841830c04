/**
 * @autonomys/archiver for browsers (the `browser` condition of the package's exports): verification
 * and decoding without the archiver itself (which needs worker threads): piece verification against a
 * segment commitment, the segment header chain, the segment codec, object fetching and reassembly.
 * Pair it with `@autonomys/kzg`'s browser entry (a `Kzg` on blst WebAssembly or TypeScript). No node:
 * imports are reachable from here.
 * @module
 */
export { ArchiverError, type ArchiverErrorCode, type ArchiverErrorType } from './errors.js';
export { verifySegmentHeaderChain } from './headers.js';
export { type FetchObjectOptions, fetchObject, type PieceGetter } from './objects.js';
export * from './params.js';
export { type ReconstructedContents, Reconstructor } from './reconstructor.js';
export {
  type BlockBytesItem,
  decodeSegment,
  encodeSegment,
  encodeSegmentInto,
  SEGMENT_ITEM_BLOCK,
  SEGMENT_ITEM_BLOCK_CONTINUATION,
  SEGMENT_ITEM_BLOCK_START,
  SEGMENT_ITEM_PADDING,
  SEGMENT_ITEM_PARENT_SEGMENT_HEADER,
  type SegmentItem,
  segmentItemEncodedSize,
} from './segment.js';
export { isPieceValid } from './verify.js';
