/**
 * The Subspace digest items (pot-consensus-dsn B.2): the `PreRuntime` pre-digest (slot, solution,
 * PoT outputs), the `Consensus` logs, and their extraction from a header with the duplicate and
 * missing-item rules.
 */
import {
  COMMITMENT_SIZE,
  POT_OUTPUT_SIZE,
  PUBLIC_KEY_SIZE,
  readSolution,
  ScaleReader,
  ScaleWriter,
  type Solution,
  writeSolution,
} from '@autonomys/primitives';
import { decoding, encoding, NodeError } from '../errors.js';
import { aarray, abytes, au32, au64 } from './assert.js';
import { SEAL_SIGNATURE_SIZE, SUBSPACE_ENGINE_ID } from './constants.js';
import type { DigestItem } from './digest.js';
import { isEngine } from './digest.js';

/** `PreDigestPotInfo::V0`: the PoT outputs of the claimed slot and of `slot + 4`. */
export interface PreDigestPotInfo {
  readonly proofOfTime: Uint8Array;
  readonly futureProofOfTime: Uint8Array;
}

/** `PreDigest::V0`: the claim of a block (454 bytes). */
export interface PreDigest {
  /** u64. */
  readonly slot: bigint;
  readonly solution: Solution;
  readonly potInfo: PreDigestPotInfo;
}

/**
 * The pre-digest payload: `0x00 ‖ slot u64 ‖ solution (412) ‖ 0x00 ‖ proof_of_time 16 ‖ future 16`.
 * @example encodePreDigest({ slot: 5n, solution, potInfo }).length // 454
 */
export function encodePreDigest(p: PreDigest): Uint8Array {
  return encoding('pre-digest', () => {
    au64(p.slot, 'pre-digest slot');
    abytes(p.potInfo?.proofOfTime, POT_OUTPUT_SIZE, 'proof of time');
    abytes(p.potInfo.futureProofOfTime, POT_OUTPUT_SIZE, 'future proof of time');
    const w = new ScaleWriter(454);
    w.u8(0).u64(p.slot);
    writeSolution(w, p.solution);
    w.u8(0).bytes(p.potInfo.proofOfTime).bytes(p.potInfo.futureProofOfTime);
    return w.finish();
  });
}

/**
 * Decodes a pre-digest payload (strict: unknown versions and trailing bytes are `NODE_MALFORMED`).
 * @example decodePreDigest(encodePreDigest(p)).slot === p.slot
 */
export function decodePreDigest(bytes: Uint8Array): PreDigest {
  abytes(bytes, undefined, 'pre-digest bytes');
  return decoding('pre-digest', () => {
    const r = new ScaleReader(bytes, 'pre-digest');
    r.tag(1, 'PreDigest version');
    const slot = r.u64('slot');
    const solution = readSolution(r);
    r.tag(1, 'PreDigestPotInfo version');
    const proofOfTime = r.fixed(POT_OUTPUT_SIZE, 'proof of time');
    const futureProofOfTime = r.fixed(POT_OUTPUT_SIZE, 'future proof of time');
    r.finish();
    return { slot, solution, potInfo: { proofOfTime, futureProofOfTime } };
  });
}

/** The `PreRuntime` digest item (`SUB_`) carrying a pre-digest. */
export function preDigestItem(p: PreDigest): DigestItem {
  return { type: 'PreRuntime', engine: SUBSPACE_ENGINE_ID.slice(), data: encodePreDigest(p) };
}

/** `ConsensusLog` of the Subspace engine (variant index in brackets). */
export type ConsensusLog =
  /** [0] The parent's stored slot iterations (u32). */
  | { readonly type: 'PotSlotIterations'; readonly slotIterations: number }
  /** [1] The block range in force (u64). */
  | { readonly type: 'SolutionRange'; readonly solutionRange: bigint }
  /** [2] A scheduled change of the PoT parameters. */
  | {
      readonly type: 'PotParametersChange';
      readonly slot: bigint;
      readonly slotIterations: number;
      readonly entropy: Uint8Array;
    }
  /** [3] The range of the next block. */
  | { readonly type: 'NextSolutionRange'; readonly solutionRange: bigint }
  /** [4] A segment header stored by this block. */
  | {
      readonly type: 'SegmentCommitment';
      readonly segmentIndex: bigint;
      readonly segmentCommitment: Uint8Array;
    }
  /** [5] Root enabled range adjustment, with an optional override. */
  | { readonly type: 'EnableSolutionRangeAdjustmentAndOverride'; readonly solutionRange: bigint | undefined }
  /** [6] The root plot public key set (`FirstFarmer`) or cleared (authoring opened to anyone). */
  | { readonly type: 'RootPlotPublicKeyUpdate'; readonly publicKey: Uint8Array | undefined };

export const CONSENSUS_LOG_INDEX = {
  PotSlotIterations: 0,
  SolutionRange: 1,
  PotParametersChange: 2,
  NextSolutionRange: 3,
  SegmentCommitment: 4,
  EnableSolutionRangeAdjustmentAndOverride: 5,
  RootPlotPublicKeyUpdate: 6,
} as const;

/**
 * The payload of a Subspace `Consensus` item: variant byte, then the fields.
 * @example encodeConsensusLog({ type: 'SolutionRange', solutionRange: INITIAL_SOLUTION_RANGE }).length // 9
 */
export function encodeConsensusLog(log: ConsensusLog): Uint8Array {
  return encoding('consensus log', () => {
    const w = new ScaleWriter(64);
    switch (log.type) {
      case 'PotSlotIterations':
        au32(log.slotIterations, 'slot iterations');
        w.u8(0).u32(log.slotIterations);
        break;
      case 'SolutionRange':
      case 'NextSolutionRange':
        au64(log.solutionRange, 'solution range');
        w.u8(CONSENSUS_LOG_INDEX[log.type]).u64(log.solutionRange);
        break;
      case 'PotParametersChange':
        au64(log.slot, 'PoT parameters change slot');
        au32(log.slotIterations, 'slot iterations');
        abytes(log.entropy, 32, 'entropy');
        w.u8(2).u64(log.slot).u32(log.slotIterations).bytes(log.entropy);
        break;
      case 'SegmentCommitment':
        au64(log.segmentIndex, 'segment index');
        abytes(log.segmentCommitment, COMMITMENT_SIZE, 'segment commitment');
        w.u8(4).u64(log.segmentIndex).bytes(log.segmentCommitment);
        break;
      case 'EnableSolutionRangeAdjustmentAndOverride':
        w.u8(5);
        if (log.solutionRange === undefined) w.u8(0);
        else {
          au64(log.solutionRange, 'solution range override');
          w.u8(1).u64(log.solutionRange);
        }
        break;
      case 'RootPlotPublicKeyUpdate':
        w.u8(6);
        if (log.publicKey === undefined) w.u8(0);
        else {
          abytes(log.publicKey, PUBLIC_KEY_SIZE, 'root plot public key');
          w.u8(1).bytes(log.publicKey);
        }
        break;
      default:
        abytes(undefined, undefined, `consensus log of type ${String((log as { type: unknown }).type)}`);
    }
    return w.finish();
  });
}

/**
 * Decodes a Subspace `Consensus` payload (strict: unknown variants and trailing bytes are `NODE_MALFORMED`).
 * @example decodeConsensusLog(Uint8Array.of(5, 0)) // { type: 'EnableSolutionRangeAdjustmentAndOverride', solutionRange: undefined }
 */
export function decodeConsensusLog(bytes: Uint8Array): ConsensusLog {
  abytes(bytes, undefined, 'consensus log bytes');
  return decoding('consensus log', () => {
    const r = new ScaleReader(bytes, 'consensus log');
    let log: ConsensusLog;
    switch (r.tag(7, 'ConsensusLog variant')) {
      case 0:
        log = { type: 'PotSlotIterations', slotIterations: r.u32('slot iterations') };
        break;
      case 1:
        log = { type: 'SolutionRange', solutionRange: r.u64('solution range') };
        break;
      case 2:
        log = {
          type: 'PotParametersChange',
          slot: r.u64('slot'),
          slotIterations: r.u32('slot iterations'),
          entropy: r.fixed(32, 'entropy'),
        };
        break;
      case 3:
        log = { type: 'NextSolutionRange', solutionRange: r.u64('solution range') };
        break;
      case 4:
        log = {
          type: 'SegmentCommitment',
          segmentIndex: r.u64('segment index'),
          segmentCommitment: r.fixed(COMMITMENT_SIZE, 'segment commitment'),
        };
        break;
      case 5:
        log = {
          type: 'EnableSolutionRangeAdjustmentAndOverride',
          solutionRange: r.option((x) => x.u64('solution range override'), 'Option<u64>'),
        };
        break;
      default:
        log = {
          type: 'RootPlotPublicKeyUpdate',
          publicKey: r.option((x) => x.fixed(PUBLIC_KEY_SIZE, 'root plot public key'), 'Option<PublicKey>'),
        };
    }
    r.finish();
    return log;
  });
}

/** The `Consensus` digest item (`SUB_`) carrying a log. */
export function consensusLogItem(log: ConsensusLog): DigestItem {
  return { type: 'Consensus', engine: SUBSPACE_ENGINE_ID.slice(), data: encodeConsensusLog(log) };
}

/** The `Seal` digest item (`SUB_`) carrying a 64-byte signature. */
export function sealItem(signature: Uint8Array): DigestItem {
  abytes(signature, SEAL_SIGNATURE_SIZE, 'seal signature');
  return { type: 'Seal', engine: SUBSPACE_ENGINE_ID.slice(), data: signature.slice() };
}

/** The Subspace items of a header (`extract_subspace_digest_items`). */
export interface SubspaceDigestItems {
  readonly preDigest: PreDigest;
  /** The seal's signature, when the header carries a `SUB_` seal. */
  readonly signature: Uint8Array | undefined;
  readonly potSlotIterations: number;
  readonly solutionRange: bigint;
  readonly potParametersChange: { slot: bigint; slotIterations: number; entropy: Uint8Array } | undefined;
  readonly nextSolutionRange: bigint | undefined;
  /** Segment index -> commitment, in the order of the logs. */
  readonly segmentCommitments: ReadonlyMap<bigint, Uint8Array>;
  /** Present when the log was deposited; its value is the optional override. */
  readonly enableSolutionRangeAdjustmentAndOverride: { solutionRange: bigint | undefined } | undefined;
  /** Present when the log was deposited; its value is the new key or `undefined` (cleared). */
  readonly rootPlotPublicKeyUpdate: { publicKey: Uint8Array | undefined } | undefined;
}

function duplicate(item: string): never {
  throw new NodeError({ code: 'NODE_DIGEST_DUPLICATE_ITEM', item });
}

/**
 * Extracts the Subspace items of a digest (B.2): items of other engines, `Other` and
 * `RuntimeEnvironmentUpdated` are ignored; a `SUB_` item that does not decode is `NODE_MALFORMED`;
 * a repeated single-valued item is `NODE_DIGEST_DUPLICATE_ITEM`, a repeated segment index
 * `NODE_DIGEST_DUPLICATE_SEGMENT_COMMITMENT`; a missing pre-digest, `PotSlotIterations` or
 * `SolutionRange` is `NODE_DIGEST_MISSING_ITEM`.
 * @example extractSubspaceDigestItems(header.digest).preDigest.slot
 */
export function extractSubspaceDigestItems(digest: readonly DigestItem[]): SubspaceDigestItems {
  aarray(digest, 'digest (an array of items)');
  let preDigest: PreDigest | undefined;
  let signature: Uint8Array | undefined;
  let potSlotIterations: number | undefined;
  let solutionRange: bigint | undefined;
  let potParametersChange: SubspaceDigestItems['potParametersChange'];
  let nextSolutionRange: bigint | undefined;
  let enable: SubspaceDigestItems['enableSolutionRangeAdjustmentAndOverride'];
  let rootKey: SubspaceDigestItems['rootPlotPublicKeyUpdate'];
  const segmentCommitments = new Map<bigint, Uint8Array>();
  for (const item of digest) {
    if (item.type === 'Other' || item.type === 'RuntimeEnvironmentUpdated') continue;
    if (!isEngine(item.engine, SUBSPACE_ENGINE_ID)) continue;
    if (item.type === 'PreRuntime') {
      if (preDigest !== undefined) duplicate('PreDigest');
      preDigest = decodePreDigest(item.data);
    } else if (item.type === 'Seal') {
      if (signature !== undefined) duplicate('Seal');
      if (item.data.length !== SEAL_SIGNATURE_SIZE)
        throw new NodeError({ code: 'NODE_BAD_SEAL', reason: `signature of ${item.data.length} bytes` });
      signature = item.data;
    } else {
      const log = decodeConsensusLog(item.data);
      switch (log.type) {
        case 'PotSlotIterations':
          if (potSlotIterations !== undefined) duplicate(log.type);
          potSlotIterations = log.slotIterations;
          break;
        case 'SolutionRange':
          if (solutionRange !== undefined) duplicate(log.type);
          solutionRange = log.solutionRange;
          break;
        case 'PotParametersChange':
          if (potParametersChange !== undefined) duplicate(log.type);
          potParametersChange = { slot: log.slot, slotIterations: log.slotIterations, entropy: log.entropy };
          break;
        case 'NextSolutionRange':
          if (nextSolutionRange !== undefined) duplicate(log.type);
          nextSolutionRange = log.solutionRange;
          break;
        case 'SegmentCommitment':
          if (segmentCommitments.has(log.segmentIndex))
            throw new NodeError({
              code: 'NODE_DIGEST_DUPLICATE_SEGMENT_COMMITMENT',
              segmentIndex: log.segmentIndex,
            });
          segmentCommitments.set(log.segmentIndex, log.segmentCommitment);
          break;
        case 'EnableSolutionRangeAdjustmentAndOverride':
          if (enable !== undefined) duplicate(log.type);
          enable = { solutionRange: log.solutionRange };
          break;
        case 'RootPlotPublicKeyUpdate':
          if (rootKey !== undefined) duplicate(log.type);
          rootKey = { publicKey: log.publicKey };
          break;
      }
    }
  }
  if (preDigest === undefined) throw new NodeError({ code: 'NODE_DIGEST_MISSING_ITEM', item: 'PreDigest' });
  if (potSlotIterations === undefined)
    throw new NodeError({ code: 'NODE_DIGEST_MISSING_ITEM', item: 'PotSlotIterations' });
  if (solutionRange === undefined)
    throw new NodeError({ code: 'NODE_DIGEST_MISSING_ITEM', item: 'SolutionRange' });
  return {
    preDigest,
    signature,
    potSlotIterations,
    solutionRange,
    potParametersChange,
    nextSolutionRange,
    segmentCommitments,
    enableSolutionRangeAdjustmentAndOverride: enable,
    rootPlotPublicKeyUpdate: rootKey,
  };
}
