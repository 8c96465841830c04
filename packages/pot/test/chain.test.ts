import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calibrateSlotIterations,
  decodePotNextSlotInput,
  decodePotParametersChange,
  encodePotNextSlotInput,
  encodePotParametersChange,
  nextSlotInput,
  PotError,
  PotVerifier,
  potCheckpointsOutput,
  potOutputToSeedWithEntropy,
  prove,
  proveSlots,
  verify,
} from '../src/index.js';
import { expectPotError, hex } from './helpers.js';

const seed = hex('d666ccd8d593c23da8db6b5b1413b13a');
const output = hex('fe632b851f2a9ab6167b8393a99b4e22');
const entropy = new Uint8Array(32).fill(7);

describe('nextSlotInput (pot A.4)', () => {
  it('without a change: next slot, same iterations, seed = output', () => {
    expect(nextSlotInput(5n, 512, output)).toEqual({ slot: 6n, slotIterations: 512, seed: output });
  });

  it('a change for exactly the next slot injects entropy and switches iterations', () => {
    const change = { slot: 6n, slotIterations: 1024, entropy };
    expect(nextSlotInput(5n, 512, output, change)).toEqual({
      slot: 6n,
      slotIterations: 1024,
      seed: potOutputToSeedWithEntropy(output, entropy),
    });
  });

  it('a past change keeps its iterations but injects nothing; a future change does nothing yet', () => {
    expect(nextSlotInput(9n, 512, output, { slot: 6n, slotIterations: 1024, entropy })).toEqual({
      slot: 10n,
      slotIterations: 1024,
      seed: output,
    });
    expect(nextSlotInput(3n, 512, output, { slot: 6n, slotIterations: 1024, entropy })).toEqual({
      slot: 4n,
      slotIterations: 512,
      seed: output,
    });
  });

  it('rejects bad inputs with typed errors', () => {
    expectPotError(() => nextSlotInput(1n, 100, output), 'POT_NOT_MULTIPLE_OF_CHECKPOINTS');
    expectPotError(() => nextSlotInput(1 as unknown as bigint, 512, output), 'POT_INVALID_ARGUMENT');
    expectPotError(() => nextSlotInput(2n ** 64n - 1n, 512, output), 'POT_OUT_OF_RANGE');
    expectPotError(
      () => nextSlotInput(1n, 512, output, { slot: 2n, slotIterations: 512, entropy: entropy.subarray(1) }),
      'POT_INVALID_LENGTH',
    );
  });
});

describe('multi-slot chains', () => {
  it('re-derive exactly with an entropy injection (and differ without it)', async () => {
    const change = { slot: 4n, slotIterations: 32 * 16, entropy };
    const input = { slot: 1n, slotIterations: 16 * 16, seed };
    const slots = proveSlots(input, 6, change);
    expect(slots.map((s) => s.slot)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    expect(slots.map((s) => s.slotIterations)).toEqual([256, 256, 256, 512, 512, 512]);
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      expect(verify(s.seed, s.slotIterations, s.checkpoints)).toBe(true);
      if (i === 0) continue;
      const prev = potCheckpointsOutput(slots[i - 1]!.checkpoints);
      // Injection only at the change slot: elsewhere the seed is the previous output.
      expect(s.seed).toEqual(s.slot === 4n ? potOutputToSeedWithEntropy(prev, entropy) : prev);
    }
    // Re-derive from scratch with a fresh verifier (everything proved again).
    const last = potCheckpointsOutput(slots[5]!.checkpoints);
    expect(await new PotVerifier().isOutputValid(input, 6, last, change)).toBe(true);
    expect(await new PotVerifier().isOutputValid(input, 6, last)).toBe(false);
    expect(await new PotVerifier().isOutputValid(input, 5, last, change)).toBe(false);
    expect(
      await new PotVerifier().isOutputValid(input, 6, last, { ...change, entropy: new Uint8Array(32) }),
    ).toBe(false);
  });
});

describe('codecs', () => {
  it('PotNextSlotInput and PotParametersChange round-trip (SCALE layout)', () => {
    const bytes = encodePotNextSlotInput({ slot: 0x0102030405060708n, slotIterations: 512, seed });
    expect(Buffer.from(bytes).toString('hex')).toBe(
      `0807060504030201${'00020000'}d666ccd8d593c23da8db6b5b1413b13a`,
    );
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.integer({ min: 1, max: 0x0fffffff }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (slot, n, s, e) => {
          const input = { slot, slotIterations: n * 16, seed: s };
          expect(decodePotNextSlotInput(encodePotNextSlotInput(input))).toEqual(input);
          const change = { slot, slotIterations: n * 16, entropy: e };
          expect(decodePotParametersChange(encodePotParametersChange(change))).toEqual(change);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('decoders only ever throw PotError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        for (const decode of [decodePotNextSlotInput, decodePotParametersChange]) {
          try {
            decode(b);
          } catch (e) {
            expect(e).toBeInstanceOf(PotError);
          }
        }
      }),
      { numRuns: 500 },
    );
    expectPotError(() => decodePotNextSlotInput(new Uint8Array(28)), 'POT_INVALID_ENCODING');
  });
});

describe('calibrateSlotIterations', () => {
  it('returns a multiple of 16 that proves in about the target time', () => {
    const c = calibrateSlotIterations({ targetMs: 50, sampleIterations: 1 << 18 });
    expect(c.slotIterations % 16).toBe(0);
    expect(c.slotIterations).toBeGreaterThanOrEqual(16);
    expect(c.iterationsPerSecond).toBeGreaterThan(1e6);
    const t0 = performance.now();
    prove(seed, c.slotIterations, { engine: c.engine });
    const ms = performance.now() - t0;
    // Shared machine: generous bounds around 50 ms.
    expect(ms).toBeGreaterThan(10);
    expect(ms).toBeLessThan(500);
    expect(
      calibrateSlotIterations({ engine: 'ts', targetMs: 0.001, sampleIterations: 64, samples: 1 })
        .slotIterations,
    ).toBe(16);
    expectPotError(() => calibrateSlotIterations({ targetMs: 0 }), 'POT_INVALID_ARGUMENT');
  });
});
