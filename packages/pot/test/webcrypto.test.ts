/**
 * The WebCrypto path (browser entry) run on Node's own WebCrypto: the pot.json vectors, agreement
 * with the engines for any chain length and slice size, the first wrong checkpoint, typed errors,
 * and the Web Worker protocol over MessageChannels (one to eight "workers" sharing a slot's chains).
 * Chromium runs the same code in tools/browser-tests.
 */
import { loadVectors } from '@autonomys/test-utils';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  aesChainsWebCrypto,
  aesChainWebCrypto,
  defaultPotWorkerCount,
  findCheckpointMismatchWebCrypto,
  importAesKeyWebCrypto,
  type PotWorkerLike,
  type PotWorkerReply,
  PotWorkerVerifier,
  proveWebCrypto,
  servePotWorker,
  verifyWebCrypto,
  verifyWithKeyWebCrypto,
} from '../src/browser.js';
import { findCheckpointMismatch, getEngine, prove } from '../src/index.js';
import { expectPotRejection, hex, toHex } from './helpers.js';

type Vector = { id: string } & Record<string, any>;
const vectors = new Map(loadVectors<{ vectors: Vector[] }>('pot.json').vectors.map((v) => [v.id, v]));
const vector = (id: string): Vector => vectors.get(id)!;

const seed = hex('d666ccd8d593c23da8db6b5b1413b13a');

describe('WebCrypto: pot.json', () => {
  it('pot.aes.create_verify: the checkpoints verify, every negative case does not', async () => {
    const v = vector('pot.aes.create_verify');
    const k = v.checkpoint_iterations as number;
    const cps = hex((v.expected_checkpoints_hex as string[]).join(''));
    expect(await verifyWithKeyWebCrypto(hex(v.seed_hex), hex(v.key_hex), k, cps)).toBe(true);
    expect(v.negative_cases.length).toBeGreaterThan(0);
    for (const neg of v.negative_cases as Vector[]) {
      const bad = cps.slice();
      if (neg.checkpoints_hex_override)
        bad.set(hex(neg.checkpoints_hex_override.value), neg.checkpoints_hex_override.index * 16);
      const ok = await verifyWithKeyWebCrypto(
        hex(neg.seed_hex ?? v.seed_hex),
        hex(neg.key_hex ?? v.key_hex),
        neg.checkpoint_iterations ?? k,
        bad,
      );
      expect({ what: neg.what, ok }).toEqual({ what: neg.what, ok: neg.expect_verify });
    }
  });

  it('pot.prove.derived_key.160 and pot.chain.512: proved and verified with the derived key', async () => {
    const d = vector('pot.prove.derived_key.160');
    expect(toHex(await proveWebCrypto(hex(d.seed_hex), d.slot_iterations))).toBe(
      (d.expected_checkpoints_hex as string[]).join(''),
    );
    const c = vector('pot.chain.512');
    for (const slot of [c.slot1, c.slot2]) {
      const cps = hex((slot.expected_checkpoints_hex as string[]).join(''));
      expect(toHex(await proveWebCrypto(hex(slot.seed_hex), slot.slot_iterations))).toBe(toHex(cps));
      expect(await verifyWebCrypto(hex(slot.seed_hex), slot.slot_iterations, cps)).toBe(true);
    }
  });

  it('pot.errors: slot iterations that are not a multiple of 16 are rejected before any work', async () => {
    for (const c of vector('pot.errors').cases as Vector[]) {
      if (c.slot_iterations === undefined) continue;
      await expectPotRejection(
        verifyWebCrypto(seed, c.slot_iterations, new Uint8Array(128)),
        'POT_NOT_MULTIPLE_OF_CHECKPOINTS',
      );
      await expectPotRejection(proveWebCrypto(seed, c.slot_iterations), 'POT_NOT_MULTIPLE_OF_CHECKPOINTS');
    }
  });
});

describe('WebCrypto chains', () => {
  const ts = getEngine('ts');

  it('equal the TypeScript engine for any length and slice size (slices end anywhere)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 64 }),
        async (key, block, n, slice) => {
          const before = toHex(block);
          const k = await importAesKeyWebCrypto(key);
          const got = await aesChainWebCrypto(k, block, n, { sliceBlocks: slice });
          const c = ts.chain(key, block);
          c.advance(n);
          expect(toHex(got)).toBe(toHex(c.block));
          expect(toHex(block)).toBe(before); // the input is not mutated
        },
      ),
      { numRuns: 60 },
    );
  });

  it('aesChainsWebCrypto equals the engine multi for any number of chains', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 0, max: 9 }).chain((c) => fc.uint8Array({ minLength: c * 16, maxLength: c * 16 })),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 70 }),
        async (key, blocks, n, slice) => {
          const got = await aesChainsWebCrypto(await importAesKeyWebCrypto(key), blocks, n, {
            sliceBlocks: slice,
          });
          expect(toHex(got)).toBe(toHex(ts.multi(key, blocks, n)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('name the first wrong checkpoint as findCheckpointMismatch does (every checkpoint, every byte half)', async () => {
    const it_ = 1 << 12;
    const cps = prove(seed, it_);
    expect(await findCheckpointMismatchWebCrypto(seed, it_, cps)).toBe(-1);
    expect(await findCheckpointMismatchWebCrypto(seed, it_, cps, { sliceBlocks: 100 })).toBe(-1);
    for (let i = 0; i < 8; i++)
      for (const at of [0, 15]) {
        const bad = cps.slice();
        bad[i * 16 + at]! ^= 1 << (i % 8);
        const want = findCheckpointMismatch(seed, it_, bad);
        expect(want).toBe(i);
        expect(await findCheckpointMismatchWebCrypto(seed, it_, bad)).toBe(want);
      }
    const wrongSeed = seed.slice();
    wrongSeed[0]! ^= 1;
    expect(await verifyWebCrypto(wrongSeed, it_, cps)).toBe(false);
  });

  it('reject bad arguments with typed errors, and abort', async () => {
    const k = await importAesKeyWebCrypto(new Uint8Array(16));
    await expectPotRejection(importAesKeyWebCrypto(new Uint8Array(15)), 'POT_INVALID_LENGTH');
    await expectPotRejection(aesChainWebCrypto(k, new Uint8Array(17), 1), 'POT_INVALID_LENGTH');
    await expectPotRejection(aesChainWebCrypto(k, new Uint8Array(16), -1), 'POT_INVALID_ARGUMENT');
    await expectPotRejection(aesChainWebCrypto(k, new Uint8Array(16), 1.5), 'POT_INVALID_ARGUMENT');
    for (const sliceBlocks of [0, 2 ** 22 + 1, 0.5, Number.NaN])
      await expectPotRejection(
        aesChainWebCrypto(k, new Uint8Array(16), 1, { sliceBlocks }),
        'POT_INVALID_ARGUMENT',
      );
    await expectPotRejection(aesChainsWebCrypto(k, new Uint8Array(20), 1), 'POT_INVALID_ARGUMENT');
    await expectPotRejection(aesChainsWebCrypto(k, 'x' as never, 1), 'POT_INVALID_ARGUMENT');
    await expectPotRejection(verifyWebCrypto(seed, 0, new Uint8Array(128)), 'POT_ZERO_ITERATIONS');
    await expectPotRejection(verifyWebCrypto(seed, 160, new Uint8Array(127)), 'POT_INVALID_LENGTH');
    await expectPotRejection(
      verifyWebCrypto(seed.subarray(1), 160, new Uint8Array(128)),
      'POT_INVALID_LENGTH',
    );
    await expectPotRejection(
      verifyWithKeyWebCrypto(seed, seed, 0, new Uint8Array(128)),
      'POT_ZERO_ITERATIONS',
    );
    const aborted = AbortSignal.abort();
    await expectPotRejection(
      verifyWebCrypto(seed, 160, new Uint8Array(128), { signal: aborted }),
      'POT_ABORTED',
    );
    const ac = new AbortController();
    const p = aesChainWebCrypto(k, new Uint8Array(16), 1 << 16, { sliceBlocks: 16, signal: ac.signal });
    ac.abort();
    await expectPotRejection(p, 'POT_ABORTED');
  });
});

describe('PotWorkerVerifier over MessageChannels', () => {
  const channels: InstanceType<typeof MessageChannel>[] = [];
  afterEach(() => {
    for (const c of channels.splice(0)) {
      c.port1.close();
      c.port2.close();
    }
  });
  /** A "worker": servePotWorker on one port, the verifier's end on the other. */
  const worker = (): PotWorkerLike => {
    const c = new MessageChannel();
    channels.push(c);
    servePotWorker(c.port1 as never);
    c.port1.start();
    c.port2.start();
    return c.port2 as unknown as PotWorkerLike;
  };
  const it_ = 1 << 11;
  const cps = prove(seed, it_);

  it('splits a slot over 1, 2, 3 and 8 workers with the answers of findCheckpointMismatch', async () => {
    for (const count of [1, 2, 3, 8]) {
      const v = PotWorkerVerifier.spawn(worker, count);
      expect(v.workers).toBe(count);
      expect(await v.verify(seed, it_, cps)).toBe(true);
      expect(v.lastMs).toBeGreaterThan(0);
      expect(v.lastWorkerMs.length).toBe(count);
      for (const i of [0, 3, 7]) {
        const bad = cps.slice();
        bad[i * 16 + 9]! ^= 0x40;
        expect({ count, got: await v.findCheckpointMismatch(seed, it_, bad) }).toEqual({ count, got: i });
      }
      v.terminate();
    }
  });

  it('answers whole-slot requests and reports worker-side errors as the PotError they were', async () => {
    const c = new MessageChannel();
    channels.push(c);
    servePotWorker(c.port1 as never);
    const replies: PotWorkerReply[] = [];
    c.port2.addEventListener('message', (e) => replies.push((e as unknown as { data: PotWorkerReply }).data));
    c.port1.start();
    c.port2.start();
    c.port2.postMessage({ id: 1, seed, slotIterations: it_, checkpoints: cps });
    c.port2.postMessage({ id: 2, seed: seed.subarray(1), slotIterations: it_, checkpoints: cps });
    c.port2.postMessage({ id: 3, key: seed, starts: new Uint8Array(17), iterations: 4 });
    await expect.poll(() => replies.length).toBe(3);
    const byId = new Map(replies.map((r) => [r.id, r]));
    expect(byId.get(1)).toMatchObject({ mismatch: -1 });
    expect(byId.get(2)).toMatchObject({ error: { code: 'POT_INVALID_LENGTH', type: { what: 'seed' } } });
    expect(byId.get(3)).toMatchObject({ error: { code: 'POT_INVALID_ARGUMENT', type: { what: 'blocks' } } });
  });

  it('validates on the page, and fails on broken workers, garbage answers and termination', async () => {
    const v = PotWorkerVerifier.spawn(worker, 2);
    await expectPotRejection(v.verify(seed, 100, cps), 'POT_NOT_MULTIPLE_OF_CHECKPOINTS');
    await expectPotRejection(v.verify(seed, it_, cps.subarray(1)), 'POT_INVALID_LENGTH');
    v.terminate();
    await expectPotRejection(v.verify(seed, it_, cps), 'POT_POOL_CLOSED');

    // A worker that answers the right id with the wrong bytes.
    const liar: PotWorkerLike = {
      listeners: [] as Array<(e: { data: unknown }) => void>,
      postMessage(m: unknown) {
        const { id } = m as { id: number };
        queueMicrotask(() => {
          for (const l of this.listeners) l({ data: { id, ends: new Uint8Array(5), ms: 0 } });
        });
      },
      addEventListener(type: string, l: (e: never) => void) {
        if (type === 'message') this.listeners.push(l as never);
      },
    } as PotWorkerLike & { listeners: Array<(e: { data: unknown }) => void> };
    await expectPotRejection(new PotWorkerVerifier(liar).verify(seed, it_, cps), 'POT_WORKER_FAILED');

    // A worker that never answers and then fails (a script that does not load), or is terminated.
    let fail: ((e: { message?: string }) => void) | undefined;
    let terminated = false;
    const silent: PotWorkerLike = {
      postMessage() {},
      addEventListener(type: string, l: (e: never) => void) {
        if (type === 'error') fail = l as never;
      },
      terminate() {
        terminated = true;
      },
    };
    const s = new PotWorkerVerifier([silent]);
    const pending = s.verify(seed, it_, cps);
    fail!({ message: 'boom' });
    const e = await expectPotRejection(pending, 'POT_WORKER_FAILED');
    expect(e.message).toContain('boom');
    const pending2 = s.verify(seed, it_, cps);
    s.terminate();
    expect(terminated).toBe(true);
    await expectPotRejection(pending2, 'POT_ABORTED');
    expect(() => new PotWorkerVerifier([])).toThrow(/at least one/);
    expect(() => PotWorkerVerifier.spawn(worker, 0)).toThrow();
  });

  it('defaults to one worker per core, at most 8', () => {
    const n = defaultPotWorkerCount();
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(8);
  });
});
