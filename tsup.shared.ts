import { defineConfig } from 'tsup';

/** The build every package shares: ESM with declarations, one entry, Node 20 as the floor. */
export const packageBuild = defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'neutral',
  splitting: false,
});
