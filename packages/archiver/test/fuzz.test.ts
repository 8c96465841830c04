import { encodeSegmentHeader } from '@autonomys/primitives';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArchiverError,
  decodeSegment,
  encodeSegment,
  Reconstructor,
  type SegmentItem,
} from '../src/index.js';

const header = {
  segmentIndex: 3n,
  segmentCommitment: new Uint8Array(48).fill(1),
  prevSegmentHeaderHash: new Uint8Array(32).fill(2),
  lastArchivedBlock: { number: 7, archivedProgress: { type: 'partial' as const, bytes: 5 } },
};

describe('segment decoding with outside bytes', () => {
  it('random bytes only ever give an ArchiverError (or decode and re-encode to themselves)', () =>
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        try {
          const items = decodeSegment(b, { keepPadding: true });
          expect(encodeSegment(items)).toEqual(b);
        } catch (e) {
          expect(e).toBeInstanceOf(ArchiverError);
        }
        try {
          new Reconstructor().addSegment(b);
        } catch (e) {
          expect(e).toBeInstanceOf(ArchiverError);
        }
      }),
      { numRuns: 500 },
    ));

  it('items round-trip through the segment codec', () =>
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc
              .uint8Array({ maxLength: 70 })
              .map((bytes): SegmentItem => ({ type: 'block', bytes, objects: [] })),
            fc
              .uint8Array({ maxLength: 70 })
              .map((bytes): SegmentItem => ({ type: 'blockStart', bytes, objects: [] })),
            fc
              .uint8Array({ maxLength: 70 })
              .map((bytes): SegmentItem => ({ type: 'blockContinuation', bytes, objects: [] })),
            fc.constant<SegmentItem>({ type: 'parentSegmentHeader', header }),
          ),
          { maxLength: 6 },
        ),
        (items) => {
          const bytes = encodeSegment(items);
          expect(decodeSegment(bytes)).toEqual(items);
        },
      ),
    ));

  it('a parent header item is the tag, then the header bytes', () => {
    const bytes = encodeSegment([{ type: 'parentSegmentHeader', header }]);
    expect(bytes.subarray(2)).toEqual(encodeSegmentHeader(header));
    expect([...bytes.subarray(0, 2)]).toEqual([0, 4]);
  });
});
