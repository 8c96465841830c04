import { hasAesNi } from '@autonomys/native';
import { cbc } from '@noble/ciphers/aes.js';
import { describe, expect, it } from 'vitest';
import {
  aesChainTs,
  availableEngines,
  defaultEngineName,
  findCheckpointMismatch,
  findCheckpointMismatchAsync,
  getEngine,
  potKeyFromSeed,
  prove,
  proveAsync,
  proveWithKey,
  verify,
  verifyAsync,
  verifyOrThrow,
} from '../src/index.js';
import { engines, expectPotError, expectPotRejection, hex, toHex } from './helpers.js';

const seed = hex('d666ccd8d593c23da8db6b5b1413b13a');

/** An independent reference: @noble/ciphers CBC over zero blocks (pot A.2). */
function nobleChain(key: Uint8Array, block: Uint8Array, n: number): Uint8Array {
  const ct = cbc(key, block, { disablePadding: true }).encrypt(new Uint8Array(16 * n));
  return ct.subarray(ct.length - 16);
}

describe('engines', () => {
  it('native is the default with AES-NI, and every engine is listed', () => {
    expect(availableEngines()).toEqual(hasAesNi ? ['native', 'cbc', 'ts'] : ['cbc', 'ts']);
    expect(defaultEngineName()).toBe(hasAesNi ? 'native' : 'cbc');
    if (!hasAesNi) expectPotError(() => getEngine('native'), 'POT_ENGINE_UNAVAILABLE');
  });

  it('aesChainTs is FIPS-197 AES-128 (appendix C.1) and matches @noble/ciphers', () => {
    const key = hex('000102030405060708090a0b0c0d0e0f');
    expect(toHex(aesChainTs(key, hex('00112233445566778899aabbccddeeff'), 1))).toBe(
      '69c4e0d86a7b0430d8cdb78070b4c55a',
    );
    for (const n of [0, 1, 2, 17, 1000])
      expect(aesChainTs(key, seed, n)).toEqual(n === 0 ? seed : nobleChain(key, seed, n));
  });

  it('all engines agree with each other and with @noble/ciphers (chains, multi, prove)', () => {
    const key = potKeyFromSeed(seed);
    const blocks = new Uint8Array(8 * 16).map((_, i) => (i * 37 + 11) & 0xff);
    for (const n of [1, 2, 3, 4095, 4096, 4097, 10_000]) {
      const ref = nobleChain(key, seed, n);
      const multiRef = new Uint8Array(128);
      for (let i = 0; i < 8; i++)
        multiRef.set(nobleChain(key, blocks.subarray(i * 16, i * 16 + 16), n), i * 16);
      for (const name of engines) {
        const engine = getEngine(name);
        const c = engine.chain(key, seed);
        c.advance(n - 1);
        c.advance(1);
        expect(c.block, `${name} chain ${n}`).toEqual(ref);
        expect(engine.multi(key, blocks, n), `${name} multi ${n}`).toEqual(multiRef);
      }
    }
    const proofs = engines.map((engine) => toHex(prove(seed, 16 * 1001, { engine })));
    expect(new Set(proofs).size).toBe(1);
  });

  it('inputs are not mutated', () => {
    const s = seed.slice();
    const key = potKeyFromSeed(s);
    const k = key.slice();
    for (const engine of engines) {
      const cp = prove(s, 160, { engine });
      const c = cp.slice();
      verify(s, 160, cp, { engine });
      proveWithKey(s, key, 20, { engine });
      expect(s).toEqual(seed);
      expect(key).toEqual(k);
      expect(cp).toEqual(c);
    }
  });
});

describe('verify', () => {
  const it16 = 16 * 4; // 8 iterations per checkpoint: fast enough for 1024 verifications per engine
  const checkpoints = prove(seed, it16);

  it('rejects every single-bit change of the checkpoints (all 1024 bits), naming the checkpoint', () => {
    for (const engine of engines) {
      for (let bit = 0; bit < 1024; bit++) {
        const cp = checkpoints.slice();
        cp[bit >> 3]! ^= 1 << (bit & 7);
        const i = bit >> 7;
        // Checkpoint i is wrong as an end; checkpoint i+1 (if any) is then wrong as a start.
        expect(findCheckpointMismatch(seed, it16, cp, { engine })).toBe(i);
      }
    }
    const cp = checkpoints.slice();
    cp[127]! ^= 0x80;
    const e = expectPotError(() => verifyOrThrow(seed, it16, cp), 'POT_CHECKPOINT_MISMATCH');
    expect(e.type).toEqual({ code: 'POT_CHECKPOINT_MISMATCH', checkpoint: 7 });
    verifyOrThrow(seed, it16, checkpoints);
  });

  it('rejects wrong iteration counts and wrong seeds', () => {
    for (const engine of engines) {
      expect(verify(seed, it16, checkpoints, { engine })).toBe(true);
      for (const other of [16, 16 * 3, 16 * 5, 16 * 8])
        expect(verify(seed, other, checkpoints, { engine })).toBe(false);
      for (let bit = 0; bit < 128; bit++) {
        const s = seed.slice();
        s[bit >> 3]! ^= 1 << (bit & 7);
        expect(verify(s, it16, checkpoints, { engine })).toBe(false);
      }
    }
  });

  it('checks iterations and lengths before any work, with typed errors', () => {
    expectPotError(() => prove(seed, 0), 'POT_ZERO_ITERATIONS');
    expectPotError(() => verify(seed, 0, checkpoints), 'POT_ZERO_ITERATIONS');
    for (const bad of [8, 24, 100, 2 ** 32 - 8])
      expectPotError(() => prove(seed, bad), 'POT_NOT_MULTIPLE_OF_CHECKPOINTS');
    expectPotError(() => prove(seed, 2 ** 32), 'POT_OUT_OF_RANGE');
    expectPotError(() => prove(seed, -16), 'POT_OUT_OF_RANGE');
    expectPotError(() => prove(seed, 1.5), 'POT_INVALID_ARGUMENT');
    expectPotError(() => prove(seed.subarray(1), 16), 'POT_INVALID_LENGTH');
    expectPotError(() => prove('seed' as unknown as Uint8Array, 16), 'POT_INVALID_ARGUMENT');
    expectPotError(() => verify(seed, 16, checkpoints.subarray(0, 112)), 'POT_INVALID_LENGTH');
    expectPotError(() => proveWithKey(seed, seed.subarray(0, 15), 20), 'POT_INVALID_LENGTH');
    expectPotError(() => proveWithKey(seed, seed, 0), 'POT_ZERO_ITERATIONS');
  });

  it('verifyAsync agrees with verify on every engine', async () => {
    for (const engine of engines) {
      expect(await verifyAsync(seed, it16, checkpoints, { engine })).toBe(true);
      const cp = checkpoints.slice();
      cp[40]! ^= 1;
      expect(await findCheckpointMismatchAsync(seed, it16, cp, { engine })).toBe(2);
    }
    await expectPotRejection(
      verifyAsync(seed, 16, checkpoints, { signal: AbortSignal.abort() }),
      'POT_ABORTED',
    );
  });
});

describe('proveAsync', () => {
  it('equals prove on every engine, in chunks, with progress events', async () => {
    for (const engine of engines) {
      const events: number[] = [];
      const cp = await proveAsync(seed, 16 * 1000, {
        engine,
        chunkIterations: 333,
        onProgress: (e) => events.push(e.detail.checkpoint),
      });
      expect(cp).toEqual(prove(seed, 16 * 1000));
      expect(events).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    }
  });

  it('keeps the event loop free and stops between chunks when aborted', async () => {
    const ac = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const p = proveAsync(seed, 16 * 2 ** 22, { signal: ac.signal, chunkIterations: 1 << 16 });
    setTimeout(() => ac.abort(), 30);
    const t0 = performance.now();
    await expectPotRejection(p, 'POT_ABORTED');
    clearInterval(timer);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(ticks).toBeGreaterThan(3);
    await expectPotRejection(proveAsync(seed, 16, { signal: AbortSignal.abort() }), 'POT_ABORTED');
  });
});
