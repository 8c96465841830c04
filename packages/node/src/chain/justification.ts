/**
 * Justifications (pot-consensus-dsn B.2): a block's `Justifications` are a list of (engine id,
 * payload); the Subspace one, `SubspaceJustification::PotCheckpoints`, is `0x00 ‖ seed 16 ‖
 * Vec<PotCheckpoints>` (128 bytes per slot) and is mandatory on every non-genesis block.
 */
import { POT_SEED_SIZE, ScaleReader, ScaleWriter } from '@autonomys/primitives';
import { decoding, encoding, NodeError } from '../errors.js';
import { aarray, abytes } from './assert.js';
import { POT_CHECKPOINTS_SIZE, SUBSPACE_ENGINE_ID } from './constants.js';
import { isEngine } from './digest.js';

/** One justification: a consensus engine id (4 bytes) and its opaque payload. */
export interface Justification {
  readonly engine: Uint8Array;
  readonly data: Uint8Array;
}

/** `SubspaceJustification::PotCheckpoints`. */
export interface SubspaceJustification {
  /** The input seed of the first slot whose checkpoints follow. */
  readonly seed: Uint8Array;
  /** One 128-byte `PotCheckpoints` (8 outputs) per slot, oldest first. */
  readonly checkpoints: readonly Uint8Array[];
}

/**
 * The payload of the `SUB_` justification.
 * @example encodeSubspaceJustification({ seed, checkpoints: [c] }).length // 1 + 16 + 1 + 128
 */
export function encodeSubspaceJustification(j: SubspaceJustification): Uint8Array {
  return encoding('Subspace justification', () => {
    abytes(j?.seed, POT_SEED_SIZE, 'justification seed');
    aarray(j.checkpoints, 'justification checkpoints (an array)');
    const w = new ScaleWriter(1 + POT_SEED_SIZE + 5 + j.checkpoints.length * POT_CHECKPOINTS_SIZE);
    w.u8(0).bytes(j.seed).compact(j.checkpoints.length);
    for (const c of j.checkpoints) {
      abytes(c, POT_CHECKPOINTS_SIZE, 'PoT checkpoints');
      w.bytes(c);
    }
    return w.finish();
  });
}

/**
 * Decodes the payload of the `SUB_` justification; a count the input cannot hold fails before allocating.
 * @example decodeSubspaceJustification(bytes).checkpoints.length
 */
export function decodeSubspaceJustification(bytes: Uint8Array): SubspaceJustification {
  abytes(bytes, undefined, 'Subspace justification bytes');
  return decoding('Subspace justification', () => {
    const r = new ScaleReader(bytes, 'Subspace justification');
    r.tag(1, 'SubspaceJustification variant');
    const seed = r.fixed(POT_SEED_SIZE, 'seed');
    const n = r.compactU32('checkpoint count');
    if (n * POT_CHECKPOINTS_SIZE > r.remaining) r.fixed(n * POT_CHECKPOINTS_SIZE, 'checkpoints');
    const checkpoints: Uint8Array[] = [];
    for (let i = 0; i < n; i++) checkpoints.push(r.fixed(POT_CHECKPOINTS_SIZE, 'PoT checkpoints'));
    r.finish();
    return { seed, checkpoints };
  });
}

/**
 * `Justifications` (`Vec<(ConsensusEngineId, Vec<u8>)>`), as stored with a block.
 * @example encodeJustifications([subspaceJustification(j)])
 */
export function encodeJustifications(list: readonly Justification[]): Uint8Array {
  return encoding('justifications', () => {
    aarray(list, 'justifications (an array)');
    const w = new ScaleWriter(256);
    w.compact(list.length);
    for (const j of list) {
      abytes(j.engine, 4, 'justification engine id');
      abytes(j.data, undefined, 'justification payload');
      w.bytes(j.engine).vecU8(j.data);
    }
    return w.finish();
  });
}

/**
 * Decodes `Justifications`.
 * @example decodeJustifications(encodeJustifications(list))
 */
export function decodeJustifications(bytes: Uint8Array): Justification[] {
  abytes(bytes, undefined, 'justifications bytes');
  return decoding('justifications', () => {
    const r = new ScaleReader(bytes, 'justifications');
    const n = r.compactU32('justification count');
    // Each entry takes at least 5 bytes (engine id and an empty payload).
    if (n * 5 > r.remaining) r.fixed(n * 5, 'justifications');
    const list: Justification[] = [];
    for (let i = 0; i < n; i++) list.push({ engine: r.fixed(4, 'engine id'), data: r.vecU8('payload') });
    r.finish();
    return list;
  });
}

/** The `SUB_` entry of a block's justifications. */
export function subspaceJustification(j: SubspaceJustification): Justification {
  return { engine: SUBSPACE_ENGINE_ID.slice(), data: encodeSubspaceJustification(j) };
}

/**
 * Finds and decodes the `SUB_` justification (the first one, as Substrate's `get`); none is
 * `NODE_MISSING_JUSTIFICATION`, an undecodable one `NODE_MALFORMED`.
 * @example findSubspaceJustification(decodeJustifications(bytes)).seed
 */
export function findSubspaceJustification(list: readonly Justification[]): SubspaceJustification {
  aarray(list, 'justifications (an array)');
  const j = list.find((x) => isEngine(x.engine, SUBSPACE_ENGINE_ID));
  if (j === undefined) throw new NodeError({ code: 'NODE_MISSING_JUSTIFICATION' });
  return decodeSubspaceJustification(j.data);
}

/** Hex of the `SUB_` engine id. */
export const SUBSPACE_ENGINE_ID_HEX = '5355425f';
