/**
 * Runs the CLI from the sources (no build): `node --conditions=autonomys-source --import tsx
 * packages/node/src/cli/main.ts dev`. The published command is `bin/autonomys.js`.
 */
import { runCli } from './index.js';

await runCli(process.argv);
process.exit();
