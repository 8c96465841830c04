// `pnpm bench` in this package: one network-size segment archived end to end, its parts, the
// floor (the 128 record commitments as bare 2^15 MSMs, split over the cores), reconstruction from
// half the pieces, and piece verification. Takes a few minutes on the 2-core build machine.
import { availableParallelism } from 'node:os';
import { runBench } from '@autonomys/bench';
import { extendColumns } from '@autonomys/erasure';
import { Kzg, loadPublicParameters, poly } from '@autonomys/kzg';
import { g1Msm, isNative } from '@autonomys/native';
import { blake3_254 } from '@autonomys/primitives';
import {
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
const committer = kzgSegmentCommitter({ threads: cores });
const archiver = new Archiver({ committer });
const t0 = performance.now();
const [segment] = (await archiver.addBlock(block)).segments;
const firstRunMs = performance.now() - t0;
if (!segment) throw new Error('no segment');
const piece = (i: number) => segment.pieces.subarray(i * g.pieceSize, (i + 1) * g.pieceSize);
const sources = Array.from({ length: g.numRawRecords }, (_, k) => piece(2 * k).subarray(0, g.recordSize));
const record = sources[0]!;
const coefficients = poly(record);
const scalars = coefficients.coefficients();
const parityHalf = Array.from({ length: g.numPieces }, (_, i) => (i % 2 === 1 ? piece(i) : undefined));

await runBench({
  package: 'archiver',
  iterations: 3,
  cases: [
    ...(isNative
      ? [
          {
            name: `floor: ${g.numRawRecords / cores} bare 2^15 MSMs (one core's share of a segment)`,
            size: `${g.numRawRecords} × 2^15 / ${cores}`,
            samples: 1,
            warmup: false,
            fn: () => {
              for (let k = 0; k < g.numRawRecords / cores; k++) g1Msm(params.g1, scalars, g.numChunks);
            },
          },
          {
            name: 'bare MSM 2^15 (blst)',
            size: '2^15',
            samples: 3,
            fn: () => g1Msm(params.g1, scalars, g.numChunks),
          },
        ]
      : []),
    {
      name: `archive one segment end to end (${cores} threads)`,
      size: '128 MiB',
      bytes: g.segmentSize,
      samples: 1,
      warmup: false,
      fn: () => new Archiver({ committer }).addBlock(block),
      ...(isNative
        ? { anchor: `floor: ${g.numRawRecords / cores} bare 2^15 MSMs (one core's share of a segment)` }
        : {}),
    },
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
