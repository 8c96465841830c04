import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// Two entries: the package and the piece validator's worker thread.
export default defineConfig({
  ...(packageBuild as object),
  entry: ['src/index.ts', 'src/validate-worker.ts'],
});
