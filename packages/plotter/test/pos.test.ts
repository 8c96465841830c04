import { blake3 } from '@autonomys/primitives';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createPosTableGenerator,
  createPosTables,
  createShimTableGenerator,
  defaultBackend,
  findProof,
  isProofValid,
  PlotterError,
  parseProof,
  posChallenge,
  posF1,
  posFn,
  posMatch,
  proofHash,
  proofMaskOf,
  serializeProof,
} from '../src/index.js';
import { SEED01, SEED20 } from './helpers.js';

const K = 16;
const tables16 = createPosTables(SEED01, { k: K, native: false });
const proofs16: [number, Uint8Array][] = [];
for (let i = 0; proofs16.length < 20; i++) {
  const p = findProof(tables16, i);
  if (p !== undefined) proofs16.push([i, p]);
}

describe('proof of space', () => {
  it('invariant 6: the challenge-index quirk c(0x1234) = 0x34<<12 | 0x12<<4', () => {
    expect(posChallenge(0x1234)).toBe((0x34 << 12) | (0x12 << 4));
    expect(posChallenge(600426542)).toBe(191628);
    expect(posChallenge(1011)).toBe(995376);
    expect(posChallenge(0xffffffff)).toBe(0xfffff);
  });

  it('invariant 3: every proof findProof returns verifies, and fails with challenge index + 1', () => {
    for (const [i, p] of proofs16) {
      expect(isProofValid(SEED01, i, p, { k: K })).toBe(true);
      expect(isProofValid(SEED01, i + 1, p, { k: K })).toBe(false);
    }
  });

  it('a flipped bit anywhere in a proof fails verification', () => {
    const [i, proof] = proofs16[0]!;
    for (let bit = 0; bit < proof.length * 8; bit++) {
      const bad = proof.slice();
      bad[bit >>> 3]! ^= 0x80 >>> (bit & 7);
      expect(isProofValid(SEED01, i, bad, { k: K })).toBe(false);
    }
  });

  it('invariant 5: a single non-matching pair rejects (swapping the two halves of a pair)', () => {
    const [i, proof] = proofs16[1]!;
    const xs = parseProof(proof, { k: K });
    const swapped = xs.slice();
    swapped[0] = xs[1]!;
    swapped[1] = xs[0]!;
    expect(posMatch(posF1(SEED01, xs[0]!, { k: K }), posF1(SEED01, xs[1]!, { k: K }))).toBe(true);
    expect(isProofValid(SEED01, i, serializeProof(swapped, { k: K }), { k: K })).toBe(false);
  });

  it('invariant 7: parse(serialize(xs)) = xs, 160 bytes at K=20', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 ** 20 - 1 }), { minLength: 64, maxLength: 64 }),
        (xs) => {
          const bytes = serializeProof(xs);
          expect(bytes.length).toBe(160);
          expect([...parseProof(bytes)]).toEqual(xs);
        },
      ),
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 136, maxLength: 136 }), (b) => {
        expect(serializeProof(parseProof(b, { k: 17 }), { k: 17 })).toEqual(b);
      }),
    );
  });

  it('the proof decoder and the verifier only ever throw PlotterError on garbage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 0xffffffff }), (b, idx) => {
        try {
          parseProof(b);
          expect(b.length).toBe(160);
          expect(isProofValid(SEED20, idx, b)).toBe(false);
        } catch (e) {
          expect(e).toBeInstanceOf(PlotterError);
          expect((e as PlotterError).code).toBe('PLOTTER_INVALID_LENGTH');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('typed errors with stable codes at the boundary', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(PlotterError);
        return (e as PlotterError).code;
      }
      return 'none';
    };
    expect(code(() => isProofValid(new Uint8Array(31), 0, new Uint8Array(160)))).toBe(
      'PLOTTER_INVALID_LENGTH',
    );
    expect(code(() => isProofValid(SEED20, -1, new Uint8Array(160)))).toBe('PLOTTER_OUT_OF_RANGE');
    expect(code(() => isProofValid(SEED20, 2 ** 32, new Uint8Array(160)))).toBe('PLOTTER_OUT_OF_RANGE');
    expect(code(() => findProof(tables16, 1.5))).toBe('PLOTTER_OUT_OF_RANGE');
    expect(code(() => serializeProof([1, 2, 3]))).toBe('PLOTTER_INVALID_LENGTH');
    expect(code(() => serializeProof(new Array(64).fill(2 ** 20)))).toBe('PLOTTER_OUT_OF_RANGE');
    expect(code(() => posF1(SEED20, 0, { k: 26 }))).toBe('PLOTTER_OUT_OF_RANGE');
    expect(code(() => posFn(8, 0, 0n, 0n))).toBe('PLOTTER_OUT_OF_RANGE');
    expect(code(() => posFn(2, 0, 1n << 20n, 0n))).toBe('PLOTTER_OUT_OF_RANGE');
    expect(code(() => proofHash(new Uint8Array(159)))).toBe('PLOTTER_INVALID_LENGTH');
    expect(code(() => parseProof('x' as unknown as Uint8Array))).toBe('PLOTTER_INVALID_ARGUMENT');
    expect(code(() => createPosTables(SEED01, { k: 12, proofMasks: -1 }))).toBe('PLOTTER_OUT_OF_RANGE');
    expect(code(() => createPosTables(SEED01, { k: 12, proofMasks: 65_537 }))).toBe('PLOTTER_OUT_OF_RANGE');
    expect(code(() => createPosTableGenerator({ k: 12, proofMasks: 0.5 }))).toBe('PLOTTER_OUT_OF_RANGE');
    expect(code(() => createPosTableGenerator({ k: 12, proofMasks: '1' as unknown as number }))).toBe(
      'PLOTTER_INVALID_ARGUMENT',
    );
  });

  it('inputs are not mutated', () => {
    const seed = SEED01.slice();
    const [i, proof] = proofs16[0]!;
    const copy = proof.slice();
    isProofValid(seed, i, proof, { k: K });
    parseProof(proof, { k: K });
    proofHash(proof, { k: K });
    createPosTables(seed, { k: 12, native: false });
    expect(seed).toEqual(SEED01);
    expect(proof).toEqual(copy);
  });
});

describe.skipIf(defaultBackend() !== 'native')('native kernel = TypeScript path', () => {
  it.each([16, 17])('identical tables at K=%i', (k) => {
    const ts = k === K ? tables16 : createPosTables(SEED20, { k, native: false });
    const native = createPosTables(k === K ? SEED01 : SEED20, { k, native: true });
    // byte comparison: toEqual walks typed arrays element by element (seconds at this size)
    const same = (a: Uint32Array, b: Uint32Array) =>
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
        Buffer.from(b.buffer, b.byteOffset, b.byteLength),
      );
    expect(same(native.x, ts.x)).toBe(true);
    expect(same(native.y7, ts.y7)).toBe(true);
    for (let t = 0; t < 6; t++) expect(same(native.positions[t]!, ts.positions[t]!)).toBe(true);
  });
  it.each([
    [16, 5000],
    [12, 65_536],
  ])('identical proof masks at K=%i (first %i proofs)', (k, limit) => {
    const ts = createPosTables(SEED01, { k, native: false, proofMasks: limit }).proofMasks!;
    const native = createPosTables(SEED01, { k, native: true, proofMasks: limit }).proofMasks!;
    expect(native.scanned).toBe(ts.scanned);
    expect(Buffer.from(native.masks).equals(Buffer.from(ts.masks))).toBe(true);
    expect(Buffer.from(native.sBuckets.buffer).equals(Buffer.from(ts.sBuckets.buffer))).toBe(true);
    if (limit === 65_536) expect(ts.scanned).toBe(65_536);
    else expect(ts.sBuckets.length).toBe(limit);
  });
  // Identical first proofs at K=20 for the vector seed: pos.vectors.test.ts checks the native tables
  // (the default backend) against the reference proofs, and the slow suite builds the TS table too.
});

describe('PosTableGenerator (one compliance suite, every implementation)', () => {
  const impls = [
    ['chia inline (threads: 0)', () => createPosTableGenerator({ threads: 0, k: K })],
    // the first 20 proofs' masks come with the table, the later ones are hashed on demand
    ['chia worker (threads: 1)', () => createPosTableGenerator({ threads: 1, k: K, proofMasks: 20 })],
    ['shim', () => createShimTableGenerator()],
  ] as const;
  for (const [name, make] of impls) {
    it(`${name}: generate, findProof, isProofValid`, async () => {
      const gen = make();
      try {
        const table = await gen.generate(SEED01);
        let found = 0;
        for (let i = 0; i < 64; i++) {
          const proof = table.findProof(i);
          if (proof === undefined) continue;
          found++;
          expect(gen.isProofValid(SEED01, i, proof)).toBe(true);
          expect(gen.isProofValid(SEED01, i + 1, proof)).toBe(false);
          if (gen.kind === 'chia') expect(proof).toEqual(findProof(tables16, i));
        }
        for (let i = 0; i < 64; i++) {
          const proof = table.findProof(i);
          expect(proofMaskOf(table, i)).toEqual(proof === undefined ? undefined : blake3(proof));
        }
        expect(found).toBeGreaterThan(16);
      } finally {
        await gen.close();
      }
    }, 60_000);
  }

  it('one worker builds table after table (its replies keep arriving)', async () => {
    const gen = createPosTableGenerator({ threads: 1, k: 12 });
    try {
      const expected = findProof(createPosTables(SEED01, { k: 12 }), 3);
      for (let i = 0; i < 3; i++) expect((await gen.generate(SEED01)).findProof(3)).toEqual(expected);
      const both = await Promise.all([gen.generate(SEED01), gen.generate(SEED20)]);
      expect(both[0].findProof(3)).toEqual(expected);
    } finally {
      await gen.close();
    }
  }, 60_000);

  it.each([
    ['inline', 0],
    ['worker', 1],
  ])(
    'a released table hands its buffers to the next (%s): same tables, the old one closed',
    async (_n, threads) => {
      const gen = createPosTableGenerator({ threads, k: 14, proofMasks: 200 });
      try {
        const seeds = [SEED01, SEED20, SEED01.map((b) => b ^ 0x5a), SEED01];
        let prev: Awaited<ReturnType<typeof gen.generate>> | undefined;
        for (const [i, seed] of seeds.entries()) {
          const t = await gen.generate(seed, { cores: i === 2 ? 2 : 1 });
          const fresh = createPosTables(seed, { k: 14, proofMasks: 200 });
          for (const s of [0, 1, 3, 77, 1011, 65_535]) {
            expect(t.findProof(s)).toEqual(findProof(fresh, s));
            expect(t.proofMask?.(s)).toEqual(
              proofMaskOf({ kind: 'chia', findProof: (x) => findProof(fresh, x) }, s),
            );
          }
          const mask = t.proofMask?.(1);
          t.release?.();
          t.release?.(); // idempotent
          expect(() => t.findProof(1)).toThrow(PlotterError);
          expect(() => t.proofMask?.(1)).toThrow(PlotterError);
          if (mask !== undefined) expect(mask.length).toBe(32); // masks already handed out stay valid
          prev = t;
        }
        expect(prev).toBeDefined();
      } finally {
        await gen.close();
      }
    },
    60_000,
  );

  it('an aborted signal drops queued jobs and terminates running workers', async () => {
    const gen = createPosTableGenerator({ threads: 1, k: 20, native: false });
    const ac = new AbortController();
    const running = gen.generate(SEED20, { signal: ac.signal });
    const queued = gen.generate(SEED01, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(running).rejects.toMatchObject({ code: 'PLOTTER_ABORTED' });
    await expect(queued).rejects.toMatchObject({ code: 'PLOTTER_ABORTED' });
    await expect(gen.generate(SEED01, { signal: ac.signal })).rejects.toMatchObject({
      code: 'PLOTTER_ABORTED',
    });
    // the generator still works after an abort
    const small = createPosTableGenerator({ threads: 1, k: 12 });
    expect((await small.generate(SEED01)).kind).toBe('chia');
    await small.close();
    await gen.close();
    await expect(gen.generate(SEED01)).rejects.toMatchObject({ code: 'PLOTTER_CLOSED' });
  }, 60_000);
});
