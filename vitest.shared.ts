import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

// Tests run against the sources of sibling packages (no build step between an edit and a test):
// every `@autonomys/<name>` import resolves to `packages/<name>/src/index.ts`.
const alias = Object.fromEntries(
  readdirSync(packagesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => [`@autonomys/${d.name}`, `${packagesDir}${d.name}/src/index.ts`]),
);

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
    },
  });
}
