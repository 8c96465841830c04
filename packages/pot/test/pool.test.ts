import { afterAll, describe, expect, it } from 'vitest';
import {
  createPotWorkerPool,
  findCheckpointMismatchAsync,
  getEngine,
  PotVerifier,
  potKeyFromSeed,
  prove,
  verifyAsync,
} from '../src/index.js';
import { engines, expectPotRejection, hex } from './helpers.js';

const seed = hex('d666ccd8d593c23da8db6b5b1413b13a');

describe('PotWorkerPool', () => {
  const pool = createPotWorkerPool({ threads: 2 });
  afterAll(() => pool.close());

  it('verifies a slot over worker threads, on every engine, like the inline path', async () => {
    const checkpoints = prove(seed, 16 * 500);
    for (const engine of engines) {
      expect(await verifyAsync(seed, 16 * 500, checkpoints, { pool, engine })).toBe(true);
      const cp = checkpoints.slice();
      cp[100]! ^= 4;
      expect(await findCheckpointMismatchAsync(seed, 16 * 500, cp, { pool, engine })).toBe(6);
    }
    const key = potKeyFromSeed(seed);
    const blocks = checkpoints.subarray(0, 48); // 3 chains
    expect(await pool.multi(key, blocks, 1000)).toEqual(getEngine().multi(key, blocks, 1000));
  });

  it('is reused across many jobs, concurrently', async () => {
    const seeds = Array.from({ length: 6 }, (_, i) => new Uint8Array(16).fill(i + 1));
    const proofs = seeds.map((s) => prove(s, 16 * 64));
    const results = await Promise.all(seeds.map((s, i) => verifyAsync(s, 16 * 64, proofs[i]!, { pool })));
    expect(results).toEqual(Array(6).fill(true));
  });

  it('aborts a running job (its worker is replaced) and stays usable', async () => {
    const ac = new AbortController();
    const big = 16 * 2 ** 25; // seconds of work: must be cut short
    const p = verifyAsync(seed, big, new Uint8Array(128), { pool, signal: ac.signal, engine: 'cbc' });
    setTimeout(() => ac.abort(), 50);
    const t0 = performance.now();
    await expectPotRejection(p, 'POT_ABORTED');
    expect(performance.now() - t0).toBeLessThan(2000);
    await expectPotRejection(
      verifyAsync(seed, 16, new Uint8Array(128), { pool, signal: AbortSignal.abort() }),
      'POT_ABORTED',
    );
    expect(await verifyAsync(seed, 160, prove(seed, 160), { pool })).toBe(true);
  });

  it('rejects jobs after close', async () => {
    const p2 = createPotWorkerPool({ threads: 1 });
    const running = verifyAsync(seed, 16 * 2 ** 24, new Uint8Array(128), { pool: p2, engine: 'cbc' });
    const rejected = expectPotRejection(running, 'POT_POOL_CLOSED');
    await new Promise((r) => setTimeout(r, 20));
    await p2.close();
    await rejected;
    await expectPotRejection(verifyAsync(seed, 160, new Uint8Array(128), { pool: p2 }), 'POT_POOL_CLOSED');
  });
});

describe('PotVerifier', () => {
  it('caches verified checkpoints by (seed, iterations) and compares on a second look', async () => {
    const verifier = new PotVerifier({ cacheSize: 2 });
    const cp = prove(seed, 160);
    expect(verifier.getCheckpoints(seed, 160)).toBeUndefined();
    expect(await verifier.verifyCheckpoints(seed, 160, cp)).toBe(true);
    expect(verifier.getCheckpoints(seed, 160)).toEqual(cp);
    const bad = cp.slice();
    bad[0]! ^= 1;
    expect(await verifier.verifyCheckpoints(seed, 160, bad)).toBe(false);
    expect(verifier.verifyCheckpointsSync(seed, 160, cp)).toBe(true);
    // A wrong proof is not cached.
    const other = new Uint8Array(16).fill(9);
    expect(verifier.verifyCheckpointsSync(other, 160, bad)).toBe(false);
    expect(verifier.getCheckpoints(other, 160)).toBeUndefined();
    // LRU bound: 2 entries; the least recently used goes.
    verifier.injectVerifiedCheckpoints(other, 160, prove(other, 160));
    verifier.getCheckpoints(seed, 160);
    verifier.injectVerifiedCheckpoints(other, 320, prove(other, 320));
    expect(verifier.cacheSize).toBe(2);
    expect(verifier.getCheckpoints(other, 160)).toBeUndefined();
    expect(verifier.getCheckpoints(seed, 160)).toEqual(cp);
  });

  it('shares one verification between concurrent calls and honours each caller signal', async () => {
    const verifier = new PotVerifier();
    const cp = prove(seed, 16 * 4096);
    const ac = new AbortController();
    const a = verifier.verifyCheckpoints(seed, 16 * 4096, cp, { signal: ac.signal });
    const b = verifier.verifyCheckpoints(seed, 16 * 4096, cp);
    ac.abort();
    await expectPotRejection(a, 'POT_ABORTED');
    expect(await b).toBe(true);
  });
});
