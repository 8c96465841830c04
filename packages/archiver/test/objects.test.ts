import { blake3, encodeCompact, type GlobalObject } from '@autonomys/primitives';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Archiver,
  type ArchiverError,
  fetchObject,
  MINIMAL_ARCHIVING_PARAMS,
  segmentGeometry,
} from '../src/index.js';
import { layoutOnlyCommitter } from './helpers.js';

const params = MINIMAL_ARCHIVING_PARAMS;
const g = segmentGeometry(params);

/** A block holding SCALE `Vec<u8>` objects at chosen places, and their block objects. */
function blockWith(length: number, objects: { at: number; data: Uint8Array }[], fill: number) {
  const bytes = new Uint8Array(length).fill(fill);
  const mapping = objects.map(({ at, data }) => {
    const enc = new Uint8Array([...encodeCompact(data.length), ...data]);
    bytes.set(enc, at);
    return { hash: blake3(data), offset: at };
  });
  return { bytes, mapping };
}

async function archiveAll(blocks: { bytes: Uint8Array; mapping: { hash: Uint8Array; offset: number }[] }[]) {
  const a = new Archiver({ params, committer: layoutOnlyCommitter });
  const pieces = new Map<bigint, Uint8Array>();
  const objects: GlobalObject[] = [];
  for (const b of blocks) {
    const r = await a.addBlock(b.bytes, b.mapping);
    objects.push(...r.objects);
    for (const s of r.segments) {
      for (let i = 0; i < g.numPieces; i++) {
        pieces.set(
          s.header.segmentIndex * BigInt(g.numPieces) + BigInt(i),
          s.pieces.subarray(i * g.pieceSize, (i + 1) * g.pieceSize),
        );
      }
    }
  }
  // flush: enough filler blocks to archive everything mapped
  for (let i = 0; i < 3; i++) {
    for (const s of (await a.addBlock(new Uint8Array(g.segmentSize))).segments) {
      for (let p = 0; p < g.numPieces; p++) {
        pieces.set(
          s.header.segmentIndex * BigInt(g.numPieces) + BigInt(p),
          s.pieces.subarray(p * g.pieceSize, (p + 1) * g.pieceSize),
        );
      }
    }
  }
  return { pieces, objects, getPiece: async (i: bigint) => pieces.get(i) };
}

describe('fetchObject (archiving §3.7)', () => {
  it('fetches objects inside a record, across records and across segments', async () => {
    const data = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
    const objs = [
      { at: 0, data: data(10, 1) },
      { at: 500, data: data(900, 2) }, // crosses source records (raw record = 992 bytes)
      { at: 2000, data: data(70, 3) },
    ];
    const blocks = [blockWith(2500, objs, 0xaa), blockWith(5000, [{ at: 4000, data: data(300, 4) }], 0xbb)];
    const { objects, getPiece } = await archiveAll(blocks);
    expect(objects).toHaveLength(4);
    const all = [...objs, { at: 4000, data: data(300, 4) }];
    for (const [i, o] of objects.entries())
      expect(await fetchObject(o, getPiece, { params })).toEqual(all[i]!.data);
  });

  it('fetches an object split by a segment boundary, for random placements', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4000 }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 0, max: 255 }),
        async (first, size, seed) => {
          const data = Uint8Array.from({ length: size }, (_, i) => (i + seed) & 0xff);
          const at = Math.max(0, Math.min(first, 6000 - size - 5));
          const { objects, getPiece } = await archiveAll([blockWith(6000, [{ at, data }], seed)]);
          expect(await fetchObject(objects[0]!, getPiece, { params })).toEqual(data);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('rejects mappings into parity pieces, bad offsets, wrong hashes and missing pieces', async () => {
    const { objects, getPiece } = await archiveAll([
      blockWith(2000, [{ at: 10, data: new Uint8Array(20).fill(5) }], 1),
    ]);
    const o = objects[0]!;
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e) => (e as ArchiverError).code,
      );
    expect(await code(fetchObject({ ...o, pieceIndex: o.pieceIndex + 1n }, getPiece, { params }))).toBe(
      'ARCHIVER_INVALID_ARGUMENT',
    );
    expect(await code(fetchObject({ ...o, offset: g.rawRecordSize }, getPiece, { params }))).toBe(
      'ARCHIVER_INVALID_ARGUMENT',
    );
    expect(await code(fetchObject({ ...o, hash: new Uint8Array(32) }, getPiece, { params }))).toBe(
      'ARCHIVER_DATA_SHARDS_RECONSTRUCTION',
    );
    expect(await code(fetchObject(o, async () => undefined, { params }))).toBe('ARCHIVER_INVALID_PIECE');
  });
});
