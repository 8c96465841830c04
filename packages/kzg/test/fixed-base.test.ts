import { BLS12_381_R } from '@autonomys/primitives';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FIXED_BASE_AUTO_MIN_TERMS,
  Kzg,
  nativeKzgBackend,
  Polynomial,
  poly,
  typescriptBackend,
} from '../src/index.js';
import { params, s, toHex } from './helpers.js';

const R = BLS12_381_R;
const values = (n: number, seed: bigint) =>
  Array.from({ length: n }, (_, i) => s((BigInt(i) * 0x9e3779b9n + seed) ** 5n % R));

describe.skipIf(nativeKzgBackend === null)('the fixed-base MSM on the native backend', () => {
  const backend = nativeKzgBackend!;
  const generic = new Kzg(params(), { backend, fixedBase: 'off' });
  const fixed = new Kzg(params(), { backend, fixedBase: 'off' });
  const ts = new Kzg(params(), { backend: typescriptBackend });
  beforeAll(async () => {
    expect(fixed.fixedBaseBytes).toBe(0);
    expect(await fixed.prepareFixedBase({ threads: 2 })).toBe(true);
    expect(await fixed.prepareFixedBase()).toBe(true); // built once
  });

  it('holds its table in native memory', () => {
    expect(fixed.fixedBaseBytes).toBeGreaterThan(4096 * 96 * 16);
    expect(generic.fixedBaseBytes).toBe(0);
  });

  it('commit and witnesses: the same bytes as the generic MSM and (small sizes) the TypeScript backend', async () => {
    for (const n of [1, 2, 3, 100, 513, 4096]) {
      const p = Polynomial.fromCoefficients(values(n, BigInt(n)));
      const c = toHex(generic.commit(p));
      expect(toHex(fixed.commit(p))).toBe(c);
      expect(toHex(await fixed.commitAsync(p, { threads: 2 }))).toBe(c);
      if (n <= 100) expect(toHex(ts.commit(p))).toBe(c);
      for (const [domain, index] of [
        [4096, 7],
        [65_536, 40_001],
      ] as const) {
        const w = toHex(generic.createWitness(p, domain, index));
        expect(toHex(fixed.createWitness(p, domain, index))).toBe(w);
        for (const threads of n === 4096 ? [1, 3] : [2])
          expect(toHex(await fixed.createWitnessAsync(p, domain, index, { threads }))).toBe(w);
        if (n <= 100) expect(toHex(ts.createWitness(p, domain, index))).toBe(w);
      }
    }
    // the Montgomery-vector form of a polynomial takes the other quotient path
    const p = Polynomial.fromCoefficients(values(700, 3n));
    const v = Polynomial.fromCoefficients(p.coefficients());
    expect(toHex(await fixed.createWitnessAsync(v, 65_536, 12_345))).toBe(
      toHex(generic.createWitness(p, 65_536, 12_345)),
    );
    const opened = values(256, 9n);
    const q = poly(opened);
    const w = await fixed.createWitnessAsync(q, 256, 17);
    expect(fixed.verify(fixed.commit(q), 256, 17, opened[17]!, w)).toBe(true);
  });

  it('the native quotient gives the bytes of the TypeScript one', () => {
    const { quotient, ...withoutQuotient } = backend;
    expect(quotient).toBeDefined();
    const tsQuotient = new Kzg(params(), { backend: withoutQuotient, fixedBase: 'off' });
    for (const n of [2, 3, 1000, 4096]) {
      const p = Polynomial.fromCoefficients(values(n, 7n + BigInt(n)));
      for (const [domain, index] of [
        [4096, 4095],
        [65_536, 1],
      ] as const)
        expect(toHex(generic.createWitness(p, domain, index))).toBe(
          toHex(tsQuotient.createWitness(p, domain, index)),
        );
    }
  });

  it('trailing zero coefficients (a recovered record polynomial) change no bytes', async () => {
    const low = values(1500, 21n);
    const zeros = Array.from({ length: 4096 - 1500 }, () => s(0));
    const bytes = new Uint8Array(4096 * 32);
    low.forEach((v, i) => {
      bytes.set(v, 32 * i);
    });
    // the Montgomery-vector form and the bytes form (what `poly` returns on blst)
    const padded = [Polynomial.fromCoefficients([...low, ...zeros]), Polynomial.fromCanonicalBytes(bytes)];
    const trimmed = Polynomial.fromCoefficients(low);
    const { quotient, ...withoutQuotient } = backend;
    expect(quotient).toBeDefined();
    const tsQuotient = new Kzg(params(), { backend: withoutQuotient, fixedBase: 'off' });
    const c = toHex(generic.commit(trimmed));
    const w = toHex(generic.createWitness(trimmed, 65_536, 777));
    for (const p of padded) {
      expect(p.length).toBe(4096);
      for (const k of [generic, fixed, tsQuotient]) {
        expect(toHex(k.commit(p))).toBe(c);
        expect(toHex(await k.commitAsync(p, { threads: 2 }))).toBe(c);
        expect(toHex(k.createWitness(p, 65_536, 777))).toBe(w);
        expect(toHex(await k.createWitnessAsync(p, 65_536, 777, { threads: 2 }))).toBe(w);
      }
    }
    const zero = Polynomial.fromCoefficients(Array.from({ length: 64 }, () => s(0)));
    expect(toHex(fixed.commit(zero))).toBe(`c0${'00'.repeat(47)}`);
    expect(toHex(await fixed.createWitnessAsync(zero, 64, 3))).toBe(`c0${'00'.repeat(47)}`);
  });

  it('an aborted signal rejects with KZG_ABORTED on the fixed-base path too', async () => {
    const p = poly(values(4096, 5n));
    const ac = new AbortController();
    const pending = fixed.createWitnessAsync(p, 65_536, 3, { signal: ac.signal });
    ac.abort();
    await expect(pending).rejects.toMatchObject({ code: 'KZG_ABORTED' });
    expect(toHex(await fixed.createWitnessAsync(p, 65_536, 3))).toBe(
      toHex(generic.createWitness(p, 65_536, 3)),
    );
  });

  it('backends without it: prepareFixedBase resolves false and nothing changes', async () => {
    expect(await ts.prepareFixedBase()).toBe(false);
    expect(ts.fixedBaseBytes).toBe(0);
    await expect(fixed.prepareFixedBase({ threads: 0 })).rejects.toMatchObject({
      code: 'KZG_INVALID_ARGUMENT',
    });
  });

  it('policy auto: the second large async MSM starts the build in the background; off never does', async () => {
    const n = FIXED_BASE_AUTO_MIN_TERMS;
    const p = poly(values(n, 11n));
    const auto = new Kzg(params(n), { backend });
    const off = new Kzg(params(n), { backend, fixedBase: 'off' });
    const expected = toHex(off.commit(p));
    for (let i = 0; i < 2; i++) {
      expect(toHex(await auto.commitAsync(p))).toBe(expected);
      expect(toHex(await off.commitAsync(p))).toBe(expected);
    }
    expect(await auto.prepareFixedBase()).toBe(true); // awaits the background build
    expect(auto.fixedBaseBytes).toBeGreaterThan(0);
    expect(off.fixedBaseBytes).toBe(0);
    expect(toHex(await auto.commitAsync(p))).toBe(expected);
    expect(toHex(auto.commit(p))).toBe(expected);
  }, 60_000);
});
