import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// Two entries: the package, and the table worker (loaded by URL beside dist/index.js).
export default defineConfig({
  ...(packageBuild as object),
  entry: { index: 'src/index.ts', 'pos-worker': 'src/pos/pos-worker.ts' },
});
