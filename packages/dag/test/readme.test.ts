import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeCodeBlocks } from '@autonomys/test-utils';
import { describe, expect, it, vi } from 'vitest';

const pkgDir = join(import.meta.dirname, '..');

describe('README', () => {
  it('the example runs and prints what it says', async () => {
    const dir = join(pkgDir, '.scratch');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'readme-example.ts');
    writeFileSync(file, readmeCodeBlocks(join(pkgDir, 'README.md'))[0]!);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(file);
      expect(log.mock.calls.map((c) => c.map(String).join(' '))).toEqual([
        'bafkr6icmbrpeevoqcwm52ut3or2ou5ogm2gobbgjlbi2vnkl2o5otiejd4',
        '64',
        'a.txt,b.txt',
        'hello world',
        'DAG_UNSUPPORTED_CID',
      ]);
    } finally {
      log.mockRestore();
    }
  });
});
