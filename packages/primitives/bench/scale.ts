import type { BenchCase } from '@autonomys/bench';
import { TypeRegistry } from '@polkadot/types';
import {
  decodeSegmentHeader,
  decodeSolution,
  encodeSegmentHeader,
  encodeSolution,
  type SegmentHeader,
  type Solution,
} from '../src/index.js';

// @polkadot/types is the alternative the issue names: the same layouts declared as custom types.
const registry = new TypeRegistry();
registry.register({
  ArchivedBlockProgress: { _enum: { Complete: 'Null', Partial: 'u32' } },
  LastArchivedBlock: { number: 'u32', archivedProgress: 'ArchivedBlockProgress' },
  SegmentHeaderV0: {
    segmentIndex: 'u64',
    segmentCommitment: '[u8; 48]',
    prevSegmentHeaderHash: '[u8; 32]',
    lastArchivedBlock: 'LastArchivedBlock',
  },
  SegmentHeader: { _enum: { V0: 'SegmentHeaderV0' } },
  Solution: {
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
});

const header: SegmentHeader = {
  segmentIndex: 12345n,
  segmentCommitment: new Uint8Array(48).fill(7),
  prevSegmentHeaderHash: new Uint8Array(32).fill(9),
  lastArchivedBlock: { number: 99, archivedProgress: { type: 'partial', bytes: 1234 } },
};
const headerBytes = encodeSegmentHeader(header);
const headerForPolkadot = {
  V0: { ...header, lastArchivedBlock: { number: 99, archivedProgress: { Partial: 1234 } } },
};
const solution: Solution = {
  publicKey: new Uint8Array(32).fill(1),
  rewardAddress: new Uint8Array(32).fill(2),
  sectorIndex: 3,
  historySize: 4n,
  pieceOffset: 5,
  recordCommitment: new Uint8Array(48).fill(6),
  recordWitness: new Uint8Array(48).fill(7),
  chunk: new Uint8Array(32).fill(8),
  chunkWitness: new Uint8Array(48).fill(9),
  proofOfSpace: new Uint8Array(160).fill(10),
};
const solutionBytes = encodeSolution(solution);

export const scaleCases: BenchCase[] = [
  {
    name: 'decodeSegmentHeader (ours)',
    size: '98 B',
    anchor: 'decode SegmentHeader (@polkadot/types)',
    batch: 100,
    fn: () => decodeSegmentHeader(headerBytes),
  },
  {
    name: 'decode SegmentHeader (@polkadot/types)',
    size: '98 B',
    batch: 10,
    fn: () => registry.createType('SegmentHeader', headerBytes).toJSON(),
  },
  {
    name: 'encodeSegmentHeader (ours)',
    size: '98 B',
    anchor: 'encode SegmentHeader (@polkadot/types)',
    batch: 100,
    fn: () => encodeSegmentHeader(header),
  },
  {
    name: 'encode SegmentHeader (@polkadot/types)',
    size: '98 B',
    batch: 10,
    fn: () => registry.createType('SegmentHeader', headerForPolkadot).toU8a(),
  },
  {
    name: 'decodeSolution (ours)',
    size: '412 B',
    anchor: 'decode Solution (@polkadot/types)',
    batch: 100,
    fn: () => decodeSolution(solutionBytes),
  },
  {
    name: 'decode Solution (@polkadot/types)',
    size: '412 B',
    batch: 10,
    fn: () => registry.createType('Solution', solutionBytes).toJSON(),
  },
  {
    name: 'encodeSolution (ours)',
    size: '412 B',
    anchor: 'encode Solution (@polkadot/types)',
    batch: 100,
    fn: () => encodeSolution(solution),
  },
  {
    name: 'encode Solution (@polkadot/types)',
    size: '412 B',
    batch: 10,
    fn: () => registry.createType('Solution', solution).toU8a(),
  },
];
