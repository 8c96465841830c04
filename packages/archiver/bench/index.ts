// `pnpm bench` in this package: one network-size segment archived end to end, its parts, the
// floor (the 128 record commitments as bare 2^15 MSMs, split over the cores), reconstruction from
// half the pieces, and piece verification. Takes a few minutes on the 2-core build machine.
import { availableParallelism, loadavg } from 'node:os';
import { runBench } from '@autonomys/bench';
import { extendColumns } from '@autonomys/erasure';
import { Kzg, loadPublicParameters, poly } from '@autonomys/kzg';
import { g1Msm, g1MsmAsync, isNative } from '@autonomys/native';
import { blake3_254 } from '@autonomys/primitives';
import {
  type ArchivedSegment,
  Archiver,
  isPieceValid,
  kzgSegmentCommitter,
  recoverSegment,
  segmentGeometry,
} from '../src/index.js';

const g = segmentGeometry();
const cores = availableParallelism();
const params = await loadPublicParameters();
const kzg = new Kzg(params);

// A segment's worth of blocks: pseudo-random bytes (contents do not change the cost).
const block = new Uint8Array(g.segmentSize + 1000);
for (let i = 0, x = 1; i < block.length; i++) {
  x = (x * 1103515245 + 12345) >>> 0;
  block[i] = x >>> 24;
}
// The stages of the last segment archived (wall and CPU time of the whole process, ms).
let stages: Array<[string, number, number]> = [];
const committer = kzgSegmentCommitter({
  threads: cores,
  onStage: (stage, wall, cpu) => stages.push([stage, wall, cpu]),
});
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

/** Wall and CPU time of one segment archived end to end (128 MiB of blocks, the default committer). */
async function archiveOnce(): Promise<{ wall: number; cpu: number; segment: ArchivedSegment }> {
  stages = [];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const [segment] = (await new Archiver({ committer }).addBlock(block)).segments;
  if (!segment) throw new Error('no segment');
  return { wall: performance.now() - t0, cpu: cpuMs(process.cpuUsage(c0)), segment };
}

/**
 * The floor: the segment's 128 record commitments as bare 2^15 MSMs (blst, libuv's threads), one
 * lane per core running its share back to back.
 */
async function floorOnce(scalars: Uint8Array): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: cores }, async (_, lane) => {
      for (let k = lane; k < g.numRawRecords; k += cores) await g1MsmAsync(params.g1, scalars, g.numChunks);
    }),
  );
  return { wall: performance.now() - t0, cpu: cpuMs(process.cpuUsage(c0)) };
}

const first = await archiveOnce();
const firstRunMs = first.wall;
const segment = first.segment;
const piece = (i: number) => segment.pieces.subarray(i * g.pieceSize, (i + 1) * g.pieceSize);
const sources = Array.from({ length: g.numRawRecords }, (_, k) => piece(2 * k).subarray(0, g.recordSize));
const record = sources[0]!;
const coefficients = poly(record);
const scalars = coefficients.coefficients();
const parityHalf = Array.from({ length: g.numPieces }, (_, i) => (i % 2 === 1 ? piece(i) : undefined));

// Floor and segment interleaved, `AUTONOMYS_BENCH_SEGMENTS` pairs (default 3): the machine may be
// shared, so each segment is compared with the floor measured next to it; medians are reported.
const pairs = Number(process.env.AUTONOMYS_BENCH_SEGMENTS ?? 3);
const runs: Array<{ floor: { wall: number; cpu: number }; seg: { wall: number; cpu: number } }> = [];
const split = new Map<string, Array<[number, number]>>();
const median = (xs: number[]) => {
  const v = [...xs].sort((x, y) => x - y);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
};
const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
for (let r = 0; r < pairs && isNative; r++) {
  const floor = await floorOnce(scalars);
  const seg = await archiveOnce();
  runs.push({ floor, seg });
  for (const [stage, wall, cpu] of stages) split.set(stage, [...(split.get(stage) ?? []), [wall, cpu]]);
  console.log(
    `pair ${r + 1}/${pairs}: floor ${s1(floor.wall)} (CPU ${s1(floor.cpu)}), segment ${s1(seg.wall)} (CPU ${s1(seg.cpu)}), ratio ${(seg.wall / floor.wall).toFixed(2)}x (CPU ${(seg.cpu / floor.cpu).toFixed(2)}x)`,
  );
}
if (runs.length > 0) {
  const fw = median(runs.map((x) => x.floor.wall));
  const sw = median(runs.map((x) => x.seg.wall));
  const rw = median(runs.map((x) => x.seg.wall / x.floor.wall));
  const rc = median(runs.map((x) => x.seg.cpu / x.floor.cpu));
  console.log(`\n### archiver: one segment against the floor (${runs.length} interleaved pairs, medians)\n`);
  console.log('| | wall | CPU (all threads) |');
  console.log('|---|---|---|');
  console.log(
    `| floor: ${g.numRawRecords} bare 2^15 MSMs over ${cores} cores | ${s1(fw)} | ${s1(median(runs.map((x) => x.floor.cpu)))} |`,
  );
  console.log(
    `| **archive one segment end to end (${cores} threads)** | **${s1(sw)}** | ${s1(median(runs.map((x) => x.seg.cpu)))} |`,
  );
  console.log(`| **ratio segment / floor** (median of pairs) | **${rw.toFixed(2)}x** | ${rc.toFixed(2)}x |`);
  console.log(`\nSplit of a segment (stages in order; the extension overlaps the last two):\n`);
  console.log('| stage | wall | CPU |');
  console.log('|---|---|---|');
  for (const [stage, xs] of split)
    console.log(
      `| ${stage} | ${median(xs.map((x) => x[0])).toFixed(0)} ms | ${median(xs.map((x) => x[1])).toFixed(0)} ms |`,
    );
  console.log(
    `\n(load average at the end: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')})\n`,
  );
}

await runBench({
  package: 'archiver',
  iterations: 3,
  cases: [
    ...(isNative
      ? [
          {
            name: 'bare MSM 2^15 (blst)',
            size: '2^15',
            samples: 3,
            fn: () => g1Msm(params.g1, scalars, g.numChunks),
          },
        ]
      : []),
    {
      name: 'record commitment (IFFT + MSM)',
      size: '2^15',
      samples: 3,
      fn: () => kzg.commit(poly(record)),
      ...(isNative ? { anchor: 'bare MSM 2^15 (blst)' } : {}),
    },
    {
      name: 'erasure: extend all columns of a segment (1 thread)',
      size: '32768 × 128→256',
      samples: 1,
      warmup: false,
      fn: () => extendColumns(sources),
    },
    {
      name: 'segment commitment and 256 piece witnesses (1 thread)',
      size: '256 × 2^8',
      samples: 1,
      warmup: false,
      fn: () => {
        const hashes = new Uint8Array(g.numPieces * 32);
        for (let i = 0; i < g.numPieces; i++)
          hashes.set(blake3_254(piece(i).subarray(g.recordSize, g.recordSize + 48)), i * 32);
        const s = poly(hashes);
        kzg.commit(s);
        for (let i = 0; i < g.numPieces; i++) kzg.createWitness(s, g.numPieces, i);
      },
    },
    {
      name: 'reconstruct a segment from its parity half',
      size: '128 of 256 pieces',
      samples: 1,
      warmup: false,
      fn: () => recoverSegment(parityHalf),
    },
    {
      name: 'isPieceValid',
      size: '1 piece',
      samples: 3,
      fn: () => {
        if (!isPieceValid(kzg, piece(5), segment.header.segmentCommitment, 5)) throw new Error('invalid');
      },
    },
  ],
});
console.log(
  `\n(first segment, including worker start-up and parameter loading: ${(firstRunMs / 1000).toFixed(1)} s)`,
);
await committer.close();
