// `pnpm bench` in this package: BLAKE3 candidates and the SCALE codecs, with ratios to the
// alternatives measured in the same run.
import { runBench } from '@autonomys/bench';
import { blake3Cases } from './blake3.js';
import { scaleCases } from './scale.js';

await runBench({ package: 'primitives', cases: [...blake3Cases, ...scaleCases] });
