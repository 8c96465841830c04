import { describe, expect, it } from 'vitest';
import { g1MsmWithKernel } from '../src/curve.js';
import { g1FixedBasePrepare } from '../src/index.js';
import { hex, kzgParameterPoints, scalarBytes, scalars, skipNative } from './helpers.js';

const slow = process.env.AUTONOMYS_SLOW_TESTS === '1';

describe.skipIf(skipNative || !slow)(
  'G1FixedBase at the real size: 2^15 points of the KZG parameters',
  () => {
    it('the bytes of blst and of the generic kernel, whole and on 2 threads', async () => {
      const n = 1 << 15;
      const table = kzgParameterPoints(n);
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
