import { fileURLToPath } from 'node:url';
import { readmeCodeBlocks, runReadmeExample } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));

describe('README "Running a node"', () => {
  it('runs the in-program example', { timeout: 120_000 }, async () => {
    const index = readmeCodeBlocks(`${pkgDir}README.md`).findIndex((b) => b.includes('// Running a node'));
    expect(index).toBeGreaterThanOrEqual(0);
    expect(await runReadmeExample(pkgDir, index)).toEqual(['66']);
  });
});
