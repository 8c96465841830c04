/**
 * The farmer's `Solution` (farming §6) and its SCALE codec. The decoder checks the layout only:
 * whether the chunk is a canonical scalar and the commitment and witnesses are curve points is
 * decided by solution verification, which reports each with the network's own error kind
 * (`InvalidChunk`, `InvalidChunkWitness`, ...), exactly as a node does.
 */
import { abytes, auint } from './assert.js';
import {
  COMMITMENT_SIZE,
  FULL_BYTES,
  POS_PROOF_SIZE,
  PUBLIC_KEY_SIZE,
  REWARD_ADDRESS_SIZE,
  SOLUTION_SIZE,
  WITNESS_SIZE,
} from './constants.js';
import { PrimitivesError } from './errors.js';
import { ScaleReader, ScaleWriter } from './scale.js';
import { assertHistorySize, type HistorySize } from './segments.js';

const U16_MAX = 0xffff;

/** A winning ticket's proof, as carried in a block's pre-digest and in votes. */
export interface Solution {
  /** The farmer's sr25519 public key (32 bytes). */
  readonly publicKey: Uint8Array;
  /** The consensus-chain account that receives the reward (32 bytes). */
  readonly rewardAddress: Uint8Array;
  /** u16. */
  readonly sectorIndex: number;
  /** The history size the sector was plotted at (≥ 1). */
  readonly historySize: HistorySize;
  /** u16: the record's offset in the sector. */
  readonly pieceOffset: number;
  readonly recordCommitment: Uint8Array;
  readonly recordWitness: Uint8Array;
  /** The unmasked winning chunk: a 32-byte big-endian scalar. */
  readonly chunk: Uint8Array;
  readonly chunkWitness: Uint8Array;
  /** The first proof of space of the chunk's s-bucket (160 bytes). */
  readonly proofOfSpace: Uint8Array;
}

/** Writes the 412 bytes of a solution (all integers little-endian, fields in declaration order). */
export function writeSolution(w: ScaleWriter, s: Solution): void {
  abytes(s.publicKey, PUBLIC_KEY_SIZE, 'public key');
  abytes(s.rewardAddress, REWARD_ADDRESS_SIZE, 'reward address');
  auint(s.sectorIndex, 'sector index', U16_MAX);
  assertHistorySize(s.historySize);
  auint(s.pieceOffset, 'piece offset', U16_MAX);
  abytes(s.recordCommitment, COMMITMENT_SIZE, 'record commitment');
  abytes(s.recordWitness, WITNESS_SIZE, 'record witness');
  abytes(s.chunk, FULL_BYTES, 'chunk');
  abytes(s.chunkWitness, WITNESS_SIZE, 'chunk witness');
  abytes(s.proofOfSpace, POS_PROOF_SIZE, 'proof of space');
  w.bytes(s.publicKey)
    .bytes(s.rewardAddress)
    .u16(s.sectorIndex)
    .u64(s.historySize)
    .u16(s.pieceOffset)
    .bytes(s.recordCommitment)
    .bytes(s.recordWitness)
    .bytes(s.chunk)
    .bytes(s.chunkWitness)
    .bytes(s.proofOfSpace);
}

export function readSolution(r: ScaleReader): Solution {
  const publicKey = r.fixed(PUBLIC_KEY_SIZE, 'public key');
  const rewardAddress = r.fixed(REWARD_ADDRESS_SIZE, 'reward address');
  const sectorIndex = r.u16('sector index');
  const historySize = r.u64('history size');
  if (historySize === 0n) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_OUT_OF_RANGE',
      what: `${r.what}: history size`,
      value: '0',
      min: '1',
    });
  }
  return {
    publicKey,
    rewardAddress,
    sectorIndex,
    historySize,
    pieceOffset: r.u16('piece offset'),
    recordCommitment: r.fixed(COMMITMENT_SIZE, 'record commitment'),
    recordWitness: r.fixed(WITNESS_SIZE, 'record witness'),
    chunk: r.fixed(FULL_BYTES, 'chunk'),
    chunkWitness: r.fixed(WITNESS_SIZE, 'chunk witness'),
    proofOfSpace: r.fixed(POS_PROOF_SIZE, 'proof of space'),
  };
}

/**
 * SCALE bytes of a solution (412 bytes with a 32-byte reward address).
 * @example encodeSolution(genesisSolution(pk, pk)).length // 412
 */
export function encodeSolution(s: Solution): Uint8Array {
  const w = new ScaleWriter(SOLUTION_SIZE);
  writeSolution(w, s);
  return w.finish();
}

/** Decodes exactly one solution; wrong sizes or a zero history size are `PrimitivesError`s. */
export function decodeSolution(bytes: Uint8Array): Solution {
  abytes(bytes, SOLUTION_SIZE, 'solution');
  const r = new ScaleReader(bytes, 'solution');
  const s = readSolution(r);
  r.finish();
  return s;
}

/**
 * The placeholder solution of the genesis block: the given key and reward address, history size 1,
 * every other field zero.
 */
export function genesisSolution(publicKey: Uint8Array, rewardAddress: Uint8Array): Solution {
  abytes(publicKey, PUBLIC_KEY_SIZE, 'public key');
  abytes(rewardAddress, REWARD_ADDRESS_SIZE, 'reward address');
  return {
    publicKey: publicKey.slice(),
    rewardAddress: rewardAddress.slice(),
    sectorIndex: 0,
    historySize: 1n,
    pieceOffset: 0,
    recordCommitment: new Uint8Array(COMMITMENT_SIZE),
    recordWitness: new Uint8Array(WITNESS_SIZE),
    chunk: new Uint8Array(FULL_BYTES),
    chunkWitness: new Uint8Array(WITNESS_SIZE),
    proofOfSpace: new Uint8Array(POS_PROOF_SIZE),
  };
}
