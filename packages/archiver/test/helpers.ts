import type { SegmentCommitter } from '../src/index.js';

/**
 * A committer for segmentation tests: no cryptography, a zero commitment and no piece bytes. Only
 * the segmentation (items, last archived block, object placement) is under test with it.
 */
export const sizeOnlyCommitter: SegmentCommitter & { segments: Uint8Array[] } = {
  segments: [],
  async commit(segment) {
    sizeOnlyCommitter.segments.push(segment);
    return { pieces: new Uint8Array(0), segmentCommitment: new Uint8Array(48) };
  },
};

export function obj(offset: number, tag = offset & 0xff) {
  return { hash: new Uint8Array(32).fill(tag), offset };
}

/**
 * A committer for layout tests at small sizes: source records laid into the even pieces as the
 * network does (0x00 ‖ 31 raw bytes per chunk), parity records and all commitments left zero.
 */
export const layoutOnlyCommitter: SegmentCommitter = {
  async commit(segment, _segmentIndex, g) {
    const pieces = new Uint8Array(g.numPieces * g.pieceSize);
    for (let k = 0; k < g.numRawRecords; k++) {
      for (let j = 0; j < g.numChunks; j++) {
        const src = k * g.rawRecordSize + j * 31;
        pieces.set(segment.subarray(src, src + 31), 2 * k * g.pieceSize + j * 32 + 1);
      }
    }
    return { pieces, segmentCommitment: new Uint8Array(48) };
  },
};
