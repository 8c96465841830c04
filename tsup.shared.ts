import { defineConfig } from 'tsup';

/** The build every package shares: ESM with declarations, one entry, Node 20 as the floor. */
export const packageBuild = defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  // Declarations against the sibling packages' built declarations (turbo builds them first), not
  // their sources: without this each package would re-check every dependency it imports.
  dts: { compilerOptions: { customConditions: [] } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'neutral',
  splitting: false,
});
