import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// Two entries: the package and the segment committer's worker thread.
export default defineConfig({
  ...(packageBuild as object),
  entry: ['src/index.ts', 'src/commit-worker.ts'],
});
