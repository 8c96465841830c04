import { describe, expect, it } from 'vitest';
import { hasPosTables, NativeError, posTables } from '../src/index.js';
import { skipNative } from './helpers.js';

// Byte-identity with the TypeScript tables and the reference proofs is tested in @autonomys/plotter
// (test/pos.native.test.ts); here: shape, determinism and argument checks.
describe.skipIf(skipNative)('posTables (native PoS kernel)', () => {
  const seed = new Uint8Array(32).fill(1);

  it('is available with the addon', () => {
    expect(hasPosTables).toBe(true);
  });

  it('builds deterministic, well-formed K=14 tables', () => {
    const a = posTables(seed, 14);
    const b = posTables(seed, 14);
    expect(a.x.length).toBe(1 << 14);
    expect(a.positions.length).toBe(6);
    expect(a.y7.length * 2).toBe(a.positions[5]!.length);
    expect(a).toEqual(b);
    // table 1 is a permutation of 0..2^K-1, and every position points into the previous table
    expect([...a.x].sort((p, q) => p - q)).toEqual([...Array(1 << 14).keys()]);
    let prevLen = a.x.length;
    for (const p of a.positions) {
      expect(p.every((v) => v < prevLen)).toBe(true);
      prevLen = p.length / 2;
    }
    for (let i = 1; i < a.y7.length; i++) expect(a.y7[i - 1]! <= a.y7[i]!).toBe(true);
  });

  it('builds the same tables on two threads (K=14, with proof masks)', () => {
    for (const k of [14]) {
      for (const [fill, masks] of [
        [1, 1000],
        [2, 65_536],
      ] as const) {
        const s = new Uint8Array(32).fill(fill);
        const two = posTables(s, k, { threads: 2, proofMasks: masks });
        expect(two).toEqual(posTables(s, k, { proofMasks: masks }));
        // Built in place in their own buffers (transferable to another thread without a copy).
        for (const a of [two.x, two.y7, ...two.positions]) expect(a.buffer.byteLength).toBe(a.byteLength);
      }
    }
  });

  it('builds into the spare buffers of a released table: the same tables, no fresh buffers', () => {
    const buffersOf = (t: ReturnType<typeof posTables>) =>
      [t.x, ...t.positions, t.y7].map((a) => a.buffer as ArrayBuffer);
    let old = posTables(new Uint8Array(32).fill(7), 14, { proofMasks: 100 });
    for (const fill of [8, 9, 10]) {
      const s = new Uint8Array(32).fill(fill);
      const fresh = posTables(s, 14, { proofMasks: 100 });
      // dirty spares (the old tables' contents), one listed twice, one of them too small
      const spare = buffersOf(old);
      spare.push(spare[0]!, new ArrayBuffer(4));
      const reused = posTables(s, 14, { proofMasks: 100, threads: fill === 9 ? 2 : 1, spare });
      expect(reused).toEqual(fresh);
      const used = new Set(buffersOf(reused));
      expect(used.size).toBe(8); // eight distinct buffers
      expect([...used].filter((b) => spare.includes(b)).length).toBeGreaterThanOrEqual(6);
      old = reused;
    }
    expect(() => posTables(seed, 14, { spare: [new Uint8Array(4) as unknown as ArrayBuffer] })).toThrow(
      NativeError,
    );
  });

  it('checks its arguments', () => {
    expect(() => posTables(seed, 14, { threads: 3 })).toThrow(NativeError);
    expect(() => posTables(seed, 14, { threads: 0 })).toThrow(NativeError);
    expect(() => posTables(new Uint8Array(31), 14)).toThrow(NativeError);
    expect(() => posTables(seed, 5)).toThrow(NativeError);
    expect(() => posTables(seed, 26)).toThrow(NativeError);
  });
});
