/**
 * The f1 keystream (farming §2.1): ChaCha with 8 rounds, the 32-byte seed as key, a zero nonce and a
 * block counter from 0. Our own block function over a Uint32Array; the whole-table stream is 40 960
 * blocks at K=20 (~10 ms), so it is not worth more than a plain loop.
 */

// "expand 32-byte k"
const SIGMA0 = 0x61707865;
const SIGMA1 = 0x3320646e;
const SIGMA2 = 0x79622d32;
const SIGMA3 = 0x6b206574;

/** The 8 key words of a seed, read little-endian. */
export function chachaKey(seed: Uint8Array): Uint32Array {
  const key = new Uint32Array(8);
  for (let i = 0; i < 8; i++) {
    key[i] = seed[4 * i]! | (seed[4 * i + 1]! << 8) | (seed[4 * i + 2]! << 16) | (seed[4 * i + 3]! << 24);
  }
  return key;
}

/**
 * Writes keystream blocks `first .. first + count - 1` as bytes (the 16 words of each block
 * little-endian) into `out` at `outOffset`.
 */
export function chacha8Blocks(
  key: Uint32Array,
  first: number,
  count: number,
  out: Uint8Array,
  outOffset = 0,
): void {
  const k0 = key[0]! | 0;
  const k1 = key[1]! | 0;
  const k2 = key[2]! | 0;
  const k3 = key[3]! | 0;
  const k4 = key[4]! | 0;
  const k5 = key[5]! | 0;
  const k6 = key[6]! | 0;
  const k7 = key[7]! | 0;
  for (let b = 0; b < count; b++) {
    const ctr = (first + b) | 0;
    let x0 = SIGMA0;
    let x1 = SIGMA1;
    let x2 = SIGMA2;
    let x3 = SIGMA3;
    let x4 = k0;
    let x5 = k1;
    let x6 = k2;
    let x7 = k3;
    let x8 = k4;
    let x9 = k5;
    let x10 = k6;
    let x11 = k7;
    let x12 = ctr;
    let x13 = 0;
    let x14 = 0;
    let x15 = 0;
    for (let r = 0; r < 4; r++) {
      // column round
      x0 = (x0 + x4) | 0;
      x12 ^= x0;
      x12 = (x12 << 16) | (x12 >>> 16);
      x8 = (x8 + x12) | 0;
      x4 ^= x8;
      x4 = (x4 << 12) | (x4 >>> 20);
      x0 = (x0 + x4) | 0;
      x12 ^= x0;
      x12 = (x12 << 8) | (x12 >>> 24);
      x8 = (x8 + x12) | 0;
      x4 ^= x8;
      x4 = (x4 << 7) | (x4 >>> 25);
      x1 = (x1 + x5) | 0;
      x13 ^= x1;
      x13 = (x13 << 16) | (x13 >>> 16);
      x9 = (x9 + x13) | 0;
      x5 ^= x9;
      x5 = (x5 << 12) | (x5 >>> 20);
      x1 = (x1 + x5) | 0;
      x13 ^= x1;
      x13 = (x13 << 8) | (x13 >>> 24);
      x9 = (x9 + x13) | 0;
      x5 ^= x9;
      x5 = (x5 << 7) | (x5 >>> 25);
      x2 = (x2 + x6) | 0;
      x14 ^= x2;
      x14 = (x14 << 16) | (x14 >>> 16);
      x10 = (x10 + x14) | 0;
      x6 ^= x10;
      x6 = (x6 << 12) | (x6 >>> 20);
      x2 = (x2 + x6) | 0;
      x14 ^= x2;
      x14 = (x14 << 8) | (x14 >>> 24);
      x10 = (x10 + x14) | 0;
      x6 ^= x10;
      x6 = (x6 << 7) | (x6 >>> 25);
      x3 = (x3 + x7) | 0;
      x15 ^= x3;
      x15 = (x15 << 16) | (x15 >>> 16);
      x11 = (x11 + x15) | 0;
      x7 ^= x11;
      x7 = (x7 << 12) | (x7 >>> 20);
      x3 = (x3 + x7) | 0;
      x15 ^= x3;
      x15 = (x15 << 8) | (x15 >>> 24);
      x11 = (x11 + x15) | 0;
      x7 ^= x11;
      x7 = (x7 << 7) | (x7 >>> 25);
      // diagonal round
      x0 = (x0 + x5) | 0;
      x15 ^= x0;
      x15 = (x15 << 16) | (x15 >>> 16);
      x10 = (x10 + x15) | 0;
      x5 ^= x10;
      x5 = (x5 << 12) | (x5 >>> 20);
      x0 = (x0 + x5) | 0;
      x15 ^= x0;
      x15 = (x15 << 8) | (x15 >>> 24);
      x10 = (x10 + x15) | 0;
      x5 ^= x10;
      x5 = (x5 << 7) | (x5 >>> 25);
      x1 = (x1 + x6) | 0;
      x12 ^= x1;
      x12 = (x12 << 16) | (x12 >>> 16);
      x11 = (x11 + x12) | 0;
      x6 ^= x11;
      x6 = (x6 << 12) | (x6 >>> 20);
      x1 = (x1 + x6) | 0;
      x12 ^= x1;
      x12 = (x12 << 8) | (x12 >>> 24);
      x11 = (x11 + x12) | 0;
      x6 ^= x11;
      x6 = (x6 << 7) | (x6 >>> 25);
      x2 = (x2 + x7) | 0;
      x13 ^= x2;
      x13 = (x13 << 16) | (x13 >>> 16);
      x8 = (x8 + x13) | 0;
      x7 ^= x8;
      x7 = (x7 << 12) | (x7 >>> 20);
      x2 = (x2 + x7) | 0;
      x13 ^= x2;
      x13 = (x13 << 8) | (x13 >>> 24);
      x8 = (x8 + x13) | 0;
      x7 ^= x8;
      x7 = (x7 << 7) | (x7 >>> 25);
      x3 = (x3 + x4) | 0;
      x14 ^= x3;
      x14 = (x14 << 16) | (x14 >>> 16);
      x9 = (x9 + x14) | 0;
      x4 ^= x9;
      x4 = (x4 << 12) | (x4 >>> 20);
      x3 = (x3 + x4) | 0;
      x14 ^= x3;
      x14 = (x14 << 8) | (x14 >>> 24);
      x9 = (x9 + x14) | 0;
      x4 ^= x9;
      x4 = (x4 << 7) | (x4 >>> 25);
    }
    const o = outOffset + 64 * b;
    put(out, o, x0 + SIGMA0);
    put(out, o + 4, x1 + SIGMA1);
    put(out, o + 8, x2 + SIGMA2);
    put(out, o + 12, x3 + SIGMA3);
    put(out, o + 16, x4 + k0);
    put(out, o + 20, x5 + k1);
    put(out, o + 24, x6 + k2);
    put(out, o + 28, x7 + k3);
    put(out, o + 32, x8 + k4);
    put(out, o + 36, x9 + k5);
    put(out, o + 40, x10 + k6);
    put(out, o + 44, x11 + k7);
    put(out, o + 48, x12 + ctr);
    put(out, o + 52, x13);
    put(out, o + 56, x14);
    put(out, o + 60, x15);
  }
}

function put(out: Uint8Array, o: number, w: number): void {
  out[o] = w;
  out[o + 1] = w >>> 8;
  out[o + 2] = w >>> 16;
  out[o + 3] = w >>> 24;
}
