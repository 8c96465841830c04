/**
 * ChaCha8Rng of rand_chacha 0.3 and rand 0.8's `SliceRandom::shuffle` (decex §5), bit-exact:
 * key = the 32-byte seed, 64-bit block counter from 0, stream 0, 8 rounds; `nextU32` returns the
 * keystream's little-endian words in order. `shuffle` is Fisher–Yates from the end with
 * `gen_index(i + 1)` sampled as rand's `UniformInt<u32>::sample_single` (widening multiply with
 * rejection zone `(range << lz(range)) − 1`).
 */
import { invalidArgument } from './errors.js';

const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];

export class ChaCha8Rng {
  private readonly state = new Uint32Array(16);
  private readonly block = new Uint32Array(16);
  private index = 16;

  constructor(seed: Uint8Array) {
    if (!(seed instanceof Uint8Array) || seed.length !== 32)
      throw invalidArgument('seed', 'expected 32 bytes');
    const dv = new DataView(seed.buffer, seed.byteOffset, 32);
    this.state.set(SIGMA);
    for (let i = 0; i < 8; i++) this.state[4 + i] = dv.getUint32(4 * i, true);
    // words 12..15: counter low/high, stream low/high, all 0
  }

  private refill(): void {
    const x = this.block;
    x.set(this.state);
    for (let r = 0; r < 4; r++) {
      qr(x, 0, 4, 8, 12);
      qr(x, 1, 5, 9, 13);
      qr(x, 2, 6, 10, 14);
      qr(x, 3, 7, 11, 15);
      qr(x, 0, 5, 10, 15);
      qr(x, 1, 6, 11, 12);
      qr(x, 2, 7, 8, 13);
      qr(x, 3, 4, 9, 14);
    }
    for (let i = 0; i < 16; i++) x[i] = (x[i]! + this.state[i]!) >>> 0;
    // 64-bit block counter
    this.state[12] = (this.state[12]! + 1) >>> 0;
    if (this.state[12] === 0) this.state[13] = (this.state[13]! + 1) >>> 0;
    this.index = 0;
  }

  nextU32(): number {
    if (this.index >= 16) this.refill();
    return this.block[this.index++]!;
  }

  /** `fill_bytes`: the keystream bytes (little-endian words, consumed whole as rand_core does). */
  fillBytes(out: Uint8Array): Uint8Array {
    let i = 0;
    while (i < out.length) {
      const w = this.nextU32();
      for (let k = 0; k < 4 && i < out.length; k++) out[i++] = (w >>> (8 * k)) & 0xff;
    }
    return out;
  }
}

function qr(x: Uint32Array, a: number, b: number, c: number, d: number): void {
  x[a] = (x[a]! + x[b]!) >>> 0;
  x[d] = rotl(x[d]! ^ x[a]!, 16);
  x[c] = (x[c]! + x[d]!) >>> 0;
  x[b] = rotl(x[b]! ^ x[c]!, 12);
  x[a] = (x[a]! + x[b]!) >>> 0;
  x[d] = rotl(x[d]! ^ x[a]!, 8);
  x[c] = (x[c]! + x[d]!) >>> 0;
  x[b] = rotl(x[b]! ^ x[c]!, 7);
}
function rotl(v: number, n: number): number {
  return ((v << n) | (v >>> (32 - n))) >>> 0;
}

/** rand's `gen_index(ub)` for `ub` that fits in u32: uniform in `[0, ub)`. */
export function genIndex(rng: ChaCha8Rng, ub: number): number {
  const range = ub >>> 0;
  const zone = ((range << Math.clz32(range)) - 1) >>> 0;
  for (;;) {
    const v = rng.nextU32();
    // m = v * range as u64: split to stay exact in doubles.
    const lo16 = (v & 0xffff) * range;
    const hi16 = (v >>> 16) * range;
    const lo = (lo16 + (hi16 & 0xffff) * 0x10000) % 0x1_0000_0000;
    const hi = Math.floor((hi16 + Math.floor(lo16 / 0x10000)) / 0x10000);
    if (lo <= zone) return hi;
  }
}

/** `SliceRandom::shuffle` in place. */
export function shuffleInPlace<T>(items: T[], rng: ChaCha8Rng): T[] {
  for (let i = items.length - 1; i >= 1; i--) {
    const j = genIndex(rng, i + 1);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}
