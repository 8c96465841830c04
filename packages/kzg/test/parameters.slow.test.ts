// Slow (AUTONOMYS_SLOW_TESTS=1): the whole file, every point subgroup-checked, on every backend.
// This is the check that lets 'auto' skip per-point subgroup checks for the pinned file.
import { describe, expect, it } from 'vitest';
import { decodePublicParameters, Kzg, NUM_G1_POWERS, Polynomial, poly } from '../src/index.js';
import { backends, parametersBytes, s, toHex } from './helpers.js';

describe.each(backends.map((b) => [b.name, b] as const))('full public parameters on %s', (_, backend) => {
  it('all 32 768 G1 powers decode and are in the subgroup; a record-size commitment verifies', {
    timeout: 900_000,
  }, () => {
    const full = decodePublicParameters(parametersBytes(), { subgroupCheck: true, cache: false, backend });
    expect(full.g1Count).toBe(NUM_G1_POWERS);
    const kzg = new Kzg(full, { backend });
    if (backend.name !== 'native') return; // a 2^15 MSM takes ~10 s in TypeScript: native only
    const values = Array.from({ length: NUM_G1_POWERS }, (_, i) => s(i + 1));
    const p = poly(values);
    const c = kzg.commit(p);
    expect(
      kzg.verify(c, NUM_G1_POWERS, 12345, values[12345]!, kzg.createWitness(p, NUM_G1_POWERS, 12345)),
    ).toBe(true);
    // the last G1 power is used: commit(X^32767) = G1[32767]
    const coeffs = new Uint8Array(32 * NUM_G1_POWERS);
    coeffs[coeffs.length - 1] = 1;
    const bytes = parametersBytes();
    expect(toHex(kzg.commit(Polynomial.fromCoefficients(coeffs)))).toBe(
      toHex(bytes.subarray((NUM_G1_POWERS - 1) * 48, NUM_G1_POWERS * 48)),
    );
  });
});
