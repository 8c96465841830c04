import { BLS12_381_R } from '@autonomys/primitives';
import { describe, expect, it } from 'vitest';
import { Kzg, Polynomial, poly } from '../src/index.js';
import { backends, params, s, toHex } from './helpers.js';

const R = BLS12_381_R;
const values = Array.from({ length: 512 }, (_, i) => s((BigInt(i) * 0x9e3779b9n + 17n) ** 5n % R));
// Bytes form (native poly) and Montgomery-vector form take different quotient paths.
const asBytes = poly(values);
const asVector = Polynomial.fromCoefficients(asBytes.coefficients());

describe.each(backends.map((b) => [b.name, b] as const))('async forms on the %s backend', (_, backend) => {
  const kzg = new Kzg(params(), { backend });

  it('commitAsync equals commit for 1, 2 and 3 threads', async () => {
    const expected = toHex(kzg.commit(asBytes));
    for (const threads of [1, 2, 3])
      expect(toHex(await kzg.commitAsync(asBytes, { threads }))).toBe(expected);
    expect(toHex(await kzg.commitAsync(asVector))).toBe(expected);
  });

  it('createWitnessAsync equals createWitness on the 2^16 domain, for both polynomial forms', async () => {
    for (const p of [asBytes, asVector]) {
      const expected = toHex(kzg.createWitness(p, 65_536, 40_001));
      expect(toHex(await kzg.createWitnessAsync(p, 65_536, 40_001, { threads: 2 }))).toBe(expected);
    }
    expect(toHex(kzg.createWitness(asBytes, 512, 3))).toBe(toHex(kzg.createWitness(asVector, 512, 3)));
    const c = kzg.commit(asBytes);
    const w = await kzg.createWitnessAsync(asBytes, 512, 3);
    expect(kzg.verify(c, 512, 3, values[3]!, w)).toBe(true);
  });

  it('small and empty polynomials run inline and match', async () => {
    const small = Polynomial.fromCoefficients([s(5), s(6), s(7)]);
    expect(toHex(await kzg.commitAsync(small))).toBe(toHex(kzg.commit(small)));
    expect(toHex(await kzg.createWitnessAsync(small, 256, 1))).toBe(toHex(kzg.createWitness(small, 256, 1)));
    const constant = Polynomial.fromCoefficients([s(9)]);
    expect(toHex(await kzg.createWitnessAsync(constant, 256, 1))).toBe(
      toHex(kzg.createWitness(constant, 256, 1)),
    );
  });

  it('an aborted signal rejects with KZG_ABORTED; later calls still work', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(kzg.commitAsync(asBytes, { signal: ac.signal })).rejects.toMatchObject({
      code: 'KZG_ABORTED',
    });
    const late = new AbortController();
    const pending = kzg.commitAsync(asBytes, { signal: late.signal });
    late.abort();
    await expect(pending).rejects.toMatchObject({ code: 'KZG_ABORTED' });
    expect(toHex(await kzg.commitAsync(asBytes))).toBe(toHex(kzg.commit(asBytes)));
  });

  it('bad threads throw KZG_INVALID_ARGUMENT', async () => {
    await expect(kzg.commitAsync(asBytes, { threads: 0 })).rejects.toMatchObject({
      code: 'KZG_INVALID_ARGUMENT',
    });
    await expect(kzg.commitAsync({} as Polynomial)).rejects.toMatchObject({ code: 'KZG_INVALID_ARGUMENT' });
  });
});
