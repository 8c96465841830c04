/**
 * The incremental state root (`TrieRootCache`, which lets all 1024 `MmrRootHashes` stay in the
 * state trie): over random sequences of states (values changed, keys added and removed, forks
 * alternating, keys that are prefixes of others, inline and hashed values) it gives the same root
 * as the trie rebuilt from scratch, and after a one-entry change it re-encodes only that path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trieRoot } from '../src/runtime/trie.js';
import { TrieRootCache } from '../src/runtime/trie-cache.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
type Pairs = Map<string, Uint8Array>;
const pairsOf = (m: Pairs) => [...m].map(([k, v]) => [Buffer.from(k, 'hex'), v] as [Uint8Array, Uint8Array]);

const key = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 3 }),
  fc.uint8Array({ minLength: 1, maxLength: 3 }).map((k) => Uint8Array.from([0xaa, 0xbb, ...k])),
  fc
    .uint8Array({ minLength: 8, maxLength: 8 })
    .map((k) => Uint8Array.from([...new Uint8Array(32).fill(7), ...k])),
);
const value = fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 33, maxLength: 64 }));
const op = fc.oneof(
  fc.record({ t: fc.constant('set' as const), k: key, v: value }),
  fc.record({ t: fc.constant('del' as const), i: fc.nat() }),
  fc.record({ t: fc.constant('fork' as const) }),
);

describe('incremental state root', () => {
  it('equals the trie rebuilt from scratch over random state sequences (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 6 }), { minLength: 1, maxLength: 25 }), (blocks) => {
        const cache = new TrieRootCache();
        let cur: Pairs = new Map();
        let other: Pairs = new Map();
        for (const ops of blocks) {
          const next = new Map(cur);
          for (const o of ops) {
            if (o.t === 'set') next.set(hex(o.k), o.v);
            else if (o.t === 'del') {
              const ks = [...next.keys()];
              if (ks.length > 0) next.delete(ks[o.i % ks.length]!);
            } else [cur, other] = [other, cur];
          }
          expect(hex(cache.root(pairsOf(next)))).toBe(hex(trieRoot(pairsOf(next))));
          cur = next;
        }
      }),
      { numRuns: 150 },
    );
  });

  it('equals the rebuilt trie when few keys come and go and values flip back (property)', () => {
    // A small key space with shared prefixes: the same sub-tries reappear at other depths.
    const keys = ['', '00', '0010', '001020', '01', '0110', '10', '1000', 'ff', 'ff00', 'ff0000', 'ff01'];
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(fc.nat(keys.length - 1), fc.nat(3)), { maxLength: 5 }), { maxLength: 30 }),
        (blocks) => {
          const cache = new TrieRootCache();
          const state: Pairs = new Map();
          for (const ops of blocks) {
            for (const [k, v] of ops) {
              if (v === 0) state.delete(keys[k]!);
              else state.set(keys[k]!, new Uint8Array(v === 3 ? 40 : v).fill(v));
            }
            expect(hex(cache.root(pairsOf(state)))).toBe(hex(trieRoot(pairsOf(state))));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('1024 root-hash-like entries: one replaced per block re-encodes only the changed paths', () => {
    const cache = new TrieRootCache();
    const state: Pairs = new Map();
    const prefix = 'ab'.repeat(32);
    const k = (n: number) => prefix + Buffer.from(Uint32Array.of(n * 2654435761).buffer).toString('hex');
    for (let n = 1; n <= 1024; n++) state.set(k(n), new Uint8Array(32).fill(n & 255));
    state.set('00', Uint8Array.of(1));
    expect(hex(cache.root(pairsOf(state)))).toBe(hex(trieRoot(pairsOf(state))));
    const all = cache.lastEncoded;
    for (let n = 1025; n < 1035; n++) {
      state.delete(k(n - 1024));
      state.set(k(n), new Uint8Array(32).fill(n & 255));
      state.set('00', Uint8Array.of(n & 255));
      expect(hex(cache.root(pairsOf(state)))).toBe(hex(trieRoot(pairsOf(state))));
      expect(cache.lastEncoded).toBeLessThan(all / 20);
    }
  });
});
