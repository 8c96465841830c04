import { VectorClaims } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';
import {
  blockForkWeight,
  deriveNextSolutionRange,
  PlotterError,
  piecesToSolutionRange,
  solutionRangeToPieces,
  votingSolutionRange,
} from '../src/index.js';
import { farming, vector } from './helpers.js';

const ids = farming.vectors.filter((v) => v.id.startsWith('solution_range.')).map((v) => v.id);
const claims = new VectorClaims(ids);
const U64_MAX = 2n ** 64n - 1n;

interface RangeVector {
  cases: ({ fn: string; pieces: number; slot_probability: [number, number]; expected: number } & {
    p?: number[];
  })[];
}

describe('solution ranges (farming §9)', () => {
  it('solution_range.constants', () => {
    claims.claim('solution_range.constants');
    const v = vector<RangeVector>('solution_range.constants');
    const [first, roundTrip] = v.cases;
    const sp = [BigInt(first!.slot_probability[0]), BigInt(first!.slot_probability[1])] as const;
    expect(piecesToSolutionRange(BigInt(first!.pieces), sp)).toBe(6_148_914_691_236_495n);
    expect(piecesToSolutionRange(BigInt(first!.pieces), sp)).toBe(BigInt(first!.expected));
    for (const p of roundTrip!.p!) {
      expect(solutionRangeToPieces(piecesToSolutionRange(BigInt(p), [1n, 6n]), [1n, 6n])).toBe(BigInt(p));
    }
  });

  it('evaluates the divisions left to right', () => {
    const prefix = (((U64_MAX / 6n) * 1n) / 32768n) * 65536n;
    expect(piecesToSolutionRange(7n)).toBe(prefix / 7n);
    expect(solutionRangeToPieces(12345n)).toBe(prefix / 12345n);
    expect(piecesToSolutionRange(1n, [1n, 2n])).toBe((U64_MAX / 2n / 32768n) * 65536n);
    // (1, 1) overflows u64 in the multiplication by 65 536: the reference's const fn would not compile
    expect(() => piecesToSolutionRange(1n, [1n, 1n])).toThrow(PlotterError);
  });

  it('deriveNextSolutionRange: unchanged at the expected pace, clamped to [cur/4, cur·4], saturating', () => {
    const cur = piecesToSolutionRange(1000n);
    const p = { eraStartSlot: 100n, currentSolutionRange: cur, eraDuration: 2016n };
    expect(deriveNextSolutionRange({ ...p, currentSlot: 100n + 2016n * 6n })).toBe(cur);
    expect(deriveNextSolutionRange({ ...p, currentSlot: 100n + 2016n * 3n })).toBe(
      (cur * 2016n * 3n) / 2016n / 6n,
    );
    expect(deriveNextSolutionRange({ ...p, currentSlot: 101n })).toBe(cur / 4n);
    expect(deriveNextSolutionRange({ ...p, currentSlot: 100n + 2016n * 600n })).toBe(cur * 4n);
    expect(deriveNextSolutionRange({ ...p, currentSolutionRange: U64_MAX, currentSlot: U64_MAX })).toBe(
      U64_MAX,
    );
    expect(() => deriveNextSolutionRange({ ...p, currentSlot: 99n })).toThrow(PlotterError);
  });

  it('voting range, fork weight, typed errors', () => {
    expect(votingSolutionRange(5n)).toBe(50n);
    expect(votingSolutionRange(U64_MAX / 5n)).toBe(U64_MAX);
    expect(blockForkWeight(0n)).toBe(U64_MAX);
    expect(blockForkWeight(U64_MAX)).toBe(0n);
    for (const f of [
      () => piecesToSolutionRange(0n),
      () => piecesToSolutionRange(1n, [1n, 0n]),
      () => solutionRangeToPieces(0n),
      () => piecesToSolutionRange(2n ** 64n),
      () => blockForkWeight(-1n),
      () => piecesToSolutionRange(1 as unknown as bigint),
    ])
      expect(f).toThrow(PlotterError);
  });

  it('every solution_range vector is claimed', () => expect(claims.unclaimed()).toEqual([]));
});
