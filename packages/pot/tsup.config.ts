import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// Three entries: Node (index), browsers (browser: no node: imports) and the pool's worker thread.
export default defineConfig({
  ...(packageBuild as object),
  entry: ['src/index.ts', 'src/browser.ts', 'src/worker.ts'],
});
