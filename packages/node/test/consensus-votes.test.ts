/**
 * Votes (B.7) and voter rewards (B.8): real votes found by shim-PoS farmers under the voting range
 * (solution range adjustment on, so the voting range is 10 × the block range); every refusal of
 * `check_vote` with a crafted bad vote, in a block (execution: `INVALID_EXTRINSIC` with the vote
 * code) and in the pool; duplicates and equivocation, whose offender loses its rewards.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditPlot, isShimProofValid, proveSolutions, verifySolution } from '@autonomys/plotter';
import { nextSlotInput, type PotSlotProof, proveSlots } from '@autonomys/pot';
import { type Solution, slotGlobalChallenge } from '@autonomys/primitives';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Chain,
  decodePreDigest,
  encodeExtrinsic,
  encodeSignedVote,
  type SignedBlock,
  type SignedVote,
  signVote,
  testChainSpec,
  type Vote,
} from '../src/index.js';
import { referenceSubsidy } from '../src/runtime/executor.js';
import { buildClaim, type Farmer, findClaim, makeFarmer, produce } from './helpers/farm.js';

const spec = testChainSpec({ adjustSolutionRange: true });
let dataDir: string;
let chain: Chain;
let author: Farmer;
let voter: Farmer;
/** Block 3 (the best when the block-4 tests run). */
let parent: { hash: Uint8Array; number: number; slot: bigint };
let good: SignedVote;
let goodBlock: SignedBlock;

interface FoundVote {
  readonly slot: bigint;
  readonly solution: Solution;
  readonly proofs: PotSlotProof[];
}

const out = (p: PotSlotProof) => p.checkpoints.subarray(112, 128);

/** Proves PoT slots after the best block and finds a solution within the voting range but not the block range. */
async function findVote(f: Farmer, potOverride?: Uint8Array, minSlot = 0n): Promise<FoundVote> {
  const ctx = chain.authoringContext();
  const proofs: PotSlotProof[] = [];
  const change = ctx.potParametersChange;
  let input = ctx.nextSlotInput;
  for (let slot = ctx.parentSlot + 1n; slot < ctx.parentSlot + 100n; slot++) {
    while (proofs.length === 0 || proofs[proofs.length - 1]!.slot < slot + 4n) {
      const [p] = proveSlots(input, 1, change);
      proofs.push(p!);
      input = nextSlotInput(p!.slot, p!.slotIterations, out(p!), change);
    }
    if (slot < minSlot) continue;
    const potOutput = potOverride ?? out(proofs.find((p) => p.slot === slot)!);
    const audits = await auditPlot({
      publicKey: f.publicKey,
      sectors: f.sectors,
      globalChallenge: slotGlobalChallenge(potOutput, slot),
      solutionRange: ctx.votingSolutionRange,
      numChunks: chain.spec.archiving.numChunks,
    });
    for (const audit of audits) {
      const { sector, metadata } = f.sectors[audit.sectorIndex]!;
      for await (const solution of proveSolutions({
        publicKey: f.publicKey,
        rewardAddress: f.rewardAddress,
        metadata,
        sector,
        tableGenerator: f.tableGenerator,
        kzg: chain.kzg,
        audit,
        numChunks: chain.spec.archiving.numChunks,
      })) {
        const distance = verifySolution(
          solution,
          { slot, potOutput, solutionRange: ctx.votingSolutionRange },
          { kzg: chain.kzg, isProofValid: isShimProofValid, numChunks: chain.spec.archiving.numChunks },
        );
        if (distance > ctx.solutionRange / 2n) return { slot, solution, proofs };
      }
    }
  }
  throw new Error('no vote in 100 slots');
}

function voteOf(found: FoundVote, f: Farmer): SignedVote {
  const at = (s: bigint) => out(found.proofs.find((p) => p.slot === s)!);
  const vote: Vote = {
    height: parent.number + 1,
    parentHash: parent.hash,
    slot: found.slot,
    solution: found.solution,
    proofOfTime: at(found.slot),
    futureProofOfTime: at(found.slot + 4n),
  };
  return signVote(vote, f.secretKey, f.publicKey);
}

const voteExtrinsic = (sv: SignedVote) =>
  encodeExtrinsic({
    type: 'Bare',
    version: 4,
    call: { type: 'Subspace.vote', signedVote: encodeSignedVote(sv) },
  });

/** The good block with its vote replaced by `x` (execution runs before the roots are compared). */
function withVote(x: Uint8Array[]): SignedBlock {
  const [timestamp, ...rest] = goodBlock.extrinsics;
  const others = rest.filter((e) => !Buffer.from(e).equals(voteExtrinsic(good)));
  return { ...goodBlock, extrinsics: [timestamp!, ...others, ...x] };
}

async function expectVoteRejected(sv: SignedVote, code: string): Promise<void> {
  const r = await chain.importBlock(withVote([voteExtrinsic(sv)]), 'own');
  if (r.status !== 'rejected') throw new Error(`expected ${code}, got ${r.status}`);
  expect(r.rejection.code).toBe('INVALID_EXTRINSIC');
  expect(r.rejection.detail).toContain(code);
}

const resign = (f: Farmer, v: Partial<Vote>, base = good) =>
  signVote({ ...base.vote, ...v }, f.secretKey, f.publicKey);

afterAll(async () => {
  await chain.close();
  rmSync(dataDir, { recursive: true, force: true });
});

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'autonomys-votes-'));
  chain = await Chain.open({ spec, dataDir });
  author = await makeFarmer(chain, 7, 2, 8);
  voter = await makeFarmer(chain, 9, 2, 8);
  for (let i = 0; i < 3; i++) await produce(chain, author);
  const head = chain.head();
  parent = { hash: head.hash, number: head.number, slot: head.slot };
  const found = await findVote(voter);
  // A timekeeper would have verified these slots: the pool's PoT check is the quick one.
  for (const p of found.proofs)
    chain.potVerifier.injectVerifiedCheckpoints(p.seed, p.slotIterations, p.checkpoints);
  good = voteOf(found, voter);
  const claim = await findClaim(chain, author, undefined, found.slot);
  goodBlock = await buildClaim(chain, author, claim, undefined, [voteExtrinsic(good)]);
}, 300_000);

describe('votes (B.7)', () => {
  it('the vote is within the voting range only, and the built block carries it', () => {
    const ctx = chain.authoringContext();
    expect(ctx.votingSolutionRange).toBe(ctx.solutionRange * 10n);
    expect(goodBlock.extrinsics.some((x) => Buffer.from(x).equals(voteExtrinsic(good)))).toBe(true);
  });

  it('the pool takes a good vote and refuses bad ones with their validity class', () => {
    const r = chain.submitExtrinsic(voteExtrinsic(good));
    expect(r.status).toBe('ready');
    expect(chain.submitExtrinsic(voteExtrinsic(good))).toMatchObject({ code: 'ALREADY_IN_POOL' });
    const sig = good.signature.slice();
    sig[3]! ^= 1;
    expect(chain.submitExtrinsic(voteExtrinsic({ ...good, signature: sig }))).toMatchObject({
      status: 'invalid',
      code: 'BAD_PROOF',
    });
    expect(chain.submitExtrinsic(voteExtrinsic(resign(voter, { height: parent.number + 2 })))).toMatchObject({
      code: 'FUTURE',
    });
    expect(chain.submitExtrinsic(voteExtrinsic(resign(voter, { height: parent.number - 1 })))).toMatchObject({
      code: 'STALE',
    });
    // PoT the node has not seen: the quick check refuses it.
    const r2 = chain.submitExtrinsic(
      voteExtrinsic(resign(voter, { proofOfTime: new Uint8Array(16).fill(9) })),
    );
    expect(r2.status).toBe('invalid');
  });

  describe('every refusal of check_vote, in a block (INVALID_EXTRINSIC)', () => {
    it('UNEXPECTED_BEFORE_HEIGHT_TWO', () =>
      expectVoteRejected(resign(voter, { height: 1 }), 'UNEXPECTED_BEFORE_HEIGHT_TWO'));
    it('HEIGHT_IN_THE_FUTURE', () =>
      expectVoteRejected(resign(voter, { height: parent.number + 2 }), 'HEIGHT_IN_THE_FUTURE'));
    it('HEIGHT_IN_THE_PAST', () =>
      expectVoteRejected(resign(voter, { height: parent.number - 1 }), 'HEIGHT_IN_THE_PAST'));
    it('INCORRECT_PARENT_HASH', () =>
      expectVoteRejected(resign(voter, { parentHash: new Uint8Array(32).fill(1) }), 'INCORRECT_PARENT_HASH'));
    it('SLOT_IN_THE_FUTURE (after the block slot)', () =>
      expectVoteRejected(resign(voter, { slot: goodBlockPreDigest().slot + 1n }), 'SLOT_IN_THE_FUTURE'));
    it('SLOT_IN_THE_PAST (not after the parent slot)', () =>
      expectVoteRejected(resign(voter, { slot: parent.slot }), 'SLOT_IN_THE_PAST'));
    it('BAD_REWARD_SIGNATURE', () => {
      const signature = good.signature.slice();
      signature[10]! ^= 0x80;
      return expectVoteRejected({ ...good, signature }, 'BAD_REWARD_SIGNATURE');
    });
    it('UNKNOWN_SEGMENT_COMMITMENT (a history size far ahead)', () =>
      expectVoteRejected(
        resign(voter, { solution: { ...good.vote.solution, historySize: 1_000_000n } }),
        'UNKNOWN_SEGMENT_COMMITMENT',
      ));
    it('INVALID_SOLUTION (chunk changed)', () => {
      const chunk = good.vote.solution.chunk.slice();
      chunk[0]! ^= 1;
      return expectVoteRejected(
        resign(voter, { solution: { ...good.vote.solution, chunk } }),
        'INVALID_SOLUTION',
      );
    });
    it('QUALITY_TOO_HIGH (a block-winning solution as a vote)', async () => {
      const pre = goodBlockPreDigest();
      const v = signVote(
        {
          ...good.vote,
          slot: pre.slot,
          solution: pre.solution,
          proofOfTime: pre.potInfo.proofOfTime,
          futureProofOfTime: pre.potInfo.futureProofOfTime,
        },
        author.secretKey,
        author.publicKey,
      );
      await expectVoteRejected(v, 'QUALITY_TOO_HIGH');
    });
    it('INVALID_PROOF_OF_TIME (a solution valid for a made-up PoT output)', async () => {
      const fake = new Uint8Array(16).fill(0x5a);
      const f = await findVote(voter, fake, good.vote.slot);
      const v = signVote(
        { ...good.vote, slot: f.slot, solution: f.solution, proofOfTime: fake },
        voter.secretKey,
        voter.publicKey,
      );
      await expectVoteRejected(v, 'INVALID_PROOF_OF_TIME');
    }, 60_000);
    it('INVALID_FUTURE_PROOF_OF_TIME', () =>
      expectVoteRejected(
        resign(voter, { futureProofOfTime: new Uint8Array(16).fill(3) }),
        'INVALID_FUTURE_PROOF_OF_TIME',
      ));
  });

  describe('inclusion, rewards, duplicates and equivocation', () => {
    let before: bigint;
    let authorBefore: bigint;
    let issuanceBefore: bigint;
    let equivocating: SignedBlock;
    let authorVotes: SignedBlock;

    beforeAll(async () => {
      before = chain.account(voter.rewardAddress).free;
      authorBefore = chain.account(author.rewardAddress).free;
      issuanceBefore = chain.totalIssuance();
      // Siblings of the good block (same parent), built before it is imported.
      const twice = resign(voter, {}); // sr25519 signatures are randomized: same key, another signature
      expect(Buffer.from(twice.signature).equals(good.signature)).toBe(false);
      const claim = await findClaim(chain, author, undefined, good.vote.slot);
      equivocating = await buildClaim(chain, author, claim, undefined, [
        voteExtrinsic(good),
        voteExtrinsic(twice),
      ]);
      const own = await findVote(author, undefined, good.vote.slot);
      const ownVote = voteOf(own, author);
      const claim2 = await findClaim(chain, author, undefined, own.slot);
      authorVotes = await buildClaim(chain, author, claim2, undefined, [
        voteExtrinsic(ownVote),
        voteExtrinsic(resign(author, {}, ownVote)),
      ]);
      const r = await chain.importBlock(goodBlock, 'own');
      expect(r.status).toBe('imported');
    }, 120_000);

    it('the voter gets the voter subsidy less the proposer tax, which the author gets (B.8)', () => {
      const s = chain.runtimeState();
      const h = chain.head().number;
      const reward = referenceSubsidy(s.rewards.voterSubsidyPoints, h);
      expect(reward).toBeGreaterThan(0n);
      const tax = reward / 10n;
      expect(chain.account(voter.rewardAddress).free - before).toBe(reward - tax);
      const authorGain = chain.account(author.rewardAddress).free - authorBefore;
      expect(authorGain).toBeGreaterThan(tax);
      expect(chain.totalIssuance() - issuanceBefore).toBe(reward - tax + authorGain);
      expect(s.currentBlockVoters.size).toBe(1);
    });

    it('DUPLICATE_VOTE: the same vote again at the next height, in the pool and in a block', async () => {
      const pool = chain.submitExtrinsic(voteExtrinsic(good));
      expect(pool).toMatchObject({ status: 'invalid', code: 'CALL' });
      expect((pool as { detail: string }).detail).toContain('DUPLICATE_VOTE');
      const claim = await findClaim(chain, author);
      const next = await buildClaim(chain, author, claim, undefined, [voteExtrinsic(good)]);
      expect(next.extrinsics.some((x) => Buffer.from(x).equals(voteExtrinsic(good)))).toBe(false); // dropped
      const r = await chain.importBlock(
        { ...next, extrinsics: [...next.extrinsics, voteExtrinsic(good)] },
        'own',
      );
      expect(r.status === 'rejected' && r.rejection.detail).toContain('DUPLICATE_VOTE');
    }, 60_000);

    it('EQUIVOCATED: refused by the pool; in a block it is included and the voter loses its reward', async () => {
      const pool = chain.submitExtrinsic(voteExtrinsic(resign(voter, {})));
      expect(pool).toMatchObject({ status: 'invalid', code: 'BAD_SIGNER' });
      expect(equivocating.extrinsics.length).toBe(goodBlock.extrinsics.length + 1);
      const r = await chain.importBlock(equivocating, 'own');
      expect(r).toMatchObject({ status: 'imported', isBest: false });
      expect(chain.account(voter.rewardAddress, equivocating.header.parentHash).free).toBe(before);
      const hash = (r as { hash: Uint8Array }).hash;
      expect(chain.account(voter.rewardAddress, hash).free).toBe(before);
      const voters = [...chain.runtimeState(hash).currentBlockVoters.values()];
      expect(voters.length).toBe(1);
      expect(voters[0]!.rewardAddress).toBeUndefined();
    });

    it('an author equivocating with its own votes loses its block reward', async () => {
      const r = await chain.importBlock(authorVotes, 'own');
      expect(r).toMatchObject({ status: 'imported' });
      const hash = (r as { hash: Uint8Array }).hash;
      expect(chain.runtimeState(hash).currentBlockAuthor?.rewardAddress).toBeUndefined();
      expect(chain.account(author.rewardAddress, hash).free).toBe(authorBefore);
    });

    it('a restart replays the blocks with votes to the same states (roots checked on replay)', async () => {
      const head = chain.head();
      const root = chain.stateRoot();
      const voterFree = chain.account(voter.rewardAddress).free;
      await chain.close();
      chain = await Chain.open({ spec, dataDir });
      expect(chain.head().hash).toEqual(head.hash);
      expect(chain.stateRoot()).toEqual(root);
      expect(chain.account(voter.rewardAddress).free).toBe(voterFree);
    });
  });
});

function goodBlockPreDigest() {
  const item = goodBlock.header.digest.find((d) => d.type === 'PreRuntime');
  if (item === undefined || item.type !== 'PreRuntime') throw new Error('no pre-digest');
  return decodePreDigest(item.data);
}
