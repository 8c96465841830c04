/**
 * The archiver's literal vectors of archiving.json (the reference's own test expectations), at the
 * network's segment size. Block contents do not matter to them, only lengths; blocks are zero-filled
 * (untouched pages cost no memory until the segment encoder copies them).
 */
import {
  blake3,
  encodeSegmentHeader,
  type LastArchivedBlock,
  RECORDED_HISTORY_SEGMENT_SIZE as SIZE,
} from '@autonomys/primitives';
import { loadVectors, thrownCode, VectorClaims } from '@autonomys/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { type ArchivedSegment, Archiver, ArchiverError, segmentItemEncodedSize } from '../src/index.js';
import { decodeSegment } from '../src/segment.js';
import { obj, sizeOnlyCommitter } from './helpers.js';

interface Vector {
  id: string;
  [k: string]: unknown;
}
const file = loadVectors<{ literal_vectors: Vector[] }>('archiving.json');
const vector = (id: string) => file.literal_vectors.find((v) => v.id === id)!;
// Vectors of other packages in the same file: erasure_coding.* (@autonomys/erasure), kzg.* (@autonomys/primitives).
const claims = new VectorClaims(
  file.literal_vectors
    .map((v) => v.id)
    .filter((id) => id.startsWith('archiver.') || id.startsWith('reconstructor.')),
);

type ProgressJson = 'Complete' | { Partial: number };
const lab = (v: { number: number; archived_progress: ProgressJson }): LastArchivedBlock => ({
  number: v.number,
  archivedProgress:
    v.archived_progress === 'Complete'
      ? { type: 'complete' }
      : { type: 'partial', bytes: v.archived_progress.Partial },
});
const block = (n: number) => new Uint8Array(n);
const archiver = () => new Archiver({ committer: sizeOnlyCommitter });

describe('archiver vectors (archiving.json)', () => {
  it(claims.claim('archiver.seg0'), async () => {
    const v = vector('archiver.seg0') as Vector & { input_block_lengths: number[]; expect: any };
    const [l0, l1] = v.input_block_lengths as [number, number];
    const a = archiver();
    const r0 = await a.addBlock(block(l0), [obj(0), obj(Math.floor(SIZE / 3))]);
    expect(r0.segments).toHaveLength(v.expect.segments_after_block0);
    expect(r0.objects.map((o) => ({ piece_index: Number(o.pieceIndex), offset: o.offset }))).toEqual(
      v.expect.derived_global_objects['block0_offsets_0_and_SIZE/3'],
    );
    const r1 = await a.addBlock(block(l1), [
      obj(Math.floor(SIZE / 6)),
      obj(Math.floor(SIZE / 5)),
      obj(Math.floor(SIZE / 3) * 2 - 200),
    ]);
    expect(r1.segments).toHaveLength(v.expect.segments_after_block1);
    const h = r1.segments[0]!.header;
    expect(h.segmentIndex).toBe(BigInt(v.expect.segment_index));
    expect(Buffer.from(h.prevSegmentHeaderHash).toString('hex')).toBe(v.expect.prev_segment_header_hash);
    expect(h.lastArchivedBlock).toEqual(lab(v.expect.last_archived_block));
    const g = v.expect.derived_global_objects;
    expect(r1.objects.map((o) => ({ piece_index: Number(o.pieceIndex), offset: o.offset }))).toEqual([
      ...g['block1_offsets_SIZE/6_SIZE/5_(segment0)'],
      g['block1_offset_SIZE/3*2-200_(segment1, emitted by add_block(block1) buffer pass)'],
    ]);
    expect(v.expect.num_pieces).toBe(a.geometry.numPieces);
  });

  it(claims.claim('archiver.seg1_seg2'), async () => {
    const v = vector('archiver.seg1_seg2') as Vector & { input_block_lengths: number[]; expect: any };
    const a = archiver();
    await a.addBlock(block(SIZE / 2));
    const [s0] = (await a.addBlock(block(Math.floor(SIZE / 3) * 2))).segments as [ArchivedSegment];
    const r = await a.addBlock(block(v.input_block_lengths[0]!));
    expect(r.segments).toHaveLength(v.expect.segments);
    expect(r.objects).toHaveLength(v.expect.object_mappings_from_block2_call);
    const [s1, s2] = r.segments as [ArchivedSegment, ArchivedSegment];
    expect(s1.header.segmentIndex).toBe(BigInt(v.expect.seg1.segment_index));
    expect(s1.header.lastArchivedBlock).toEqual(lab(v.expect.seg1.last_archived_block));
    expect(s2.header.segmentIndex).toBe(BigInt(v.expect.seg2.segment_index));
    expect(s2.header.lastArchivedBlock).toEqual(lab(v.expect.seg2.last_archived_block));
    // each prev hash = blake3(SCALE(previous header))
    expect(s1.header.prevSegmentHeaderHash).toEqual(blake3(encodeSegmentHeader(s0.header)));
    expect(s2.header.prevSegmentHeaderHash).toEqual(blake3(encodeSegmentHeader(s1.header)));
  });

  it(claims.claim('archiver.seg3_exact_fit'), async () => {
    const v = vector('archiver.seg3_exact_fit') as Vector & { input_block_lengths: number[]; expect: any };
    const a = archiver();
    for (const n of [SIZE / 2, Math.floor(SIZE / 3) * 2, SIZE * 2]) await a.addBlock(block(n));
    sizeOnlyCommitter.segments.length = 0;
    const r = await a.addBlock(block(v.input_block_lengths[0]!));
    expect(r.segments).toHaveLength(v.expect.segments);
    expect(r.segments[0]!.header.segmentIndex).toBe(BigInt(v.expect.segment_index));
    expect(r.segments[0]!.header.lastArchivedBlock).toEqual(lab(v.expect.last_archived_block));
    // the encoded segment is SIZE - 2 bytes: two trailing zero bytes of padding
    const items = decodeSegment(sizeOnlyCommitter.segments[0]!, { keepPadding: true });
    expect(items.filter((i) => i.type === 'padding')).toHaveLength(2);
    expect(
      1 + items.filter((i) => i.type !== 'padding').reduce((n, i) => n + segmentItemEncodedSize(i), 0),
    ).toBe(SIZE - 2);
  });

  it(claims.claim('archiver.with_initial_state.equal_len'), () => {
    const v = vector('archiver.with_initial_state.equal_len') as Vector & { input: any; expect: any };
    const header = {
      segmentIndex: 0n,
      segmentCommitment: new Uint8Array(48),
      prevSegmentHeaderHash: new Uint8Array(32),
      lastArchivedBlock: lab(v.input.segment_header.last_archived_block),
    };
    try {
      Archiver.restart({ committer: sizeOnlyCommitter }, header, block(v.input.encoded_block_len));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ArchiverError);
      expect((e as ArchiverError).type).toEqual({
        code: 'ARCHIVER_INVALID_LAST_ARCHIVED_BLOCK',
        blockBytes: v.expect.value,
      });
    }
  });

  it(claims.claim('archiver.with_initial_state.too_small'), () => {
    const v = vector('archiver.with_initial_state.too_small') as Vector & { input: any; expect: any };
    const header = {
      segmentIndex: 0n,
      segmentCommitment: new Uint8Array(48),
      prevSegmentHeaderHash: new Uint8Array(32),
      lastArchivedBlock: { number: 0, archivedProgress: { type: 'partial' as const, bytes: 10 } },
    };
    try {
      Archiver.restart({ committer: sizeOnlyCommitter }, header, block(v.input.encoded_block_len));
      expect.unreachable();
    } catch (e) {
      expect((e as ArchiverError).type).toEqual({
        code: 'ARCHIVER_INVALID_BLOCK_SMALL_SIZE',
        blockBytes: v.expect.block_bytes,
        archivedBlockBytes: v.expect.archived_block_bytes,
      });
    }
    expect(thrownCode(() => Archiver.restart({ committer: sizeOnlyCommitter }, header), ArchiverError)).toBe(
      'ARCHIVER_INVALID_BLOCK_SMALL_SIZE',
    );
  });

  it(claims.claim('archiver.one_byte_smaller_segment'), async () => {
    const v = vector('archiver.one_byte_smaller_segment') as Vector & {
      input_block_lengths_cases: number[][];
      expect: any;
    };
    const counts = [];
    for (const lens of v.input_block_lengths_cases) {
      const a = archiver();
      let n = 0;
      for (const l of lens) n += (await a.addBlock(block(l))).segments.length;
      counts.push(n);
      if (n === 1)
        expect(a.state.lastArchivedBlock).toEqual({ number: 0, archivedProgress: { type: 'complete' } });
    }
    expect(counts).toEqual(v.expect.segments);
  });

  it(claims.claim('archiver.spill_over_edge_case'), async () => {
    const v = vector('archiver.spill_over_edge_case') as Vector & {
      input_block_lengths: number[];
      expect: any;
    };
    const [l0, l1] = v.input_block_lengths as [number, number];
    const a = archiver();
    expect((await a.addBlock(block(l0))).segments).toHaveLength(v.expect.segments_after_block0);
    const r = await a.addBlock(block(l1), [obj(0)]);
    expect(r.segments).toHaveLength(v.expect.segments_after_block1);
    expect(r.objects).toHaveLength(v.expect.object_mappings);
    const o = r.objects[0]!;
    expect(o.pieceIndex / 256n).toBe(BigInt(v.expect.object_mapping_segment_index));
    expect({ piece_index: Number(o.pieceIndex), offset: o.offset }).toEqual({
      piece_index: v.expect.derived_global_object.piece_index,
      offset: v.expect.derived_global_object.offset,
    });
  });

  it(claims.claim('archiver.object_on_the_edge_of_segment'), async () => {
    const v = vector('archiver.object_on_the_edge_of_segment') as Vector & {
      input_block_lengths: number[];
      expect: any;
    };
    const [l0, l1] = v.input_block_lengths as [number, number];
    const a = archiver();
    const r0 = await a.addBlock(block(l0));
    expect(r0.segments).toHaveLength(v.expect.segments_after_block1);
    expect(r0.objects).toHaveLength(v.expect.object_mappings_after_block1);
    const off = v.expect.derived_object_offset as number;
    const r1 = await a.addBlock(block(l1), [obj(off - 1, 1), obj(off, 2)]);
    expect(r1.segments).toHaveLength(v.expect.segments_after_block2);
    expect(r1.segments.map((s) => s.header.segmentIndex)).toEqual([1n, 2n]);
    const placed = (tag: number) => {
      const o = r1.objects.find((x) => x.hash[0] === tag)!;
      return { piece_index: Number(o.pieceIndex), offset: o.offset };
    };
    expect(placed(1)).toEqual(v.expect.derived_global_object_at_offset_minus_1);
    expect(placed(2)).toEqual(v.expect.derived_global_object_at_offset);
    expect(placed(2).offset).toBe(105);
    expect(v.expect.object_piece_position).toBe(placed(2).piece_index % 256);
  });
});

afterAll(() => {
  // reconstructor.basic is claimed by the reconstructor's suite
  expect(claims.unclaimed().filter((id) => id !== 'reconstructor.basic')).toEqual([]); // in reconstructor.test.ts
});
