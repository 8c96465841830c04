// `pnpm bench` in this package: BLAKE3 candidates, the SCALE codecs and sr25519, with ratios to
// the alternatives measured in the same run.
import { runBench } from '@autonomys/bench';
import { blake3Cases } from './blake3.js';
import { scaleCases } from './scale.js';
import { sr25519Cases } from './sr25519.js';

await runBench({ package: 'primitives', cases: [...blake3Cases, ...scaleCases, ...sr25519Cases] });
