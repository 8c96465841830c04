/**
 * An incremental state root: the same V1 trie root as `trieRoot` (./trie.ts), with the encoding of
 * every sub-trie cached under an identity of its content, so that from one block to the next only
 * the nodes on the paths of changed entries are encoded and hashed again (the rest of the trie,
 * e.g. 1024 `MmrRootHashes` entries of which one changes per block, is looked up).
 *
 * Every (key, value) gets an identity (a counter), kept while the value stays the same from one
 * computation to the next (never reused). A node is cached under its depth, the identities of its
 * first and last leaves and its leaf count, and reused only when every leaf of its range is older
 * than the cached encoding (then it holds exactly the same leaves), otherwise it is encoded again
 * from its children. Memory: the cache is swept down to the nodes of the last trie when it
 * grows past a few times that size.
 */
import { encodeCompact } from '@autonomys/primitives';
import { blake2b256 } from '../chain/hash.js';
import { EMPTY_TRIE_ROOT, TRIE_V1_INLINE_THRESHOLD } from './trie.js';
import { concat, header } from './trie-bytes.js';

/** An entry: its key as lowercase hex (character i is nibble i), its value and its identity. */
type Entry = { readonly hex: string; readonly value: Uint8Array; readonly id: number };

/** Nibble values of the characters of lowercase hex. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;
const nibbleAt = (hex: string, i: number) => NIBBLE[hex.charCodeAt(i)]!;

/** Hex of bytes without copying them. */
function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

function partial(hex: string, from: number, to: number): Uint8Array {
  const count = to - from;
  const out = new Uint8Array((count + 1) >> 1);
  let at = 0;
  let i = from;
  if (count % 2 === 1) out[at++] = nibbleAt(hex, i++);
  while (i < to) {
    out[at++] = (nibbleAt(hex, i) << 4) | nibbleAt(hex, i + 1);
    i += 2;
  }
  return out;
}

function valueBytes(v: Uint8Array, hashed: boolean): Uint8Array {
  return hashed ? blake2b256(v) : concat([encodeCompact(v.length), v]);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A cached node: its encoding and its reference in a parent (`Compact(len) ++ (hash or inline)`). */
interface Cached {
  readonly ref: Uint8Array;
  readonly encoded: Uint8Array;
  /** Cache keys of the children (what a sweep keeps). */
  readonly children: readonly string[];
  /** Every leaf identity given before this node was encoded is smaller than this. */
  readonly storedAt: number;
}

type Leaf = { readonly value: Uint8Array; readonly id: number };

/** Incremental V1 trie roots over successive, mostly equal, sets of pairs. */
export class TrieRootCache {
  private next = 1;
  /**
   * Nodes by `depth:firstLeaf:lastLeaf:count` (only looked up for unchanged ranges). Swept down to
   * the nodes of the last trie when it grows past a few times that size.
   */
  private nodes = new Map<string, Cached>();
  /** Leaf identities by key: the value they were given for. */
  private curLeaves = new Map<string, Leaf>();
  private oldLeaves = new Map<string, Leaf>();
  /** The sorted keys of the last computation. */
  private lastKeys: string[] = [];
  /** This computation's entries and a sparse table of range maxima of their identities. */
  private entries: Entry[] = [];
  private maxTable: Int32Array[] = [];
  /** Nodes encoded (hashed) by the last {@link root} call (for tests and measurements). */
  lastEncoded = 0;

  private store(key: string, encoded: Uint8Array, children: readonly string[] = []): Cached {
    const data = encoded.length >= 32 ? blake2b256(encoded) : encoded;
    const c = { ref: concat([encodeCompact(data.length), data]), encoded, children, storedAt: this.next };
    this.nodes.set(key, c);
    this.lastEncoded++;
    return c;
  }

  /** The node over entries `[lo, hi)` (sorted, sharing nibbles `[0, depth)`). */
  private node(lo: number, hi: number, depth: number): [string, Cached] {
    const entries = this.entries;
    const first = entries[lo]!;
    const last = entries[hi - 1]!;
    const key = `${depth}:${first.id}:${last.id}:${hi - lo}`;
    // A cached node under this key holds the same leaves when every leaf of the range is older than
    // it: then they all existed when it was encoded, between the same first and last keys, and as
    // many (a leaf added or removed inside the range would have changed the count or added a new
    // identity). Identities are never reused and a changed value gets a new one.
    const hit = this.nodes.get(key);
    if (hit !== undefined && this.maxId(lo, hi) < hit.storedAt) return [key, hit];
    if (hi - lo === 1) {
      const hashed = first.value.length >= TRIE_V1_INLINE_THRESHOLD;
      const count = first.hex.length - depth;
      const leaf = this.store(
        key,
        concat([
          hashed ? header(0x20, 5, count) : header(0x40, 6, count),
          partial(first.hex, depth, first.hex.length),
          valueBytes(first.value, hashed),
        ]),
      );
      return [key, leaf];
    }
    let end = depth;
    const fh = first.hex;
    const lh = last.hex;
    while (end < fh.length && end < lh.length && fh.charCodeAt(end) === lh.charCodeAt(end)) end++;
    let i = lo;
    let value: Uint8Array | undefined;
    if (fh.length === end) value = entries[i++]!.value;
    let bitmap = 0;
    const refs: Uint8Array[] = [];
    const childKeys: string[] = [];
    // Sorted entries: each child's entries are a contiguous run.
    while (i < hi) {
      const nib = nibbleAt(entries[i]!.hex, end);
      let j = i + 1;
      while (j < hi && nibbleAt(entries[j]!.hex, end) === nib) j++;
      bitmap |= 1 << nib;
      const [ck, child] = this.node(i, j, end + 1);
      refs.push(child.ref);
      childKeys.push(ck);
      i = j;
    }
    const count = end - depth;
    const parts: Uint8Array[] = [];
    if (value === undefined) parts.push(header(0x80, 6, count));
    else if (value.length >= TRIE_V1_INLINE_THRESHOLD) parts.push(header(0x10, 4, count));
    else parts.push(header(0xc0, 6, count));
    parts.push(partial(fh, depth, end), Uint8Array.of(bitmap & 0xff, bitmap >> 8));
    if (value !== undefined) parts.push(valueBytes(value, value.length >= TRIE_V1_INLINE_THRESHOLD));
    parts.push(...refs);
    return [key, this.store(key, concat(parts), childKeys)];
  }

  /** The largest leaf identity in `[lo, hi)`. */
  private maxId(lo: number, hi: number): number {
    const k = 31 - Math.clz32(hi - lo);
    const row = this.maxTable[k]!;
    return Math.max(row[lo]!, row[hi - (1 << k)]!);
  }

  /** Keeps only the nodes of the trie under `rootKey`. */
  private sweep(rootKey: string): void {
    const keep = new Map<string, Cached>();
    const stack = [rootKey];
    while (stack.length > 0) {
      const k = stack.pop()!;
      const c = this.nodes.get(k);
      if (c === undefined || keep.has(k)) continue;
      keep.set(k, c);
      stack.push(...c.children);
    }
    this.nodes = keep;
  }

  /** The V1 trie root of key/value pairs (later duplicates of a key win), as `trieRoot`. */
  root(pairs: Iterable<readonly [Uint8Array, Uint8Array]>): Uint8Array {
    this.lastEncoded = 0;
    const byKey = new Map<string, Uint8Array>();
    for (const [k, v] of pairs) byKey.set(toHex(k), v);
    // The sorted keys: the last ones without the removed, merged with the added (lowercase hex
    // sorts as the bytes do).
    const kept = this.lastKeys.filter((k) => byKey.has(k));
    let keys = kept;
    if (kept.length !== byKey.size) {
      const added: string[] = [];
      for (const k of byKey.keys()) if (!this.oldLeaves.has(k)) added.push(k);
      added.sort();
      keys = [];
      let a = 0;
      let b = 0;
      while (a < kept.length || b < added.length) {
        if (b >= added.length || (a < kept.length && kept[a]! < added[b]!)) keys.push(kept[a++]!);
        else keys.push(added[b++]!);
      }
    }
    const ids = new Int32Array(keys.length);
    this.entries = keys.map((hex, i) => {
      const value = byKey.get(hex)!;
      // A leaf's identity: its key and value (a new one when the value changed).
      let leaf = this.oldLeaves.get(hex);
      if (leaf === undefined || !sameBytes(leaf.value, value)) leaf = { value, id: this.next++ };
      this.curLeaves.set(hex, leaf);
      ids[i] = leaf.id;
      return { hex, value, id: leaf.id };
    });
    this.maxTable = [ids];
    for (let k = 1; 1 << k <= ids.length; k++) {
      const prev = this.maxTable[k - 1]!;
      const half = 1 << (k - 1);
      const row = new Int32Array(ids.length - (1 << k) + 1);
      for (let i = 0; i < row.length; i++) row[i] = Math.max(prev[i]!, prev[i + half]!);
      this.maxTable.push(row);
    }
    let root: Uint8Array = EMPTY_TRIE_ROOT.slice();
    if (keys.length > 0) {
      const [rootKey, top] = this.node(0, keys.length, 0);
      root = blake2b256(top.encoded);
      if (this.nodes.size > 4 * keys.length + 256) this.sweep(rootKey);
    }
    // The leaves of this computation are the base of the next one.
    this.lastKeys = keys;
    this.oldLeaves = this.curLeaves;
    this.curLeaves = new Map();
    this.entries = [];
    this.maxTable = [];
    return root;
  }
}
