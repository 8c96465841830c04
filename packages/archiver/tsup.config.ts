import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// Entries: the package, its browser build (no node: imports), and the segment committer's worker
// thread.
export default defineConfig({
  ...(packageBuild as object),
  entry: ['src/index.ts', 'src/browser.ts', 'src/commit-worker.ts'],
});
