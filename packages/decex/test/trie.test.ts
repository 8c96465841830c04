import { bytesToHex } from '@autonomys/primitives';
import { loadVectors, thrownCode } from '@autonomys/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecexError } from '../src/errors.js';
import { blake2b256 } from '../src/hash.js';
import {
  buildTrie,
  createStorageProof,
  orderedTrieRoot,
  readStorageProof,
  TrieState,
  trieRoot,
} from '../src/trie.js';

const V = loadVectors<{ empty_extrinsic_root: { hex: string } }>('decex.json');

const kv = fc.uniqueArray(
  fc.tuple(fc.uint8Array({ minLength: 0, maxLength: 40 }), fc.uint8Array({ minLength: 0, maxLength: 70 })),
  { selector: (e) => bytesToHex(e[0]), maxLength: 40 },
);

describe('Substrate trie (LayoutV1, BlakeTwo256)', () => {
  it('empty_extrinsic_root: the ordered trie root of zero items', () => {
    expect(bytesToHex(orderedTrieRoot([]))).toBe(V.empty_extrinsic_root.hex);
  });

  it('a single short leaf encodes as header ‖ partial ‖ compact(value)', () => {
    const t = buildTrie([[Uint8Array.of(0x12), Uint8Array.of(7)]]);
    const node = t.db.get(bytesToHex(t.root))!;
    // leaf, 2 nibbles: 0x42, partial 0x12, value compact(1)=0x04, 0x07
    expect(bytesToHex(node)).toBe('42120407');
  });

  it('long partial keys use the 255-run length continuation and still round trip', () => {
    const key = new Uint8Array(200).fill(0xab); // 400 nibbles
    const t = buildTrie([[key, Uint8Array.of(1)]]);
    const node = t.db.get(bytesToHex(t.root))!;
    expect(node[0]).toBe(0x7f);
    expect(node[1]).toBe(255);
    expect(node[2]).toBe(400 - 63 - 255);
    expect(readStorageProof(t.root, createStorageProof(t, [key]), key)).toEqual(Uint8Array.of(1));
  });

  it('incremental TrieState roots equal the batch builder (property)', () => {
    fc.assert(
      fc.property(kv, (entries) => {
        const s = TrieState.fromEntries(entries);
        expect(bytesToHex(s.root())).toBe(bytesToHex(trieRoot(entries)));
        expect(bytesToHex(s.toTrie().root)).toBe(bytesToHex(trieRoot(entries)));
      }),
      { numRuns: 60 },
    );
  });

  it('storage proofs read present and absent keys; tampering is rejected', () => {
    fc.assert(
      fc.property(kv, fc.uint8Array({ maxLength: 40 }), (entries, other) => {
        const t = buildTrie(entries);
        const keys = entries.map((e) => e[0]).slice(0, 3);
        const proof = createStorageProof(t, [...keys, other]);
        for (const k of keys) {
          const want = entries.find((e) => bytesToHex(e[0]) === bytesToHex(k))![1];
          expect(readStorageProof(t.root, proof, k)).toEqual(want);
        }
        const want = entries.find((e) => bytesToHex(e[0]) === bytesToHex(other))?.[1];
        expect(readStorageProof(t.root, proof, other)).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });

  it('a proof missing a node is DECEX_INVALID_STORAGE_PROOF', () => {
    const entries: [Uint8Array, Uint8Array][] = Array.from({ length: 50 }, (_, i) => [
      Uint8Array.of(i, i * 7),
      new Uint8Array(40).fill(i),
    ]);
    const t = buildTrie(entries);
    const proof = createStorageProof(t, [entries[10]![0]]);
    expect(proof.length).toBeGreaterThan(1);
    const code = thrownCode(() => readStorageProof(t.root, proof.slice(1), entries[10]![0]), DecexError);
    expect(code).toBe('DECEX_INVALID_STORAGE_PROOF');
  });

  it('a partial state from a proof computes the same post-write root as the full state', () => {
    fc.assert(
      fc.property(kv, fc.uint8Array({ maxLength: 60 }), (entries, newValue) => {
        fc.pre(entries.length > 0);
        const full = TrieState.fromEntries(entries);
        const t = full.toTrie();
        const key = entries[0]![0];
        const partial = TrieState.fromProof(t.root, createStorageProof(t, [key]));
        expect(partial.get(key)).toEqual(entries[0]![1]);
        partial.set(key, newValue);
        full.set(key, newValue);
        expect(bytesToHex(partial.root())).toBe(bytesToHex(full.root()));
      }),
      { numRuns: 60 },
    );
  });

  it('decoding random bytes as a proof only ever throws DecexError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 4 }),
        fc.uint8Array({ maxLength: 8 }),
        (nodes, key) => {
          const root = nodes[0] ? blake2b256(nodes[0]) : new Uint8Array(32);
          try {
            readStorageProof(root, nodes, key);
          } catch (e) {
            expect(e).toBeInstanceOf(DecexError);
          }
        },
      ),
    );
  });
});
