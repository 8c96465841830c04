/**
 * Chaining slots (pot A.4): the next slot's input from the previous output and a pending parameters
 * change (entropy injection, new iteration count), the genesis input, and the SCALE codecs of
 * `PotNextSlotInput` and `PotParametersChange`.
 */
import {
  BLAKE3_HASH_SIZE,
  potCheckpointsOutput,
  potOutputToSeed,
  potOutputToSeedWithEntropy,
  potSeedFromGenesis,
  ScaleReader,
  ScaleWriter,
} from '@autonomys/primitives';
import { abytes, aslot, aslotIterations } from './assert.js';
import { POT_OUTPUT_SIZE, POT_SEED_SIZE } from './constants.js';
import type { EngineOptions } from './engine.js';
import { PotError } from './errors.js';
import { prove } from './prove.js';

/** The input of a slot's proof of time: which slot, how many iterations, from which seed. */
export interface PotNextSlotInput {
  /** The slot (u64). */
  slot: bigint;
  /** AES iterations of the slot (a non-zero multiple of 16). */
  slotIterations: number;
  /** The 16-byte seed. */
  seed: Uint8Array;
}

/** A pending change of the proof-of-time parameters, announced by the runtime (pot A.5). */
export interface PotParametersChange {
  /** The slot from which the change applies; the entropy is injected exactly at this slot. */
  slot: bigint;
  /** The iteration count from that slot on. */
  slotIterations: number;
  /** 32 bytes of entropy: `BLAKE3(chunk ‖ proof_of_time)` of an earlier block. */
  entropy: Uint8Array;
}

/** A slot's proof: its input and the 8 checkpoints (output = the last one). */
export interface PotSlotProof extends PotNextSlotInput {
  /** The 8 checkpoints, 128 bytes. */
  checkpoints: Uint8Array;
}

/** SCALE size of a `PotNextSlotInput`: u64 slot, u32 iterations, 16-byte seed. */
export const POT_NEXT_SLOT_INPUT_SIZE = 8 + 4 + POT_SEED_SIZE;
/** SCALE size of a `PotParametersChange`: u64 slot, u32 iterations, 32-byte entropy. */
export const POT_PARAMETERS_CHANGE_SIZE = 8 + 4 + BLAKE3_HASH_SIZE;

function checkChange(change: PotParametersChange | undefined): void {
  if (change === undefined) return;
  aslot(change.slot, 'parameters change slot');
  aslotIterations(change.slotIterations);
  abytes(change.entropy, 'parameters change entropy', BLAKE3_HASH_SIZE);
}

/**
 * The input of slot `baseSlot + 1` from slot `baseSlot`'s output (the reference's
 * `PotNextSlotInput::derive`). pot A.4: with a change at slot `t <= baseSlot + 1` the iterations
 * become the change's; the seed is `BLAKE3(entropy ‖ output)[0..16]` only when `t == baseSlot + 1`,
 * else it is the output itself.
 * @example nextSlotInput(1n, 512, output) // { slot: 2n, slotIterations: 512, seed: output }
 */
export function nextSlotInput(
  baseSlot: bigint,
  baseSlotIterations: number,
  baseOutput: Uint8Array,
  parametersChange?: PotParametersChange,
): PotNextSlotInput {
  aslot(baseSlot, 'base slot');
  aslotIterations(baseSlotIterations);
  abytes(baseOutput, 'base output', POT_OUTPUT_SIZE);
  checkChange(parametersChange);
  const slot = baseSlot + 1n;
  if (slot > 0xffff_ffff_ffff_ffffn)
    throw new PotError({
      code: 'POT_OUT_OF_RANGE',
      what: 'next slot',
      value: String(slot),
      max: '18446744073709551615',
    });
  if (parametersChange !== undefined && parametersChange.slot <= slot) {
    return {
      slot,
      slotIterations: parametersChange.slotIterations,
      seed:
        parametersChange.slot === slot
          ? potOutputToSeedWithEntropy(baseOutput, parametersChange.entropy)
          : potOutputToSeed(baseOutput),
    };
  }
  return { slot, slotIterations: baseSlotIterations, seed: potOutputToSeed(baseOutput) };
}

/**
 * The input of slot 1: `(1, slotIterations, BLAKE3(genesisHash ‖ utf8(externalEntropy))[0..16])`.
 * The external entropy is the chain spec's string as UTF-8 (never hex-decoded). pot A.4
 * @example genesisSlotInput(genesisHash, '', 100_000_000)
 */
export function genesisSlotInput(
  genesisHash: Uint8Array,
  externalEntropy: string | Uint8Array,
  slotIterations: number,
): PotNextSlotInput {
  abytes(genesisHash, 'genesis hash', BLAKE3_HASH_SIZE);
  aslotIterations(slotIterations);
  const entropy =
    typeof externalEntropy === 'string' ? new TextEncoder().encode(externalEntropy) : externalEntropy;
  abytes(entropy, 'external entropy');
  return { slot: 1n, slotIterations, seed: potSeedFromGenesis(genesisHash, entropy) };
}

/**
 * Proves `count` consecutive slots from `input` on this thread, chaining each output into the next
 * input with `parametersChange` (pot A.4). For tests, tools and small dev chains; the timekeeper does
 * this asynchronously.
 * @example proveSlots({ slot: 1n, slotIterations: 512, seed }, 2).map((p) => p.slot) // [1n, 2n]
 */
export function proveSlots(
  input: PotNextSlotInput,
  count: number,
  parametersChange?: PotParametersChange,
  opts: EngineOptions = {},
): PotSlotProof[] {
  assertPotNextSlotInput(input);
  checkChange(parametersChange);
  const out: PotSlotProof[] = [];
  let next = input;
  for (let i = 0; i < count; i++) {
    const checkpoints = prove(next.seed, next.slotIterations, opts);
    out.push({ ...next, checkpoints });
    if (i + 1 < count)
      next = nextSlotInput(
        next.slot,
        next.slotIterations,
        potCheckpointsOutput(checkpoints),
        parametersChange,
      );
  }
  return out;
}

/** Asserts a well-formed slot input. */
export function assertPotNextSlotInput(input: PotNextSlotInput): void {
  if (typeof input !== 'object' || input === null)
    throw new PotError({ code: 'POT_INVALID_ARGUMENT', what: 'slot input', reason: 'expected an object' });
  aslot(input.slot);
  aslotIterations(input.slotIterations);
  abytes(input.seed, 'seed', POT_SEED_SIZE);
}

/**
 * SCALE of a `PotNextSlotInput` (28 bytes).
 * @example encodePotNextSlotInput({ slot: 1n, slotIterations: 512, seed }).length // 28
 */
export function encodePotNextSlotInput(input: PotNextSlotInput): Uint8Array {
  assertPotNextSlotInput(input);
  return new ScaleWriter(POT_NEXT_SLOT_INPUT_SIZE)
    .u64(input.slot)
    .u32(input.slotIterations)
    .bytes(input.seed)
    .finish();
}

/**
 * Decodes a `PotNextSlotInput` (exactly 28 bytes; iterations must be valid). POT_INVALID_ENCODING otherwise.
 * @example decodePotNextSlotInput(encodePotNextSlotInput(input))
 */
export function decodePotNextSlotInput(bytes: Uint8Array): PotNextSlotInput {
  abytes(bytes, 'PotNextSlotInput');
  return decodeWith('PotNextSlotInput', () => {
    const r = new ScaleReader(bytes, 'PotNextSlotInput');
    const v = {
      slot: r.u64('slot'),
      slotIterations: r.u32('slot iterations'),
      seed: r.fixed(POT_SEED_SIZE, 'seed'),
    };
    r.finish();
    aslotIterations(v.slotIterations);
    return v;
  });
}

/**
 * SCALE of a `PotParametersChange` (44 bytes).
 * @example encodePotParametersChange({ slot: 2n, slotIterations: 1024, entropy }).length // 44
 */
export function encodePotParametersChange(change: PotParametersChange): Uint8Array {
  checkChange(change);
  return new ScaleWriter(POT_PARAMETERS_CHANGE_SIZE)
    .u64(change.slot)
    .u32(change.slotIterations)
    .bytes(change.entropy)
    .finish();
}

/**
 * Decodes a `PotParametersChange` (exactly 44 bytes; iterations must be valid).
 * @example decodePotParametersChange(encodePotParametersChange(change))
 */
export function decodePotParametersChange(bytes: Uint8Array): PotParametersChange {
  abytes(bytes, 'PotParametersChange');
  return decodeWith('PotParametersChange', () => {
    const r = new ScaleReader(bytes, 'PotParametersChange');
    const v = {
      slot: r.u64('slot'),
      slotIterations: r.u32('slot iterations'),
      entropy: r.fixed(BLAKE3_HASH_SIZE, 'entropy'),
    };
    r.finish();
    aslotIterations(v.slotIterations);
    return v;
  });
}

/** Runs a decoder, turning any non-PotError (e.g. a PrimitivesError from the reader) into POT_INVALID_ENCODING. */
export function decodeWith<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof PotError && e.code === 'POT_INVALID_ENCODING') throw e;
    throw new PotError({
      code: 'POT_INVALID_ENCODING',
      what,
      reason: e instanceof Error ? e.message : String(e),
    });
  }
}
