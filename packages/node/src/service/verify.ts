/**
 * Independent verification of one block, outside the chain core (for `autonomys verify-block` and
 * the end-to-end tests): the seal, the PoT justification slot by slot (A.3, A.4), and the solution
 * with the full piece check (farming §7). Each check is reported separately; nothing throws for a
 * bad block.
 */
import type { Kzg } from '@autonomys/kzg';
import {
  isShimProofValid,
  type PieceCheckParams,
  sectorExpirationCheckSegmentIndex,
  solutionPieceIndex,
  verifySolution,
} from '@autonomys/plotter';
import { nextSlotInput, potCheckpointsOutput, verify } from '@autonomys/pot';
import { equalBytes, NUM_PIECES } from '@autonomys/primitives';
import type { Header } from '../chain/header.js';
import { unsealHeader } from '../chain/header.js';
import { findSubspaceJustification, type Justification } from '../chain/justification.js';
import { verifyHeaderSeal } from '../chain/seal.js';
import { extractSubspaceDigestItems } from '../chain/subspace-digest.js';

/** One check's outcome. */
export interface CheckResult {
  readonly name: 'seal' | 'digest' | 'justification' | 'proof-of-time' | 'solution';
  readonly ok: boolean;
  readonly detail: string;
}

/** What {@link verifyBlock} needs from outside the block. */
export interface VerifyBlockContext {
  kzg: Kzg;
  /** The segment commitment of a segment index (from segment headers or the chain). */
  segmentCommitment(segmentIndex: bigint): Uint8Array | undefined | Promise<Uint8Array | undefined>;
  /** The chain's history size (at the parent, or now: a later size only relaxes nothing but expiry). */
  historySize: bigint;
  maxPiecesInSector: number;
  numChunks: number;
  shimProofOfSpace: boolean;
  /** Skip verifying the PoT checkpoints (they are checked for length and chaining only). */
  skipPotCheckpoints?: boolean;
}

/** The outcome of {@link verifyBlock}. */
export interface BlockVerification {
  readonly ok: boolean;
  readonly number: number;
  readonly slot: bigint | undefined;
  readonly checks: readonly CheckResult[];
  /** The solution's audit distance when the solution verified. */
  readonly distance: bigint | undefined;
}

const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Verifies a sealed block with its justifications.
 * @example const v = await verifyBlock(header, justifications, { kzg, segmentCommitment, historySize, ... }); v.ok
 */
export async function verifyBlock(
  header: Header,
  justifications: readonly Justification[],
  ctx: VerifyBlockContext,
): Promise<BlockVerification> {
  const checks: CheckResult[] = [];
  let distance: bigint | undefined;
  const done = (slot: bigint | undefined): BlockVerification => ({
    ok: checks.every((c) => c.ok),
    number: header.number,
    slot,
    checks,
    distance,
  });
  let items: ReturnType<typeof extractSubspaceDigestItems>;
  try {
    items = extractSubspaceDigestItems(unsealHeader(header).header.digest);
    checks.push({
      name: 'digest',
      ok: true,
      detail: `slot ${items.preDigest.slot}, solution range ${items.solutionRange}`,
    });
  } catch (e) {
    checks.push({ name: 'digest', ok: false, detail: msg(e) });
    return done(undefined);
  }
  const { preDigest } = items;
  const slot = preDigest.slot;
  try {
    const ok = verifyHeaderSeal(header);
    checks.push({
      name: 'seal',
      ok,
      detail: ok ? 'sr25519 (subspace_reward) by the solution key' : 'bad signature',
    });
  } catch (e) {
    checks.push({ name: 'seal', ok: false, detail: msg(e) });
  }
  // B.4 step 5: the justification's slots end at slot + 4 and chain by A.4.
  try {
    const j = findSubspaceJustification(justifications);
    const count = BigInt(j.checkpoints.length);
    const future = slot + 4n;
    if (count === 0n || count > future) throw new Error(`${count} checkpoint sets`);
    const first = future - (count - 1n);
    const change = items.potParametersChange;
    const iterations =
      change !== undefined && change.slot <= first ? change.slotIterations : items.potSlotIterations;
    let input = { slot: first, slotIterations: iterations, seed: j.seed };
    let claimedOutput: Uint8Array | undefined;
    for (let i = 0; i < j.checkpoints.length; i++) {
      const cps = j.checkpoints[i]!;
      if (ctx.skipPotCheckpoints !== true && !verify(input.seed, input.slotIterations, cps))
        throw new Error(`checkpoints of slot ${input.slot} do not verify`);
      const out = potCheckpointsOutput(cps);
      if (input.slot === slot) claimedOutput = out;
      if (i + 1 < j.checkpoints.length) input = nextSlotInput(input.slot, input.slotIterations, out, change);
    }
    const last = potCheckpointsOutput(j.checkpoints[j.checkpoints.length - 1]!);
    if (!equalBytes(last, preDigest.potInfo.futureProofOfTime))
      throw new Error('last output is not the future proof of time');
    checks.push({
      name: 'justification',
      ok: true,
      detail: `${count} slot(s) ${first}..${future}${ctx.skipPotCheckpoints === true ? ' (chaining only)' : ' verified'}`,
    });
    if (claimedOutput !== undefined)
      checks.push({
        name: 'proof-of-time',
        ok: equalBytes(claimedOutput, preDigest.potInfo.proofOfTime),
        detail: 'the output of the claimed slot in the justification',
      });
  } catch (e) {
    checks.push({ name: 'justification', ok: false, detail: msg(e) });
  }
  try {
    const { solution } = preDigest;
    const segmentIndex = solutionPieceIndex(solution, ctx.maxPiecesInSector) / BigInt(NUM_PIECES);
    const segmentCommitment = await ctx.segmentCommitment(segmentIndex);
    if (segmentCommitment === undefined) throw new Error(`segment ${segmentIndex} is unknown`);
    const pieceCheck: PieceCheckParams = {
      maxPiecesInSector: ctx.maxPiecesInSector,
      segmentCommitment,
      currentHistorySize: ctx.historySize,
    };
    const check = await ctx.segmentCommitment(sectorExpirationCheckSegmentIndex(solution.historySize));
    distance = verifySolution(
      solution,
      {
        slot,
        potOutput: preDigest.potInfo.proofOfTime,
        solutionRange: items.solutionRange,
        pieceCheck:
          check === undefined ? pieceCheck : { ...pieceCheck, sectorExpirationCheckSegmentCommitment: check },
      },
      {
        kzg: ctx.kzg,
        numChunks: ctx.numChunks,
        ...(ctx.shimProofOfSpace ? { isProofValid: isShimProofValid } : {}),
      },
    );
    const ok = distance <= items.solutionRange / 2n;
    checks.push({
      name: 'solution',
      ok,
      detail: `sector ${solution.sectorIndex}, piece offset ${solution.pieceOffset}, segment ${segmentIndex}, distance ${distance}${ok ? '' : ' outside the block range'}`,
    });
  } catch (e) {
    checks.push({ name: 'solution', ok: false, detail: msg(e) });
  }
  return done(slot);
}
