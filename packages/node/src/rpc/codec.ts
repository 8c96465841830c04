/**
 * The JSON shapes of the RPC API. Substrate's generic types keep Substrate's JSON (headers with
 * `0x` hex numbers and digest logs as SCALE hex, blocks with extrinsics as hex); the `subspace_*`
 * types follow the reference's camelCase field names, with bytes as `0x` hex and u64 values as JSON
 * numbers when they fit 2^53 (else `0x` hex strings). A solution travels as the hex of its 412-byte
 * SCALE encoding (the reference sends a JSON object of the same fields).
 */
import {
  decodeSegmentHeader,
  decodeSolution,
  encodeSegmentHeader,
  encodeSolution,
  hexToBytes,
  type SegmentHeader,
  type Solution,
} from '@autonomys/primitives';
import { decodeDigestItem, encodeDigestItem } from '../chain/digest.js';
import type { Header } from '../chain/header.js';
import type { Justification } from '../chain/justification.js';
import type { SignedBlock } from '../consensus/api.js';
import { RpcError } from './errors.js';
import { toHex, toHexNumber } from './params.js';

/** What the node tells farmers about a slot (`subspace_subscribeSlotInfo`). */
export interface SlotInfo {
  readonly slotNumber: bigint;
  /** `slotGlobalChallenge(potOutput, slot)`, 32 bytes. */
  readonly globalChallenge: Uint8Array;
  readonly solutionRange: bigint;
  readonly votingSolutionRange: bigint;
}

/** A farmer's answer to a slot (`subspace_submitSolutionResponse`). */
export interface SolutionResponse {
  readonly slotNumber: bigint;
  readonly solution: Solution;
}

/** What to sign (`subspace_subscribeRewardSigning`): the block's pre-hash and the key that must sign it. */
export interface RewardSigningInfo {
  readonly hash: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** The farmer's signature (`subspace_submitRewardSignature`); `signature` absent when it declines. */
export interface RewardSignatureResponse {
  readonly hash: Uint8Array;
  readonly signature: Uint8Array | undefined;
}

/** Farming parameters of the chain (`subspace_getFarmerAppInfo`). */
export interface FarmerAppInfo {
  readonly genesisHash: Uint8Array;
  readonly protocolInfo: {
    readonly historySize: bigint;
    readonly maxPiecesInSector: number;
    readonly recentSegments: bigint;
    readonly recentHistoryFraction: readonly [bigint, bigint];
    readonly minSectorLifetime: number;
  };
  /** Extension: the archiving geometry and proof-of-space kind of this chain (test presets differ). */
  readonly numChunks: number;
  readonly numRawRecords: number;
  readonly shimProofOfSpace: boolean;
}

const U53 = BigInt(Number.MAX_SAFE_INTEGER);

/** u64 as a JSON number when exact, else `0x` hex. */
export function u64ToJson(n: bigint): number | string {
  return n <= U53 ? Number(n) : toHexNumber(n);
}

function fail(what: string, reason: string): never {
  throw new RpcError({ code: 'RPC_BAD_RESPONSE', method: what, reason });
}

function field(o: unknown, name: string, what: string): unknown {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) fail(what, 'expected an object');
  return (o as Record<string, unknown>)[name];
}

/** Parses a u64 given as a number, a decimal string or `0x` hex. */
export function u64FromJson(v: unknown, what: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(0x[0-9a-fA-F]{1,16}|[0-9]{1,20})$/.test(v)) {
    const n = BigInt(v);
    if (n <= 0xffff_ffff_ffff_ffffn) return n;
  }
  return fail(what, 'expected a u64');
}

/** Parses `0x` hex (of `length` bytes when given). */
export function bytesFromJson(v: unknown, what: string, length?: number): Uint8Array {
  if (typeof v !== 'string' || !v.startsWith('0x')) fail(what, 'expected 0x hex');
  try {
    return hexToBytes(v, length, what);
  } catch (e) {
    return fail(what, (e as Error).message);
  }
}

/** Substrate's header JSON. */
export function headerToJson(h: Header) {
  return {
    parentHash: toHex(h.parentHash),
    number: toHexNumber(h.number),
    stateRoot: toHex(h.stateRoot),
    extrinsicsRoot: toHex(h.extrinsicsRoot),
    digest: { logs: h.digest.map((item) => toHex(encodeDigestItem(item))) },
  };
}

/** Substrate's `SignedBlock` JSON: justifications as `[engine id hex, payload hex]` pairs. */
export function signedBlockToJson(b: SignedBlock) {
  return {
    block: { header: headerToJson(b.header), extrinsics: b.extrinsics.map(toHex) },
    justifications:
      b.justifications.length === 0
        ? null
        : b.justifications.map((j: Justification) => [toHex(j.engine), toHex(j.data)]),
  };
}

/** The reference's `SegmentHeader` JSON (`{ v0: {...} }`) plus `encoded` (its SCALE hex). */
export function segmentHeaderToJson(h: SegmentHeader) {
  return {
    v0: {
      segmentIndex: u64ToJson(h.segmentIndex),
      segmentCommitment: toHex(h.segmentCommitment),
      prevSegmentHeaderHash: toHex(h.prevSegmentHeaderHash),
      lastArchivedBlock: {
        number: h.lastArchivedBlock.number,
        archivedProgress:
          h.lastArchivedBlock.archivedProgress.type === 'complete'
            ? { complete: null }
            : { partial: h.lastArchivedBlock.archivedProgress.bytes },
      },
    },
    encoded: toHex(encodeSegmentHeader(h)),
  };
}

/** Reads a segment header from its JSON (through the SCALE `encoded`, which decoders validate). */
export function segmentHeaderFromJson(v: unknown): SegmentHeader {
  const bytes = bytesFromJson(field(v, 'encoded', 'SegmentHeader'), 'SegmentHeader.encoded');
  try {
    return decodeSegmentHeader(bytes);
  } catch (e) {
    return fail('SegmentHeader', (e as Error).message);
  }
}

export function slotInfoToJson(s: SlotInfo) {
  return {
    slotNumber: u64ToJson(s.slotNumber),
    globalChallenge: toHex(s.globalChallenge),
    solutionRange: u64ToJson(s.solutionRange),
    votingSolutionRange: u64ToJson(s.votingSolutionRange),
  };
}

export function slotInfoFromJson(v: unknown): SlotInfo {
  return {
    slotNumber: u64FromJson(field(v, 'slotNumber', 'SlotInfo'), 'SlotInfo.slotNumber'),
    globalChallenge: bytesFromJson(field(v, 'globalChallenge', 'SlotInfo'), 'SlotInfo.globalChallenge', 32),
    solutionRange: u64FromJson(field(v, 'solutionRange', 'SlotInfo'), 'SlotInfo.solutionRange'),
    votingSolutionRange: u64FromJson(
      field(v, 'votingSolutionRange', 'SlotInfo'),
      'SlotInfo.votingSolutionRange',
    ),
  };
}

export function solutionResponseToJson(r: SolutionResponse) {
  return { slotNumber: u64ToJson(r.slotNumber), solution: toHex(encodeSolution(r.solution)) };
}

export function solutionResponseFromJson(v: unknown): SolutionResponse {
  const slotNumber = u64FromJson(field(v, 'slotNumber', 'SolutionResponse'), 'SolutionResponse.slotNumber');
  const bytes = bytesFromJson(field(v, 'solution', 'SolutionResponse'), 'SolutionResponse.solution');
  try {
    return { slotNumber, solution: decodeSolution(bytes) };
  } catch (e) {
    return fail('SolutionResponse.solution', (e as Error).message);
  }
}

export function rewardSigningInfoToJson(r: RewardSigningInfo) {
  return { hash: toHex(r.hash), publicKey: toHex(r.publicKey) };
}

export function rewardSigningInfoFromJson(v: unknown): RewardSigningInfo {
  return {
    hash: bytesFromJson(field(v, 'hash', 'RewardSigningInfo'), 'RewardSigningInfo.hash', 32),
    publicKey: bytesFromJson(field(v, 'publicKey', 'RewardSigningInfo'), 'RewardSigningInfo.publicKey', 32),
  };
}

export function rewardSignatureResponseToJson(r: RewardSignatureResponse) {
  return { hash: toHex(r.hash), signature: r.signature === undefined ? null : toHex(r.signature) };
}

export function rewardSignatureResponseFromJson(v: unknown): RewardSignatureResponse {
  const sig = field(v, 'signature', 'RewardSignatureResponse');
  return {
    hash: bytesFromJson(field(v, 'hash', 'RewardSignatureResponse'), 'RewardSignatureResponse.hash', 32),
    signature:
      sig === null || sig === undefined
        ? undefined
        : bytesFromJson(sig, 'RewardSignatureResponse.signature', 64),
  };
}

export function farmerAppInfoToJson(f: FarmerAppInfo) {
  return {
    genesisHash: toHex(f.genesisHash),
    dsnBootstrapNodes: [],
    protocolInfo: {
      historySize: u64ToJson(f.protocolInfo.historySize),
      maxPiecesInSector: f.protocolInfo.maxPiecesInSector,
      recentSegments: u64ToJson(f.protocolInfo.recentSegments),
      recentHistoryFraction: f.protocolInfo.recentHistoryFraction.map(u64ToJson),
      minSectorLifetime: f.protocolInfo.minSectorLifetime,
    },
    numChunks: f.numChunks,
    numRawRecords: f.numRawRecords,
    shimProofOfSpace: f.shimProofOfSpace,
  };
}

function intFromJson(v: unknown, what: string, max: number): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max) return v;
  return fail(what, `expected an integer in [0, ${max}]`);
}

export function farmerAppInfoFromJson(v: unknown): FarmerAppInfo {
  const p = field(v, 'protocolInfo', 'FarmerAppInfo');
  const frac = field(p, 'recentHistoryFraction', 'FarmerAppInfo.protocolInfo');
  if (!Array.isArray(frac) || frac.length !== 2) fail('FarmerAppInfo', 'recentHistoryFraction');
  const shim = field(v, 'shimProofOfSpace', 'FarmerAppInfo');
  return {
    genesisHash: bytesFromJson(field(v, 'genesisHash', 'FarmerAppInfo'), 'FarmerAppInfo.genesisHash', 32),
    protocolInfo: {
      historySize: u64FromJson(field(p, 'historySize', 'protocolInfo'), 'historySize'),
      maxPiecesInSector: intFromJson(
        field(p, 'maxPiecesInSector', 'protocolInfo'),
        'maxPiecesInSector',
        0xffff,
      ),
      recentSegments: u64FromJson(field(p, 'recentSegments', 'protocolInfo'), 'recentSegments'),
      recentHistoryFraction: [u64FromJson(frac[0], 'fraction'), u64FromJson(frac[1], 'fraction')],
      minSectorLifetime: intFromJson(
        field(p, 'minSectorLifetime', 'protocolInfo'),
        'minSectorLifetime',
        0xffff,
      ),
    },
    numChunks: intFromJson(field(v, 'numChunks', 'FarmerAppInfo'), 'numChunks', 1 << 20),
    numRawRecords: intFromJson(field(v, 'numRawRecords', 'FarmerAppInfo'), 'numRawRecords', 1 << 20),
    shimProofOfSpace: typeof shim === 'boolean' ? shim : fail('FarmerAppInfo', 'shimProofOfSpace'),
  };
}

function u32FromHexJson(v: unknown, what: string): number {
  const n = u64FromJson(v, what);
  if (n > 0xffff_ffffn) fail(what, 'exceeds u32');
  return Number(n);
}

/** Reads Substrate's header JSON (digest logs decoded from their SCALE hex). */
export function headerFromJson(v: unknown): Header {
  const digest = field(v, 'digest', 'Header');
  const logs = field(digest, 'logs', 'Header.digest');
  if (!Array.isArray(logs)) fail('Header.digest.logs', 'expected an array');
  return {
    parentHash: bytesFromJson(field(v, 'parentHash', 'Header'), 'Header.parentHash', 32),
    number: u32FromHexJson(field(v, 'number', 'Header'), 'Header.number'),
    stateRoot: bytesFromJson(field(v, 'stateRoot', 'Header'), 'Header.stateRoot', 32),
    extrinsicsRoot: bytesFromJson(field(v, 'extrinsicsRoot', 'Header'), 'Header.extrinsicsRoot', 32),
    digest: logs.map((l, i) => {
      try {
        return decodeDigestItem(bytesFromJson(l, `Header.digest.logs[${i}]`));
      } catch (e) {
        return fail(`Header.digest.logs[${i}]`, (e as Error).message);
      }
    }),
  };
}

/** Reads Substrate's `SignedBlock` JSON. */
export function signedBlockFromJson(v: unknown): SignedBlock {
  const block = field(v, 'block', 'SignedBlock');
  const xts = field(block, 'extrinsics', 'SignedBlock.block');
  if (!Array.isArray(xts)) fail('SignedBlock.block.extrinsics', 'expected an array');
  const js = field(v, 'justifications', 'SignedBlock');
  if (js !== null && js !== undefined && !Array.isArray(js))
    fail('SignedBlock.justifications', 'expected an array or null');
  return {
    header: headerFromJson(field(block, 'header', 'SignedBlock.block')),
    extrinsics: xts.map((x, i) => bytesFromJson(x, `extrinsics[${i}]`)),
    justifications: (js ?? []).map((pair: unknown, i: number) => {
      if (!Array.isArray(pair) || pair.length !== 2)
        fail(`justifications[${i}]`, 'expected [engine, payload]');
      return {
        engine: bytesFromJson(pair[0], `justifications[${i}].engine`, 4),
        data: bytesFromJson(pair[1], `justifications[${i}].data`),
      };
    }),
  };
}
