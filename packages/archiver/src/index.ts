/**
 * @autonomys/archiver: confirmed blocks to archived segments (segment headers and pieces) and back,
 * byte-compatible with the live network.
 */
export * from './archiver.js';
export { type KzgCommitterOptions, type KzgSegmentCommitter, kzgSegmentCommitter } from './committer.js';
export { ArchiverError, type ArchiverErrorCode, type ArchiverErrorType } from './errors.js';
export { verifySegmentHeaderChain } from './headers.js';
export { type FetchObjectOptions, fetchObject, type PieceGetter } from './objects.js';
export * from './params.js';
export { type ReconstructedContents, Reconstructor } from './reconstructor.js';
export { type RecoveredSegment, type RecoverSegmentOptions, recoverSegment } from './recover.js';
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
export { INITIAL_LAST_ARCHIVED_BLOCK } from './segmenter.js';
export { isPieceValid } from './verify.js';
