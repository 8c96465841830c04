/**
 * AES-128 encryption in plain TypeScript (FIPS-197), shaped for the proof-of-time chain
 * x_{i+1} = AES_k(x_i): the block stays in four 32-bit words for the whole chain, so an iteration is
 * 10 table rounds with no byte conversion and no allocation. For runtimes without node:crypto
 * (browsers); ~20-40x slower than AES-NI. No node: imports here.
 *
 * Tables ("T-tables": SubBytes, ShiftRows and MixColumns of one byte as a 32-bit column) are built
 * from the S-box at first use, and the S-box from GF(2^8) inverses and the affine map, so the file
 * carries no constant tables to mistype.
 */

let SBOX: Uint8Array | undefined;
// Int32Array, not Uint32Array: V8 keeps int32 values unboxed; `>>> 24` still yields 0..255.
let T0: Int32Array;
let T1: Int32Array;
let T2: Int32Array;
let T3: Int32Array;

function buildTables(): Uint8Array {
  const sbox = new Uint8Array(256);
  // Powers of the generator 3 walk all 255 non-zero field elements: exp/log tables give inverses.
  const exp = new Uint8Array(256);
  const log = new Uint8Array(256);
  for (let i = 0, x = 1; i < 255; i++) {
    exp[i] = x;
    log[x] = i;
    x ^= (x << 1) ^ (x & 0x80 ? 0x11b : 0); // x * 3 = x * 2 xor x, reduced mod x^8+x^4+x^3+x+1
  }
  for (let a = 0; a < 256; a++) {
    const inv = a === 0 ? 0 : exp[(255 - log[a]!) % 255]!;
    // Affine map: b xor rotl(b,1) xor rotl(b,2) xor rotl(b,3) xor rotl(b,4) xor 0x63
    let s = inv;
    for (let r = 1; r <= 4; r++) s ^= ((inv << r) | (inv >>> (8 - r))) & 0xff;
    sbox[a] = s ^ 0x63;
  }
  T0 = new Int32Array(256);
  T1 = new Int32Array(256);
  T2 = new Int32Array(256);
  T3 = new Int32Array(256);
  for (let a = 0; a < 256; a++) {
    const s = sbox[a]!;
    const s2 = ((s << 1) ^ (s & 0x80 ? 0x11b : 0)) & 0xff;
    const s3 = s2 ^ s;
    // Column (2s, s, s, 3s) for the byte in row 0, rotated for rows 1..3.
    const t = (s2 << 24) | (s << 16) | (s << 8) | s3;
    T0[a] = t;
    T1[a] = (t >>> 8) | (t << 24);
    T2[a] = (t >>> 16) | (t << 16);
    T3[a] = (t >>> 24) | (t << 8);
  }
  SBOX = sbox;
  return sbox;
}

/** The 44 round-key words of AES-128 (big-endian words, as FIPS-197 writes them). */
export function expandKey(key: Uint8Array): Int32Array {
  const S = SBOX ?? buildTables();
  const w = new Int32Array(44);
  for (let i = 0; i < 4; i++)
    w[i] = (key[4 * i]! << 24) | (key[4 * i + 1]! << 16) | (key[4 * i + 2]! << 8) | key[4 * i + 3]!;
  let rcon = 1;
  for (let i = 4; i < 44; i++) {
    let t = w[i - 1]!;
    if (i % 4 === 0) {
      // SubWord(RotWord(t)) xor Rcon
      t =
        ((S[(t >>> 16) & 0xff]! << 24) | (S[(t >>> 8) & 0xff]! << 16) | (S[t & 0xff]! << 8) | S[t >>> 24]!) ^
        (rcon << 24);
      rcon = ((rcon << 1) ^ (rcon & 0x80 ? 0x11b : 0)) & 0xff;
    }
    w[i] = w[i - 4]! ^ t;
  }
  return w;
}

/**
 * Runs `iterations` AES-128 encryptions of the 16-byte block at `inOff` of `input`, each output
 * feeding the next, and writes the final block at `outOff` of `out`. `rk` comes from
 * {@link expandKey}. `out` may alias `input`.
 */
export function aesChainWords(
  rk: Int32Array,
  input: Uint8Array,
  inOff: number,
  out: Uint8Array,
  outOff: number,
  iterations: number,
): void {
  const S = SBOX ?? buildTables();
  const t0 = T0;
  const t1 = T1;
  const t2 = T2;
  const t3 = T3;
  let s0 = rd(input, inOff);
  let s1 = rd(input, inOff + 4);
  let s2 = rd(input, inOff + 8);
  let s3 = rd(input, inOff + 12);
  for (let n = 0; n < iterations; n++) {
    s0 ^= rk[0]!;
    s1 ^= rk[1]!;
    s2 ^= rk[2]!;
    s3 ^= rk[3]!;
    for (let r = 4; r < 40; r += 4) {
      const a = t0[s0 >>> 24]! ^ t1[(s1 >>> 16) & 0xff]! ^ t2[(s2 >>> 8) & 0xff]! ^ t3[s3 & 0xff]! ^ rk[r]!;
      const b =
        t0[s1 >>> 24]! ^ t1[(s2 >>> 16) & 0xff]! ^ t2[(s3 >>> 8) & 0xff]! ^ t3[s0 & 0xff]! ^ rk[r + 1]!;
      const c =
        t0[s2 >>> 24]! ^ t1[(s3 >>> 16) & 0xff]! ^ t2[(s0 >>> 8) & 0xff]! ^ t3[s1 & 0xff]! ^ rk[r + 2]!;
      const d =
        t0[s3 >>> 24]! ^ t1[(s0 >>> 16) & 0xff]! ^ t2[(s1 >>> 8) & 0xff]! ^ t3[s2 & 0xff]! ^ rk[r + 3]!;
      s0 = a;
      s1 = b;
      s2 = c;
      s3 = d;
    }
    // Last round: no MixColumns, so bytes come straight from the S-box.
    const a =
      ((S[s0 >>> 24]! << 24) |
        (S[(s1 >>> 16) & 0xff]! << 16) |
        (S[(s2 >>> 8) & 0xff]! << 8) |
        S[s3 & 0xff]!) ^
      rk[40]!;
    const b =
      ((S[s1 >>> 24]! << 24) |
        (S[(s2 >>> 16) & 0xff]! << 16) |
        (S[(s3 >>> 8) & 0xff]! << 8) |
        S[s0 & 0xff]!) ^
      rk[41]!;
    const c =
      ((S[s2 >>> 24]! << 24) |
        (S[(s3 >>> 16) & 0xff]! << 16) |
        (S[(s0 >>> 8) & 0xff]! << 8) |
        S[s1 & 0xff]!) ^
      rk[42]!;
    const d =
      ((S[s3 >>> 24]! << 24) |
        (S[(s0 >>> 16) & 0xff]! << 16) |
        (S[(s1 >>> 8) & 0xff]! << 8) |
        S[s2 & 0xff]!) ^
      rk[43]!;
    s0 = a;
    s1 = b;
    s2 = c;
    s3 = d;
  }
  wr(out, outOff, s0);
  wr(out, outOff + 4, s1);
  wr(out, outOff + 8, s2);
  wr(out, outOff + 12, s3);
}

/**
 * `iterations` steps of x ← AES-128_key(x) from `block` in pure TypeScript.
 * @example aesChainTs(key, block, 1) // one AES-128 encryption of block
 */
export function aesChainTs(key: Uint8Array, block: Uint8Array, iterations: number): Uint8Array {
  const out = new Uint8Array(16);
  aesChainWords(expandKey(key), block, 0, out, 0, iterations);
  return out;
}

function rd(b: Uint8Array, o: number): number {
  return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
}

function wr(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = v >>> 16;
  b[o + 2] = v >>> 8;
  b[o + 3] = v;
}
