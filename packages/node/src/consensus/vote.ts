/**
 * Votes (pot-consensus-dsn B.7): `Vote::V0 { height u32, parent_hash, slot u64, solution,
 * proof_of_time, future_proof_of_time }` (489 bytes) and `SignedVote` (vote ‖ 64-byte sr25519
 * signature with the `subspace_reward` context over BLAKE2-256 of the vote); the checks of
 * pallet-subspace `check_vote` in their order ({@link checkVote}) and their effect on the state
 * ({@link applyVote}: the voter list and the revocation of an equivocating farmer's rewards).
 */

import type { VerifySolutionParams } from '@autonomys/plotter';
import { sectorExpirationCheckSegmentIndex } from '@autonomys/plotter';
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
import {
  type MutableRuntimeState,
  type RuntimeState,
  type SolutionOwner,
  solutionOwnerKey,
  type VoterInfo,
} from '../runtime/state.js';

export const VOTE_SIZE = 489;
/** `BLOCK_AUTHORING_DELAY` (B.1): the future proof of time is that of `slot + 4`. */
const BLOCK_AUTHORING_DELAY = 4n;
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

// ---- checks (pallet-subspace `check_vote`) ----

/** Why a vote is refused (the reference's `CheckVoteError`, in check order). */
export type VoteRejectionCode =
  | 'UNEXPECTED_BEFORE_HEIGHT_TWO'
  | 'HEIGHT_IN_THE_FUTURE'
  | 'HEIGHT_IN_THE_PAST'
  | 'INCORRECT_PARENT_HASH'
  | 'SLOT_IN_THE_FUTURE'
  | 'SLOT_IN_THE_PAST'
  | 'BAD_REWARD_SIGNATURE'
  | 'UNKNOWN_SEGMENT_COMMITMENT'
  | 'INVALID_HISTORY_SIZE'
  | 'INVALID_SOLUTION'
  | 'QUALITY_TOO_HIGH'
  | 'INVALID_PROOF_OF_TIME'
  | 'INVALID_FUTURE_PROOF_OF_TIME'
  | 'DUPLICATE_VOTE'
  | 'EQUIVOCATED';

/** The transaction-validity class of each refusal (`From<CheckVoteError>` of the reference). */
export const VOTE_REJECTION_VALIDITY: Readonly<
  Record<VoteRejectionCode, 'CALL' | 'FUTURE' | 'STALE' | 'BAD_PROOF' | 'BAD_SIGNER'>
> = {
  UNEXPECTED_BEFORE_HEIGHT_TWO: 'CALL',
  HEIGHT_IN_THE_FUTURE: 'FUTURE',
  HEIGHT_IN_THE_PAST: 'STALE',
  INCORRECT_PARENT_HASH: 'CALL',
  SLOT_IN_THE_FUTURE: 'FUTURE',
  SLOT_IN_THE_PAST: 'STALE',
  BAD_REWARD_SIGNATURE: 'BAD_PROOF',
  UNKNOWN_SEGMENT_COMMITMENT: 'CALL',
  INVALID_HISTORY_SIZE: 'CALL',
  INVALID_SOLUTION: 'CALL',
  QUALITY_TOO_HIGH: 'CALL',
  INVALID_PROOF_OF_TIME: 'FUTURE',
  INVALID_FUTURE_PROOF_OF_TIME: 'CALL',
  DUPLICATE_VOTE: 'CALL',
  EQUIVOCATED: 'BAD_SIGNER',
};

/** What the checks need from the chain (solution verification and the PoT chain). */
export interface VoteCheckEnv {
  /**
   * Blocks being replayed from the node's own storage were verified at import: the signature,
   * solution and PoT checks are skipped (the state checks, which decide rewards, still run).
   */
  readonly trusted?: boolean;
  /** `max_pieces_in_sector` of the chain. */
  readonly maxPiecesInSector: number;
  /** The segment index of the solution's piece (throws for an impossible solution). */
  segmentIndexOf(solution: Solution): bigint;
  /** plotter `verifySolution` with the chain's options: the distance, or throws. */
  verifySolution(solution: Solution, params: VerifySolutionParams): bigint;
  /**
   * The PoT output of `slot` on the PoT chain that follows block `parentHash`, when the node knows
   * it (verified proofs only), else `undefined`.
   */
  potOutputAt(parentHash: Uint8Array, slot: bigint): Uint8Array | undefined;
}

export type VoteCheckResult =
  | { readonly ok: true; readonly owner: VoterInfo; readonly key: string; readonly equivocated: boolean }
  | { readonly ok: false; readonly code: VoteRejectionCode; readonly detail: string };

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a !== undefined && b !== undefined && Buffer.from(a).equals(b);
}

function sameOwner(a: SolutionOwner | undefined, key: string): boolean {
  return a !== undefined && solutionOwnerKey(a) === key;
}

/**
 * The checks of B.7 in order against a state. `preDispatch` (building or executing a block): `s`
 * is the block's working state after initialisation (`s.number` = the block, `s.slot` its slot);
 * otherwise (transaction pool) `s` is the best block's state with `number` set to best + 1 and the
 * best block's hash in `blockHashes`.
 */
export function checkVote(
  sv: SignedVote,
  s: RuntimeState,
  preDispatch: boolean,
  env: VoteCheckEnv,
): VoteCheckResult {
  const { vote } = sv;
  const { height, slot, solution } = vote;
  const fail = (code: VoteRejectionCode, detail: string): VoteCheckResult => ({ ok: false, code, detail });
  const current = s.number;
  if (current <= 1 || height <= 1)
    return fail('UNEXPECTED_BEFORE_HEIGHT_TWO', `votes start at height 2 (vote ${height}, block ${current})`);
  if (height !== current && height !== current - 1)
    return height > current
      ? fail('HEIGHT_IN_THE_FUTURE', `height ${height} above the current block ${current}`)
      : fail('HEIGHT_IN_THE_PAST', `height ${height} below ${current - 1}`);
  if (!sameBytes(s.blockHashes.get(height - 1), vote.parentHash))
    return fail('INCORRECT_PARENT_HASH', `parent hash is not the hash of block ${height - 1}`);
  if (preDispatch && (slot > s.slot || (slot === s.slot && height !== current)))
    return fail('SLOT_IN_THE_FUTURE', `slot ${slot} after the current slot ${s.slot}`);
  const parentSlot = s.blockSlots.find(([b]) => b === height - 1)?.[1];
  if (parentSlot === undefined || slot <= parentSlot)
    return fail(
      'SLOT_IN_THE_PAST',
      `slot ${slot} is not after the slot ${parentSlot} of block ${height - 1}`,
    );
  if (!env.trusted && !verifyVoteSignature(sv))
    return fail('BAD_REWARD_SIGNATURE', 'the vote signature does not verify');
  let ranges: { solutionRange: bigint; votingSolutionRange: bigint } | undefined;
  if (height === current) {
    const sr = s.solutionRanges;
    ranges = preDispatch
      ? { solutionRange: sr.current, votingSolutionRange: sr.votingCurrent }
      : { solutionRange: sr.next ?? sr.current, votingSolutionRange: sr.votingNext ?? sr.votingCurrent };
  } else ranges = s.parentVoteRanges;
  if (ranges === undefined) return fail('SLOT_IN_THE_PAST', 'no vote data for the parent block');
  let segmentIndex: bigint;
  try {
    segmentIndex = env.segmentIndexOf(solution);
  } catch (e) {
    return fail('INVALID_SOLUTION', (e as Error).message);
  }
  const commitment = s.segmentCommitments.get(segmentIndex);
  if (commitment === undefined)
    return fail('UNKNOWN_SEGMENT_COMMITMENT', `segment ${segmentIndex} of the vote's piece is not on chain`);
  let expiryIndex: bigint;
  try {
    expiryIndex = sectorExpirationCheckSegmentIndex(solution.historySize);
  } catch (e) {
    return fail('INVALID_HISTORY_SIZE', (e as Error).message);
  }
  if (!env.trusted) {
    const expiry = s.segmentCommitments.get(expiryIndex);
    let distance: bigint;
    try {
      distance = env.verifySolution(solution, {
        slot,
        potOutput: vote.proofOfTime,
        solutionRange: ranges.votingSolutionRange,
        pieceCheck: {
          maxPiecesInSector: env.maxPiecesInSector,
          segmentCommitment: commitment,
          currentHistorySize: BigInt(Math.max(1, s.segmentCommitments.size)),
          ...(expiry === undefined ? {} : { sectorExpirationCheckSegmentCommitment: expiry }),
        },
      });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      return fail(
        'INVALID_SOLUTION',
        `${typeof code === 'string' ? `${code}: ` : ''}${(e as Error).message}`,
      );
    }
    if (distance <= ranges.solutionRange / 2n)
      return fail('QUALITY_TOO_HIGH', 'the solution wins a block: it cannot be a vote');
    if (!sameBytes(env.potOutputAt(vote.parentHash, slot), vote.proofOfTime))
      return fail('INVALID_PROOF_OF_TIME', `proof of time of slot ${slot} is not the node's`);
    if (
      preDispatch &&
      !sameBytes(env.potOutputAt(vote.parentHash, slot + BLOCK_AUTHORING_DELAY), vote.futureProofOfTime)
    )
      return fail(
        'INVALID_FUTURE_PROOF_OF_TIME',
        `future proof of time of slot ${slot + BLOCK_AUTHORING_DELAY} is not the node's`,
      );
  }
  const owner: VoterInfo = {
    publicKey: solution.publicKey,
    sectorIndex: solution.sectorIndex,
    pieceOffset: solution.pieceOffset,
    chunk: solution.chunk,
    slot,
    rewardAddress: solution.rewardAddress,
    signature: sv.signature,
  };
  const key = solutionOwnerKey(owner);
  let equivocated = sameOwner(s.parentBlockAuthor, key) || sameOwner(s.currentBlockAuthor, key);
  for (const voters of [s.parentBlockVoters, s.currentBlockVoters]) {
    if (equivocated) break;
    const seen = voters.get(key);
    if (seen === undefined) continue;
    if (sameBytes(seen.signature, sv.signature))
      return fail('DUPLICATE_VOTE', 'this vote is already in the parent or the current block');
    equivocated = true;
  }
  return { ok: true, owner, key, equivocated };
}

/**
 * The effect of an accepted vote on the block being executed: the voter is added to
 * `CurrentBlockVoters`; an equivocating one without a reward address, and the offender's block
 * reward and other votes of this block lose theirs too.
 */
export function applyVote(s: MutableRuntimeState, r: Extract<VoteCheckResult, { ok: true }>): void {
  const voters = new Map(s.currentBlockVoters);
  voters.set(r.key, r.equivocated ? { ...r.owner, rewardAddress: undefined } : r.owner);
  if (r.equivocated) {
    const offender = r.owner.publicKey;
    for (const [k, v] of voters)
      if (sameBytes(v.publicKey, offender)) voters.set(k, { ...v, rewardAddress: undefined });
    const author = s.currentBlockAuthor;
    if (author !== undefined && sameBytes(author.publicKey, offender))
      s.currentBlockAuthor = { ...author, rewardAddress: undefined };
  }
  s.currentBlockVoters = voters;
}
