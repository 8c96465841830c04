import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// Two entries: the package and the TypeScript MSM pool's worker thread (src/pool.ts spawns it).
export default defineConfig({
  ...(packageBuild as object),
  entry: ['src/index.ts', 'src/msm-worker.ts'],
});
