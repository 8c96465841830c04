import { loadVectors } from '@autonomys/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blake3,
  bytesToHex,
  decodeHistorySize,
  decodeLastArchivedBlock,
  decodePieceIndex,
  decodeSegmentHeader,
  decodeSegmentIndex,
  encodeHistorySize,
  encodeLastArchivedBlock,
  encodePieceIndex,
  encodeSegmentHeader,
  encodeSegmentIndex,
  historySizeFromSegmentIndex,
  historySizeInPieces,
  historySizeSegmentIndex,
  isSourcePieceIndex,
  type LastArchivedBlock,
  PrimitivesError,
  pieceIndexFromSourcePosition,
  pieceIndexPosition,
  pieceIndexSegmentIndex,
  pieceIndexSourcePosition,
  SEGMENT_HEADER_SIZE_COMPLETE,
  SEGMENT_HEADER_SIZE_PARTIAL,
  type SegmentHeader,
  sectorExpirationCheckHistorySize,
  segmentFirstPieceIndex,
  segmentHeaderHash,
  segmentHeadersEqual,
  segmentLastPieceIndex,
  segmentPieceIndexes,
  segmentPieceIndexesSourceFirst,
} from '../src/index.js';
import { polkadotEncodeSegmentHeader } from './polkadot-oracle.js';

const archiving = loadVectors<{ structural_vectors: Record<string, unknown> }>(
  'archiving.json',
).structural_vectors;

const arbLastArchivedBlock: fc.Arbitrary<LastArchivedBlock> = fc.record({
  number: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  archivedProgress: fc.oneof(
    fc.constant({ type: 'complete' as const }),
    fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((bytes) => ({ type: 'partial' as const, bytes })),
  ),
});
const arbHeader: fc.Arbitrary<SegmentHeader> = fc.record({
  segmentIndex: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  segmentCommitment: fc.uint8Array({ minLength: 48, maxLength: 48 }),
  prevSegmentHeaderHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  lastArchivedBlock: arbLastArchivedBlock,
});

describe('SegmentHeader (archiving §3.2)', () => {
  it('has the sizes of the vectors: 94 complete, 98 partial', () => {
    const lens = archiving.segment_header_scale_len as { Complete: number; Partial: number };
    expect(SEGMENT_HEADER_SIZE_COMPLETE).toBe(lens.Complete);
    expect(SEGMENT_HEADER_SIZE_PARTIAL).toBe(lens.Partial);
    const h: SegmentHeader = {
      segmentIndex: 0n,
      segmentCommitment: new Uint8Array(48),
      prevSegmentHeaderHash: new Uint8Array(32),
      lastArchivedBlock: { number: 0, archivedProgress: { type: 'complete' } },
    };
    expect(encodeSegmentHeader(h).length).toBe(lens.Complete);
    const partial = {
      ...h,
      lastArchivedBlock: { number: 0, archivedProgress: { type: 'partial' as const, bytes: 1 } },
    };
    expect(encodeSegmentHeader(partial).length).toBe(lens.Partial);
    // version tag 0 and progress tags 0 / 1 (structural vectors)
    expect(archiving.segment_v0_tag).toBe(encodeSegmentHeader(h)[0]);
    const tags = archiving.archived_block_progress_tags as { Complete: number; Partial: number };
    expect(encodeSegmentHeader(h)[93]).toBe(tags.Complete);
    expect(encodeSegmentHeader(partial)[93]).toBe(tags.Partial);
  });

  it('lays out bytes as the digest says (segment 1 of the genesis example)', () => {
    const commitment = Uint8Array.from({ length: 48 }, (_, i) => i + 1);
    const h: SegmentHeader = {
      segmentIndex: 0n,
      segmentCommitment: commitment,
      prevSegmentHeaderHash: new Uint8Array(32),
      lastArchivedBlock: { number: 0, archivedProgress: { type: 'partial', bytes: 130023418 } },
    };
    const hex = bytesToHex(encodeSegmentHeader(h));
    expect(hex).toBe(`00${'00'.repeat(8)}${bytesToHex(commitment)}${'00'.repeat(32)}0000000001faffbf07`);
  });

  it('encodes exactly as @polkadot/types and round-trips', () =>
    fc.assert(
      fc.property(arbHeader, (h) => {
        const bytes = encodeSegmentHeader(h);
        expect(bytesToHex(bytes)).toBe(polkadotEncodeSegmentHeader(h));
        const back = decodeSegmentHeader(bytes);
        expect(back).toEqual(h);
        expect(segmentHeadersEqual(back, h)).toBe(true);
        expect(segmentHeaderHash(h)).toEqual(blake3(bytes));
      }),
      { numRuns: 200 },
    ));

  it('rejects wrong lengths, versions, tags and trailing bytes', () => {
    const good = encodeSegmentHeader({
      segmentIndex: 1n,
      segmentCommitment: new Uint8Array(48),
      prevSegmentHeaderHash: new Uint8Array(32),
      lastArchivedBlock: { number: 1, archivedProgress: { type: 'complete' } },
    });
    const codeOf = (b: Uint8Array) => {
      try {
        decodeSegmentHeader(b);
        return 'ok';
      } catch (e) {
        expect(e).toBeInstanceOf(PrimitivesError);
        return (e as PrimitivesError).code;
      }
    };
    expect(codeOf(good)).toBe('ok');
    expect(codeOf(good.subarray(0, 93))).toBe('PRIMITIVES_INVALID_LENGTH');
    const v1 = good.slice();
    v1[0] = 1;
    expect(codeOf(v1)).toBe('PRIMITIVES_INVALID_TAG');
    const badProgress = good.slice();
    badProgress[93] = 2;
    expect(codeOf(badProgress)).toBe('PRIMITIVES_INVALID_TAG');
    // a Complete header padded to the Partial size leaves trailing bytes
    const padded = new Uint8Array(98);
    padded.set(good);
    expect(codeOf(padded)).toBe('PRIMITIVES_TRAILING_BYTES');
    // a Partial tag in a 94-byte input runs out of bytes
    const shortPartial = good.slice();
    shortPartial[93] = 1;
    expect(codeOf(shortPartial)).toBe('PRIMITIVES_UNEXPECTED_END');
    expect(() =>
      encodeSegmentHeader({
        segmentIndex: 0n,
        segmentCommitment: new Uint8Array(47),
        prevSegmentHeaderHash: new Uint8Array(32),
        lastArchivedBlock: { number: 0, archivedProgress: { type: 'complete' } },
      }),
    ).toThrow(PrimitivesError);
  });

  it('fuzz: random bytes only ever throw PrimitivesError', () =>
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 120 }),
          fc.uint8Array({ minLength: 94, maxLength: 94 }),
          fc.uint8Array({ minLength: 98, maxLength: 98 }),
        ),
        (b) => {
          try {
            const h = decodeSegmentHeader(b);
            expect(encodeSegmentHeader(h)).toEqual(b);
          } catch (e) {
            expect(e).toBeInstanceOf(PrimitivesError);
          }
        },
      ),
    ));
});

describe('LastArchivedBlock', () => {
  it('round-trips and rejects garbage', () =>
    fc.assert(
      fc.property(arbLastArchivedBlock, fc.uint8Array({ maxLength: 12 }), (b, junk) => {
        expect(decodeLastArchivedBlock(encodeLastArchivedBlock(b))).toEqual(b);
        try {
          decodeLastArchivedBlock(junk);
        } catch (e) {
          expect(e).toBeInstanceOf(PrimitivesError);
        }
      }),
    ));
});

describe('piece and segment indexes (archiving §3.6)', () => {
  it('split a piece index into segment and position', () => {
    expect(pieceIndexSegmentIndex(300n)).toBe(1n);
    expect(pieceIndexPosition(300n)).toBe(44);
    expect(isSourcePieceIndex(300n)).toBe(true);
    expect(isSourcePieceIndex(301n)).toBe(false);
    expect(pieceIndexSourcePosition(300n)).toBe(22);
    expect(() => pieceIndexSourcePosition(301n)).toThrow(PrimitivesError);
    expect(pieceIndexFromSourcePosition(22, 1n)).toBe(300n);
    expect(segmentFirstPieceIndex(2n)).toBe(512n);
    expect(segmentLastPieceIndex(2n)).toBe(767n);
  });
  it('list a segment naturally and sources first', () => {
    const all = segmentPieceIndexes(1n);
    expect(all).toHaveLength(256);
    expect(all[0]).toBe(256n);
    const sf = segmentPieceIndexesSourceFirst(1n);
    expect(sf.slice(0, 3)).toEqual([256n, 258n, 260n]);
    expect(sf[127]).toBe(510n);
    expect(sf[128]).toBe(257n);
    expect(sf[255]).toBe(511n);
    expect([...sf].sort((a, b) => (a < b ? -1 : 1))).toEqual(all);
  });
  it('encode as 8 bytes little-endian', () =>
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (v) => {
        expect(decodePieceIndex(encodePieceIndex(v))).toBe(v);
        expect(decodeSegmentIndex(encodeSegmentIndex(v))).toBe(v);
        expect(encodePieceIndex(v)[0]).toBe(Number(v & 0xffn));
      }),
    ));
  it('reject bad lengths and ranges', () => {
    expect(() => decodePieceIndex(new Uint8Array(7))).toThrow(PrimitivesError);
    expect(() => encodePieceIndex(-1n)).toThrow(PrimitivesError);
    expect(() => encodePieceIndex(2n ** 64n)).toThrow(PrimitivesError);
    expect(() => segmentFirstPieceIndex(2n ** 63n)).toThrow(PrimitivesError);
    expect(() => pieceIndexFromSourcePosition(128, 0n)).toThrow(PrimitivesError);
  });
});

describe('HistorySize', () => {
  it('is a non-zero u64', () => {
    expect(historySizeFromSegmentIndex(0n)).toBe(1n);
    expect(historySizeSegmentIndex(5n)).toBe(4n);
    expect(historySizeInPieces(2n)).toBe(512n);
    expect(decodeHistorySize(encodeHistorySize(7n))).toBe(7n);
    expect(() => decodeHistorySize(new Uint8Array(8))).toThrow(PrimitivesError);
    expect(() => encodeHistorySize(0n)).toThrow(PrimitivesError);
    expect(() => historySizeInPieces(2n ** 63n)).toThrow(PrimitivesError);
    expect(() => historySizeFromSegmentIndex(2n ** 64n - 1n)).toThrow(PrimitivesError);
  });
  it('sector expiration check adds the minimum lifetime, undefined on overflow', () => {
    expect(sectorExpirationCheckHistorySize(10n)).toBe(14n);
    expect(sectorExpirationCheckHistorySize(2n ** 64n - 2n)).toBeUndefined();
  });
});
