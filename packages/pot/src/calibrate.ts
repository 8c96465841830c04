/**
 * Calibration for development networks: the `slot_iterations` that take about `targetMs` on this
 * machine (mainnet's 206 557 520 is "about 1 s on a 6.2 GHz 14900KS"; a Node on an ordinary server
 * needs 2-3x longer, pot A.10).
 */
import { POT_ITERATIONS_MULTIPLE, POT_MAX_SLOT_ITERATIONS } from './constants.js';
import { type EngineOptions, getEngine, type PotEngineName } from './engine.js';
import { PotError } from './errors.js';

/** Options of {@link calibrateSlotIterations}. */
export interface CalibrateOptions extends EngineOptions {
  /** The slot duration to aim at, in ms (default 1000, the network's slot). */
  targetMs?: number;
  /** Iterations of each timed sample (default 2^21: ~30 ms native, ~400 ms in pure TypeScript). */
  sampleIterations?: number;
  /** Timed samples; the fastest counts (load only ever adds time). Default 3. */
  samples?: number;
}

/** The result of {@link calibrateSlotIterations}. */
export interface Calibration {
  /** A multiple of 16 (at least 16) that proves in about `targetMs`. */
  slotIterations: number;
  /** The measured single-chain rate. */
  iterationsPerSecond: number;
  /** The engine measured. */
  engine: PotEngineName;
}

/**
 * Measures a short AES chain and scales it to `targetMs`, rounded down to a multiple of 16.
 * @example calibrateSlotIterations({ targetMs: 1000 }).slotIterations // e.g. 72_000_000 here
 */
export function calibrateSlotIterations(opts: CalibrateOptions = {}): Calibration {
  const targetMs = opts.targetMs ?? 1000;
  const sample = opts.sampleIterations ?? 1 << 21;
  const samples = opts.samples ?? 3;
  if (!(targetMs > 0) || !Number.isFinite(targetMs))
    throw new PotError({
      code: 'POT_INVALID_ARGUMENT',
      what: 'targetMs',
      reason: 'expected a positive number',
    });
  if (!Number.isInteger(sample) || sample < 1 || !Number.isInteger(samples) || samples < 1)
    throw new PotError({
      code: 'POT_INVALID_ARGUMENT',
      what: 'sampleIterations/samples',
      reason: 'expected positive integers',
    });
  const engine = getEngine(opts.engine);
  const key = new Uint8Array(16).fill(0x5a);
  const chain = engine.chain(key, new Uint8Array(16));
  chain.advance(Math.min(sample, 1 << 16)); // warm-up (JIT, tables, cipher setup)
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    chain.advance(sample);
    best = Math.min(best, performance.now() - t0);
  }
  const iterationsPerSecond = (sample * 1000) / Math.max(best, 1e-3);
  const raw =
    Math.floor((iterationsPerSecond * targetMs) / 1000 / POT_ITERATIONS_MULTIPLE) * POT_ITERATIONS_MULTIPLE;
  const slotIterations = Math.min(POT_MAX_SLOT_ITERATIONS, Math.max(POT_ITERATIONS_MULTIPLE, raw));
  return { slotIterations, iterationsPerSecond, engine: engine.name };
}
