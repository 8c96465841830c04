import type { BenchCase } from '@autonomys/bench';
import {
  decodeSegmentHeader,
  decodeSolution,
  encodeSegmentHeader,
  encodeSolution,
  type SegmentHeader,
  type Solution,
} from '../src/index.js';
import { polkadotSegmentHeader, registry } from '../test/polkadot-oracle.js';

// @polkadot/types is the alternative the issue names: the same layouts declared as custom types.
const header: SegmentHeader = {
  segmentIndex: 12345n,
  segmentCommitment: new Uint8Array(48).fill(7),
  prevSegmentHeaderHash: new Uint8Array(32).fill(9),
  lastArchivedBlock: { number: 99, archivedProgress: { type: 'partial', bytes: 1234 } },
};
const headerBytes = encodeSegmentHeader(header);
const headerForPolkadot = polkadotSegmentHeader(header);
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
