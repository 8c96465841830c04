import { defineConfig } from 'vitest/config';

// One root config: every package is a project, so `vitest run` here runs them all with one summary,
// and `vitest run` inside a package runs that package alone (its own vitest.config.ts).
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/dashboard', 'tools/bench', 'tools/test-utils', 'tools/browser-tests'],
  },
});
