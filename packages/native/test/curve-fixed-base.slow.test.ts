import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { g1MsmWithKernel } from '../src/curve.js';
import { g1FixedBasePrepare, g1PrepareAffine } from '../src/index.js';
import { hex, scalarBytes, scalars, skipNative } from './helpers.js';

const slow = process.env.AUTONOMYS_SLOW_TESTS === '1';

describe.skipIf(skipNative || !slow)(
  'G1FixedBase at the real size: 2^15 points of the KZG parameters',
  () => {
    it('the bytes of blst and of the generic kernel, whole and on 2 threads', async () => {
      const n = 1 << 15;
      const dir = process.env.AUTONOMYS_VECTORS_DIR;
      const file = dir
        ? join(dir, 'kzg/eth-public-parameters.bin')
        : fileURLToPath(new URL('../../../../shared/vectors/kzg/eth-public-parameters.bin', import.meta.url));
      const table = g1PrepareAffine(readFileSync(file).subarray(0, n * 48), { subgroupCheck: false });
      const fixed = await g1FixedBasePrepare(table, { threads: 2 });
      expect(fixed.windowBits).toBe(16);
      expect(fixed.bytes).toBeLessThan(52 * 2 ** 20);
      for (const count of [n, n - 1]) {
        const sb = scalarBytes(scalars(`fixed-2^15-${count}`, count));
        const reference = hex(g1MsmWithKernel('blst', table, sb));
        expect(hex(g1MsmWithKernel('affine', table, sb))).toBe(reference);
        expect(hex(fixed.msm(sb))).toBe(reference);
        expect(hex(await fixed.msmAsync(sb, { threads: 2 }))).toBe(reference);
      }
    }, 300_000);
  },
);
