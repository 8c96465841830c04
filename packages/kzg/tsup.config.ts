import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// Entries: the package, its browser build (no node: imports), and the TypeScript MSM pool's worker
// thread (src/pool.ts spawns it).
export default defineConfig({
  ...(packageBuild as object),
  entry: ['src/index.ts', 'src/browser.ts', 'src/msm-worker.ts'],
});
