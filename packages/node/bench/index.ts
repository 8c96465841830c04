/**
 * @autonomys/node benchmarks, the Performance section of issue #7:
 * - block import, with the time split into stateless checks (B.4 steps 1-7), of which the PoT
 *   checkpoint verification of the justification, stateful checks (parent, PoT walk, full solution
 *   verification) and execution (runtime, digest, roots), from `Chain.lastImportTimings()`; once
 *   with the checkpoints trusted (as for a block whose checkpoints the node's timekeeper already
 *   proved, B.9) and once verified. Goal: under 50 ms apart from the checkpoint verification.
 * - archiving a segment (the dev preset's archiver with the chain's KZG committer);
 * - slot arrival to a submitted solution (audit + prove, shim PoS and Chia K = 20) and
 *   `autonomys dev` start to its first block (shim and K = 20): `bench/service.ts`.
 * Also: DSN sync between two nodes (`bench/network.ts`, `BENCH_NODE_NETWORK=0` skips it) and the
 * gateway serving a 100 MiB file (`bench/gateway.ts`, `BENCH_NODE_GATEWAY=0` skips it), the LMDB
 * store and a chain data directory's reopen (`bench/storage.ts`, `BENCH_NODE_STORAGE=0` skips it);
 * each file also runs on its own.
 *
 * Run: `node scripts/pnpm.mjs --filter @autonomys/node bench`. `BENCH_NODE_SERVICE=0` skips the
 * service group (the K = 20 cases take minutes); `BENCH_NODE_BLOCKS` sets the imported blocks.
 */
import { Archiver, kzgSegmentCommitter, segmentGeometry } from '@autonomys/archiver';
import { type BenchCase, runBench } from '@autonomys/bench';
import { Chain, type ImportTimings, kzgPowersFor, type SignedBlock, testChainSpec } from '../src/index.js';
import { makeFarmer, produce } from '../test/helpers/farm.js';
import { gatewayCases } from './gateway.js';
import { networkCases } from './network.js';
import { serviceCases } from './service.js';
import { storageCases } from './storage.js';

const BLOCKS = Number(process.env.BENCH_NODE_BLOCKS ?? 24);
const ITERATIONS = 1 << 14;
const spec = testChainSpec({ potSlotIterations: ITERATIONS });

const closers: (() => Promise<unknown>)[] = [];
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)]!;
};

async function importCases(): Promise<BenchCase[]> {
  const source = await Chain.open({ spec });
  const farmer = await makeFarmer(source);
  const blocks: SignedBlock[] = [];
  for (let i = 0; i < BLOCKS; i++) blocks.push(await produce(source, farmer));
  const trusted = await Chain.open({ spec, verifyPotCheckpoints: false });
  const verifying = await Chain.open({ spec });
  const split: Record<'trusted' | 'verifying', ImportTimings[]> = { trusted: [], verifying: [] };
  const next = { trusted: 0, verifying: 0 };
  async function importNext(which: 'trusted' | 'verifying'): Promise<void> {
    const chain = which === 'trusted' ? trusted : verifying;
    const block = blocks[next[which]++];
    if (block === undefined) throw new Error('out of blocks');
    const r = await chain.importBlock(block, 'network');
    if (r.status !== 'imported') throw new Error(`not imported: ${r.status}`);
    split[which].push(chain.lastImportTimings()!);
  }
  const cases: BenchCase[] = [
    {
      name: 'import block (stateless + stateful + execution; PoT checkpoints trusted)',
      size: 'dev preset',
      fn: () => importNext('trusted'),
      samples: BLOCKS,
      warmup: false,
    },
    {
      name: 'import block incl. PoT checkpoint verification',
      size: '2^14 it/slot',
      fn: () => importNext('verifying'),
      samples: BLOCKS,
      warmup: false,
    },
  ];
  /** A row for one phase of the imports above: it spins for the phase's median (read when run, after them). */
  const phase = (which: 'trusted' | 'verifying', key: keyof ImportTimings, label: string): BenchCase => ({
    name: `import phase (${which === 'trusted' ? 'PoT trusted' : 'PoT verified'}): ${label}`,
    size: 'median of the imports above',
    samples: 1,
    warmup: false,
    fn: () => {
      const end = performance.now() + median(split[which].map((t) => t[key]));
      while (performance.now() < end);
    },
  });
  closers.push(() => Promise.all([source.close(), trusted.close(), verifying.close()]));
  return [
    ...cases,
    phase('trusted', 'stateless', 'stateless checks (B.4 1-7)'),
    phase('trusted', 'stateful', 'stateful checks (parent, PoT walk, full solution)'),
    phase('trusted', 'execution', 'execution (runtime, digest, roots)'),
    phase('verifying', 'potCheckpoints', 'PoT checkpoint verification (within stateless)'),
  ];
}

async function archivingCase(): Promise<BenchCase> {
  const g = segmentGeometry(spec.archiving);
  const committer = kzgSegmentCommitter({ threads: 0, parameters: { g1Count: kzgPowersFor(spec) } });
  let n = 0;
  return {
    name: 'archive one segment (add blocks until a segment is out: erasure coding + KZG commitments)',
    size: `dev preset, ${g.segmentSize} B segment, ${g.numPieces} pieces`,
    samples: 3,
    warmup: false,
    fn: async () => {
      const archiver = new Archiver({ params: spec.archiving, committer });
      // One block a little larger than a segment: exactly one segment comes out.
      const block = new Uint8Array(g.segmentSize + 64).map((_, i) => (i * 31 + n) & 0xff);
      n++;
      const r = await archiver.addBlock(block, [], { number: 0 });
      if (r.segments.length !== 1) throw new Error(`expected one segment, got ${r.segments.length}`);
    },
  };
}

/** A case group whose resources are released after the run. */
function withClose(
  group: () => Promise<BenchCase[] & { close?: () => Promise<void> }>,
): () => Promise<BenchCase[]> {
  return async () => {
    const cases = await group();
    if (cases.close !== undefined) closers.push(cases.close);
    return cases;
  };
}

const groups: (() => Promise<BenchCase[]>)[] = [
  importCases,
  async () => [await archivingCase()],
  // Service: slot → solution and `autonomys dev` start to the first block.
  ...(process.env.BENCH_NODE_SERVICE === '0' ? [] : [serviceCases]),
  ...(process.env.BENCH_NODE_NETWORK === '0' ? [] : [withClose(networkCases)]),
  ...(process.env.BENCH_NODE_GATEWAY === '0' ? [] : [withClose(gatewayCases)]),
  ...(process.env.BENCH_NODE_STORAGE === '0' ? [] : [withClose(storageCases)]),
];

const cases: BenchCase[] = [];
for (const group of groups) cases.push(...(await group()));
await runBench({ package: 'node', cases, time: 1, iterations: BLOCKS });
for (const close of closers) await close();
process.exit();
