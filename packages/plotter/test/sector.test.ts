import { blake3 } from '@autonomys/primitives';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeSectorContentsMap,
  decodeSectorMetadataChecksummed,
  encodeSectorContentsMap,
  encodeSectorMetadataChecksummed,
  PlotterError,
  SectorContentsMap,
  type SectorMetadata,
  sectorContentsMapSize,
  sectorExpirationCheckSegmentIndex,
  sectorExpirationStatus,
  sectorLayout,
  sectorMetadataChecksummedSize,
  sectorSize,
} from '../src/index.js';

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PlotterError);
    return (e as PlotterError).code;
  }
  return undefined;
}

/** Bitfields of `pieces` records with `e[p]` random bits set each (numChunks small). */
function bitfields(pieces: number, numChunks: number, rand: () => number, full = false): Uint8Array {
  const nS = numChunks * 2;
  const out = new Uint8Array((pieces * nS) / 8);
  for (let p = 0; p < pieces; p++) {
    const e = full ? numChunks : Math.floor(rand() * (numChunks + 1));
    const order = Array.from({ length: nS }, (_, s) => s).sort(() => rand() - 0.5);
    for (const s of order.slice(0, e)) out[(p * nS + s) >> 3]! |= 1 << (s & 7);
  }
  return out;
}

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('sector layout (farming §4.5-§4.7)', () => {
  it('sizes at the network record size', () => {
    expect(sectorSize(1000)).toBe(1_056_896_064);
    expect(sectorContentsMapSize(1000)).toBe(1000 * 8192 + 32);
    expect(sectorMetadataChecksummedSize()).toBe(131_116);
    const l = sectorLayout(1000);
    expect(l.numSBuckets).toBe(65_536);
    expect(l.recordMetadataOffset).toBe(1000 * 8192 + 32 + 1000 * 1_048_576);
    expect(l.checksumOffset).toBe(l.size - 32);
    expect(l.pieceSize).toBe(1_048_672);
  });

  it('sizes at a small preset, and bad parameters are typed errors', () => {
    const l = sectorLayout(3, { numChunks: 16 });
    expect(l.size).toBe(3 * (16 * 32 + 128 + 4) + 64);
    expect(code(() => sectorLayout(0))).toBe('PLOTTER_OUT_OF_RANGE');
    expect(code(() => sectorLayout(65_536))).toBe('PLOTTER_OUT_OF_RANGE');
    expect(code(() => sectorLayout(1, { numChunks: 12 }))).toBe('PLOTTER_INVALID_ARGUMENT');
    expect(code(() => sectorLayout(1, { numChunks: 2 }))).toBe('PLOTTER_OUT_OF_RANGE');
    expect(code(() => sectorLayout(1, { numChunks: 65_536 }))).toBe('PLOTTER_OUT_OF_RANGE');
  });

  it('contents map: chunk positions match a count per s-bucket (bit-sliced sums, 2^16 s-buckets, 300 records)', () => {
    const pieces = 300;
    const rand = rng(9);
    // Random bytes (at most numChunks bits set per record, some full, some with long unencoded tails).
    const bits = new Uint8Array(pieces * 8192);
    for (let p = 0; p < pieces; p++) {
      const density = p % 3 === 0 ? 0x55 : p % 3 === 1 ? 0x11 : 0;
      for (let i = 0; i < 8192; i++) bits[p * 8192 + i] = Math.floor(rand() * 256) & density;
    }
    const map = new SectorContentsMap(pieces, bits);
    for (const p of [0, 1, 2, 31, 32, 33, 255, 256, 299, 33]) {
      const got = map.recordChunkPositions(p);
      for (let s = 0; s < map.numSBuckets; s += 97) {
        let j = 0;
        for (let q = 0; q < p; q++) if (map.hasChunk(q, s)) j++;
        expect(got[s]).toBe(map.hasChunk(p, s) ? j : -1);
      }
      const first = got[0];
      got.fill(7); // a copy: the kept result is not the caller's
      expect(map.recordChunkPositions(p)[0]).toBe(first);
    }
  });

  it('contents map: every record occupies exactly numChunks s-buckets; sizes add up (invariants 8, 9)', () => {
    for (const [pieces, numChunks, seed] of [
      [5, 16, 1],
      [7, 8, 2],
      [3, 64, 3],
    ] as const) {
      const rand = rng(seed);
      const map = new SectorContentsMap(pieces, bitfields(pieces, numChunks, rand), { numChunks });
      const sizes = map.sBucketSizes();
      let total = 0;
      for (let s = 0; s < map.numSBuckets; s++) {
        expect(sizes[s]).toBeLessThanOrEqual(pieces);
        total += sizes[s]!;
        const recs = map.sBucketRecords(s);
        expect(recs.length).toBe(sizes[s]);
        recs.forEach((r, j) => {
          expect(map.recordChunkPositions(r.pieceOffset)[s]).toBe(j);
          expect(r.encoded).toBe(map.isEncoded(r.pieceOffset, s));
        });
      }
      expect(total).toBe(pieces * numChunks);
      for (let p = 0; p < pieces; p++) {
        let has = 0;
        let unencodedBefore = 0;
        for (let s = 0; s < map.numSBuckets; s++) {
          // record_has_s_bucket_chunk as the spec words it
          const enc = map.isEncoded(p, s);
          const expected =
            enc || (map.encodedChunks[p]! < numChunks && unencodedBefore < numChunks - map.encodedChunks[p]!);
          if (!enc) unencodedBefore++;
          expect(map.hasChunk(p, s)).toBe(expected);
          if (map.hasChunk(p, s)) has++;
        }
        expect(has).toBe(numChunks);
      }
    }
  });

  it('contents map round trip (fast-check) and size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(4, 8, 16),
        fc.integer(),
        (pieces, numChunks, seed) => {
          const map = new SectorContentsMap(pieces, bitfields(pieces, numChunks, rng(seed)), { numChunks });
          const bytes = encodeSectorContentsMap(map);
          expect(bytes.length).toBe(sectorContentsMapSize(pieces, { numChunks }));
          const back = decodeSectorContentsMap(bytes, pieces, { numChunks });
          expect(back.bitfields).toEqual(map.bitfields);
          expect(back.sBucketSizes()).toEqual(map.sBucketSizes());
        },
      ),
      { numRuns: 50 },
    );
  });

  it('contents map decoder rejects wrong sizes, bad checksums and over-full records', () => {
    const map = new SectorContentsMap(2, bitfields(2, 16, rng(9)), { numChunks: 16 });
    const bytes = encodeSectorContentsMap(map);
    expect(code(() => decodeSectorContentsMap(bytes.subarray(1), 2, { numChunks: 16 }))).toBe(
      'PLOTTER_INVALID_LENGTH',
    );
    const bad = bytes.slice();
    bad[0]! ^= 1;
    expect(code(() => decodeSectorContentsMap(bad, 2, { numChunks: 16, sectorIndex: 4 }))).toBe(
      'PLOTTER_CHECKSUM_MISMATCH',
    );
    try {
      decodeSectorContentsMap(bad, 2, { numChunks: 16, sectorIndex: 4 });
    } catch (e) {
      expect((e as PlotterError).type).toMatchObject({ what: 'sector contents map', sectorIndex: 4 });
    }
    // 17 bits set in a 16-chunk record, with a valid checksum
    const full = new Uint8Array(2 * 4);
    full.fill(0xff, 0, 2);
    full[2] = 1;
    const withSum = new Uint8Array(full.length + 32);
    withSum.set(full);
    withSum.set(blake3(full), full.length);
    expect(code(() => decodeSectorContentsMap(withSum, 2, { numChunks: 16 }))).toBe(
      'PLOTTER_INVALID_CONTENTS_MAP',
    );
    // the input is not kept: decoding copies
    const copy = bytes.slice();
    decodeSectorContentsMap(copy, 2, { numChunks: 16 }).bitfields[0] = 0xaa;
    expect(copy).toEqual(bytes);
  });

  it('contents map decoder: random bytes only ever throw PlotterError (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.integer({ min: 1, max: 4 }), (b, pieces) => {
        try {
          decodeSectorContentsMap(b, pieces, { numChunks: 16 });
        } catch (e) {
          expect(e).toBeInstanceOf(PlotterError);
        }
      }),
    );
  });

  const meta = (pieces: number, numChunks: number, seed: number): SectorMetadata => {
    const map = new SectorContentsMap(pieces, bitfields(pieces, numChunks, rng(seed)), { numChunks });
    return {
      sectorIndex: seed & 0xffff,
      piecesInSector: pieces,
      sBucketSizes: map.sBucketSizes(),
      historySize: BigInt(seed) + 1n,
    };
  };

  it('SectorMetadataChecksummed round trip (fast-check), at a small preset and at 65 536 s-buckets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1 << 30 }), (pieces, seed) => {
        const m = meta(pieces, 8, seed);
        const bytes = encodeSectorMetadataChecksummed(m, { numChunks: 8 });
        expect(bytes.length).toBe(sectorMetadataChecksummedSize({ numChunks: 8 }));
        expect(decodeSectorMetadataChecksummed(bytes, { numChunks: 8 })).toEqual(m);
      }),
      { numRuns: 50 },
    );
    const real = meta(3, 32_768, 77);
    const bytes = encodeSectorMetadataChecksummed(real);
    expect(bytes.length).toBe(131_116);
    // layout: sector_index u16 LE, pieces u16 LE, sizes u16 LE ×65536, history u64 LE, BLAKE3
    expect([bytes[0], bytes[1], bytes[2], bytes[3]]).toEqual([77, 0, 3, 0]);
    expect(bytes[4]! | (bytes[5]! << 8)).toBe(real.sBucketSizes[0]);
    expect(bytes[4 + 131_072]).toBe(78);
    expect(bytes.subarray(131_084)).toEqual(blake3(bytes.subarray(0, 131_084)));
    expect(decodeSectorMetadataChecksummed(bytes)).toEqual(real);
  });

  it('SectorMetadataChecksummed decoder rejects wrong sizes, bad checksums and impossible sizes', () => {
    const m = meta(4, 8, 5);
    const bytes = encodeSectorMetadataChecksummed(m, { numChunks: 8 });
    expect(code(() => decodeSectorMetadataChecksummed(bytes.subarray(1), { numChunks: 8 }))).toBe(
      'PLOTTER_INVALID_LENGTH',
    );
    expect(code(() => decodeSectorMetadataChecksummed(bytes, { numChunks: 16 }))).toBe(
      'PLOTTER_INVALID_LENGTH',
    );
    const bad = bytes.slice();
    bad[7]! ^= 4;
    expect(code(() => decodeSectorMetadataChecksummed(bad, { numChunks: 8 }))).toBe(
      'PLOTTER_CHECKSUM_MISMATCH',
    );
    // sizes that do not add up to pieces · numChunks, re-checksummed
    const body = bytes.slice(0, bytes.length - 32);
    body[4]! += 1;
    const resummed = new Uint8Array(bytes.length);
    resummed.set(body);
    resummed.set(blake3(body), body.length);
    expect(code(() => decodeSectorMetadataChecksummed(resummed, { numChunks: 8 }))).toBe(
      'PLOTTER_INVALID_SECTOR_METADATA',
    );
    expect(code(() => encodeSectorMetadataChecksummed({ ...m, historySize: 0n }, { numChunks: 8 }))).toBe(
      'PLOTTER_INVALID_SECTOR_METADATA',
    );
    expect(
      code(() =>
        encodeSectorMetadataChecksummed({ ...m, sBucketSizes: new Uint16Array(3) }, { numChunks: 8 }),
      ),
    ).toBe('PLOTTER_INVALID_LENGTH');
  });

  it('SectorMetadataChecksummed decoder: random bytes only ever throw PlotterError (fuzz)', () => {
    const size = sectorMetadataChecksummedSize({ numChunks: 4 });
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ minLength: size, maxLength: size })),
        (b) => {
          try {
            decodeSectorMetadataChecksummed(b, { numChunks: 4 });
          } catch (e) {
            expect(e).toBeInstanceOf(PlotterError);
          }
        },
      ),
    );
    // valid checksum, random body
    fc.assert(
      fc.property(fc.uint8Array({ minLength: size - 32, maxLength: size - 32 }), (body) => {
        const b = new Uint8Array(size);
        b.set(body);
        b.set(blake3(body), body.length);
        try {
          decodeSectorMetadataChecksummed(b, { numChunks: 4 });
        } catch (e) {
          expect(e).toBeInstanceOf(PlotterError);
        }
      }),
    );
  });

  it('expiration helpers (§4.8)', () => {
    expect(sectorExpirationCheckSegmentIndex(10n)).toBe(13n);
    expect(sectorExpirationCheckSegmentIndex(1n)).toBe(4n);
    expect(sectorExpirationStatus(20n, 17n)).toBe('active');
    expect(sectorExpirationStatus(20n, 18n)).toBe('about-to-expire');
    expect(sectorExpirationStatus(20n, 19n)).toBe('expired');
    expect(code(() => sectorExpirationCheckSegmentIndex(0n))).toBe('PLOTTER_OUT_OF_RANGE');
    expect(code(() => sectorExpirationStatus(20n, -1n))).toBe('PLOTTER_OUT_OF_RANGE');
  });
});
