/**
 * Votes (pot-consensus-dsn B.7): `Vote::V0 { height u32, parent_hash, slot u64, solution,
 * proof_of_time, future_proof_of_time }` (489 bytes) and `SignedVote` (vote ‖ 64-byte sr25519
 * signature with the `subspace_reward` context over BLAKE2-256 of the vote). The codec and the
 * signature; the chain does not accept votes yet (see README).
 */
import {
  POT_OUTPUT_SIZE,
  PrimitivesError,
  REWARD_SIGNING_CONTEXT,
  readSolution,
  ScaleReader,
  ScaleWriter,
  type Solution,
  sr25519Sign,
  sr25519Verify,
  writeSolution,
} from '@autonomys/primitives';
import { abytes, au32, au64 } from '../chain/assert.js';
import { blake2b256 } from '../chain/hash.js';
import { decoding, encoding } from '../errors.js';

export const VOTE_SIZE = 489;
export const SIGNED_VOTE_SIZE_BYTES = VOTE_SIZE + 64;

export interface Vote {
  /** u32: the block number the vote is for (parent number + 1). */
  readonly height: number;
  readonly parentHash: Uint8Array;
  readonly slot: bigint;
  readonly solution: Solution;
  readonly proofOfTime: Uint8Array;
  readonly futureProofOfTime: Uint8Array;
}

export interface SignedVote {
  readonly vote: Vote;
  readonly signature: Uint8Array;
}

function writeVote(w: ScaleWriter, v: Vote): void {
  au32(v.height, 'vote height');
  abytes(v.parentHash, 32, 'vote parent hash');
  au64(v.slot, 'vote slot');
  abytes(v.proofOfTime, POT_OUTPUT_SIZE, 'vote proof of time');
  abytes(v.futureProofOfTime, POT_OUTPUT_SIZE, 'vote future proof of time');
  w.u8(0).u32(v.height).bytes(v.parentHash).u64(v.slot);
  writeSolution(w, v.solution);
  w.bytes(v.proofOfTime).bytes(v.futureProofOfTime);
}

function readVote(r: ScaleReader): Vote {
  r.tag(1, 'Vote version');
  return {
    height: r.u32('height'),
    parentHash: r.fixed(32, 'parent hash'),
    slot: r.u64('slot'),
    solution: readSolution(r),
    proofOfTime: r.fixed(POT_OUTPUT_SIZE, 'proof of time'),
    futureProofOfTime: r.fixed(POT_OUTPUT_SIZE, 'future proof of time'),
  };
}

/** SCALE `Vote` (489 bytes). */
export function encodeVote(v: Vote): Uint8Array {
  return encoding('vote', () => {
    const w = new ScaleWriter(VOTE_SIZE);
    writeVote(w, v);
    return w.finish();
  });
}

/** SCALE `SignedVote` (553 bytes): the argument of `Subspace.vote`. */
export function encodeSignedVote(v: SignedVote): Uint8Array {
  return encoding('signed vote', () => {
    abytes(v.signature, 64, 'vote signature');
    const w = new ScaleWriter(SIGNED_VOTE_SIZE_BYTES);
    writeVote(w, v.vote);
    w.bytes(v.signature);
    return w.finish();
  });
}

/** Decodes a `SignedVote` (strict). */
export function decodeSignedVote(bytes: Uint8Array): SignedVote {
  abytes(bytes, undefined, 'signed vote bytes');
  return decoding('signed vote', () => {
    const r = new ScaleReader(bytes, 'signed vote');
    const vote = readVote(r);
    const signature = r.fixed(64, 'signature');
    r.finish();
    return { vote, signature };
  });
}

/** What the farmer signs: BLAKE2-256 of the SCALE vote. */
export function voteHash(v: Vote): Uint8Array {
  return blake2b256(encodeVote(v));
}

/** Signs a vote with the farmer key (sr25519, `subspace_reward`). */
export function signVote(v: Vote, secretKey: Uint8Array, publicKey: Uint8Array): SignedVote {
  const signature = encoding('vote signature', () =>
    sr25519Sign(secretKey, publicKey, voteHash(v), { context: REWARD_SIGNING_CONTEXT }),
  );
  return { vote: v, signature };
}

/** Whether a signed vote's signature verifies with `solution.publicKey`. */
export function verifyVoteSignature(v: SignedVote): boolean {
  try {
    return sr25519Verify(v.signature, voteHash(v.vote), v.vote.solution.publicKey, {
      context: REWARD_SIGNING_CONTEXT,
    });
  } catch (e) {
    if (e instanceof PrimitivesError) return false;
    throw e;
  }
}
