/**
 * The execution trace root (decex §6): rs_merkle with a BLAKE2b-256 hasher over the 32-byte trace
 * entries as leaves (not re-hashed); parent = BLAKE2b-256(left ‖ right); an odd last node is carried
 * up unchanged; one leaf is its own root; zero leaves have no root.
 */
import { blake2b256 } from './hash.js';

/** The Merkle root of the execution trace, or `undefined` for an empty trace. */
export function executionTraceRoot(trace: readonly Uint8Array[]): Uint8Array | undefined {
  if (trace.length === 0) return undefined;
  let level = trace.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const r = level[i + 1];
      if (r === undefined) next.push(level[i]!);
      else {
        const b = new Uint8Array(64);
        b.set(level[i]!);
        b.set(r, 32);
        next.push(blake2b256(b));
      }
    }
    level = next;
  }
  return level[0]!;
}
