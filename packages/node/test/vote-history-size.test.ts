/**
 * B.7 `check_vote`: a vote whose solution claims a history size whose expiration check
 * (`history_size + MIN_SECTOR_LIFETIME`) overflows u64 is refused with `INVALID_HISTORY_SIZE`.
 *
 * check_vote asks for the expiration-check history size only after the segment commitment of the
 * solution's piece was found. For a history size within MIN_SECTOR_LIFETIME of u64::MAX the derived
 * piece index is uniform over ~2^64 pieces (the reference saturates history_size × 256), so its
 * segment is on chain with probability ~2^-56: no solution reaches the check through a block. The
 * vote is therefore checked directly against the chain's state, with the piece's segment placed in
 * segment 0 through the check environment; everything before the check is real: height, parent
 * hash, slot, the reward signature over the altered vote, the vote ranges, the segment commitment.
 */
import { segmentGeometry } from '@autonomys/archiver';
import { solutionPieceIndex } from '@autonomys/plotter';
import type { Solution } from '@autonomys/primitives';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Chain,
  checkVote,
  encodeExtrinsic,
  encodeSignedVote,
  extractSubspaceDigestItems,
  type SignedVote,
  signVote,
  testChainSpec,
  VOTE_REJECTION_VALIDITY,
  type VoteCheckEnv,
} from '../src/index.js';
import { cloneState } from '../src/runtime/state.js';
import { type Farmer, makeFarmer, produce } from './helpers/farm.js';

const U64_MAX = (1n << 64n) - 1n;
let chain: Chain;
let farmer: Farmer;
let state: ReturnType<typeof cloneState>;
let vote: (historySize?: bigint) => SignedVote;

beforeAll(async () => {
  chain = await Chain.open({ spec: testChainSpec() });
  farmer = await makeFarmer(chain);
  for (let i = 0; i < 3; i++) await produce(chain, farmer);
  const head = chain.head();
  // The state a vote is checked against in the pool: the next block's number, its parent's hash.
  state = cloneState(chain.runtimeState());
  state.number = head.number + 1;
  state.blockHashes.set(head.number, head.hash);
  // A solution of this farmer (the one that won block 3), voted for on top of block 3.
  const pre = extractSubspaceDigestItems(head.header.digest).preDigest;
  vote = (historySize = pre.solution.historySize) =>
    signVote(
      {
        height: head.number + 1,
        parentHash: head.hash,
        slot: head.slot + 1n,
        solution: { ...pre.solution, historySize },
        proofOfTime: pre.potInfo.proofOfTime,
        futureProofOfTime: pre.potInfo.futureProofOfTime,
      },
      farmer.secretKey,
      farmer.publicKey,
    );
}, 120_000);

afterAll(async () => {
  await chain?.close();
});

/** The chain's vote environment, except that every piece is placed in segment 0. */
function env(): VoteCheckEnv & { solutionChecked: number } {
  const e = {
    solutionChecked: 0,
    maxPiecesInSector: chain.spec.maxPiecesInSector,
    segmentIndexOf: (_: Solution) => 0n,
    verifySolution: () => {
      e.solutionChecked++;
      throw new Error('solution check reached');
    },
    potOutputAt: () => undefined,
  };
  return e;
}

describe('check_vote: INVALID_HISTORY_SIZE', () => {
  it('a history size whose expiration check overflows u64 is refused before the solution check', () => {
    for (const historySize of [U64_MAX, U64_MAX - 3n]) {
      const e = env();
      const r = checkVote(vote(historySize), state, false, e);
      expect(r).toMatchObject({ ok: false, code: 'INVALID_HISTORY_SIZE' });
      expect(e.solutionChecked).toBe(0);
    }
    // Refused in the pool as a bad call (pallet-subspace: InvalidHistorySize -> Call).
    expect(VOTE_REJECTION_VALIDITY.INVALID_HISTORY_SIZE).toBe('CALL');
  });

  it('the same vote with its real history size passes that check and reaches the solution check', () => {
    const e = env();
    const r = checkVote(vote(), state, false, e);
    expect(r).toMatchObject({ ok: false, code: 'INVALID_SOLUTION' });
    expect(e.solutionChecked).toBe(1);
  });

  it('through the chain (real piece derivation) such a vote is refused too, before any solution check', () => {
    // Without the placement in segment 0 the derived piece lies far outside the history.
    const g = segmentGeometry(chain.spec.archiving);
    let segment: bigint | undefined;
    try {
      segment =
        solutionPieceIndex(vote(U64_MAX).vote.solution, chain.spec.maxPiecesInSector) / BigInt(g.numPieces);
    } catch {
      segment = undefined; // our derivation refuses history sizes beyond u64 pieces
    }
    if (segment !== undefined) expect(state.segmentCommitments.has(segment)).toBe(false);
    const r = chain.submitExtrinsic(voteExtrinsicOf(vote(U64_MAX)));
    expect(r.status).toBe('invalid');
  });
});

function voteExtrinsicOf(sv: SignedVote): Uint8Array {
  return encodeExtrinsic({
    type: 'Bare',
    version: 4,
    call: { type: 'Subspace.vote', signedVote: encodeSignedVote(sv) },
  });
}
