/**
 * The network's segment cryptography at the small preset (4 records of 32 chunks, 8 pieces): every
 * piece verifies against its segment commitment, a flipped bit anywhere does not, parity records
 * and commitments agree with the erasure code, and the worker and inline paths give the same bytes.
 */
import { extendColumns } from '@autonomys/erasure';
import { Kzg, loadPublicParameters, poly } from '@autonomys/kzg';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ArchivedSegment,
  Archiver,
  ArchiverError,
  isPieceValid,
  kzgSegmentCommitter,
  MINIMAL_ARCHIVING_PARAMS,
  Reconstructor,
  recoverSegment,
  segmentGeometry,
  verifySegmentHeaderChain,
} from '../src/index.js';

const params = MINIMAL_ARCHIVING_PARAMS;
const g = segmentGeometry(params);
const parameters = { g1Count: 64 };
const inline = kzgSegmentCommitter({ threads: 0, parameters });
const pooled = kzgSegmentCommitter({ threads: 2, parameters });
let kzg: Kzg;

beforeAll(async () => {
  kzg = new Kzg(await loadPublicParameters(parameters));
});
afterAll(async () => {
  await pooled.close();
});

const piece = (s: ArchivedSegment, i: number) => s.pieces.subarray(i * g.pieceSize, (i + 1) * g.pieceSize);
const block = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 37 + seed * 101) & 0xff);

async function archive(committer: typeof inline, sizes: number[]) {
  const a = new Archiver({ params, committer });
  const segments: ArchivedSegment[] = [];
  for (const [i, n] of sizes.entries()) segments.push(...(await a.addBlock(block(n, i))).segments);
  return segments;
}

describe('kzgSegmentCommitter (archiving §3.5)', () => {
  it('every piece verifies against its segment commitment; worker and inline paths agree', async () => {
    const sizes = [3000, 10, 5000, 7000];
    const a = await archive(inline, sizes);
    const b = await archive(pooled, sizes);
    expect(a.length).toBeGreaterThan(2);
    verifySegmentHeaderChain(a.map((s) => s.header));
    for (const [k, s] of a.entries()) {
      expect(Buffer.compare(s.pieces, b[k]!.pieces)).toBe(0);
      expect(s.header.segmentCommitment).toEqual(b[k]!.header.segmentCommitment);
      for (let i = 0; i < g.numPieces; i++)
        expect(isPieceValid(kzg, piece(s, i), s.header.segmentCommitment, i, params)).toBe(true);
    }
  });

  it('parity records and commitments are the erasure code of the source ones', async () => {
    const [s] = await archive(inline, [5000]);
    const seg = s!;
    const sources = Array.from({ length: g.numRawRecords }, (_, k) =>
      piece(seg, 2 * k).subarray(0, g.recordSize),
    );
    const parity = extendColumns(sources);
    for (let k = 0; k < g.numRawRecords; k++) {
      expect(piece(seg, 2 * k + 1).subarray(0, g.recordSize)).toEqual(parity[k]);
      // odd commitments equal direct commitments of the parity records (linearity)
      expect(piece(seg, 2 * k + 1).subarray(g.recordSize, g.recordSize + 48)).toEqual(
        kzg.commit(poly(parity[k]!)),
      );
    }
  });

  it('a flipped bit anywhere in a piece, or the wrong position or commitment, fails verification', async () => {
    const [s] = await archive(inline, [5000]);
    const seg = s!;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: g.numPieces - 1 }),
        fc.integer({ min: 0, max: g.pieceSize * 8 - 1 }),
        async (i, bit) => {
          const p = piece(seg, i).slice();
          p[bit >> 3]! ^= 1 << (bit & 7);
          expect(isPieceValid(kzg, p, seg.header.segmentCommitment, i, params)).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
    expect(isPieceValid(kzg, piece(seg, 1), seg.header.segmentCommitment, 2, params)).toBe(false);
    const other = (await archive(inline, [10, 5000]))[0]!; // different bytes in segment 0
    expect(isPieceValid(kzg, piece(seg, 1), other.header.segmentCommitment, 1, params)).toBe(false);
    expect(() =>
      isPieceValid(kzg, piece(seg, 1).subarray(1), seg.header.segmentCommitment, 1, params),
    ).toThrow(ArchiverError);
    expect(() => isPieceValid(kzg, piece(seg, 1), seg.header.segmentCommitment, g.numPieces, params)).toThrow(
      ArchiverError,
    );
  });

  it('random halves of the pieces reconstruct the blocks byte for byte', async () => {
    const sizes = [0, 1, 700, 3960, 9000, 31, 4000];
    const segments = await archive(inline, [...sizes, 12000]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), {
          minLength: g.numPieces * segments.length,
          maxLength: g.numPieces * segments.length,
        }),
        async (keep) => {
          const r = new Reconstructor();
          const blocks: Array<readonly [number, Uint8Array]> = [];
          for (const [k, s] of segments.entries()) {
            // keep exactly half: the first numPieces/2 chosen by the mask order
            const order = [...Array(g.numPieces).keys()].sort(
              (x, y) => Number(keep[k * g.numPieces + y]) - Number(keep[k * g.numPieces + x]),
            );
            const present = new Set(order.slice(0, g.numPieces / 2));
            const pieces = Array.from({ length: g.numPieces }, (_, i) =>
              present.has(i) ? piece(s, i) : undefined,
            );
            blocks.push(...r.addSegment(recoverSegment(pieces, params).segment).blocks);
          }
          for (const [n, bytes] of blocks) if (n < sizes.length) expect(bytes).toEqual(block(sizes[n]!, n));
          expect(blocks.map(([n]) => n).filter((n) => n < sizes.length)).toEqual(sizes.map((_, i) => i));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('reports corrupted pieces and pieces of another segment instead of using them', async () => {
    const [s0, s1] = await archive(inline, [5000, 4000]);
    const pieces = Array.from({ length: g.numPieces }, (_, i) => piece(s0!, i).slice());
    pieces[3]![100]! ^= 1; // corrupted
    pieces[4] = piece(s1!, 4).slice(); // from another segment
    const verify = { kzg, segmentCommitment: s0!.header.segmentCommitment };
    const r = recoverSegment(pieces, params, { verify });
    expect(r.inconsistentPieces).toEqual([3, 4]);
    const clean = recoverSegment(
      Array.from({ length: g.numPieces }, (_, i) => piece(s0!, i)),
      params,
    );
    expect(r.segment).toEqual(clean.segment);
    // without verification, a bad piece among more than half breaks the codeword: it is reported
    const some = pieces.map((p, i) => (i % 2 === 0 || i === 3 ? p : undefined));
    try {
      recoverSegment(some, params);
      expect.unreachable();
    } catch (e) {
      expect((e as ArchiverError).code).toBe('ARCHIVER_DATA_SHARDS_RECONSTRUCTION');
      expect((e as ArchiverError).type).toHaveProperty('inconsistentPieces');
    }
    // fewer than half usable
    const few = pieces.map((p, i) => (i < g.numPieces / 2 - 1 ? p : undefined));
    expect(() => recoverSegment(few, params, { verify })).toThrow(ArchiverError);
  });

  it('reports progress and can be aborted', async () => {
    const events: string[] = [];
    const a = new Archiver({ params, committer: inline });
    await a.addBlock(block(5000, 1), [], { onProgress: (e) => events.push(e.type) });
    expect(events).toContain('archive:segment-start');
    expect(events.filter((e) => e === 'archive:records-committed')).toHaveLength(g.numRawRecords);
    expect(events.at(-1)).toBe('archive:segment-done');
    const ac = new AbortController();
    const b = new Archiver({ params, committer: pooled });
    const p = b.addBlock(block(5000, 1), [], { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toBeInstanceOf(ArchiverError);
    expect(b.state.nextBlockNumber).toBeUndefined();
  });
});
