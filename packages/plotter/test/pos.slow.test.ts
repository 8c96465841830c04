import { describe, expect, it } from 'vitest';
import { createPosTables, defaultBackend, findProof, isProofValid } from '../src/index.js';
import { nativePosTables } from '../src/pos/native.js';
import { SEED20, seedOf } from './helpers.js';

describe('slow: proof of space at K=20', () => {
  it('pos.properties k20_broad_scan: indexes 0..50000, every proof verifies, > 25000 found', () => {
    const tables = createPosTables(SEED20);
    let found = 0;
    for (let i = 0; i < 50_000; i++) {
      const proof = findProof(tables, i);
      if (proof === undefined) continue;
      found++;
      if (!isProofValid(SEED20, i, proof)) throw new Error(`proof ${i} does not verify`);
    }
    expect(found).toBeGreaterThan(25_000);
  }, 600_000);

  it('pos.properties k20_many_seeds: 16 seeds, proofs of 0..256 verify', () => {
    for (let s = 0; s < 16; s++) {
      const tables = createPosTables(seedOf(s));
      for (let i = 0; i < 256; i++) {
        const proof = findProof(tables, i);
        if (proof !== undefined) expect(isProofValid(seedOf(s), i, proof)).toBe(true);
      }
    }
  }, 1_200_000);

  it.skipIf(defaultBackend() !== 'native')(
    'native and TypeScript K=20 tables give identical first proofs',
    () => {
      const ts = createPosTables(SEED20, { native: false });
      const native = createPosTables(SEED20, { native: true });
      for (let i = 0; i < 65_536; i += 7) expect(findProof(native, i)).toEqual(findProof(ts, i));
      // every byte, on one and two threads: the kernel's fn is specialised for K = 20
      const same = (a: Uint32Array, b: Uint32Array) =>
        Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
          Buffer.from(b.buffer, b.byteOffset, b.byteLength),
        );
      for (const threads of [1, 2]) {
        const n = nativePosTables!(SEED20, 20, { threads });
        expect(same(n.x, ts.x)).toBe(true);
        expect(same(n.y7, ts.y7)).toBe(true);
        for (let t = 0; t < 6; t++) expect(same(n.positions[t]!, ts.positions[t]!)).toBe(true);
      }
    },
    600_000,
  );
});
