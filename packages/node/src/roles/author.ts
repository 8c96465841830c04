/**
 * The block author (slot worker, pot-consensus-dsn B.3). For every proof of time of slot `s` it
 * announces `s` to the farmers and tries to claim slot `c = s - 4` on the best block: the farmers'
 * solutions for `c` are verified with the full piece check, the winner's block is built by the
 * chain core, signed by the farmer (reward signing), sealed and imported.
 */

import {
  isShimProofValid,
  type PieceCheckParams,
  sectorExpirationCheckSegmentIndex,
  solutionPieceIndex,
  verifySolution,
} from '@autonomys/plotter';
import { type PotSlotProof, potCheckpointsOutput } from '@autonomys/pot';
import { equalBytes, NUM_PIECES, type Solution, slotGlobalChallenge } from '@autonomys/primitives';
import { sealItem } from '../chain/subspace-digest.js';
import type { AuthoringContext, ChainApi, ImportResult, SubmitResult } from '../consensus/api.js';
import { encodeSignedVote, type Vote, voteHash } from '../consensus/vote.js';
import { encodeExtrinsic } from '../runtime/extrinsic.js';
import type { FarmingHub } from './hub.js';
import type { PotSource, Unsubscribe } from './types.js';

/** B.1: a block claims slot `s - 4` when the proof of time of `s` is known. */
export const BLOCK_AUTHORING_DELAY = 4n;

/** What the author reports. */
export type AuthorEvent =
  | { type: 'slot'; slot: bigint; farmers: number }
  | {
      type: 'claimed';
      slot: bigint;
      number: number;
      hash: Uint8Array;
      result: ImportResult;
      ms: { build: number; sign: number; import: number };
    }
  | { type: 'skipped'; slot: bigint; reason: string }
  | { type: 'pot-mismatch'; slot: bigint }
  /** A vote (B.3 step 4) signed by its farmer and submitted to the pool. */
  | { type: 'voted'; slot: bigint; height: number; result: SubmitResult }
  | { type: 'error'; where: string; error: unknown };

/** The parts of the chain core the author uses. */
export type AuthorChain = Pick<
  ChainApi,
  | 'spec'
  | 'kzg'
  | 'authoringContext'
  | 'buildBlock'
  | 'importBlock'
  | 'segmentCommitment'
  | 'getSegmentHeader'
> &
  /** Votes are submitted here; without it solutions within the voting range only are dropped. */
  Partial<Pick<ChainApi, 'submitExtrinsic'>>;

/** Options of {@link BlockAuthor}. */
export interface BlockAuthorInit {
  chain: AuthorChain;
  hub: FarmingHub;
  pot: PotSource;
  /** The proof-of-space verifier (default: from the chain spec: the shim or Chia K = 20). */
  isProofValid?: (seed: Uint8Array, sBucket: number, proof: Uint8Array) => boolean;
  /** Only announce slots, never build (a node without the author role). */
  announceOnly?: boolean;
  /**
   * Also claim older slots (`parent slot < c < s - 4`) whose solutions came after their claim time
   * (default true). The reference claims exactly `s - 4`; a farmer slower than the 4-slot delay
   * (Chia tables without the native kernel, a loaded machine) would then never win. Blocks built
   * this way are valid: the slot is above the parent's and its PoT is known.
   */
  acceptLateSolutions?: boolean;
  onEvent?: (event: AuthorEvent) => void;
}

/**
 * @example
 * const author = new BlockAuthor({ chain, hub, pot: timekeeper });
 * author.start();
 */
export class BlockAuthor {
  private readonly init: BlockAuthorInit;
  /** Proofs by slot (the PoT chain the justifications are cut from). */
  private readonly proofs = new Map<bigint, PotSlotProof>();
  private unsub: Unsubscribe | undefined;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Blocks built and imported as best or not. */
  authored = 0;

  constructor(init: BlockAuthorInit) {
    this.init = init;
  }

  /** Seeds the PoT store with proofs known from elsewhere (a restart re-proves them). */
  addProof(proof: PotSlotProof): void {
    this.proofs.set(proof.slot, proof);
  }

  /** The stored proof of a slot. */
  proof(slot: bigint): PotSlotProof | undefined {
    return this.proofs.get(slot);
  }

  start(): void {
    this.stopped = false;
    this.unsub ??= this.init.pot.onProof((p) => this.onProof(p));
  }

  /** Stops after the claim in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsub?.();
    this.unsub = undefined;
    await this.queue;
  }

  private emit(e: AuthorEvent): void {
    try {
      this.init.onEvent?.(e);
    } catch {
      // reporting must not break authoring
    }
  }

  private onProof(proof: PotSlotProof): void {
    if (this.stopped) return;
    this.proofs.set(proof.slot, proof);
    this.queue = this.queue
      .then(() => this.handle(proof))
      .catch((error) => this.emit({ type: 'error', where: `slot ${proof.slot}`, error }));
  }

  private async handle(proof: PotSlotProof): Promise<void> {
    if (this.stopped) return;
    const { chain, hub } = this.init;
    const ctx = chain.authoringContext();
    // Proofs far below the head's justified slots are never needed again.
    for (const slot of this.proofs.keys())
      if (slot + 64n < ctx.firstJustificationSlot) this.proofs.delete(slot);
    const output = potCheckpointsOutput(proof.checkpoints);
    hub.publishSlot({
      slotNumber: proof.slot,
      globalChallenge: slotGlobalChallenge(output, proof.slot),
      solutionRange: ctx.solutionRange,
      votingSolutionRange: ctx.votingSolutionRange,
    });
    this.emit({ type: 'slot', slot: proof.slot, farmers: hub.farmerCount });
    if (this.init.announceOnly === true || proof.slot <= BLOCK_AUTHORING_DELAY) return;
    const c = proof.slot - BLOCK_AUTHORING_DELAY;
    if (this.init.acceptLateSolutions !== false) {
      // The oldest slot above the parent that has solutions: a late one first, then `c`.
      const late = hub.slotsWithSolutions(c - 1n).filter((slot) => slot > ctx.parentSlot)[0];
      if (late !== undefined && (await this.claim(late, ctx))) return;
    }
    await this.claim(c, ctx);
  }

  /** B.3: claim slot `c` on the best block with the solutions farmers sent for it; true when a block was imported. */
  private async claim(c: bigint, ctx: AuthoringContext): Promise<boolean> {
    const { chain, hub } = this.init;
    const candidates = hub.takeSolutions(c);
    if (c <= ctx.parentSlot) return false;
    if (candidates.length === 0) return false;
    // The timekeeper's chain must be the one the parent committed to (B.3 step 2).
    const known = this.proofs.get(ctx.nextSlotInput.slot);
    if (known !== undefined && !equalBytes(known.seed, ctx.nextSlotInput.seed)) {
      this.emit({ type: 'pot-mismatch', slot: ctx.nextSlotInput.slot });
      return false;
    }
    const future = c + BLOCK_AUTHORING_DELAY;
    const checkpoints: Uint8Array[] = [];
    for (let s = ctx.firstJustificationSlot; s <= future; s++) {
      const p = this.proofs.get(s);
      if (p === undefined) {
        this.emit({ type: 'skipped', slot: c, reason: `no proof of time for slot ${s}` });
        return false;
      }
      checkpoints.push(p.checkpoints);
    }
    const first = this.proofs.get(ctx.firstJustificationSlot);
    const claimed = this.proofs.get(c);
    const futureProof = this.proofs.get(future);
    if (first === undefined || claimed === undefined || futureProof === undefined) return false;
    const proofOfTime = potCheckpointsOutput(claimed.checkpoints);
    const picked = this.pickSolution(
      candidates.map((x) => x.solution),
      c,
      proofOfTime,
      ctx,
    );
    const solution = picked.block;
    if (picked.votes.length > 0) {
      const vote = { height: ctx.parentNumber + 1, parentHash: ctx.parentHash, slot: c, proofOfTime };
      const future = potCheckpointsOutput(futureProof.checkpoints);
      // Signed and submitted beside the block (a vote at this height stays valid for the next block).
      void this.submitVotes(
        picked.votes.map((s) => ({ ...vote, solution: s, futureProofOfTime: future })),
      ).catch((error) => this.emit({ type: 'error', where: `votes of slot ${c}`, error }));
    }
    if (solution === undefined) {
      this.emit({ type: 'skipped', slot: c, reason: 'no solution within the block range' });
      return false;
    }
    const t0 = performance.now();
    const unsealed = await chain.buildBlock({
      parentHash: ctx.parentHash,
      slot: c,
      solution,
      proofOfTime,
      futureProofOfTime: potCheckpointsOutput(futureProof.checkpoints),
      checkpoints,
      checkpointsSeed: first.seed,
    });
    const t1 = performance.now();
    const signature = await hub.requestRewardSignature(unsealed.preHash, solution.publicKey);
    const t2 = performance.now();
    if (signature === undefined) {
      this.emit({ type: 'skipped', slot: c, reason: 'the farmer did not sign in time' });
      return false;
    }
    const header = { ...unsealed.header, digest: [...unsealed.header.digest, sealItem(signature)] };
    const result = await chain.importBlock(
      { header, extrinsics: unsealed.extrinsics, justifications: unsealed.justifications },
      'own',
    );
    const t3 = performance.now();
    if (result.status === 'imported') this.authored++;
    this.emit({
      type: 'claimed',
      slot: c,
      number: header.number,
      hash: result.hash ?? new Uint8Array(32),
      result,
      ms: { build: t1 - t0, sign: t2 - t1, import: t3 - t2 },
    });
    return result.status === 'imported';
  }

  /** Has each vote signed by its farmer (`subspace_reward` over the vote hash) and pools it. */
  private async submitVotes(votes: Vote[]): Promise<void> {
    const { chain, hub } = this.init;
    if (chain.submitExtrinsic === undefined) return;
    for (const vote of votes) {
      const signature = await hub.requestRewardSignature(voteHash(vote), vote.solution.publicKey);
      if (signature === undefined) continue;
      const signedVote = encodeSignedVote({ vote, signature });
      const result = chain.submitExtrinsic(
        encodeExtrinsic({ type: 'Bare', version: 4, call: { type: 'Subspace.vote', signedVote } }),
      );
      this.emit({ type: 'voted', slot: vote.slot, height: vote.height, result });
    }
  }

  /**
   * B.3 step 4: the first candidate that verifies (full piece check) within the block range is the
   * block's; the others that verify within the voting range but not the block range are votes
   * (none on genesis; later block-quality solutions are dropped).
   */
  private pickSolution(
    solutions: Solution[],
    slot: bigint,
    potOutput: Uint8Array,
    ctx: AuthoringContext,
  ): { block: Solution | undefined; votes: Solution[] } {
    let block: Solution | undefined;
    const votes: Solution[] = [];
    const { chain } = this.init;
    const spec = chain.spec;
    const isProofValid = this.init.isProofValid ?? (spec.shimProofOfSpace ? isShimProofValid : undefined);
    for (const solution of solutions) {
      if (ctx.rootPlotPublicKey !== undefined && !equalBytes(ctx.rootPlotPublicKey, solution.publicKey))
        continue;
      try {
        const segmentIndex = solutionPieceIndex(solution, spec.maxPiecesInSector) / BigInt(NUM_PIECES);
        const segmentCommitment =
          chain.segmentCommitment(segmentIndex) ?? chain.getSegmentHeader(segmentIndex)?.segmentCommitment;
        if (segmentCommitment === undefined) continue;
        const pieceCheck: PieceCheckParams = {
          maxPiecesInSector: spec.maxPiecesInSector,
          segmentCommitment,
          currentHistorySize: ctx.historySize,
        };
        const checkIndex = sectorExpirationCheckSegmentIndex(solution.historySize);
        const check = chain.segmentCommitment(checkIndex);
        const params =
          check === undefined ? pieceCheck : { ...pieceCheck, sectorExpirationCheckSegmentCommitment: check };
        const distance = verifySolution(
          solution,
          { slot, potOutput, solutionRange: ctx.votingSolutionRange, pieceCheck: params },
          {
            kzg: chain.kzg,
            numChunks: spec.archiving.numChunks,
            ...(isProofValid === undefined ? {} : { isProofValid }),
          },
        );
        if (distance <= ctx.solutionRange / 2n) block ??= solution;
        else if (ctx.parentNumber > 0) votes.push(solution);
      } catch {
        // an invalid solution is dropped, as the reference does
      }
    }
    return { block, votes };
  }
}
