/**
 * @polkadot/types as an independent oracle of our SCALE layouts: the same structures
 * declared as custom types of a @polkadot/types registry (used by the tests and the benchmark).
 */
import { TypeRegistry } from '@polkadot/types';
import type { SegmentHeader, Solution } from '../src/index.js';

export const registry = new TypeRegistry();
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

/** Our `SegmentHeader` in the shape @polkadot/types takes. */
export function polkadotSegmentHeader(h: SegmentHeader) {
  const p = h.lastArchivedBlock.archivedProgress;
  return {
    V0: {
      ...h,
      lastArchivedBlock: {
        number: h.lastArchivedBlock.number,
        archivedProgress: p.type === 'complete' ? { Complete: null } : { Partial: p.bytes },
      },
    },
  };
}

/** @polkadot/types' encoding of a segment header, as hex without 0x. */
export function polkadotEncodeSegmentHeader(h: SegmentHeader): string {
  return registry.createType('SegmentHeader', polkadotSegmentHeader(h)).toHex().slice(2);
}

/** @polkadot/types' encoding of a solution, as hex without 0x. */
export function polkadotEncodeSolution(s: Solution): string {
  return registry.createType('Solution', s).toHex().slice(2);
}
