import { frVectorFromBytes, frVectorToBytes, ifft } from '@autonomys/kzg';
import * as native from '@autonomys/native';
import { thrownCode } from '@autonomys/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ErasureError,
  extend,
  planRecoverPoly,
  planRecoverPolyAsync,
  recover,
  recoverColumns,
  recoverFr,
  recoverPoly,
  recoverPolyBytes,
  recoverPolyFr,
  recoverSource,
} from '../src/index.js';
import { applyPlan, planRecovery } from '../src/recover.js';
import { at, backends, codeword, scalars, shardsOf, toHex } from './helpers.js';

/** The codeword's coefficients, normalised (trailing zeros stripped, one kept). */
function normalisedCoefficients(source: Uint8Array): string {
  let c = ifft(source);
  let len = c.length / 32;
  while (len > 1 && at(c, len - 1).every((b) => b === 0)) len--;
  c = c.subarray(0, len * 32);
  return toHex(c);
}

/** Recovery through the zero-polynomial path even where a fast path applies. */
function recoverGeneral(shards: (Uint8Array | null)[], backend: 'native' | 'typescript'): string {
  const present = Uint8Array.from(shards, (s) => (s === null ? 0 : 1));
  const flat = new Uint8Array(shards.length * 32);
  shards.forEach((s, i) => {
    if (s !== null) flat.set(s, 32 * i);
  });
  const v = frVectorFromBytes(flat, 'shards');
  const nat = backend === 'native' && native.isNative ? native : null;
  applyPlan(planRecovery(present, nat, true), v, 0, new Float64Array(v.length), nat);
  return toHex(frVectorToBytes(v));
}

/** Named erasure patterns over 2n shards (true = lost), each losing at most n. */
const patterns: Record<string, (i: number, shards: number) => boolean> = {
  'all source lost': (i) => i % 2 === 0,
  'all parity lost': (i) => i % 2 === 1,
  'alternating pairs lost': (i) => i % 4 < 2,
  'first half lost': (i, s) => i < s / 2,
  'second half lost': (i, s) => i >= s / 2,
  'every fourth lost': (i) => i % 4 === 3,
  'one lost': (i) => i === 5,
  'random half lost': (i, s) => hash(i, s) < 0.5 && i < s, // may lose a few more or fewer than half
};
function hash(i: number, s: number): number {
  return ((Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(s, 0x85ebca6b)) >>> 0) / 2 ** 32;
}

/** Loses at most half of the shards: extra losses beyond n are kept. */
function atMostHalf(lost: (i: number, s: number) => boolean, shards: number): (i: number) => boolean {
  const mask: boolean[] = [];
  let count = 0;
  for (let i = 0; i < shards; i++) {
    const l = lost(i, shards) && count < shards / 2;
    if (l) count++;
    mask.push(l);
  }
  return (i) => mask[i]!;
}

describe.each(backends)('recover (%s)', (backend) => {
  it('recovers from every pattern of up to half lost (fast-check, 2n ≤ 64, both methods)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 5 })
          .chain((log2) =>
            fc.tuple(
              fc.constant(2 ** log2),
              fc.integer(),
              fc.array(fc.nat(2 ** (log2 + 1) - 1), { maxLength: 2 ** log2 }),
            ),
          ),
        ([n, seed, lostList]) => {
          const source = scalars(n, seed);
          const word = codeword(source);
          const lost = new Set(lostList);
          const shards = shardsOf(word, (i) => lost.has(i));
          expect(toHex(recover(shards, { backend }))).toBe(toHex(word));
          expect(recoverGeneral(shards, backend)).toBe(toHex(word));
          expect(toHex(recoverSource(shards, { backend }))).toBe(toHex(source));
          expect(toHex(recoverPoly(shards, { backend }).coefficients())).toBe(normalisedCoefficients(source));
        },
      ),
      { numRuns: 150 },
    );
  });

  it.each(Object.keys(patterns))('recovers 256 shards: %s', (name) => {
    const source = scalars(128, 5);
    const word = codeword(source);
    const shards = shardsOf(word, atMostHalf(patterns[name]!, 256));
    expect(toHex(recover(shards, { backend }))).toBe(toHex(word));
    expect(recoverGeneral(shards, backend)).toBe(toHex(word));
    expect(toHex(recoverSource(shards, { backend }))).toBe(toHex(source));
    expect(toHex(recoverPoly(shards, { backend }).coefficients())).toBe(normalisedCoefficients(source));
  });

  it('returns the input when nothing is missing, and normalises polynomials', () => {
    const word = codeword(scalars(8));
    const shards = shardsOf(word, () => false);
    expect(toHex(recover(shards, { backend }))).toBe(toHex(word));
    const zero = shardsOf(new Uint8Array(16 * 32), (i) => i % 2 === 0);
    expect(recoverPoly(zero, { backend }).length).toBe(1);
    expect(toHex(recoverPoly(zero, { backend }).coefficients())).toBe('00'.repeat(32));
    const constant = new Uint8Array(16 * 32);
    for (let i = 0; i < 16; i++) constant[32 * i + 31] = 9;
    const p = recoverPoly(
      shardsOf(constant, (i) => i < 8),
      { backend },
    );
    expect(p.length).toBe(1);
    expect(p.coefficients()[31]).toBe(9);
    // one shard of a one-shard codeword; two shards with one lost
    expect(toHex(recover([at(word, 0)], { backend }))).toBe(toHex(at(word, 0)));
    expect(toHex(recover([null, at(word, 3)], { backend }))).toBe(toHex(at(word, 3)).repeat(2));
  });

  it('does not mutate its input', () => {
    const shards = shardsOf(codeword(scalars(16, 2)), (i) => i % 3 === 0);
    const copy = shards.map((s) => s?.slice() ?? null);
    recover(shards, { backend });
    recoverPoly(shards, { backend });
    expect(shards).toEqual(copy);
  });

  it('recoverFr / recoverPolyFr work on Fr vectors with a presence mask', () => {
    const source = scalars(64, 9);
    const word = codeword(source);
    const present = Array.from({ length: 128 }, (_, i) => hash(i, 1) > 0.45);
    const values = frVectorFromBytes(word, 'word');
    for (let i = 0; i < 128; i++) if (!present[i]) values.fill(0, 11 * i, 11 * i + 11);
    const copy = values.slice();
    expect(toHex(frVectorToBytes(recoverFr(values, present, { backend })))).toBe(toHex(word));
    expect(toHex(recoverPolyFr(values, present, { backend }).coefficients())).toBe(
      normalisedCoefficients(source),
    );
    expect(values).toEqual(copy);
  });

  it('recoverColumns recovers every column of a segment-like record set', () => {
    const n = 8;
    const columns = 5;
    const source = Array.from({ length: n }, (_, k) => scalars(columns, 40 + k));
    const parity = extendColumnsBy(source);
    const records: (Uint8Array | null)[] = [];
    for (let k = 0; k < n; k++) records.push(source[k]!, parity[k]!);
    const lost = atMostHalf(patterns['random half lost']!, 2 * n);
    const out = recoverColumns(
      records.map((r, i) => (lost(i) ? null : r)),
      { backend },
    );
    expect(out.map(toHex)).toEqual(records.map((r) => toHex(r!)));
  });
});

function extendColumnsBy(records: Uint8Array[]): Uint8Array[] {
  const n = records.length;
  const columns = records[0]!.length / 32;
  const parity = records.map(() => new Uint8Array(columns * 32));
  for (let j = 0; j < columns; j++) {
    const column = new Uint8Array(n * 32);
    records.forEach((r, k) => {
      column.set(at(r, j), 32 * k);
    });
    const p = extend(column);
    for (let k = 0; k < n; k++) parity[k]!.set(at(p, k), 32 * j);
  }
  return parity;
}

describe.skipIf(!native.hasFrRecoverPoly)('recoverPoly in one native call (frRecoverPoly)', () => {
  it('matches the coefficients on random patterns of up to half lost (fast-check, 2n = 64..1024)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 9 }),
        fc.integer(),
        fc.double({ min: 0, max: 1 }),
        (log2, seed, p) => {
          const n = 2 ** log2;
          const source = scalars(n, seed);
          const word = codeword(source);
          const shards = shardsOf(
            word,
            atMostHalf((i) => hash(i, seed) < p, 2 * n),
          );
          expect(toHex(recoverPoly(shards).coefficients())).toBe(normalisedCoefficients(source));
          expect(toHex(recoverPoly(shards, { backend: 'typescript' }).coefficients())).toBe(
            normalisedCoefficients(source),
          );
        },
      ),
      { numRuns: 40 },
    );
  });
  it('rejects too many missing, wrong presence lengths and bad roots with NativeError', () => {
    const values = new Uint8Array(64 * 32);
    const root = new Uint8Array(32);
    const code = (present: Uint8Array) =>
      thrownCode(() => native.frRecoverPoly(values, present, root), native.NativeError);
    expect(code(new Uint8Array(64))).toBe('NATIVE_INVALID_ARGUMENT');
    expect(code(new Uint8Array(63).fill(1))).toBe('NATIVE_INVALID_ARGUMENT');
    expect(code(new Uint8Array(64).fill(1))).toBe('NATIVE_INVALID_ROOT');
  });
});

describe.each(backends)('recoverPoly in two phases: a plan, then the values (%s)', (backend) => {
  it('matches recoverPoly on random patterns (fast-check, 2n = 2..512), sync and async plans', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 8 }),
        fc.integer(),
        fc.double({ min: 0, max: 1 }),
        fc.integer({ min: 1, max: 2 }),
        async (log2, seed, p, threads) => {
          const n = 2 ** log2;
          const source = scalars(n, seed);
          const lost = atMostHalf((i) => hash(i, seed) < p, 2 * n);
          const shards = shardsOf(codeword(source), lost);
          const present = shards.map((s) => s !== null);
          const expected = normalisedCoefficients(source);
          const plan = planRecoverPoly(present, { backend, threads });
          expect(plan.shards).toBe(2 * n);
          expect(toHex(recoverPoly(shards, { plan, threads }).coefficients())).toBe(expected);
          const asyncPlan = await planRecoverPolyAsync(present, { backend });
          // a shard present beyond the plan's pattern is not read
          const extra = shards.map((s, i) => s ?? (i % 3 === 0 ? new Uint8Array(32).fill(0xff) : null));
          expect(toHex(recoverPoly(extra, { plan: asyncPlan }).coefficients())).toBe(expected);
          expect(toHex(recoverPoly(shards, { backend }).coefficients())).toBe(expected);
          // the same codeword as one buffer, junk (even non-canonical) at the missing positions
          const flat = new Uint8Array(64 * n).fill(0xff);
          shards.forEach((s, i) => {
            if (s) flat.set(s, 32 * i);
          });
          expect(toHex(recoverPolyBytes(flat, plan, { threads }).coefficients())).toBe(expected);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('is byte-identical to recoverPoly on a record (2^16, native) and reusable across codewords', () => {
    const cases: [number, number[]][] = [[4096, [1, 2]]];
    if (backend === 'native') cases.push([65_536, [1]]);
    for (const [count, seeds] of cases) {
      const lost = atMostHalf(patterns['random half lost']!, count);
      const present = Array.from({ length: count }, (_, i) => !lost(i));
      const plan = planRecoverPoly(present, { backend, threads: 2 });
      for (const seed of seeds) {
        const source = scalars(count / 2, seed);
        const shards = shardsOf(codeword(source), lost);
        expect(toHex(recoverPoly(shards, { plan }).coefficients())).toBe(normalisedCoefficients(source));
      }
    }
  });

  it('rejects shards that do not fit the plan, bad patterns and foreign plans', () => {
    const word = codeword(scalars(32, 3));
    const shards = shardsOf(word, (i) => i % 2 === 0);
    const plan = planRecoverPoly(
      shards.map((s) => s !== null),
      { backend },
    );
    const holed = shards.slice();
    holed[3] = null;
    expect(thrownCode(() => recoverPoly(holed, { plan }), ErasureError)).toBe('ERASURE_INVALID_ARGUMENT');
    expect(thrownCode(() => recoverPoly(shards.slice(0, 32), { plan }), ErasureError)).toBe(
      'ERASURE_INVALID_LENGTH',
    );
    const bad = shards.slice();
    bad[5] = new Uint8Array(32).fill(0xff);
    expect(thrownCode(() => recoverPoly(bad, { plan }), ErasureError)).toBe('ERASURE_INVALID_SCALAR');
    expect(thrownCode(() => planRecoverPoly(new Array(64).fill(false)), ErasureError)).toBe(
      'ERASURE_TOO_MANY_MISSING',
    );
    expect(thrownCode(() => planRecoverPoly(new Array(48).fill(true)), ErasureError)).toBe(
      'ERASURE_NOT_POWER_OF_TWO',
    );
    const forged = { ...plan } as unknown as ReturnType<typeof planRecoverPoly>;
    expect(thrownCode(() => recoverPoly(shards, { plan: forged }), ErasureError)).toBe(
      'ERASURE_INVALID_ARGUMENT',
    );
  });

  it('recoverPolyBytes: checks the plan, the length, the present scalars and threads', () => {
    const flat = codeword(scalars(32, 4)); // 64 shards of 32 bytes
    const present = Array.from({ length: 64 }, (_, i) => i % 4 !== 1);
    const plan = planRecoverPoly(present, { backend });
    const code = (f: () => unknown) => thrownCode(f, ErasureError);
    expect(toHex(recoverPolyBytes(flat, plan).coefficients())).toBe(normalisedCoefficients(scalars(32, 4)));
    expect(code(() => recoverPolyBytes(flat.subarray(32), plan))).toBe('ERASURE_INVALID_LENGTH');
    expect(code(() => recoverPolyBytes(new Uint8Array(65 * 32), plan))).toBe('ERASURE_INVALID_LENGTH');
    expect(code(() => recoverPolyBytes([] as unknown as Uint8Array, plan))).toBe('ERASURE_INVALID_ARGUMENT');
    expect(code(() => recoverPolyBytes(flat, { ...plan } as typeof plan))).toBe('ERASURE_INVALID_ARGUMENT');
    expect(code(() => recoverPolyBytes(flat, plan, { threads: 3 }))).toBe('ERASURE_INVALID_ARGUMENT');
    const bad = flat.slice();
    bad.fill(0xff, 32 * 6, 32 * 7); // shard 6 is present: not a canonical scalar
    let err: unknown;
    try {
      recoverPolyBytes(bad, plan);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ErasureError);
    expect((err as ErasureError).code).toBe('ERASURE_INVALID_SCALAR');
    expect((err as ErasureError).type).toMatchObject({ code: 'ERASURE_INVALID_SCALAR', index: 6 });
    bad.fill(0xff, 32 * 5, 32 * 6); // shard 5 is missing in the plan: not read
    bad.set(flat.subarray(32 * 6, 32 * 7), 32 * 6);
    expect(toHex(recoverPolyBytes(bad, plan).coefficients())).toBe(normalisedCoefficients(scalars(32, 4)));
    // fuzz: random bytes either recover or fail with the package's error
    for (let t = 0; t < 50; t++) {
      const junk = new Uint8Array(64 * 32).map(() => (Math.random() * 256) | 0);
      try {
        recoverPolyBytes(junk, plan);
      } catch (e) {
        expect(e).toBeInstanceOf(ErasureError);
      }
    }
  });
});

describe('recover at 2^16 (one record, farming §4.9)', () => {
  const source = scalars(32_768, 1);
  const word = codeword(source);
  it.each(['all source lost', 'all parity lost', 'alternating pairs lost', 'random half lost'])(
    '%s',
    (name) => {
      const shards = shardsOf(word, atMostHalf(patterns[name]!, 65_536));
      expect(toHex(recover(shards))).toBe(toHex(word));
      expect(toHex(recoverPoly(shards).coefficients())).toBe(normalisedCoefficients(source));
    },
  );
  it('the zero-polynomial path on all source lost, and both backends agree', () => {
    const shards = shardsOf(word, (i) => i % 2 === 0);
    expect(recoverGeneral(shards, backends.at(-1)!)).toBe(toHex(word));
    if (backends.length === 2) {
      const random = shardsOf(word, atMostHalf(patterns['random half lost']!, 65_536));
      expect(toHex(recover(random, { backend: 'typescript' }))).toBe(toHex(word));
    }
  });
});

describe('recover: bad input', () => {
  const word = codeword(scalars(8));
  it('rejects counts that are not powers of two, too large, or too many missing', () => {
    for (const count of [0, 3, 15, 255])
      expect(thrownCode(() => recover(new Array(count).fill(null)), ErasureError)).toBe(
        'ERASURE_NOT_POWER_OF_TWO',
      );
    expect(thrownCode(() => recover(new Array(2 ** 17).fill(null)), ErasureError)).toBe(
      'ERASURE_NOT_POWER_OF_TWO',
    );
    expect(thrownCode(() => recover(shardsOf(word, (i) => i < 9)), ErasureError)).toBe(
      'ERASURE_TOO_MANY_MISSING',
    );
    expect(thrownCode(() => recover([null]), ErasureError)).toBe('ERASURE_TOO_MANY_MISSING');
    expect(thrownCode(() => recoverSource([null]), ErasureError)).toBe('ERASURE_TOO_MANY_MISSING');
    expect(thrownCode(() => recoverPoly([null, null]), ErasureError)).toBe('ERASURE_TOO_MANY_MISSING');
    expect(thrownCode(() => recoverColumns([null, null, new Uint8Array(32), null]), ErasureError)).toBe(
      'ERASURE_TOO_MANY_MISSING',
    );
  });

  it.each(backends)('rejects non-canonical shards and wrong lengths with the index (%s)', (backend) => {
    const shards = shardsOf(word, (i) => i < 4);
    shards[6] = new Uint8Array(32).fill(0xff);
    for (const f of [recover, recoverSource, recoverPoly]) {
      try {
        f(shards, { backend });
        expect.unreachable();
      } catch (e) {
        expect((e as ErasureError).type).toEqual({
          code: 'ERASURE_INVALID_SCALAR',
          what: 'shards',
          index: 6,
        });
      }
    }
    shards[6] = new Uint8Array(31);
    expect(thrownCode(() => recover(shards, { backend }), ErasureError)).toBe('ERASURE_INVALID_LENGTH');
    expect(thrownCode(() => recoverColumns([new Uint8Array(64), new Uint8Array(32)]), ErasureError)).toBe(
      'ERASURE_INVALID_LENGTH',
    );
    expect(thrownCode(() => recoverFr(new Float64Array(22), [true]), ErasureError)).toBe(
      'ERASURE_INVALID_LENGTH',
    );
  });

  it('rejects values of the wrong kind', () => {
    expect(thrownCode(() => recover('abc' as unknown as []), ErasureError)).toBe('ERASURE_INVALID_ARGUMENT');
    expect(thrownCode(() => recover([1, 2] as unknown as []), ErasureError)).toBe('ERASURE_INVALID_ARGUMENT');
    expect(thrownCode(() => recoverFr(new Float64Array(22), null as unknown as []), ErasureError)).toBe(
      'ERASURE_INVALID_ARGUMENT',
    );
  });

  it.each(backends)('random shards only ever throw ErasureError (%s)', (backend) => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.uint8Array({ minLength: 30, maxLength: 33 }), { nil: null }), {
          maxLength: 17,
        }),
        (shards) => {
          try {
            const out = recover(shards, { backend });
            expect(out.length).toBe(shards.length * 32);
          } catch (e) {
            expect(e).toBeInstanceOf(ErasureError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random canonical shards of the right size recover to some codeword without throwing', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.option(
            fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => {
              b[0]! &= 0x3f; // below 2^254 < r: canonical
              return b;
            }),
            { nil: null, freq: 3 },
          ),
          {
            minLength: 16,
            maxLength: 16,
          },
        ),
        (shards) => {
          const missing = shards.filter((s) => s === null).length;
          if (missing > 8)
            expect(thrownCode(() => recover(shards), ErasureError)).toBe('ERASURE_TOO_MANY_MISSING');
          else expect(recover(shards).length).toBe(16 * 32);
        },
      ),
      { numRuns: 200 },
    );
  });
});
