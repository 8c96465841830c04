/**
 * Byte helpers of the trie node codec, shared by the full (`trie.ts`) and the incremental
 * (`trie-cache.ts`) root computations. Internal: not exported from the package.
 */
import { concatBytes } from '@autonomys/primitives';

/** The parts one after another in one new array. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return concatBytes(...parts);
}

/** Node header: `prefix` in the high bits, then the nibble count in `bits` low bits with overflow bytes. */
export function header(prefix: number, bits: number, count: number): Uint8Array {
  const max = (1 << bits) - 1;
  if (count < max) return Uint8Array.of(prefix | count);
  const out = [prefix | max];
  let rest = count - max;
  while (rest >= 255) {
    out.push(255);
    rest -= 255;
  }
  out.push(rest);
  return Uint8Array.from(out);
}
