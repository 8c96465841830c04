import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runReadmeExample } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';
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
        'planRecoverPoly',
        'planRecoverPolyAsync',
        'RecoverPolyPlan',
        'recover',
        'recoverColumns',
        'recoverFr',
        'recoverPoly',
        'recoverPolyBytes',
        'recoverPolyFr',
        'recoverSource',
      ].sort(),
    );
  });

  it('runs the README example', async () => {
    expect(await runReadmeExample(pkgDir)).toEqual(['true', '8', 'ERASURE_TOO_MANY_MISSING']);
  });
});
