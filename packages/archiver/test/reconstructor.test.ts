import { RECORDED_HISTORY_SEGMENT_SIZE as SIZE } from '@autonomys/primitives';
import { loadVectors, thrownCode } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';
import { Archiver, ArchiverError, Reconstructor } from '../src/index.js';
import { sizeOnlyCommitter } from './helpers.js';

const file = loadVectors<{ literal_vectors: { id: string; [k: string]: any }[] }>('archiving.json');

/** A block whose bytes are distinct from any other block's (a counter stamped every 4 KiB). */
function stamped(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 4096) b[i] = (seed * 31 + i / 4096) & 0xff;
  if (n > 0) b[n - 1] = seed;
  return b;
}

describe('Reconstructor (archiving §3.8)', () => {
  it('reconstructor.basic', async () => {
    const v = file.literal_vectors.find((x) => x.id === 'reconstructor.basic')!;
    const lens = v.input_block_lengths as number[];
    expect(lens).toEqual([SIZE / 2, SIZE, SIZE / 4, SIZE * 3, SIZE]);
    const blocks = lens.map((n, i) => stamped(n, i + 1));
    const a = new Archiver({ committer: sizeOnlyCommitter });
    sizeOnlyCommitter.segments.length = 0;
    for (const b of blocks) await a.addBlock(b);
    const segments = sizeOnlyCommitter.segments.splice(0);
    expect(segments).toHaveLength(v.expect.segments);
    const r = new Reconstructor();
    for (const [i, segment] of segments.entries()) {
      const got = r.addSegment(segment);
      const want = v.expect[`seg${i}_contents`];
      expect(got.blocks.map(([n]) => n)).toEqual(want.blocks.map((b: [number, string]) => b[0]));
      for (const [n, bytes] of got.blocks) expect(Buffer.compare(bytes, blocks[n]!)).toBe(0);
      if (want.segment_header === null) expect(got.segmentHeader).toBeUndefined();
      else {
        expect(got.segmentHeader!.segmentIndex).toBe(BigInt(want.segment_header.segment_index));
        const p = want.segment_header.last_archived_block;
        expect(got.segmentHeader!.lastArchivedBlock).toEqual({
          number: p.number,
          archivedProgress: { type: 'partial', bytes: p.archived_progress.Partial },
        });
      }
    }
  });

  it('rejects segments out of order without losing its state', async () => {
    const a = new Archiver({ committer: sizeOnlyCommitter });
    sizeOnlyCommitter.segments.length = 0;
    for (const [i, n] of [SIZE / 2, SIZE, SIZE, SIZE].entries()) await a.addBlock(stamped(n, i));
    const [s0, s1, s2] = sizeOnlyCommitter.segments.splice(0) as [Uint8Array, Uint8Array, Uint8Array];
    const r = new Reconstructor();
    r.addSegment(s0);
    try {
      r.addSegment(s2);
      expect.unreachable();
    } catch (e) {
      expect((e as ArchiverError).type).toEqual({
        code: 'ARCHIVER_INCORRECT_SEGMENT_ORDER',
        expected: '1',
        actual: '2',
      });
    }
    expect(r.addSegment(s1).blocks.map(([n]) => n)).toEqual([1]);
    expect(r.addSegment(s2).blocks.map(([n]) => n)).toEqual([2]);
  });

  it('rejects bytes that are not a segment', () => {
    expect(thrownCode(() => new Reconstructor().addSegment(Uint8Array.from([1, 2, 3])), ArchiverError)).toBe(
      'ARCHIVER_SEGMENT_DECODING',
    );
    expect(thrownCode(() => new Reconstructor().addSegment(Uint8Array.from([0, 9])), ArchiverError)).toBe(
      'ARCHIVER_SEGMENT_DECODING',
    );
  });
});
