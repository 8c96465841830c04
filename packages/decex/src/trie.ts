/**
 * Substrate's base-16 Merkle-Patricia trie, layout V1 with BlakeTwo256 (pot-consensus-dsn: "State
 * root"; decex §4–§7): the root of a key/value set, the ordered trie root of a list (keys =
 * `Compact<u32>(i)`), storage-proof generation (the nodes on a key's path) and stateless reading of
 * a key from a proof. No npm library implements this node codec, so it is ours.
 *
 * Node codec: header (kind in the high bits, partial-key nibble count in the low bits with a 255-run
 * continuation), partial key nibbles, then for a leaf its value; for a branch a u16 LE child bitmap,
 * the optional value and each child (`Compact(len) ‖ encoding` if it encodes to < 32 bytes, else its
 * hash). V1 stores values of 33 bytes or more as their hash ("hashed value" kinds), with the value
 * itself as a separate node of the proof.
 */
import { encodeCompact } from '@autonomys/primitives';
import { DecexError } from './errors.js';
import { blake2b256 } from './hash.js';

/** Values of at least this many bytes are stored hashed (LayoutV1 `MAX_INLINE_VALUE`). */
export const TRIE_MAX_INLINE_VALUE = 33;
const HASH_LEN = 32;

function proofError(reason: string): DecexError {
  return new DecexError({ code: 'DECEX_INVALID_STORAGE_PROOF', reason });
}

function toNibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i]! >> 4;
    out[2 * i + 1] = key[i]! & 15;
  }
  return out;
}

function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i]!.toString(16).padStart(2, '0');
  return s;
}

// Header kinds: prefix bits and how many low bits hold the nibble count.
const LEAF = { prefix: 0b01 << 6, bits: 6 };
const BRANCH_NO_VALUE = { prefix: 0b10 << 6, bits: 6 };
const BRANCH_WITH_VALUE = { prefix: 0b11 << 6, bits: 6 };
const HASHED_LEAF = { prefix: 0b001 << 5, bits: 5 };
const HASHED_BRANCH = { prefix: 0b0001 << 4, bits: 4 };

function header(kind: { prefix: number; bits: number }, nibbles: number, out: number[]): void {
  const max = (1 << kind.bits) - 1;
  if (nibbles < max) {
    out.push(kind.prefix | nibbles);
    return;
  }
  out.push(kind.prefix | max);
  let rem = nibbles - max;
  while (rem >= 255) {
    out.push(255);
    rem -= 255;
  }
  out.push(rem);
}

function partialBytes(nibbles: Uint8Array, out: number[]): void {
  let i = 0;
  if (nibbles.length % 2 === 1) {
    out.push(nibbles[0]!);
    i = 1;
  }
  for (; i < nibbles.length; i += 2) out.push((nibbles[i]! << 4) | nibbles[i + 1]!);
}

/** A trie database: encoded nodes (and V1 value nodes) by the hex of their BlakeTwo256 hash. */
export type TrieDb = Map<string, Uint8Array>;

/** A trie value, or (for V1 hashed values) only its hash: used to rebuild roots from digests. */
export type TrieValue = Uint8Array | { hash: Uint8Array };

interface Entry {
  nibbles: Uint8Array;
  value: TrieValue;
}

function pushValue(value: TrieValue, out: number[], db: TrieDb): boolean {
  if (!(value instanceof Uint8Array)) {
    for (const b of value.hash) out.push(b);
    return true;
  }
  if (value.length >= TRIE_MAX_INLINE_VALUE) {
    const h = blake2b256(value);
    db.set(hex(h), value);
    for (const b of h) out.push(b);
    return true;
  }
  for (const b of encodeCompact(value.length)) out.push(b);
  for (const b of value) out.push(b);
  return false;
}

/** Encodes the subtrie of `entries` (sorted, keys sharing the first `depth` nibbles). */
function encodeNode(entries: Entry[], depth: number, db: TrieDb): Uint8Array {
  if (entries.length === 1) {
    const e = entries[0]!;
    const partial = e.nibbles.subarray(depth);
    const body: number[] = [];
    partialBytes(partial, body);
    const valueOut: number[] = [];
    const hashed = pushValue(e.value, valueOut, db);
    const out: number[] = [];
    header(hashed ? HASHED_LEAF : LEAF, partial.length, out);
    return Uint8Array.from([...out, ...body, ...valueOut]);
  }
  // Common prefix of all keys from `depth`.
  const first = entries[0]!.nibbles;
  const last = entries[entries.length - 1]!.nibbles; // sorted: the common prefix of first and last is everyone's
  let p = depth;
  while (p < first.length && p < last.length && first[p] === last[p]) p++;
  const partial = first.subarray(depth, p);
  let value: TrieValue | undefined;
  let rest = entries;
  if (first.length === p) {
    value = first.length === p ? entries[0]!.value : undefined;
    rest = entries.slice(1);
  }
  const children: (Uint8Array | undefined)[] = new Array(16).fill(undefined);
  let i = 0;
  while (i < rest.length) {
    const nib = rest[i]!.nibbles[p]!;
    let j = i;
    while (j < rest.length && rest[j]!.nibbles[p] === nib) j++;
    children[nib] = encodeNode(rest.slice(i, j), p + 1, db);
    i = j;
  }
  const body: number[] = [];
  partialBytes(partial, body);
  let bitmap = 0;
  children.forEach((c, n) => {
    if (c !== undefined) bitmap |= 1 << n;
  });
  body.push(bitmap & 0xff, bitmap >> 8);
  let hashed = false;
  if (value !== undefined) hashed = pushValue(value, body, db);
  for (const c of children) {
    if (c === undefined) continue;
    const ref = c.length < HASH_LEN ? c : blake2b256(c);
    if (c.length >= HASH_LEN) db.set(hex(ref), c);
    for (const b of encodeCompact(ref.length)) body.push(b);
    for (const b of ref) body.push(b);
  }
  const out: number[] = [];
  header(
    value === undefined ? BRANCH_NO_VALUE : hashed ? HASHED_BRANCH : BRANCH_WITH_VALUE,
    partial.length,
    out,
  );
  return Uint8Array.from([...out, ...body]);
}

/** A built trie: its root and every hashed node, for proofs. */
export interface Trie {
  root: Uint8Array;
  db: TrieDb;
}

/**
 * Builds the trie of a key/value set (later duplicates of a key win, as in a map).
 * @example trieRoot([]) // the empty root 03170a2e…
 */
export function buildTrie(entries: Iterable<readonly [Uint8Array, TrieValue]>): Trie {
  const map = new Map<string, Entry>();
  for (const [k, v] of entries) map.set(hex(k), { nibbles: toNibbles(k), value: v });
  const sorted = [...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
  const db: TrieDb = new Map();
  const rootNode = sorted.length === 0 ? Uint8Array.of(0) : encodeNode(sorted, 0, db);
  const root = blake2b256(rootNode);
  db.set(hex(root), rootNode);
  return { root, db };
}

/** The root of a key/value set. */
export function trieRoot(entries: Iterable<readonly [Uint8Array, TrieValue]>): Uint8Array {
  return buildTrie(entries).root;
}

/** The key/value pairs of an ordered trie: `Compact<u32>(i) -> items[i]`. */
export function orderedTrieEntries(items: readonly Uint8Array[]): [Uint8Array, Uint8Array][] {
  return items.map((v, i) => [encodeCompact(i), v]);
}

/** `ordered_trie_root` (LayoutV1, BlakeTwo256) of a list of values. */
export function orderedTrieRoot(items: readonly TrieValue[]): Uint8Array {
  return trieRoot(items.map((v, i) => [encodeCompact(i), v] as const));
}

type Decoded =
  | { kind: 'empty' }
  | { kind: 'leaf'; partial: Uint8Array; value: Uint8Array; hashed: boolean }
  | {
      kind: 'branch';
      partial: Uint8Array;
      value: Uint8Array | undefined;
      hashed: boolean;
      children: (Uint8Array | undefined)[];
    };

/** Decodes one node; any malformation is `DECEX_INVALID_STORAGE_PROOF`. */
function decodeNode(n: Uint8Array): Decoded {
  let at = 0;
  const byte = (): number => {
    if (at >= n.length) throw proofError('truncated trie node');
    return n[at++]!;
  };
  const b = byte();
  if (b === 0) {
    if (n.length !== 1) throw proofError('empty node with trailing bytes');
    return { kind: 'empty' };
  }
  let kind: 'leaf' | 'branch';
  let hasValue = true;
  let hashed = false;
  let bits: number;
  if (b >> 6 === 0b01) [kind, bits] = ['leaf', 6];
  else if (b >> 6 === 0b10) [kind, bits, hasValue] = ['branch', 6, false];
  else if (b >> 6 === 0b11) [kind, bits] = ['branch', 6];
  else if (b >> 5 === 0b001) [kind, bits, hashed] = ['leaf', 5, true];
  else if (b >> 4 === 0b0001) [kind, bits, hashed] = ['branch', 4, true];
  else throw proofError(`bad node header 0x${b.toString(16)}`);
  const max = (1 << bits) - 1;
  let count = b & max;
  if (count === max) {
    for (;;) {
      const x = byte();
      count += x;
      if (x < 255) break;
      if (count > 65535) throw proofError('partial key too long');
    }
  }
  const nbytes = (count + 1) >> 1;
  if (at + nbytes > n.length) throw proofError('truncated partial key');
  const partial = new Uint8Array(count);
  let pi = 0;
  let bi = at;
  if (count % 2 === 1) {
    if (n[bi]! >> 4 !== 0) throw proofError('bad partial key padding');
    partial[pi++] = n[bi++]! & 15;
  }
  for (; pi < count; bi++) {
    partial[pi++] = n[bi]! >> 4;
    partial[pi++] = n[bi]! & 15;
  }
  at += nbytes;
  const readCompact = (): number => {
    const f = byte();
    const mode = f & 3;
    if (mode === 0) return f >> 2;
    if (mode === 1) return ((byte() << 8) | f) >> 2;
    if (mode === 2) {
      const v = (f | (byte() << 8) | (byte() << 16) | (byte() << 24)) >>> 2;
      return v;
    }
    throw proofError('oversized compact in trie node');
  };
  const readBytes = (len: number): Uint8Array => {
    if (at + len > n.length) throw proofError('truncated trie node value');
    const v = n.subarray(at, at + len);
    at += len;
    return v;
  };
  const readValue = (): Uint8Array => (hashed ? readBytes(HASH_LEN) : readBytes(readCompact()));
  if (kind === 'leaf') {
    const value = readValue();
    if (at !== n.length) throw proofError('trailing bytes in leaf');
    return { kind, partial, value, hashed };
  }
  const bitmap = byte() | (byte() << 8);
  if (bitmap === 0) throw proofError('branch without children');
  const value = hasValue ? readValue() : undefined;
  const children: (Uint8Array | undefined)[] = [];
  for (let i = 0; i < 16; i++) {
    if ((bitmap & (1 << i)) === 0) {
      children.push(undefined);
      continue;
    }
    const len = readCompact();
    if (len > HASH_LEN) throw proofError('child reference longer than a hash');
    children.push(readBytes(len));
  }
  if (at !== n.length) throw proofError('trailing bytes in branch');
  return { kind, partial, value, hashed, children };
}

/**
 * Reads `key` from a trie given as a node database, recording every node it uses into `used`
 * (when given). Returns the value or `undefined` for a proven absence; a missing node or value is
 * `DECEX_INVALID_STORAGE_PROOF`.
 */
export function trieGet(
  db: TrieDb,
  root: Uint8Array,
  key: Uint8Array,
  used?: Set<string>,
): Uint8Array | undefined {
  const nib = toNibbles(key);
  let pos = 0;
  let ref = root;
  let inline: Uint8Array | undefined;
  for (;;) {
    let enc: Uint8Array;
    if (inline !== undefined) enc = inline;
    else {
      const h = hex(ref);
      const got = db.get(h);
      if (got === undefined) throw proofError(`missing trie node ${h}`);
      used?.add(h);
      enc = got;
    }
    const node = decodeNode(enc);
    if (node.kind === 'empty') return undefined;
    const p = node.partial;
    if (pos + p.length > nib.length) return undefined;
    for (let i = 0; i < p.length; i++) if (nib[pos + i] !== p[i]) return undefined;
    pos += p.length;
    if (node.kind === 'leaf') {
      if (pos !== nib.length) return undefined;
      return resolveValue(db, node.value, node.hashed, used);
    }
    if (pos === nib.length) {
      return node.value === undefined ? undefined : resolveValue(db, node.value, node.hashed, used);
    }
    const child = node.children[nib[pos]!];
    if (child === undefined) return undefined;
    pos += 1;
    if (child.length === HASH_LEN) {
      ref = child;
      inline = undefined;
    } else inline = child;
  }
}

function resolveValue(db: TrieDb, v: Uint8Array, hashed: boolean, used?: Set<string>): Uint8Array {
  if (!hashed) return v.slice();
  const h = hex(v);
  const got = db.get(h);
  if (got === undefined) throw proofError(`missing value node ${h}`);
  used?.add(h);
  return got.slice();
}

/**
 * A storage proof for `keys`: the hashed nodes (and value nodes) on their paths, sorted and
 * unique like sp-trie's `StorageProof` (a BTreeSet of encoded nodes).
 */
export function createStorageProof(trie: Trie, keys: readonly Uint8Array[]): Uint8Array[] {
  const used = new Set<string>();
  for (const k of keys) trieGet(trie.db, trie.root, k, used);
  const nodes = [...used].map((h) => trie.db.get(h)!);
  return nodes.sort(compareBytes);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The node database of a storage proof (each node keyed by its hash). */
export function proofDb(proof: readonly Uint8Array[]): TrieDb {
  const db: TrieDb = new Map();
  for (const n of proof) db.set(hex(blake2b256(n)), n);
  return db;
}

/**
 * Reads `key` from a storage proof against `root` (sp-trie `read_proof_check`): the value, or
 * `undefined` if the proof shows the key absent. A proof lacking a node on the path is
 * `DECEX_INVALID_STORAGE_PROOF`.
 *
 * @example readStorageProof(stateRoot, proof, key)
 */
export function readStorageProof(
  root: Uint8Array,
  proof: readonly Uint8Array[],
  key: Uint8Array,
): Uint8Array | undefined {
  return trieGet(proofDb(proof), root, key);
}

// ---------------------------------------------------------------------------------------------
// A mutable trie with cached node encodings (roots after each change cost one path), which can
// also be built from a storage proof: parts the proof does not include stay as hash stubs. Writes
// that would need a stub's content fail with DECEX_INVALID_STORAGE_PROOF ("incomplete proof").

interface MNode {
  children: (MNode | undefined)[] | undefined;
  value: Uint8Array | undefined;
  /** V1 hashed value known only by its hash (from a proof without the value node). */
  valueHash: Uint8Array | undefined;
  /** A subtrie known only by its reference (hash, or inline encoding). */
  stub: Uint8Array | undefined;
  cache: Uint8Array | undefined;
}

function mnode(): MNode {
  return { children: undefined, value: undefined, valueHash: undefined, stub: undefined, cache: undefined };
}

function childCount(n: MNode): number {
  let c = 0;
  if (n.children) for (const x of n.children) if (x) c++;
  return c;
}

/**
 * A key/value state whose root is recomputed incrementally. `TrieState.fromProof(root, proof)`
 * makes a partial state for stateless execution (fraud-proof verification).
 */
export class TrieState {
  private readonly top: MNode = mnode();

  /** A state holding `entries`. */
  static fromEntries(entries: Iterable<readonly [Uint8Array, Uint8Array]>): TrieState {
    const t = new TrieState();
    for (const [k, v] of entries) t.set(k, v);
    return t;
  }

  /** A partial state from a storage proof against `root`; throws if the root node is missing. */
  static fromProof(root: Uint8Array, proof: readonly Uint8Array[]): TrieState {
    const db = proofDb(proof);
    const t = new TrieState();
    const rootEnc = db.get(hex(root));
    if (rootEnc === undefined) throw proofError('storage proof lacks the root node');
    expand(t.top, rootEnc, db);
    return t;
  }

  /** The value at `key`; reading through a stub is DECEX_INVALID_STORAGE_PROOF. */
  get(key: Uint8Array): Uint8Array | undefined {
    const nib = toNibbles(key);
    let n: MNode | undefined = this.top;
    for (let i = 0; i < nib.length; i++) {
      if (n.stub !== undefined) throw proofError('key outside the proven part of the state');
      n = n.children?.[nib[i]!];
      if (n === undefined) return undefined;
    }
    if (n.stub !== undefined) throw proofError('key outside the proven part of the state');
    if (n.valueHash !== undefined) throw proofError('value node not in the proof');
    return n.value;
  }

  /** Sets `key` to `value`. */
  set(key: Uint8Array, value: Uint8Array): void {
    const nib = toNibbles(key);
    let n = this.top;
    n.cache = undefined;
    for (let i = 0; i < nib.length; i++) {
      if (n.stub !== undefined) throw proofError('write outside the proven part of the state');
      n.children ??= new Array(16).fill(undefined);
      let c = n.children[nib[i]!];
      if (c === undefined) {
        c = mnode();
        n.children[nib[i]!] = c;
      }
      n = c;
      n.cache = undefined;
    }
    if (n.stub !== undefined) throw proofError('write outside the proven part of the state');
    n.value = value.slice();
    n.valueHash = undefined;
  }

  /** The state root. */
  root(): Uint8Array {
    return blake2b256(this.top.stub ?? encodeAt(this.top, []));
  }

  /** Every hashed node of the state (for proofs); needs a complete state (no stubs on the way). */
  toTrie(): Trie {
    const db: TrieDb = new Map();
    const rootEnc = encodeAt(this.top, [], db);
    const root = blake2b256(rootEnc);
    db.set(hex(root), rootEnc);
    return { root, db };
  }
}

/** Encoding of the compressed node that starts at `n` (its partial key begins with `n`'s subpath). */
function encodeAt(start: MNode, _path: number[], db?: TrieDb): Uint8Array {
  if (db === undefined && start.cache !== undefined) return start.cache;
  const partial: number[] = [];
  let cur = start;
  while (
    cur.value === undefined &&
    cur.valueHash === undefined &&
    cur.stub === undefined &&
    childCount(cur) === 1
  ) {
    const i = cur.children!.findIndex((c) => c !== undefined);
    partial.push(i);
    cur = cur.children![i]!;
  }
  if (cur.stub !== undefined) {
    if (partial.length > 0) throw proofError('incomplete proof: a collapsed path ends in an unknown node');
    return cur.stub; // a stub as a whole subtrie: callers use the reference directly
  }
  const hasValue = cur.value !== undefined || cur.valueHash !== undefined;
  const nChildren = childCount(cur);
  const out: number[] = [];
  const valueOut: number[] = [];
  let hashed = false;
  if (hasValue) {
    if (cur.valueHash !== undefined) {
      hashed = true;
      for (const b of cur.valueHash) valueOut.push(b);
    } else {
      const v = cur.value!;
      if (v.length >= TRIE_MAX_INLINE_VALUE) {
        hashed = true;
        const h = blake2b256(v);
        db?.set(hex(h), v);
        for (const b of h) valueOut.push(b);
      } else {
        for (const b of encodeCompact(v.length)) valueOut.push(b);
        for (const b of v) valueOut.push(b);
      }
    }
  }
  let enc: Uint8Array;
  if (nChildren === 0) {
    if (!hasValue) {
      enc = start === cur && partial.length === 0 ? Uint8Array.of(0) : Uint8Array.of(0);
    } else {
      header(hashed ? HASHED_LEAF : LEAF, partial.length, out);
      partialBytes(Uint8Array.from(partial), out);
      enc = Uint8Array.from([...out, ...valueOut]);
    }
  } else {
    header(!hasValue ? BRANCH_NO_VALUE : hashed ? HASHED_BRANCH : BRANCH_WITH_VALUE, partial.length, out);
    partialBytes(Uint8Array.from(partial), out);
    let bitmap = 0;
    cur.children!.forEach((c, i) => {
      if (c !== undefined) bitmap |= 1 << i;
    });
    out.push(bitmap & 0xff, bitmap >> 8);
    for (const b of valueOut) out.push(b);
    for (const c of cur.children!) {
      if (c === undefined) continue;
      let ref: Uint8Array;
      if (c.stub !== undefined) ref = c.stub;
      else {
        const ce = encodeAt(c, [], db);
        if (ce.length < HASH_LEN) ref = ce;
        else {
          ref = blake2b256(ce);
          db?.set(hex(ref), ce);
        }
      }
      for (const b of encodeCompact(ref.length)) out.push(b);
      for (const b of ref) out.push(b);
    }
    enc = Uint8Array.from(out);
  }
  if (db === undefined) start.cache = enc;
  return enc;
}

/** Expands a decoded node (and the proven nodes below it) into `at`. */
function expand(at: MNode, enc: Uint8Array, db: TrieDb): void {
  const node = decodeNode(enc);
  if (node.kind === 'empty') return;
  let cur = at;
  for (const nib of node.partial) {
    cur.children = new Array(16).fill(undefined);
    const c = mnode();
    cur.children[nib] = c;
    cur = c;
  }
  const setValue = (v: Uint8Array, hashed: boolean) => {
    if (!hashed) cur.value = v.slice();
    else {
      const got = db.get(hex(v));
      if (got !== undefined) cur.value = got.slice();
      else cur.valueHash = v.slice();
    }
  };
  if (node.kind === 'leaf') {
    setValue(node.value, node.hashed);
    return;
  }
  if (node.value !== undefined) setValue(node.value, node.hashed);
  cur.children = new Array(16).fill(undefined);
  node.children.forEach((ref, i) => {
    if (ref === undefined) return;
    const c = mnode();
    cur.children![i] = c;
    if (ref.length < HASH_LEN) expand(c, ref, db);
    else {
      const sub = db.get(hex(ref));
      if (sub === undefined) c.stub = ref.slice();
      else expand(c, sub, db);
    }
  });
}
