/** BLAKE2-256 (`BlakeTwo256`), the chain's hasher of headers, roots and signed payloads. */
import { blake2b } from '@noble/hashes/blake2.js';
import { abytes } from './assert.js';

/**
 * BLAKE2b with a 32-byte digest.
 * @example bytesToHex(blake2b256(new Uint8Array(0))) // 0e5751c0…
 */
export function blake2b256(data: Uint8Array): Uint8Array {
  abytes(data, undefined, 'data');
  return blake2b(data, { dkLen: 32 });
}
