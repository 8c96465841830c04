import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeCodeBlocks } from '@autonomys/test-utils';
import { describe, expect, it, vi } from 'vitest';
import * as api from '../src/index.js';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('@autonomys/erasure', () => {
  it('exports the documented API', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'COMMITMENT_SIZE',
        'ErasureError',
        'MAX_ERASURE_SCALE',
        'MAX_SHARDS',
        'MAX_SOURCE_VALUES',
        'SCALAR_SIZE',
        'defaultErasureBackend',
        'extend',
        'extendColumns',
        'extendCommitments',
        'extendCommitmentsAsync',
        'extendFr',
        'hasNativeFft',
        'recover',
        'recoverColumns',
        'recoverFr',
        'recoverPoly',
        'recoverPolyFr',
        'recoverSource',
      ].sort(),
    );
  });

  it('runs the README example', async () => {
    const [example] = readmeCodeBlocks(join(pkgDir, 'README.md'));
    expect(example).toBeDefined();
    const file = join(pkgDir, 'test', `.readme-example.${process.pid}.tmp.ts`);
    writeFileSync(file, example!);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(file);
      expect(log.mock.calls.map((c) => c.map(String).join(' '))).toEqual([
        'true',
        '8',
        'ERASURE_TOO_MANY_MISSING',
      ]);
    } finally {
      log.mockRestore();
      rmSync(file);
    }
  });
});
