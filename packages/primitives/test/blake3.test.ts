import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import fc from 'fast-check';
import { createBLAKE3 } from 'hash-wasm';
import { describe, expect, it } from 'vitest';
import {
  BLAKE3_HASH_SIZE,
  BLAKE3_KEY_SIZE,
  blake3,
  blake3_254,
  blake3Into,
  blake3Keyed,
  createBlake3,
  createBlake3Keyed32,
  initBlake3,
} from '../src/blake3.js';
import { bytesToHex, hexToBytes } from '../src/bytes.js';
import { PrimitivesError } from '../src/errors.js';

// Block (64) and chunk (1024) edges, multi-chunk trees with 2, 3, 31, 100 and 1024 chunks.
const LENGTHS = [
  0,
  1,
  31,
  32,
  33,
  63,
  64,
  65,
  80,
  127,
  128,
  129,
  1023,
  1024,
  1025,
  2048,
  2049,
  3072,
  31744,
  102400,
  1 << 20,
];

function pattern(n: number, seed = 0): Uint8Array {
  const d = new Uint8Array(n);
  for (let i = 0; i < n; i++) d[i] = (i * 251 + seed * 13 + (i >>> 8)) & 0xff;
  return d;
}

const KEY = pattern(32, 7);
const inputs = LENGTHS.map((n) => pattern(n));
// The reference digests (noble), computed once.
const plainRef = inputs.map((d) => bytesToHex(nobleBlake3(d)));
const keyedRef = inputs.map((d) => bytesToHex(nobleBlake3(d, { key: KEY })));

/** The same bytes at an odd byteOffset: the copy path for unaligned multi-chunk input. */
function unaligned(d: Uint8Array): Uint8Array {
  const u = new Uint8Array(d.length + 3);
  u.set(d, 3);
  return u.subarray(3);
}

function expectCode(f: () => unknown, code: string): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PrimitivesError);
    expect((e as PrimitivesError).code).toBe(code);
    return;
  }
  expect.unreachable(`expected ${code}`);
}

describe('blake3', () => {
  // First and synchronous: WebAssembly cannot have loaded before the first `await`, so this runs
  // every length on the pure-TypeScript engine (a long input only starts the load).
  it('the TypeScript engine matches @noble/hashes at every length (plain, keyed, unaligned)', () => {
    inputs.forEach((d, i) => {
      expect(bytesToHex(blake3(d)), `plain ${d.length}`).toBe(plainRef[i]);
      expect(bytesToHex(blake3(unaligned(d))), `plain unaligned ${d.length}`).toBe(plainRef[i]);
      expect(bytesToHex(blake3Keyed(KEY, d)), `keyed ${d.length}`).toBe(keyedRef[i]);
      expect(bytesToHex(blake3Keyed(KEY, unaligned(d))), `keyed unaligned ${d.length}`).toBe(keyedRef[i]);
      for (const step of [1000, 1024, 65536]) {
        const h = createBlake3();
        for (let at = 0; at < d.length; at += step) h.update(d.subarray(at, at + step));
        expect(bytesToHex(h.digest()), `stream ${d.length} step ${step}`).toBe(plainRef[i]);
      }
    });
  });

  it('initBlake3 loads the wasm engine; every path then matches hash-wasm and noble', async () => {
    expect(await initBlake3()).toBe(true);
    const hw = await createBLAKE3(256);
    const hwKeyed = await createBLAKE3(256, KEY);
    const out = new Uint8Array(40);
    inputs.forEach((d, i) => {
      expect(bytesToHex(hw.init().update(d).digest('binary'))).toBe(plainRef[i]);
      expect(bytesToHex(hwKeyed.init().update(d).digest('binary'))).toBe(keyedRef[i]);
      expect(bytesToHex(blake3(d)), `plain ${d.length}`).toBe(plainRef[i]);
      expect(bytesToHex(blake3(unaligned(d))), `plain unaligned ${d.length}`).toBe(plainRef[i]);
      expect(bytesToHex(blake3Keyed(KEY, d)), `keyed ${d.length}`).toBe(keyedRef[i]);
      expect(bytesToHex(blake3Into(out, d, undefined, 8).subarray(8)), `into ${d.length}`).toBe(plainRef[i]);
      expect(bytesToHex(blake3Into(out, d, KEY, 5).subarray(5, 37)), `into keyed ${d.length}`).toBe(
        keyedRef[i],
      );
    });
  });

  it('BLAKE3("") is the well-known empty digest', () => {
    expect(bytesToHex(blake3(new Uint8Array(0)))).toBe(
      'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262',
    );
    expect(bytesToHex(createBlake3().digest())).toBe(
      'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262',
    );
  });

  it('blake3_254 of the identity G1 commitment (0xc0 then 47 zero bytes)', () => {
    const c = new Uint8Array(48);
    c[0] = 0xc0;
    expect(bytesToHex(blake3_254(c))).toBe(
      '076c361415fc7aadab46f0b51c2293a963c62b102dc8bca649a3e563f5c7851d',
    );
  });

  it('blake3_254 is BLAKE3 with the two top bits of the first byte cleared', () =>
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (d) => {
        const full = blake3(d);
        const cut = blake3_254(d);
        expect(cut[0]).toBe(full[0]! & 0x3f);
        expect(cut.subarray(1)).toEqual(full.subarray(1));
      }),
    ));

  it('exports the sizes', () => {
    expect(BLAKE3_HASH_SIZE).toBe(32);
    expect(BLAKE3_KEY_SIZE).toBe(32);
  });
});

describe('blake3 properties', () => {
  const data = fc.uint8Array({ maxLength: 2300 });
  const key = fc.uint8Array({ minLength: 32, maxLength: 32 });

  it('matches noble for random inputs, plain and keyed, through every entry point', () =>
    fc.assert(
      fc.property(data, key, fc.nat(16), (d, k, offset) => {
        const plain = bytesToHex(nobleBlake3(d));
        const keyed = bytesToHex(nobleBlake3(d, { key: k }));
        expect(bytesToHex(blake3(d))).toBe(plain);
        expect(bytesToHex(blake3Keyed(k, d))).toBe(keyed);
        const out = new Uint8Array(offset + 32);
        expect(bytesToHex(blake3Into(out, d, undefined, offset).subarray(offset))).toBe(plain);
        expect(bytesToHex(blake3Into(out, d, k, offset).subarray(offset))).toBe(keyed);
        expect(bytesToHex(createBlake3().update(d).digest())).toBe(plain);
        expect(bytesToHex(createBlake3({ key: k }).update(d).digest())).toBe(keyed);
      }),
    ));

  it('a streamed input hashes like its concatenation, for any split', () =>
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 1500 }), { maxLength: 8 }),
        fc.boolean(),
        (parts, keyed) => {
          const whole = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
          let at = 0;
          for (const p of parts) {
            whole.set(p, at);
            at += p.length;
          }
          const h = keyed ? createBlake3({ key: KEY }) : createBlake3();
          for (const p of parts) h.update(p);
          const expected = keyed ? blake3Keyed(KEY, whole) : blake3(whole);
          expect(bytesToHex(h.digest())).toBe(bytesToHex(expected));
        },
      ),
    ));

  it('keyed 32-byte hashes (createBlake3Keyed32) match blake3Keyed at any offsets', () =>
    fc.assert(
      fc.property(key, fc.uint8Array({ minLength: 32, maxLength: 96 }), fc.nat(8), (k, buf, outOffset) => {
        const audit = createBlake3Keyed32(k);
        const out = new Uint8Array(outOffset + 32);
        for (let i = 0; i + 32 <= buf.length; i += 13) {
          audit(out, outOffset, buf, i);
          expect(bytesToHex(out.subarray(outOffset))).toBe(
            bytesToHex(nobleBlake3(buf.subarray(i, i + 32), { key: k })),
          );
        }
      }),
    ));
});

describe('blake3 streaming', () => {
  it('every fixed split size at every length matches the one-shot', () => {
    for (const [i, d] of inputs.entries()) {
      if (d.length > 102400) continue;
      for (const step of [1, 7, 63, 64, 65, 1000, 1024, 1025, 4096]) {
        if (step < 64 && d.length > 4096) continue; // keep the suite fast: small steps on small inputs
        const h = createBlake3();
        const hk = createBlake3({ key: KEY });
        for (let at = 0; at < d.length; at += step) {
          h.update(d.subarray(at, at + step));
          hk.update(d.subarray(at, at + step));
        }
        expect(bytesToHex(h.digest()), `len ${d.length} step ${step}`).toBe(plainRef[i]);
        expect(bytesToHex(hk.digest()), `keyed len ${d.length} step ${step}`).toBe(keyedRef[i]);
      }
    }
  });

  it('1 MiB in uneven updates', () => {
    const d = inputs[inputs.length - 1]!;
    const h = createBlake3();
    h.update(d.subarray(0, 1))
      .update(d.subarray(1, 5000))
      .update(d.subarray(5000, 700001))
      .update(d.subarray(700001));
    expect(bytesToHex(h.digest())).toBe(plainRef[plainRef.length - 1]);
  });

  it('interleaved streams and one-shots sharing the wasm instance stay independent', async () => {
    expect(await initBlake3()).toBe(true);
    const a = pattern(9000, 1);
    const b = pattern(7000, 2);
    const big = pattern(5000, 3);
    const ha = createBlake3();
    const hb = createBlake3();
    const hc = createBlake3();
    const out = new Uint8Array(32);
    for (let at = 0; at < 9000; at += 1500) {
      ha.update(a.subarray(at, at + 1500));
      expect(bytesToHex(blake3(big))).toBe(bytesToHex(nobleBlake3(big)));
      hb.update(b.subarray(at, at + 1500));
      blake3Into(out, big);
      expect(bytesToHex(ha.digest())).toBe(bytesToHex(nobleBlake3(a.subarray(0, at + 1500))));
      hc.update(big.subarray(0, 100)); // stays on the TS engine until it passes one chunk
    }
    expect(bytesToHex(out)).toBe(bytesToHex(nobleBlake3(big)));
    expect(bytesToHex(ha.digest())).toBe(bytesToHex(nobleBlake3(a)));
    expect(bytesToHex(hb.digest())).toBe(bytesToHex(nobleBlake3(b)));
    expect(bytesToHex(hc.digest())).toBe(
      bytesToHex(nobleBlake3(new Uint8Array(600).map((_, i) => big[i % 100]!))),
    );
    expect(bytesToHex(ha.reset().digest())).toBe(bytesToHex(nobleBlake3(new Uint8Array(0))));
    expect(bytesToHex(ha.update(b).digest())).toBe(bytesToHex(nobleBlake3(b)));
    expect(bytesToHex(hb.reset().update(a).digest())).toBe(bytesToHex(nobleBlake3(a)));
  });

  it('digest does not end the hasher; reset starts over and keeps the key', () => {
    const d = pattern(3000);
    const h = createBlake3({ key: KEY });
    h.update(d.subarray(0, 1500));
    expect(bytesToHex(h.digest())).toBe(bytesToHex(blake3Keyed(KEY, d.subarray(0, 1500))));
    expect(bytesToHex(h.digest())).toBe(bytesToHex(blake3Keyed(KEY, d.subarray(0, 1500))));
    h.update(d.subarray(1500));
    expect(bytesToHex(h.digest())).toBe(bytesToHex(blake3Keyed(KEY, d)));
    expect(bytesToHex(h.reset().update(d.subarray(0, 10)).digest())).toBe(
      bytesToHex(blake3Keyed(KEY, d.subarray(0, 10))),
    );
  });
});

describe('blake3 inputs', () => {
  it('does not mutate inputs', () => {
    for (const n of [32, 80, 5000]) {
      const d = pattern(n, 3);
      const k = KEY.slice();
      const copy = d.slice();
      blake3(d);
      blake3Keyed(k, d);
      blake3Into(new Uint8Array(32), d, k);
      blake3_254(d);
      createBlake3({ key: k }).update(d).digest();
      if (n === 32) createBlake3Keyed32(k)(new Uint8Array(32), 0, d, 0);
      expect(d).toEqual(copy);
      expect(k).toEqual(KEY);
    }
  });

  it('blake3Into may write over its own input', () => {
    const d = pattern(64, 5);
    const expected = blake3Keyed(KEY, d);
    blake3Into(d, d, KEY);
    expect(d.subarray(0, 32)).toEqual(expected);
  });

  it('rejects a key that is not 32 bytes with PRIMITIVES_INVALID_LENGTH', () => {
    const k31 = new Uint8Array(31);
    const d = new Uint8Array(10);
    expectCode(() => blake3Keyed(k31, d), 'PRIMITIVES_INVALID_LENGTH');
    expectCode(() => blake3Keyed(new Uint8Array(33), d), 'PRIMITIVES_INVALID_LENGTH');
    expectCode(() => blake3Into(new Uint8Array(32), d, k31), 'PRIMITIVES_INVALID_LENGTH');
    expectCode(() => createBlake3({ key: k31 }), 'PRIMITIVES_INVALID_LENGTH');
    expectCode(() => createBlake3Keyed32(k31), 'PRIMITIVES_INVALID_LENGTH');
  });

  it('rejects data that is not a Uint8Array with PRIMITIVES_INVALID_ARGUMENT', () => {
    for (const bad of ['abc', [1, 2, 3], null, undefined, 42, new Uint16Array(4)]) {
      const d = bad as unknown as Uint8Array;
      expectCode(() => blake3(d), 'PRIMITIVES_INVALID_ARGUMENT');
      expectCode(() => blake3_254(d), 'PRIMITIVES_INVALID_ARGUMENT');
      expectCode(() => blake3Keyed(KEY, d), 'PRIMITIVES_INVALID_ARGUMENT');
      expectCode(() => blake3Into(new Uint8Array(32), d), 'PRIMITIVES_INVALID_ARGUMENT');
      expectCode(() => createBlake3().update(d), 'PRIMITIVES_INVALID_ARGUMENT');
      expectCode(() => blake3Keyed(d, new Uint8Array(1)), 'PRIMITIVES_INVALID_ARGUMENT');
      expectCode(() => createBlake3Keyed32(KEY)(new Uint8Array(32), 0, d, 0), 'PRIMITIVES_INVALID_ARGUMENT');
    }
  });

  it('rejects an output or offsets that do not fit', () => {
    const d = new Uint8Array(10);
    expectCode(() => blake3Into(new Uint8Array(31), d), 'PRIMITIVES_INVALID_LENGTH');
    expectCode(() => blake3Into(new Uint8Array(40), d, undefined, 9), 'PRIMITIVES_INVALID_LENGTH');
    expectCode(() => blake3Into(new Uint8Array(40), d, undefined, -1), 'PRIMITIVES_OUT_OF_RANGE');
    expectCode(() => blake3Into(new Uint8Array(40), d, undefined, 1.5), 'PRIMITIVES_INVALID_ARGUMENT');
    const audit = createBlake3Keyed32(KEY);
    const buf = new Uint8Array(64);
    expectCode(() => audit(new Uint8Array(32), 0, buf, 33), 'PRIMITIVES_INVALID_LENGTH');
    expectCode(() => audit(new Uint8Array(32), 1, buf, 0), 'PRIMITIVES_INVALID_LENGTH');
    expectCode(() => audit(new Uint8Array(32), 0, buf, -1), 'PRIMITIVES_OUT_OF_RANGE');
    expectCode(() => audit(new Uint8Array(32), 0.5, buf, 0), 'PRIMITIVES_INVALID_ARGUMENT');
  });

  it('hexToBytes round trip of a digest (sanity of the helpers used above)', () => {
    const h = blake3(new Uint8Array([1, 2, 3]));
    expect(hexToBytes(bytesToHex(h))).toEqual(h);
  });
});
