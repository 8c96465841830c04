/** fast-check arbitraries of the chain formats, and @polkadot/types as the oracle of their layouts. */

import type { Solution } from '@autonomys/primitives';
import { TypeRegistry } from '@polkadot/types';
import fc from 'fast-check';
import {
  type ConsensusLog,
  consensusLogItem,
  type DigestItem,
  type Header,
  type PreDigest,
  preDigestItem,
  SUBSPACE_ENGINE_ID,
  type SubspaceJustification,
} from '../src/index.js';

export const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

export const arbSolution: fc.Arbitrary<Solution> = fc.record({
  publicKey: bytes(32),
  rewardAddress: bytes(32),
  sectorIndex: fc.integer({ min: 0, max: 65535 }),
  historySize: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
  pieceOffset: fc.integer({ min: 0, max: 65535 }),
  recordCommitment: bytes(48),
  recordWitness: bytes(48),
  chunk: bytes(32),
  chunkWitness: bytes(48),
  proofOfSpace: bytes(160),
});

export const arbPreDigest: fc.Arbitrary<PreDigest> = fc.record({
  slot: u64,
  solution: arbSolution,
  potInfo: fc.record({ proofOfTime: bytes(16), futureProofOfTime: bytes(16) }),
});

export const arbConsensusLog: fc.Arbitrary<ConsensusLog> = fc.oneof(
  fc.record({ type: fc.constant('PotSlotIterations' as const), slotIterations: u32 }),
  fc.record({ type: fc.constant('SolutionRange' as const), solutionRange: u64 }),
  fc.record({
    type: fc.constant('PotParametersChange' as const),
    slot: u64,
    slotIterations: u32,
    entropy: bytes(32),
  }),
  fc.record({ type: fc.constant('NextSolutionRange' as const), solutionRange: u64 }),
  fc.record({
    type: fc.constant('SegmentCommitment' as const),
    segmentIndex: u64,
    segmentCommitment: bytes(48),
  }),
  fc.record({
    type: fc.constant('EnableSolutionRangeAdjustmentAndOverride' as const),
    solutionRange: fc.option(u64, { nil: undefined }),
  }),
  fc.record({
    type: fc.constant('RootPlotPublicKeyUpdate' as const),
    publicKey: fc.option(bytes(32), { nil: undefined }),
  }),
);

const engine = fc.oneof(fc.constant(SUBSPACE_ENGINE_ID), bytes(4));
export const arbDigestItem: fc.Arbitrary<DigestItem> = fc.oneof(
  fc.record({
    type: fc.constantFrom('PreRuntime' as const, 'Consensus' as const, 'Seal' as const),
    engine,
    data: fc.uint8Array({ maxLength: 300 }),
  }),
  fc.record({ type: fc.constant('Other' as const), data: fc.uint8Array({ maxLength: 100 }) }),
  fc.constant({ type: 'RuntimeEnvironmentUpdated' as const }),
  arbPreDigest.map(preDigestItem),
  arbConsensusLog.map(consensusLogItem),
);

export const arbHeader: fc.Arbitrary<Header> = fc.record({
  parentHash: bytes(32),
  number: fc.oneof(fc.integer({ min: 0, max: 0x3fff }), fc.integer({ min: 0, max: 0xffffffff })),
  stateRoot: bytes(32),
  extrinsicsRoot: bytes(32),
  digest: fc.array(arbDigestItem, { maxLength: 6 }),
});

export const arbJustification: fc.Arbitrary<SubspaceJustification> = fc.record({
  seed: bytes(16),
  checkpoints: fc.array(bytes(128), { maxLength: 8 }),
});

/** The same layouts as custom types; Substrate's generic Header, DigestItem and Justifications are built in. */
export const registry = new TypeRegistry();
registry.register({
  SubspaceSolution: {
    publicKey: '[u8; 32]',
    rewardAddress: '[u8; 32]',
    sectorIndex: 'u16',
    historySize: 'u64',
    pieceOffset: 'u16',
    recordCommitment: '[u8; 48]',
    recordWitness: '[u8; 48]',
    chunk: '[u8; 32]',
    chunkWitness: '[u8; 48]',
    proofOfSpace: '[u8; 160]',
  },
  PreDigestPotInfoV0: { proofOfTime: '[u8; 16]', futureProofOfTime: '[u8; 16]' },
  PreDigestPotInfo: { _enum: { V0: 'PreDigestPotInfoV0' } },
  SubspacePreDigestV0: { slot: 'u64', solution: 'SubspaceSolution', potInfo: 'PreDigestPotInfo' },
  SubspacePreDigest: { _enum: { V0: 'SubspacePreDigestV0' } },
  SubspacePotParametersChange: { slot: 'u64', slotIterations: 'u32', entropy: '[u8; 32]' },
  SubspaceConsensusLog: {
    _enum: {
      PotSlotIterations: 'u32',
      SolutionRange: 'u64',
      PotParametersChange: 'SubspacePotParametersChange',
      NextSolutionRange: 'u64',
      SegmentCommitment: '(u64, [u8; 48])',
      EnableSolutionRangeAdjustmentAndOverride: 'Option<u64>',
      RootPlotPublicKeyUpdate: 'Option<[u8; 32]>',
    },
  },
  SubspacePotCheckpointsJustification: { seed: '[u8; 16]', checkpoints: 'Vec<[u8; 128]>' },
  SubspaceJustification: { _enum: { PotCheckpoints: 'SubspacePotCheckpointsJustification' } },
});

export function pdDigestItem(item: DigestItem): unknown {
  switch (item.type) {
    case 'Other':
      return { Other: toHex0x(item.data) };
    case 'RuntimeEnvironmentUpdated':
      return { RuntimeEnvironmentUpdated: null };
    default:
      // A Uint8Array given to `Bytes` is read as already length-prefixed: hand over hex.
      return { [item.type]: [item.engine, toHex0x(item.data)] };
  }
}

export function pdHeader(h: Header) {
  return registry.createType('Header', {
    parentHash: h.parentHash,
    number: h.number,
    stateRoot: h.stateRoot,
    extrinsicsRoot: h.extrinsicsRoot,
    digest: { logs: h.digest.map(pdDigestItem) },
  });
}

export function pdConsensusLog(log: ConsensusLog): unknown {
  switch (log.type) {
    case 'PotSlotIterations':
      return { PotSlotIterations: log.slotIterations };
    case 'SolutionRange':
    case 'NextSolutionRange':
      return { [log.type]: log.solutionRange };
    case 'PotParametersChange':
      return {
        PotParametersChange: { slot: log.slot, slotIterations: log.slotIterations, entropy: log.entropy },
      };
    case 'SegmentCommitment':
      return { SegmentCommitment: [log.segmentIndex, log.segmentCommitment] };
    case 'EnableSolutionRangeAdjustmentAndOverride':
      // Inner values as instances, or @polkadot/types reads an all-zero value as None.
      return {
        [log.type]: log.solutionRange === undefined ? null : registry.createType('u64', log.solutionRange),
      };
    case 'RootPlotPublicKeyUpdate':
      return {
        [log.type]: log.publicKey === undefined ? null : registry.createType('[u8; 32]', log.publicKey),
      };
  }
}

export const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export const toHex0x = (b: Uint8Array) => `0x${toHex(b)}`;
export const pdHex = (c: { toU8a(): Uint8Array }) => toHex(c.toU8a());

export function pdPreDigest(p: PreDigest) {
  return registry.createType('SubspacePreDigest', { V0: { ...p, potInfo: { V0: p.potInfo } } });
}
