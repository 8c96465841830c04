import { frVectorFromBytes, frVectorToBytes } from '@autonomys/kzg';
import { thrownCode } from '@autonomys/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErasureError, extend, extendColumns, extendFr, MAX_SOURCE_VALUES } from '../src/index.js';
import { at, backends, codeword, scalars, toHex } from './helpers.js';

/** The odd positions of the codeword by the definition. */
function parityByDefinition(source: Uint8Array): string {
  const word = codeword(source);
  const n = source.length / 32;
  return Array.from({ length: n }, (_, k) => toHex(at(word, 2 * k + 1))).join('');
}

describe.each(backends)('extend (%s)', (backend) => {
  it('is the odd half of DFT_2n(IDFT_n(source) ‖ 0^n), whose even half is the source', () => {
    for (const n of [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024]) {
      const source = scalars(n, n);
      const word = codeword(source);
      for (let k = 0; k < n; k++) expect(toHex(at(word, 2 * k))).toBe(toHex(at(source, k)));
      expect(toHex(extend(source, { backend }))).toBe(parityByDefinition(source));
    }
  });

  it('extends one record, 2^15 → 2^15 (farming §4.3)', () => {
    const source = scalars(MAX_SOURCE_VALUES, 7);
    expect(toHex(extend(source, { backend }))).toBe(parityByDefinition(source));
  });

  it('handles zero, constant and extreme values', () => {
    const zero = new Uint8Array(64 * 32);
    expect(extend(zero, { backend })).toEqual(zero);
    const rMinus1 = Buffer.from('73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000', 'hex');
    const constant = new Uint8Array(64 * 32);
    for (let i = 0; i < 64; i++) constant.set(rMinus1, 32 * i);
    expect(toHex(extend(constant, { backend }))).toBe(toHex(constant)); // a constant polynomial
  });

  it('does not mutate its input', () => {
    const source = scalars(128, 3);
    const copy = source.slice();
    extend(source, { backend });
    expect(source).toEqual(copy);
  });

  it('extendFr is extend over Fr vectors', () => {
    for (const n of [1, 8, 128, 4096]) {
      const source = scalars(n, 11);
      const v = frVectorFromBytes(source, 'source');
      const copy = v.slice();
      expect(toHex(frVectorToBytes(extendFr(v, { backend })))).toBe(toHex(extend(source)));
      expect(v).toEqual(copy);
    }
  });

  it('extendColumns extends every column of the records (archiving §3.5)', () => {
    for (const [n, columns] of [
      [1, 3],
      [8, 5],
      [128, 3],
    ] as const) {
      const records = Array.from({ length: n }, (_, k) => scalars(columns, 100 + k));
      const copies = records.map((r) => r.slice());
      const parity = extendColumns(records, { backend });
      expect(records).toEqual(copies);
      expect(parity).toHaveLength(n);
      for (let j = 0; j < columns; j++) {
        const column = new Uint8Array(n * 32);
        records.forEach((r, k) => {
          column.set(at(r, j), 32 * k);
        });
        const p = extend(column);
        for (let k = 0; k < n; k++) expect(toHex(at(parity[k]!, j))).toBe(toHex(at(p, k)));
      }
    }
  });
});

describe('extend: backends agree', () => {
  it.runIf(backends.length === 2)(
    'native and TypeScript give identical bytes (fast-check, n up to 512)',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 9 }), fc.integer(), (log2, seed) => {
          const source = scalars(2 ** log2, seed);
          expect(toHex(extend(source, { backend: 'native' }))).toBe(
            toHex(extend(source, { backend: 'typescript' })),
          );
        }),
        { numRuns: 30 },
      );
    },
  );
});

describe('extend: bad input', () => {
  it('rejects counts that are not powers of two, or too large', () => {
    for (const n of [0, 3, 255, 2 * MAX_SOURCE_VALUES])
      expect(thrownCode(() => extend(new Uint8Array(n * 32)), ErasureError)).toBe('ERASURE_NOT_POWER_OF_TWO');
    expect(
      thrownCode(
        () => extendColumns([new Uint8Array(32), new Uint8Array(32), new Uint8Array(32)]),
        ErasureError,
      ),
    ).toBe('ERASURE_NOT_POWER_OF_TWO');
    expect(thrownCode(() => extendFr(new Float64Array(3 * 11)), ErasureError)).toBe(
      'ERASURE_NOT_POWER_OF_TWO',
    );
  });

  it('rejects lengths that are not whole scalars, and records of unequal length', () => {
    expect(thrownCode(() => extend(new Uint8Array(33)), ErasureError)).toBe('ERASURE_INVALID_LENGTH');
    expect(thrownCode(() => extendColumns([new Uint8Array(64), new Uint8Array(32)]), ErasureError)).toBe(
      'ERASURE_INVALID_LENGTH',
    );
    expect(thrownCode(() => extendColumns([new Uint8Array(33), new Uint8Array(33)]), ErasureError)).toBe(
      'ERASURE_INVALID_LENGTH',
    );
    expect(thrownCode(() => extendFr(new Float64Array(12)), ErasureError)).toBe('ERASURE_INVALID_LENGTH');
  });

  it.each(backends)('rejects a non-canonical scalar with its index (%s)', (backend) => {
    for (const n of [4, 128]) {
      const source = scalars(n);
      source.fill(0xff, 32 * 2, 32 * 3);
      try {
        extend(source, { backend });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ErasureError);
        expect((e as ErasureError).type).toEqual({
          code: 'ERASURE_INVALID_SCALAR',
          what: 'source',
          index: 2,
        });
      }
      // r itself is not canonical either
      source.set(
        Buffer.from('73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001', 'hex'),
        32 * 2,
      );
      expect(thrownCode(() => extend(source, { backend }), ErasureError)).toBe('ERASURE_INVALID_SCALAR');
    }
    const records = [scalars(2), scalars(2, 1)];
    records[1]!.fill(0x80, 32, 64);
    try {
      extendColumns(records, { backend });
      expect.unreachable();
    } catch (e) {
      expect((e as ErasureError).type).toEqual({
        code: 'ERASURE_INVALID_SCALAR',
        what: 'records[1]',
        index: 1,
      });
    }
  });

  it('rejects values of the wrong kind', () => {
    expect(thrownCode(() => extend([1, 2] as unknown as Uint8Array), ErasureError)).toBe(
      'ERASURE_INVALID_ARGUMENT',
    );
    expect(thrownCode(() => extendColumns('x' as unknown as Uint8Array[]), ErasureError)).toBe(
      'ERASURE_INVALID_ARGUMENT',
    );
    expect(thrownCode(() => extendFr(new Uint8Array(11) as unknown as Float64Array), ErasureError)).toBe(
      'ERASURE_INVALID_ARGUMENT',
    );
    expect(
      thrownCode(() => extend(scalars(2), { backend: 'gpu' as unknown as 'native' }), ErasureError),
    ).toBe('ERASURE_INVALID_ARGUMENT');
  });

  it.each(backends)('random bytes only ever throw ErasureError (%s)', (backend) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 * 17 }), (bytes) => {
        try {
          expect(extend(bytes, { backend }).length).toBe(bytes.length);
        } catch (e) {
          expect(e).toBeInstanceOf(ErasureError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
