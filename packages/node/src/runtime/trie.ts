/**
 * Substrate's base-16 Patricia-Merkle trie root, layout V1, BLAKE2-256 (pot-consensus-dsn B.11):
 * the state root over every storage (key, value) and the ordered root of the extrinsics. Our own
 * implementation: the trie is rebuilt from the sorted pairs (state sizes here are small).
 */
import { encodeCompact } from '@autonomys/primitives';
import { blake2b256 } from '../chain/hash.js';
import { concat, header } from './trie-bytes.js';

/** Values of this many bytes or more are stored hashed (layout V1). */
export const TRIE_V1_INLINE_THRESHOLD = 33;

/** `blake2_256([0x00])`: the root of the empty trie. */
export const EMPTY_TRIE_ROOT: Uint8Array = blake2b256(Uint8Array.of(0));

type Entry = { readonly nibbles: Uint8Array; readonly value: Uint8Array };

function toNibbles(key: Uint8Array): Uint8Array {
  const n = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    n[2 * i] = key[i]! >> 4;
    n[2 * i + 1] = key[i]! & 15;
  }
  return n;
}

function partial(nibbles: Uint8Array, from: number, to: number): Uint8Array {
  const count = to - from;
  const out = new Uint8Array((count + 1) >> 1);
  let at = 0;
  let i = from;
  if (count % 2 === 1) out[at++] = nibbles[i++]!;
  while (i < to) {
    out[at++] = (nibbles[i]! << 4) | nibbles[i + 1]!;
    i += 2;
  }
  return out;
}

function valueBytes(v: Uint8Array, hashed: boolean): Uint8Array {
  return hashed ? blake2b256(v) : concat([encodeCompact(v.length), v]);
}

function childRef(encoded: Uint8Array): Uint8Array {
  const data = encoded.length >= 32 ? blake2b256(encoded) : encoded;
  return concat([encodeCompact(data.length), data]);
}

/** Encodes the node holding `entries` (sorted, distinct, sharing nibbles `[0, depth)`). */
function encodeNode(entries: readonly Entry[], depth: number): Uint8Array {
  const first = entries[0]!;
  if (entries.length === 1) {
    const hashed = first.value.length >= TRIE_V1_INLINE_THRESHOLD;
    const count = first.nibbles.length - depth;
    return concat([
      hashed ? header(0x20, 5, count) : header(0x40, 6, count),
      partial(first.nibbles, depth, first.nibbles.length),
      valueBytes(first.value, hashed),
    ]);
  }
  // Common prefix of the first and last (sorted) keys is the common prefix of all.
  const last = entries[entries.length - 1]!;
  let end = depth;
  while (end < first.nibbles.length && end < last.nibbles.length && first.nibbles[end] === last.nibbles[end])
    end++;
  let value: Uint8Array | undefined;
  const children: Entry[][] = Array.from({ length: 16 }, () => []);
  for (const e of entries) {
    if (e.nibbles.length === end) value = e.value;
    else children[e.nibbles[end]!]!.push(e);
  }
  let bitmap = 0;
  const refs: Uint8Array[] = [];
  for (let i = 0; i < 16; i++) {
    const c = children[i]!;
    if (c.length === 0) continue;
    bitmap |= 1 << i;
    refs.push(childRef(encodeNode(c, end + 1)));
  }
  const count = end - depth;
  const parts: Uint8Array[] = [];
  if (value === undefined) parts.push(header(0x80, 6, count));
  else if (value.length >= TRIE_V1_INLINE_THRESHOLD) parts.push(header(0x10, 4, count));
  else parts.push(header(0xc0, 6, count));
  parts.push(partial(first.nibbles, depth, end), Uint8Array.of(bitmap & 0xff, bitmap >> 8));
  if (value !== undefined) parts.push(valueBytes(value, value.length >= TRIE_V1_INLINE_THRESHOLD));
  parts.push(...refs);
  return concat(parts);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * The V1 trie root of key/value pairs (later duplicates of a key win).
 * @example bytesToHex(trieRoot([])) // 03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314
 */
export function trieRoot(pairs: Iterable<readonly [Uint8Array, Uint8Array]>): Uint8Array {
  const byKey = new Map<string, readonly [Uint8Array, Uint8Array]>();
  for (const p of pairs) byKey.set(Buffer.from(p[0]).toString('hex'), p);
  if (byKey.size === 0) return EMPTY_TRIE_ROOT.slice();
  const entries = [...byKey.values()]
    .sort((a, b) => compareBytes(a[0], b[0]))
    .map(([k, v]) => ({ nibbles: toNibbles(k), value: v }));
  return blake2b256(encodeNode(entries, 0));
}

/**
 * The ordered trie root of a list (the extrinsics root): keys `Compact<u32>(i)`, values the items.
 * @example orderedTrieRoot([]) // EMPTY_TRIE_ROOT
 */
export function orderedTrieRoot(items: readonly Uint8Array[]): Uint8Array {
  return trieRoot(items.map((v, i) => [encodeCompact(i), v] as const));
}
