import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

// Tests run against the sources of sibling packages (no build step between an edit and a test):
// every `@autonomys/<name>[/subpath]` import resolves to the source file its package's exports map
// names under the `autonomys-source` condition.
const alias = readdirSync(packagesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`${packagesDir}${d.name}/package.json`))
  .flatMap((d) => {
    const pkg = JSON.parse(readFileSync(`${packagesDir}${d.name}/package.json`, 'utf8')) as {
      exports?: Record<string, { 'autonomys-source'?: string } | string>;
    };
    return Object.entries(pkg.exports ?? {}).flatMap(([subpath, target]) => {
      const source = typeof target === 'object' ? target['autonomys-source'] : undefined;
      if (!source) return [];
      const specifier = `@autonomys/${d.name}${subpath === '.' ? '' : subpath.slice(1)}`;
      return [
        {
          find: new RegExp(`^${specifier.replace(/[/.]/g, '\\$&')}$`),
          replacement: `${packagesDir}${d.name}/${source.slice(2)}`,
        },
      ];
    });
  });

/**
 * Packages whose test files may share one module graph per worker (`isolate: false`): their suites
 * keep no state between files that another file could see, and re-importing the sources and their
 * dependencies for every file cost about a quarter of their CPU time (measured: 88 s -> 66 s for
 * primitives, decex and kzg together). The node suite joins them: its files start dev networks,
 * servers and child processes but stop them in their own hooks, and its 49 files re-imported the
 * whole node each (measured alone: 183 s with 116 s of imports -> 96 s with 10.5 s).
 */
const SHARED_MODULES = new Set([
  'primitives',
  'kzg',
  'erasure',
  'decex',
  'auto-id',
  'auto-score',
  'dag',
  'node',
]);

/** The vitest project of one package: `test/**\/*.test.ts`, slow suites opt-in via `*.slow.test.ts`. */
export function packageProject(name: string) {
  const slow = process.env.AUTONOMYS_SLOW_TESTS === '1';
  return defineProject({
    resolve: { alias },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      exclude: slow ? [] : ['test/**/*.slow.test.ts'],
      testTimeout: 60_000,
      isolate: !SHARED_MODULES.has(name),
    },
  });
}
