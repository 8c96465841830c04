import { Kzg, poly } from '@autonomys/kzg';
import { thrownCode } from '@autonomys/test-utils';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { describe, expect, it } from 'vitest';
import { ErasureError, extendColumns, extendCommitments, extendCommitmentsAsync } from '../src/index.js';
import { backends, params, scalars, toHex } from './helpers.js';

const IDENTITY = Uint8Array.from([0xc0, ...new Array(47).fill(0)]);

describe.each(backends)('extendCommitments (%s)', (backend) => {
  const kzg = new Kzg(params(16));

  it('extendCommitments(commit(records)) = commit(extended records), interleaved (archiving §3.5)', () => {
    for (const n of [1, 2, 4, 8]) {
      const records = Array.from({ length: n }, (_, k) => scalars(16, 50 + k));
      records[n - 1] = new Uint8Array(16 * 32); // an all-zero record commits to the identity
      const commitments = records.map((r) => kzg.commit(poly(r)));
      const copy = commitments.map((c) => c.slice());
      const parity = extendColumns(records);
      const expected = records.flatMap((_, k) => [commitments[k]!, kzg.commit(poly(parity[k]!))]);
      expect(extendCommitments(commitments, { backend }).map(toHex)).toEqual(expected.map(toHex));
      expect(commitments).toEqual(copy);
    }
  });

  it('extendCommitmentsAsync equals extendCommitments for 1, 2 and 5 threads; aborts with ERASURE_ABORTED', async () => {
    const points = Array.from({ length: 16 }, (_, k) => kzg.commit(poly(scalars(16, 300 + k))));
    const expected = extendCommitments(points, { backend }).map(toHex);
    for (const threads of [1, 2, 5]) {
      expect((await extendCommitmentsAsync(points, { backend, threads })).map(toHex)).toEqual(expected);
    }
    const ac = new AbortController();
    ac.abort();
    await expect(extendCommitmentsAsync(points, { backend, signal: ac.signal })).rejects.toMatchObject({
      code: 'ERASURE_ABORTED',
    });
    await expect(extendCommitmentsAsync(points, { backend, threads: 0 })).rejects.toMatchObject({
      code: 'ERASURE_INVALID_ARGUMENT',
    });
  });

  it('extends identities to identities', () => {
    expect(extendCommitments([IDENTITY, IDENTITY], { backend }).map(toHex)).toEqual(
      new Array(4).fill(toHex(IDENTITY)),
    );
  });

  it('rejects bad points, wrong lengths and counts', () => {
    const good = bls12_381.G1.Point.BASE.toBytes(true);
    const check = (points: Uint8Array[], code: string, index?: number) => {
      try {
        extendCommitments(points, { backend });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ErasureError);
        expect((e as ErasureError).code).toBe(code);
        if (index !== undefined) expect((e as ErasureError).type).toMatchObject({ index });
      }
    };
    check([good, new Uint8Array(48)], 'ERASURE_INVALID_POINT', 1); // no compression flag
    const xTooLarge = new Uint8Array(48).fill(0xff);
    xTooLarge[0] = 0x9f;
    check([xTooLarge, good], 'ERASURE_INVALID_POINT', 0);
    const offCurve = good.slice();
    offCurve[47]! ^= 1;
    check([good, offCurve], 'ERASURE_INVALID_POINT');
    check([good, good.subarray(0, 47)], 'ERASURE_INVALID_LENGTH');
    check([good, good, good], 'ERASURE_NOT_POWER_OF_TWO');
    check([], 'ERASURE_NOT_POWER_OF_TWO');
    expect(thrownCode(() => extendCommitments('x' as unknown as []), ErasureError)).toBe(
      'ERASURE_INVALID_ARGUMENT',
    );
  });
});

describe('extendCommitments: backends agree', () => {
  it.runIf(backends.length === 2)('native and TypeScript give identical points for 16 commitments', () => {
    const G = bls12_381.G1.Point.BASE;
    const points = Array.from({ length: 16 }, (_, i) => G.multiply(BigInt(i * 7919 + 3) ** 5n).toBytes(true));
    expect(extendCommitments(points, { backend: 'native' }).map(toHex)).toEqual(
      extendCommitments(points, { backend: 'typescript' }).map(toHex),
    );
  });
});
