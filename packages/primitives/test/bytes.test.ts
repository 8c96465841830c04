import { thrownCode } from '@autonomys/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  beToBigint,
  bytesToHex,
  compareBytes,
  concatBytes,
  equalBytes,
  hexToBytes,
  leToBigint,
  PrimitivesError,
  readU16Le,
  readU32Le,
  readU64Le,
  uintToBe,
  uintToLe,
  xorBytes,
} from '../src/index.js';

const code = (fn: () => unknown) => thrownCode(fn, PrimitivesError);

describe('hex', () => {
  it('round-trips any bytes', () =>
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        expect(hexToBytes(bytesToHex(b))).toEqual(b);
      }),
    ));
  it('accepts 0x and upper case', () => {
    expect(hexToBytes('0xABcd')).toEqual(new Uint8Array([0xab, 0xcd]));
    expect(bytesToHex(new Uint8Array([1, 171]))).toBe('01ab');
  });
  it('rejects odd length, bad digits and wrong lengths with typed errors', () => {
    expect(code(() => hexToBytes('abc'))).toBe('PRIMITIVES_INVALID_HEX');
    expect(code(() => hexToBytes('zz'))).toBe('PRIMITIVES_INVALID_HEX');
    expect(code(() => hexToBytes('abcd', 3))).toBe('PRIMITIVES_INVALID_LENGTH');
    expect(code(() => hexToBytes(5 as unknown as string))).toBe('PRIMITIVES_INVALID_ARGUMENT');
    expect(code(() => bytesToHex([1, 2] as unknown as Uint8Array))).toBe('PRIMITIVES_INVALID_ARGUMENT');
  });
  it('never throws anything but PrimitivesError on random strings', () =>
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        try {
          hexToBytes(s);
        } catch (e) {
          expect(e).toBeInstanceOf(PrimitivesError);
        }
      }),
    ));
});

describe('concat, equal, compare, xor', () => {
  it('concatenates without mutating inputs', () => {
    const a = new Uint8Array([1, 2]);
    const b = new Uint8Array([3]);
    expect(concatBytes(a, b)).toEqual(new Uint8Array([1, 2, 3]));
    expect(a).toEqual(new Uint8Array([1, 2]));
    expect(concatBytes()).toEqual(new Uint8Array(0));
  });
  it('compares', () => {
    expect(equalBytes(new Uint8Array([1]), new Uint8Array([1]))).toBe(true);
    expect(equalBytes(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(false);
    expect(compareBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBeLessThan(0);
    expect(compareBytes(new Uint8Array([1]), new Uint8Array([1, 0]))).toBeLessThan(0);
    expect(compareBytes(new Uint8Array([2]), new Uint8Array([1, 9]))).toBeGreaterThan(0);
  });
  it('xors equal lengths only', () => {
    expect(xorBytes(new Uint8Array([0xf0, 1]), new Uint8Array([0xff, 1]))).toEqual(new Uint8Array([0x0f, 0]));
    expect(code(() => xorBytes(new Uint8Array(2), new Uint8Array(3)))).toBe('PRIMITIVES_INVALID_LENGTH');
  });
});

describe('integer codecs', () => {
  it('encode both byte orders up to u256', () => {
    expect(uintToLe(1, 2)).toEqual(new Uint8Array([1, 0]));
    expect(uintToBe(0x0102, 2)).toEqual(new Uint8Array([1, 2]));
    expect(uintToLe(2n ** 64n - 1n, 8)).toEqual(new Uint8Array(8).fill(255));
    expect(uintToBe(2n ** 256n - 1n, 32)).toEqual(new Uint8Array(32).fill(255));
  });
  it('round-trip random values of every width', () =>
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 4, 8, 16, 32 as const),
        fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
        (w, v) => {
          const width = w as 1 | 2 | 4 | 8 | 16 | 32;
          const x = v % (1n << BigInt(8 * width));
          expect(leToBigint(uintToLe(x, width))).toBe(x);
          expect(beToBigint(uintToBe(x, width))).toBe(x);
        },
      ),
    ));
  it('read little-endian fixed integers', () => {
    const b = hexToBytes('0102030405060708ff');
    expect(readU16Le(b)).toBe(0x0201);
    expect(readU32Le(b, 4)).toBe(0x08070605);
    expect(readU32Le(hexToBytes('ffffffff'))).toBe(0xffffffff);
    expect(readU64Le(b)).toBe(0x0807060504030201n);
  });
  it('reject values out of range, bad widths and short reads', () => {
    expect(code(() => uintToLe(256, 1))).toBe('PRIMITIVES_OUT_OF_RANGE');
    expect(code(() => uintToLe(-1, 4))).toBe('PRIMITIVES_OUT_OF_RANGE');
    expect(code(() => uintToLe(1.5, 4))).toBe('PRIMITIVES_INVALID_ARGUMENT');
    expect(code(() => uintToLe(2n ** 64n, 8))).toBe('PRIMITIVES_OUT_OF_RANGE');
    expect(code(() => uintToLe(1, 3 as 4))).toBe('PRIMITIVES_INVALID_ARGUMENT');
    expect(code(() => readU32Le(new Uint8Array(3)))).toBe('PRIMITIVES_UNEXPECTED_END');
    expect(code(() => leToBigint(new Uint8Array(33)))).toBe('PRIMITIVES_INVALID_LENGTH');
  });
});
