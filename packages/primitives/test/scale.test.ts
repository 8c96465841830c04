import { loadVectors } from '@autonomys/test-utils';
import { compactToU8a } from '@polkadot/util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  compactLength,
  encodeCompact,
  hexToBytes,
  PrimitivesError,
  ScaleReader,
  ScaleWriter,
} from '../src/index.js';

const archiving = loadVectors<{ structural_vectors: { compact_u32_examples_hex: Record<string, string> } }>(
  'archiving.json',
);

describe('Compact<u32> (archiving §3.2)', () => {
  it.each(Object.entries(archiving.structural_vectors.compact_u32_examples_hex))('%s -> %s', (value, hex) => {
    const v = Number(value);
    expect(bytesToHex(encodeCompact(v))).toBe(hex);
    expect(compactLength(v)).toBe(hex.length / 2);
    const r = new ScaleReader(hexToBytes(hex));
    expect(r.compactU32()).toBe(v);
    r.finish();
  });

  it('encodes like @polkadot/util for any u32 and u64', () =>
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
        (v) => {
          const ours = encodeCompact(v);
          expect(bytesToHex(ours)).toBe(bytesToHex(compactToU8a(v)));
          expect(new ScaleReader(ours).compactBig('c', 8)).toBe(BigInt(v));
        },
      ),
    ));

  it('rejects non-canonical encodings, as parity-scale-codec does', () => {
    for (const hex of ['1500', '0100', '02000000', 'feff0000', '03ffffff3f', '07ffffffff00', '03000000']) {
      const r = new ScaleReader(hexToBytes(hex));
      expect(() => {
        r.compactBig('c', 8);
        r.finish();
      }, hex).toThrow(PrimitivesError);
    }
    // the 5-byte mode of a u32 only with prefix 0x03
    expect(() => new ScaleReader(hexToBytes('070000000001')).compactU32()).toThrow(PrimitivesError);
    expect(new ScaleReader(hexToBytes('070000000001')).compactBig('c', 8)).toBe(2n ** 32n);
  });

  it('decoding random bytes only ever throws PrimitivesError', () =>
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (b) => {
        try {
          new ScaleReader(b).compactBig('c', 16);
        } catch (e) {
          expect(e).toBeInstanceOf(PrimitivesError);
        }
      }),
    ));
});

describe('ScaleReader / ScaleWriter', () => {
  it('round-trip mixed values', () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.uint8Array({ maxLength: 300 }),
        fc.option(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { nil: undefined }),
        (a, b, c, d, bytes, opt) => {
          const w = new ScaleWriter(1).u8(a).u16(b).u32(c).u64(d).vecU8(bytes);
          if (opt === undefined) w.u8(0);
          else w.u8(1).u32(opt);
          const r = new ScaleReader(w.finish());
          expect([r.u8(), r.u16(), r.u32(), r.u64(), r.vecU8(), r.option((x) => x.u32())]).toEqual([
            a,
            b,
            c,
            d,
            bytes,
            opt,
          ]);
          r.finish();
        },
      ),
    ));
  it('reports short input, trailing bytes, bad tags and oversized lengths', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as PrimitivesError).code;
      }
      return 'none';
    };
    expect(codeOf(() => new ScaleReader(new Uint8Array(3)).u32())).toBe('PRIMITIVES_UNEXPECTED_END');
    expect(codeOf(() => new ScaleReader(new Uint8Array(3)).finish())).toBe('PRIMITIVES_TRAILING_BYTES');
    expect(codeOf(() => new ScaleReader(new Uint8Array([2])).option((r) => r.u8()))).toBe(
      'PRIMITIVES_INVALID_TAG',
    );
    expect(codeOf(() => new ScaleReader(new Uint8Array([8, 1, 2])).vecU8('v', 1))).toBe(
      'PRIMITIVES_OUT_OF_RANGE',
    );
    expect(codeOf(() => new ScaleReader(hexToBytes('0000000000002000')).u64Number())).toBe(
      'PRIMITIVES_OUT_OF_RANGE',
    );
    expect(new ScaleReader(hexToBytes('ffffffffffff1f00')).u64Number()).toBe(Number.MAX_SAFE_INTEGER);
  });
});
