import { encodeSegmentHeader, type GlobalObject } from '@autonomys/primitives';
import { thrownCode } from '@autonomys/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ArchivedSegment,
  Archiver,
  ArchiverError,
  archiveSegment,
  initialArchiverState,
  MINIMAL_ARCHIVING_PARAMS,
  segmentGeometry,
} from '../src/index.js';
import { layoutOnlyCommitter, obj } from './helpers.js';

const params = MINIMAL_ARCHIVING_PARAMS;
const g = segmentGeometry(params);
const opts = { params, committer: layoutOnlyCommitter };

const arbBlocks = fc.array(
  fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 50 }),
    fc.integer({ min: 100, max: 2 * g.segmentSize + 300 }),
  ),
  { minLength: 1, maxLength: 12 },
);
const makeBlock = (n: number, i: number) => Uint8Array.from({ length: n }, (_, j) => (i * 131 + j) & 0xff);
const objectsOf = (b: Uint8Array, i: number) =>
  b.length > 2 ? [obj(b.length >> 1, i), obj(b.length - 1, i + 100)] : [];

async function runAll(blocks: Uint8Array[]) {
  const a = new Archiver(opts);
  const segments: ArchivedSegment[] = [];
  const objects: GlobalObject[] = [];
  const afterBlock: { segments: number; state: typeof a.state }[] = [];
  for (const [i, b] of blocks.entries()) {
    const r = await a.addBlock(b, objectsOf(b, i));
    segments.push(...r.segments);
    objects.push(...r.objects);
    afterBlock.push({ segments: segments.length, state: a.state });
  }
  return { segments, objects, afterBlock };
}

const same = (x: ArchivedSegment, y: ArchivedSegment) => {
  expect(encodeSegmentHeader(x.header)).toEqual(encodeSegmentHeader(y.header));
  expect(Buffer.compare(x.pieces, y.pieces)).toBe(0);
};

describe('Archiver', () => {
  it('restarting from the last segment header gives byte-identical segments and mappings', async () => {
    await fc.assert(
      fc.asyncProperty(arbBlocks, fc.nat(), async (sizes, cutSeed) => {
        // A restarted archiver, like the reference, cuts what its buffer already holds only when the
        // next block arrives: both runs end with one empty block so that moment comes in each.
        const blocks = [...sizes, 0].map(makeBlock);
        const full = await runAll(blocks);
        if (full.segments.length === 0) return;
        // Stop after some segment; the node keeps its header and re-feeds blocks from its chain.
        const k = cutSeed % full.segments.length;
        const header = full.segments[k]!.header;
        const n = header.lastArchivedBlock.number;
        const a = Archiver.restart(opts, header, blocks[n], objectsOf(blocks[n]!, n));
        const resumed: ArchivedSegment[] = [];
        for (let i = n + 1; i < blocks.length; i++)
          resumed.push(...(await a.addBlock(blocks[i]!, objectsOf(blocks[i]!, i), { number: i })).segments);
        expect(resumed.length).toBe(full.segments.length - k - 1);
        for (const [i, s] of resumed.entries()) same(s, full.segments[k + 1 + i]!);
      }),
      { numRuns: 40 },
    );
  });

  it('the pure archiveSegment equals the stateful Archiver and does not modify its input state', async () => {
    await fc.assert(
      fc.asyncProperty(arbBlocks, async (sizes) => {
        const blocks = sizes.map(makeBlock);
        const full = await runAll(blocks);
        const start = initialArchiverState();
        const half = Math.floor(blocks.length / 2);
        const r1 = await archiveSegment(
          start,
          blocks.slice(0, half).map((bytes, i) => ({ bytes, objects: objectsOf(bytes, i) })),
          opts,
        );
        const snapshot = JSON.stringify(r1.state, (_, v) => (typeof v === 'bigint' ? `${v}` : v));
        const r2 = await archiveSegment(
          r1.state,
          blocks.slice(half).map((bytes, i) => ({ bytes, objects: objectsOf(bytes, half + i) })),
          opts,
        );
        expect(JSON.stringify(r1.state, (_, v) => (typeof v === 'bigint' ? `${v}` : v))).toBe(snapshot);
        const segs = [...r1.segments, ...r2.segments];
        expect(segs.length).toBe(full.segments.length);
        for (const [i, s] of segs.entries()) same(s, full.segments[i]!);
        expect([...r1.objects, ...r2.objects]).toEqual(full.objects);
      }),
      { numRuns: 30 },
    );
  });

  it('rejects out-of-order, duplicate and oversized blocks without advancing', async () => {
    const a = new Archiver({ ...opts, maxBlockBytes: 5000 });
    await a.addBlock(makeBlock(10, 0), [], { number: 0 });
    const before = a.state;
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e) => (e as ArchiverError).code,
      );
    expect(await code(a.addBlock(makeBlock(10, 1), [], { number: 0 }))).toBe(
      'ARCHIVER_UNEXPECTED_BLOCK_NUMBER',
    );
    expect(await code(a.addBlock(makeBlock(10, 1), [], { number: 2 }))).toBe(
      'ARCHIVER_UNEXPECTED_BLOCK_NUMBER',
    );
    expect(await code(a.addBlock(makeBlock(5001, 1)))).toBe('ARCHIVER_BLOCK_TOO_LARGE');
    expect(await code(a.addBlock(makeBlock(10, 1), [obj(10)]))).toBe('ARCHIVER_INVALID_OBJECT_OFFSET');
    expect(await code(a.addBlock('x' as unknown as Uint8Array))).toBe('ARCHIVER_INVALID_ARGUMENT');
    expect(a.state).toBe(before);
    expect(await code(a.addBlock(makeBlock(10, 1), [], { number: 1 }))).toBe('ok');
  });

  it('leaves the state unchanged when the committer fails or the call is aborted', async () => {
    const failing = {
      async commit(): Promise<never> {
        throw new Error('disk on fire');
      },
    };
    const a = new Archiver({ params, committer: failing });
    const before = a.state;
    await expect(a.addBlock(makeBlock(g.segmentSize * 2, 0))).rejects.toThrow('disk on fire');
    expect(a.state).toBe(before);
    const b = new Archiver(opts);
    const ac = new AbortController();
    ac.abort();
    await expect(b.addBlock(makeBlock(10, 0), [], { signal: ac.signal })).rejects.toBeInstanceOf(
      ArchiverError,
    );
    expect(b.state.nextBlockNumber).toBeUndefined();
  });

  it('rejects invalid parameters', () => {
    expect(
      thrownCode(
        () => new Archiver({ params: { numChunks: 3, numRawRecords: 4 }, committer: layoutOnlyCommitter }),
        ArchiverError,
      ),
    ).toBe('ARCHIVER_INVALID_PARAMS');
    expect(thrownCode(() => segmentGeometry({ numChunks: 32, numRawRecords: 256 }), ArchiverError)).toBe(
      'ARCHIVER_INVALID_PARAMS',
    );
  });
});
