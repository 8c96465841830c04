import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeCodeBlocks } from '@autonomys/test-utils';
import { describe, expect, it, vi } from 'vitest';

const pkgDir = join(import.meta.dirname, '..');

describe('README', () => {
  it('the example runs and prints what it says', async () => {
    const example = readmeCodeBlocks(join(pkgDir, 'README.md'))[0]!;
    const dir = join(pkgDir, '.scratch');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'readme-example.ts');
    writeFileSync(file, example);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(file);
      const lines = log.mock.calls.map((c) => c.map(String).join(' '));
      expect(lines[0]).toBe('76d57c6108c2f44770ad8df63393883cbf4889a70fb997aaf27e9a31eefe017b');
      expect(Number(lines[1])).toBeGreaterThanOrEqual(0);
      expect(lines.at(-1)).toMatch(/^PRIMITIVES_INVALID_LENGTH/);
    } finally {
      log.mockRestore();
    }
  });
});
