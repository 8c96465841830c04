import { describe, expect, it } from 'vitest';
import {
  frFft,
  frRecoverApply,
  frRecoverPlan,
  frRecoverPlanAsync,
  frRecoverPoly,
  hasFrRecoverPlan,
} from '../src/index.js';
import { bigintToBe, Fr, hex, prng, scalarBytes, scalars, skipNative, thrown } from './helpers.js';

const rootBytes = (n: number) => bigintToBe(Fr.pow(7n, (Fr.ORDER - 1n) / BigInt(n)), 32);

/** A codeword of 2n values (the polynomial with coefficients c on the 2n-domain) and c. */
function codeword(n: number, label: string): { values: Uint8Array; coefficients: Uint8Array } {
  const coefficients = scalarBytes(scalars(label, n));
  const padded = new Uint8Array(64 * n);
  padded.set(coefficients);
  return { values: frFft(padded, false, rootBytes(2 * n)), coefficients };
}

/** A pattern of 2n positions with `missing` of them lost (pseudo-random). */
function pattern(n2: number, missing: number, label: string): Uint8Array {
  const present = new Uint8Array(n2).fill(1);
  const r = prng(label, 4 * n2);
  let lost = 0;
  for (let i = 0; lost < missing; i = (i + 1) % n2) {
    if (present[i] === 1 && r[(4 * i) % r.length]! < 100) {
      present[i] = 0;
      lost++;
    }
    r[(4 * i) % r.length] = (r[(4 * i) % r.length]! * 5 + 1) & 0xff;
  }
  return present;
}

describe.skipIf(skipNative)('frRecoverPlan / frRecoverApply (two-phase record recovery)', () => {
  it('is available with the addon', () => {
    expect(hasFrRecoverPlan).toBe(true);
  });

  it('gives the coefficients, as frRecoverPoly does, for patterns up to half lost (2n = 2..4096)', async () => {
    for (const [n, missing] of [
      [1, 0],
      [1, 1],
      [4, 3],
      [16, 16],
      [64, 40],
      [512, 512],
      [2048, 1500],
    ] as const) {
      const { values, coefficients } = codeword(n, `cw${n}`);
      const present = pattern(2 * n, missing, `p${n}`);
      const root = rootBytes(2 * n);
      for (const threads of [1, 2]) {
        const plan = frRecoverPlan(present, root, threads);
        expect(hex(frRecoverApply(values, plan, undefined, threads))).toBe(hex(coefficients));
        expect(hex(frRecoverPoly(values, present, root, undefined, threads))).toBe(hex(coefficients));
      }
      const plan = await frRecoverPlanAsync(present, root);
      // values at missing positions are not read
      const noisy = values.slice();
      for (let i = 0; i < 2 * n; i++) if (present[i] === 0) noisy.fill(0xff, 32 * i, 32 * i + 32);
      const scale = bigintToBe(3n, 32);
      const scaled = scalarBytes(
        Array.from(
          { length: n },
          (_, k) => (BigInt(`0x${hex(coefficients.subarray(32 * k, 32 * k + 32))}`) * 3n) % Fr.ORDER,
        ),
      );
      expect(hex(frRecoverApply(noisy, plan, scale))).toBe(hex(scaled));
    }
  });

  it('rejects bad patterns, roots, values and malformed plans', async () => {
    const n = 32;
    const { values } = codeword(n, 'bad');
    const present = pattern(2 * n, n, 'bad');
    const root = rootBytes(2 * n);
    const plan = frRecoverPlan(present, root);
    expect(thrown(() => frRecoverPlan(new Uint8Array(64), root)).code).toBe('NATIVE_INVALID_ARGUMENT');
    expect(thrown(() => frRecoverPlan(new Uint8Array(48).fill(1), root)).code).toBe(
      'NATIVE_INVALID_ARGUMENT',
    );
    expect(thrown(() => frRecoverPlan(present, rootBytes(n))).code).toBe('NATIVE_INVALID_ROOT');
    await expect(frRecoverPlanAsync(present, rootBytes(n))).rejects.toMatchObject({
      code: 'NATIVE_INVALID_ROOT',
    });
    expect(thrown(() => frRecoverPlan(present, root, 3)).code).toBe('NATIVE_INVALID_ARGUMENT');
    // a plan for another size, a truncated plan, a corrupted header or missing list
    expect(thrown(() => frRecoverApply(values.subarray(0, 32 * n), plan)).code).toBe('NATIVE_BAD_ENCODING');
    expect(thrown(() => frRecoverApply(values, plan.subarray(0, plan.length - 32))).code).toBe(
      'NATIVE_BAD_ENCODING',
    );
    for (const at of [0, 8, 16, 24, 32, 36]) {
      const bad = plan.slice();
      bad[at] = bad[at]! ^ (at === 36 ? 0xff : 1);
      expect(thrown(() => frRecoverApply(values, bad)).code).toBe('NATIVE_BAD_ENCODING');
    }
    const big = values.slice();
    const i = present.indexOf(1);
    big.fill(0xff, 32 * i, 32 * i + 32);
    expect(thrown(() => frRecoverApply(big, plan)).type).toMatchObject({
      code: 'NATIVE_INVALID_SCALAR',
      index: i,
    });
    expect(thrown(() => frRecoverApply(values, plan, new Uint8Array(32).fill(0xff))).code).toBe(
      'NATIVE_INVALID_SCALAR',
    );
  });
});
