import { blake3, hexToBytes } from '@autonomys/primitives';
import { loadVectors } from '@autonomys/test-utils';

export interface Vector {
  id: string;
  [key: string]: unknown;
}
export const farming = loadVectors<{ vectors: Vector[] }>('farming.json');
export const posVectors = farming.vectors.filter((v) => v.id.startsWith('pos.'));
export function vector<T>(id: string): T {
  const v = farming.vectors.find((x) => x.id === id);
  if (v === undefined) throw new Error(`no vector ${id}`);
  return v as unknown as T;
}

/** The K=20 seed of the reference's find_proof test. */
export const SEED20 = hexToBytes('23023404333717545b0a6f0c0dde9710e4d3fe2d5cc6cc0a090a0b818bab0f17');
export const SEED01 = new Uint8Array(32).fill(1);

/** seed_i = BLAKE3(LE4(i)) (pos.properties k20_many_seeds). */
export function seedOf(i: number): Uint8Array {
  const le = new Uint8Array(4);
  new DataView(le.buffer).setUint32(0, i, true);
  return blake3(le);
}
