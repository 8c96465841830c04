// Child process of the crash test: opens a chain in a data directory and produces blocks until
// killed, printing each imported block number after the import returned (i.e. after fsync).
import { Chain, testChainSpec } from '../../src/index.js';
import { makeFarmer, produce } from './farm.js';

const dir = process.argv[2]!;
const chain = await Chain.open({ spec: testChainSpec(), dataDir: dir });
const farmer = await makeFarmer(chain);
process.stdout.write(`open ${chain.head().number}\n`);
for (;;) {
  await produce(chain, farmer);
  process.stdout.write(`imported ${chain.head().number} ${Buffer.from(chain.head().hash).toString('hex')}\n`);
}
