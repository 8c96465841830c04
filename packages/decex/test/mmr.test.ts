import { bytesToHex } from '@autonomys/primitives';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bagPeaks,
  DecexError,
  encodeWith,
  InMemoryConsensusChain,
  keccak256,
  leafPos,
  MmrBuilder,
  mmrLeafCodec,
  mmrMerge,
  mmrRootHashesKey,
  mmrSize,
  peaks,
  posHeight,
  readStorageProof,
  verifyConsensusMmrProof,
  verifyMmrLeafProof,
  verifyMmrProofAndExtractLeaf,
} from '../src/index.js';

const leaf = (i: number) =>
  encodeWith(mmrLeafCodec, {
    blockNumber: i,
    blockHash: new Uint8Array(32).fill(i),
    stateRoot: new Uint8Array(32).fill(i + 1),
    extrinsicsRoot: new Uint8Array(32).fill(i + 2),
  });

describe('consensus MMR (decex §7a)', () => {
  it('index math matches §7a.4', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => Number(leafPos(BigInt(i))))).toEqual([
      0, 1, 3, 4, 7, 8, 10, 11, 15, 16, 18,
    ]);
    expect(mmrSize(11n)).toBe(19n);
    expect(peaks(19n)).toEqual([14n, 17n, 18n]);
    expect([0n, 1n, 2n, 6n, 14n].map(posHeight)).toEqual([0n, 0n, 1n, 2n, 3n]);
    expect(peaks(mmrSize(1n))).toEqual([0n]);
  });

  it('keccak is Ethereum keccak-256 (not SHA3-256)', () => {
    expect(bytesToHex(keccak256(new Uint8Array(0)))).toBe(
      'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
  });

  it('the 11-leaf example: root = merge(merge(P18, P17), P14) and leaf 5 proof items [n7, n12, n6, merge(P18, P17)]', () => {
    const m = new MmrBuilder();
    for (let i = 0; i < 11; i++) m.push(leaf(i));
    const L = (i: number) => keccak256(leaf(i));
    const n2 = mmrMerge(L(0), L(1));
    const n5 = mmrMerge(L(2), L(3));
    const n6 = mmrMerge(n2, n5);
    const n9 = mmrMerge(L(4), L(5));
    const n12 = mmrMerge(L(6), L(7));
    const n13 = mmrMerge(n9, n12);
    const p14 = mmrMerge(n6, n13);
    const p17 = mmrMerge(L(8), L(9));
    const p18 = L(10);
    expect(bytesToHex(m.root())).toBe(bytesToHex(mmrMerge(mmrMerge(p18, p17), p14)));
    expect(bytesToHex(bagPeaks([p14, p17, p18]))).toBe(bytesToHex(m.root()));
    const proof = m.proof(5n);
    expect(proof.items.map(bytesToHex)).toEqual([L(4), n12, n6, mmrMerge(p18, p17)].map(bytesToHex));
    expect(verifyMmrLeafProof(m.root(), leaf(5), proof)).toBe(true);
  });

  it('proofs of every leaf verify for every size; tampering fails (property)', () => {
    const m = new MmrBuilder();
    const roots: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) roots.push(m.push(leaf(i)));
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.nat(), (count, k) => {
        const i = k % count;
        const p = m.proof(BigInt(i), BigInt(count));
        expect(verifyMmrLeafProof(roots[count - 1]!, leaf(i), p)).toBe(true);
        expect(verifyMmrLeafProof(roots[count - 1]!, leaf(i + 1), p)).toBe(false);
        if (p.items.length > 0) {
          const bad = { ...p, items: p.items.map((x, j) => (j === 0 ? x.map((b) => b ^ 1) : x)) };
          expect(verifyMmrLeafProof(roots[count - 1]!, leaf(i), bad)).toBe(false);
        }
        expect(
          verifyMmrLeafProof(roots[count - 1]!, leaf(i), { ...p, items: [...p.items, new Uint8Array(32)] }),
        ).toBe(false);
        expect(verifyMmrLeafProof(roots[count - 1]!, leaf(i), { ...p, leafIndices: [] })).toBe(false);
      }),
      { numRuns: 120 },
    );
  });

  it('a 1-leaf MMR never verifies (the library returns the leaf as Data)', () => {
    const m = new MmrBuilder();
    const r = m.push(leaf(0));
    expect(verifyMmrLeafProof(r, leaf(0), m.proof(0n))).toBe(false);
  });

  it('consensus verification demands a 101-byte leaf and the stored root; MmrRootHashes key is 44 bytes', () => {
    const chain = new InMemoryConsensusChain();
    for (let i = 0; i < 6; i++) chain.addBlock([]);
    const p = chain.mmrProof(3);
    const l = verifyMmrProofAndExtractLeaf(chain, p);
    expect(l.blockNumber).toBe(3);
    expect(bytesToHex(l.stateRoot)).toBe(bytesToHex(chain.blocks[3]!.stateRoot));
    expect(() =>
      verifyConsensusMmrProof(chain.mmrRoot(p.consensusBlockNumber)!, {
        ...p,
        opaqueMmrLeaf: Uint8Array.of(...p.opaqueMmrLeaf, 0),
      }),
    ).toThrow(DecexError);
    expect(() => verifyMmrProofAndExtractLeaf(chain, { ...p, consensusBlockNumber: 99 })).toThrow(DecexError);
    expect(mmrRootHashesKey(5).length).toBe(44);
    // MmrRootHashes[N] is in the state of block N
    const root6 = readStorageProof(
      chain.blocks[6]!.stateRoot,
      chain.storageProof(6, [mmrRootHashesKey(6)]),
      mmrRootHashesKey(6),
    );
    expect(bytesToHex(root6!)).toBe(bytesToHex(chain.mmrRoot(6)!));
  });
});
