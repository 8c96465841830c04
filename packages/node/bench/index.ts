/**
 * @autonomys/node benchmarks: block import (stateless + stateful checks and execution), with the
 * PoT checkpoint verification of the justification off (as for a block whose checkpoints the
 * node's timekeeper already proved, B.9) and on, on the dev preset (small records, shim proof of
 * space). Blocks are produced first by a test farmer; each timed call imports the next one.
 *
 * Run: `node scripts/pnpm.mjs --filter @autonomys/node bench`.
 */
import { type BenchCase, runBench } from '@autonomys/bench';
import { Chain, type SignedBlock, testChainSpec } from '../src/index.js';
import { makeFarmer, produce } from '../test/helpers/farm.js';

const BLOCKS = Number(process.env.BENCH_NODE_BLOCKS ?? 24);
const ITERATIONS = 1 << 14;
const spec = testChainSpec({ potSlotIterations: ITERATIONS });

const source = await Chain.open({ spec });
const farmer = await makeFarmer(source);
const blocks: SignedBlock[] = [];
for (let i = 0; i < 2 * BLOCKS; i++) blocks.push(await produce(source, farmer));

const trusted = await Chain.open({ spec, verifyPotCheckpoints: false });
const verifying = await Chain.open({ spec });
let a = 0;
let b = 0;
async function importNext(chain: Chain, i: number): Promise<void> {
  const block = blocks[i];
  if (block === undefined) throw new Error('out of blocks');
  const r = await chain.importBlock(block, 'network');
  if (r.status !== 'imported') throw new Error(`not imported: ${r.status}`);
}

const cases: BenchCase[] = [
  {
    name: 'import block (stateless + stateful + execution; PoT checkpoints trusted)',
    size: 'dev preset',
    fn: () => importNext(trusted, a++),
    samples: BLOCKS,
    warmup: false,
  },
  {
    name: 'import block incl. PoT checkpoint verification',
    size: `2^14 it/slot`,
    fn: () => importNext(verifying, b++),
    samples: BLOCKS,
    warmup: false,
  },
];
await runBench({ package: 'node', cases, time: 1, iterations: BLOCKS });
await Promise.all([source.close(), trusted.close(), verifying.close()]);
