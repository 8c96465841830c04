import { extend } from '@autonomys/erasure';
import type { Kzg } from '@autonomys/kzg';
import { poly } from '@autonomys/kzg';
import {
  blake3,
  createBlake3Keyed32,
  decodeSolution,
  encodeSolution,
  publicKeyHash,
  type Solution,
  sBucketAuditIndex,
  sectorEvaluationSeed,
  sectorId,
  sectorSlotChallenge,
  slotGlobalChallenge,
} from '@autonomys/primitives';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  auditChunks,
  auditPlot,
  auditSector,
  createShimTableGenerator,
  isShimProofValid,
  type PlottedSector,
  PlotterError,
  plotSector,
  proveSolutions,
  type SectorAuditResult,
  sectorLayout,
  type VerifySolutionParams,
  verifySolution,
} from '../src/index.js';
import {
  createSparseTableGenerator,
  makeSegment,
  NUM_CHUNKS_SMALL as N,
  type TestSegment,
  testKzg,
} from './farm.js';

const PK = new Uint8Array(32).fill(9);
const REWARD = new Uint8Array(32).fill(3);
const PIECES = 5;
const U64_MAX = 2n ** 64n - 1n;
const gen = createShimTableGenerator();

let segment: TestSegment;
let kzg: Kzg;
let sectors: PlottedSector[];

function potOutput(slot: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setUint32(0, slot, true);
  return blake3(b).slice(0, 16);
}

beforeAll(async () => {
  segment = await makeSegment(N, 2);
  kzg = await testKzg();
  sectors = [];
  // Sectors 0-2 at history size 1, sector 3 at history size 3 (for the future-history check).
  for (const [sectorIndex, historySize] of [
    [0, 1n],
    [1, 1n],
    [2, 1n],
    [3, 3n],
  ] as const) {
    sectors.push(
      await plotSector({
        publicKey: PK,
        sectorIndex,
        historySize,
        piecesInSector: PIECES,
        pieceGetter: segment.pieceGetter,
        tableGenerator: gen,
        numChunks: N,
      }),
    );
  }
});

const verifyOpts = () => ({ kzg, isProofValid: isShimProofValid, numChunks: N });
const pieceCheck = (current = 1n) => ({
  maxPiecesInSector: 1000,
  segmentCommitment: segment.segmentCommitment,
  currentHistorySize: current,
});

async function solutionsOf(audit: SectorAuditResult, max?: number): Promise<Solution[]> {
  const s = sectors[audit.sectorIndex]!;
  const out: Solution[] = [];
  for await (const sol of proveSolutions({
    publicKey: PK,
    rewardAddress: REWARD,
    metadata: s.metadata,
    sector: s.sector,
    tableGenerator: gen,
    kzg,
    audit,
    numChunks: N,
    ...(max === undefined ? {} : { maxSolutions: max }),
  }))
    out.push(sol);
  return out;
}

describe('auditing (farming §5)', () => {
  it('matches a direct computation: keyed BLAKE3 of each stored chunk, distance around 2^64', async () => {
    const s = sectors[0]!;
    const id = sectorId(publicKeyHash(PK), 0, 1n);
    let slot = 1n;
    // the first slot whose audited s-bucket is not empty
    while (
      s.metadata.sBucketSizes[
        sBucketAuditIndex(sectorSlotChallenge(id, slotGlobalChallenge(potOutput(Number(slot)), slot))) %
          (2 * N)
      ] === 0
    )
      slot++;
    const gc = slotGlobalChallenge(potOutput(Number(slot)), slot);
    const r = await auditSector({
      publicKey: PK,
      metadata: s.metadata,
      sector: s.sector,
      globalChallenge: gc,
      solutionRange: U64_MAX,
      numChunks: N,
    });
    const ch = sectorSlotChallenge(id, gc);
    const bucket = sBucketAuditIndex(ch) % (2 * N);
    expect(r?.sBucket).toBe(bucket);
    const size = s.metadata.sBucketSizes[bucket]!;
    expect(r?.candidates.length).toBe(size);
    let off = 4 * PIECES + 32;
    for (let i = 0; i < bucket; i++) off += 32 * s.metadata.sBucketSizes[i]!;
    const g = new DataView(gc.buffer, gc.byteOffset).getBigUint64(0, true);
    const expected = Array.from({ length: size }, (_, j) => {
      const h = new Uint8Array(32);
      createBlake3Keyed32(ch)(h, 0, s.sector, off + 32 * j);
      const a = new DataView(h.buffer).getBigUint64(0, true);
      const d1 = (g - a + 2n ** 64n) % 2n ** 64n;
      const d2 = (a - g + 2n ** 64n) % 2n ** 64n;
      return { chunkOffset: j, distance: d1 < d2 ? d1 : d2 };
    }).sort((x, y) => (x.distance < y.distance ? -1 : x.distance > y.distance ? 1 : 0));
    expect(r?.candidates).toEqual(expected);
    // A range of 0 keeps only exact hits (none); halving is an integer division.
    const tight = await auditSector({
      publicKey: PK,
      metadata: s.metadata,
      sector: s.sector,
      globalChallenge: gc,
      solutionRange: 2n * expected[0]!.distance + 1n,
      numChunks: N,
    });
    expect(tight?.candidates).toEqual([expected[0]]);
  });

  it('auditChunks edge cases: wrap-around and the boundary distance', () => {
    const gc = new Uint8Array(32);
    const ch = new Uint8Array(32).fill(5);
    const chunk = new Uint8Array(32);
    const h = new Uint8Array(32);
    createBlake3Keyed32(ch)(h, 0, chunk, 0);
    const a = new DataView(h.buffer).getBigUint64(0, true);
    const d = a < 2n ** 63n ? a : 2n ** 64n - a;
    expect(auditChunks(chunk, ch, gc, 2n * d)).toEqual([{ chunkOffset: 0, distance: d }]);
    expect(auditChunks(chunk, ch, gc, 2n * d - 1n)).toEqual([]);
  });

  it('auditPlot reads one s-bucket per sector through a reader, sorted by best distance', async () => {
    const gc = slotGlobalChallenge(potOutput(2), 2n);
    const reads: [number, number][] = [];
    const results = await auditPlot({
      publicKey: PK,
      sectors: sectors.map((s) => ({
        metadata: s.metadata,
        sector: async (offset: number, length: number) => {
          reads.push([offset, length]);
          return s.sector.slice(offset, offset + length);
        },
      })),
      globalChallenge: gc,
      solutionRange: U64_MAX,
      numChunks: N,
    });
    expect(reads.length).toBeLessThanOrEqual(sectors.length);
    const direct = await auditPlot({
      publicKey: PK,
      sectors: sectors.map((s) => ({ metadata: s.metadata, sector: s.sector })),
      globalChallenge: gc,
      solutionRange: U64_MAX,
      numChunks: N,
    });
    expect(results).toEqual(direct);
    for (let i = 1; i < results.length; i++)
      expect(results[i]!.candidates[0]!.distance >= results[i - 1]!.candidates[0]!.distance).toBe(true);
  });
});

describe('audit → prove → verifySolution (farming §5-§7)', () => {
  it('invariant 14: over many slots every proven solution verifies, with the audit distance', async () => {
    let verified = 0;
    for (let slot = 1; slot <= 30; slot++) {
      const pot = potOutput(slot);
      const range = U64_MAX / 4n;
      const results = await auditPlot({
        publicKey: PK,
        sectors: sectors.slice(0, 3).map((s) => ({ metadata: s.metadata, sector: s.sector })),
        globalChallenge: slotGlobalChallenge(pot, BigInt(slot)),
        solutionRange: range,
        numChunks: N,
      });
      for (const audit of results) {
        const sols = await solutionsOf(audit, 1);
        for (const sol of sols) {
          const d = verifySolution(
            sol,
            { slot: BigInt(slot), potOutput: pot, solutionRange: range, pieceCheck: pieceCheck() },
            verifyOpts(),
          );
          const c = audit.candidates.find((x) => x.distance === d);
          expect(c).toBeDefined();
          // SCALE round trip of the 412 bytes, still valid
          const bytes = encodeSolution(sol);
          expect(bytes.length).toBe(412);
          expect(
            verifySolution(
              decodeSolution(bytes),
              { slot: BigInt(slot), potOutput: pot, solutionRange: range },
              verifyOpts(),
            ),
          ).toBe(d);
          verified++;
        }
      }
    }
    expect(verified).toBeGreaterThan(20);
  });

  it('unencoded candidates are skipped (sparse tables leave unencoded tails)', async () => {
    const sparse = createSparseTableGenerator();
    const s = await plotSector({
      publicKey: PK,
      sectorIndex: 9,
      historySize: 1n,
      piecesInSector: PIECES,
      pieceGetter: segment.pieceGetter,
      tableGenerator: sparse,
      numChunks: N,
    });
    let proven = 0;
    let skipped = 0;
    for (let slot = 1; slot <= 40; slot++) {
      const pot = potOutput(slot);
      const audit = await auditSector({
        publicKey: PK,
        metadata: s.metadata,
        sector: s.sector,
        globalChallenge: slotGlobalChallenge(pot, BigInt(slot)),
        solutionRange: U64_MAX,
        numChunks: N,
      });
      if (audit === undefined) continue;
      const sols: Solution[] = [];
      for await (const sol of proveSolutions({
        publicKey: PK,
        rewardAddress: REWARD,
        metadata: s.metadata,
        sector: s.sector,
        tableGenerator: sparse,
        kzg,
        audit,
        numChunks: N,
      }))
        sols.push(sol);
      skipped += audit.candidates.length - sols.length;
      for (const sol of sols) {
        verifySolution(
          sol,
          { slot: BigInt(slot), potOutput: pot, solutionRange: U64_MAX, pieceCheck: pieceCheck() },
          { kzg, isProofValid: sparse.isProofValid, numChunks: N },
        );
        proven++;
      }
    }
    expect(proven).toBeGreaterThan(0);
    expect(skipped).toBeGreaterThan(0);
  });
});

describe('proving a corrupted record', () => {
  it('stops with PLOTTER_CORRUPT_SECTOR (sector index, piece offset) when its chunks unmask to non-scalars', async () => {
    const s = sectors[0]!;
    let audit: SectorAuditResult | undefined;
    for (let slot = 1; audit === undefined; slot++)
      audit = await auditSector({
        publicKey: PK,
        metadata: s.metadata,
        sector: s.sector,
        globalChallenge: slotGlobalChallenge(potOutput(slot), BigInt(slot)),
        solutionRange: U64_MAX,
        numChunks: N,
      });
    // every stored chunk set to 0xff..: whatever the masks, chunks unmask to non-scalars
    const layout = sectorLayout(PIECES, { numChunks: N });
    const bad = s.sector.slice();
    bad.fill(0xff, layout.sBucketsOffset, layout.recordMetadataOffset);
    let err: unknown;
    try {
      for await (const _ of proveSolutions({
        publicKey: PK,
        rewardAddress: REWARD,
        metadata: s.metadata,
        sector: bad,
        tableGenerator: gen,
        kzg,
        audit,
        numChunks: N,
        maxSolutions: 1,
      }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlotterError);
    expect((err as PlotterError).type).toMatchObject({ code: 'PLOTTER_CORRUPT_SECTOR', sectorIndex: 0 });
    expect((err as PlotterError & { type: { pieceOffset: number } }).type.pieceOffset).toBeLessThan(PIECES);
  });
});

describe('verifySolution error kinds (invariants 15-17)', () => {
  let base: Solution;
  let params: VerifySolutionParams;
  let distance: bigint;

  beforeAll(async () => {
    for (let slot = 1; ; slot++) {
      const pot = potOutput(slot);
      const [audit] = await auditPlot({
        publicKey: PK,
        sectors: [{ metadata: sectors[0]!.metadata, sector: sectors[0]!.sector }],
        globalChallenge: slotGlobalChallenge(pot, BigInt(slot)),
        solutionRange: U64_MAX,
        numChunks: N,
      });
      if (audit === undefined) continue;
      const [sol] = await solutionsOf(audit, 1);
      if (sol === undefined) continue;
      base = sol;
      distance = audit.candidates[0]!.distance;
      params = { slot: BigInt(slot), potOutput: pot, solutionRange: U64_MAX, pieceCheck: pieceCheck() };
      break;
    }
  });

  const codeOf = (s: Solution, p: VerifySolutionParams = params): string => {
    try {
      verifySolution(s, p, verifyOpts());
      return 'OK';
    } catch (e) {
      expect(e).toBeInstanceOf(PlotterError);
      return (e as PlotterError).code;
    }
  };
  const flip = (b: Uint8Array, i = 0) => {
    const c = b.slice();
    c[i]! ^= 1;
    return c;
  };

  it('the base solution is valid and not mutated; the reward address is not checked', () => {
    const before = encodeSolution(base);
    expect(verifySolution(base, params, verifyOpts())).toBe(distance);
    expect(encodeSolution(base)).toEqual(before);
    expect(codeOf({ ...base, rewardAddress: flip(base.rewardAddress) })).toBe('OK');
    expect(
      codeOf(base, { slot: params.slot, potOutput: params.potOutput, solutionRange: params.solutionRange }),
    ).toBe('OK');
  });

  it('identity fields and the proof: PLOTTER_INVALID_PROOF_OF_SPACE', () => {
    expect(codeOf({ ...base, publicKey: flip(base.publicKey) })).toBe('PLOTTER_INVALID_PROOF_OF_SPACE');
    expect(codeOf({ ...base, sectorIndex: base.sectorIndex ^ 1 })).toBe('PLOTTER_INVALID_PROOF_OF_SPACE');
    expect(codeOf({ ...base, historySize: base.historySize + 1n })).toBe('PLOTTER_INVALID_PROOF_OF_SPACE');
    expect(codeOf({ ...base, pieceOffset: base.pieceOffset ^ 1 })).toBe('PLOTTER_INVALID_PROOF_OF_SPACE');
    expect(codeOf({ ...base, proofOfSpace: flip(base.proofOfSpace, 100) })).toBe(
      'PLOTTER_INVALID_PROOF_OF_SPACE',
    );
    expect(codeOf(base, { ...params, slot: params.slot + 1n })).toBe('PLOTTER_INVALID_PROOF_OF_SPACE');
  });

  it('range: PLOTTER_OUTSIDE_SOLUTION_RANGE just above the distance, accepted at it', () => {
    expect(codeOf(base, { ...params, solutionRange: 2n * distance })).toBe('OK');
    expect(codeOf(base, { ...params, solutionRange: 2n * distance + 1n })).toBe('OK');
    try {
      verifySolution(base, { ...params, solutionRange: 2n * distance - 1n }, verifyOpts());
      expect.unreachable();
    } catch (e) {
      expect((e as PlotterError).type).toEqual({
        code: 'PLOTTER_OUTSIDE_SOLUTION_RANGE',
        halfSolutionRange: distance - 1n,
        distance,
      });
    }
  });

  it('chunk, commitment, witnesses: PLOTTER_INVALID_CHUNK / _CHUNK_WITNESS / _PIECE', () => {
    expect(codeOf({ ...base, chunk: flip(base.chunk, 31) })).toBe('PLOTTER_INVALID_CHUNK_WITNESS');
    const nonCanonical = new Uint8Array(32).fill(0xff);
    expect(codeOf({ ...base, chunk: nonCanonical })).toBe('PLOTTER_INVALID_CHUNK');
    expect(codeOf({ ...base, chunkWitness: flip(base.chunkWitness, 47) })).toBe(
      'PLOTTER_INVALID_CHUNK_WITNESS',
    );
    expect(codeOf({ ...base, recordCommitment: flip(base.recordCommitment, 47) })).toBe(
      'PLOTTER_INVALID_CHUNK_WITNESS',
    );
    // An undecodable commitment is reported before a non-canonical chunk (the reference's order).
    const garbage = new Uint8Array(48).fill(0xff);
    expect(codeOf({ ...base, recordCommitment: garbage, chunk: nonCanonical })).toBe(
      'PLOTTER_INVALID_CHUNK_WITNESS',
    );
    expect(codeOf({ ...base, recordWitness: flip(base.recordWitness, 47) })).toBe('PLOTTER_INVALID_PIECE');
    expect(
      codeOf(base, {
        ...params,
        pieceCheck: { ...pieceCheck(), segmentCommitment: segment.commitments[0]! },
      }),
    ).toBe('PLOTTER_INVALID_PIECE');
  });

  it('history size: current + 1 accepted, current + 2 PLOTTER_FUTURE_HISTORY_SIZE', async () => {
    const s3 = sectors[3]!; // plotted at history size 3
    let sol: Solution | undefined;
    let p: VerifySolutionParams | undefined;
    for (let slot = 1; sol === undefined; slot++) {
      const pot = potOutput(slot);
      const audit = await auditSector({
        publicKey: PK,
        metadata: s3.metadata,
        sector: s3.sector,
        globalChallenge: slotGlobalChallenge(pot, BigInt(slot)),
        solutionRange: U64_MAX,
        numChunks: N,
      });
      if (audit === undefined) continue;
      [sol] = await solutionsOf(audit, 1);
      p = { slot: BigInt(slot), potOutput: pot, solutionRange: U64_MAX };
    }
    expect(codeOf(sol!, { ...p!, pieceCheck: pieceCheck(2n) })).toBe('OK');
    expect(codeOf(sol!, { ...p!, pieceCheck: pieceCheck(1n) })).toBe('PLOTTER_FUTURE_HISTORY_SIZE');
  });

  it('piece offset bound is strict; expiration; an overflowing history size', async () => {
    expect(
      codeOf(base, { ...params, pieceCheck: { ...pieceCheck(), maxPiecesInSector: base.pieceOffset + 1 } }),
    ).toBe('OK');
    expect(
      codeOf(base, { ...params, pieceCheck: { ...pieceCheck(), maxPiecesInSector: base.pieceOffset } }),
    ).toBe('PLOTTER_INVALID_PIECE_OFFSET');
    // expiration_hs of a sector at history size 1 is in [5, 8)
    const exp = { ...pieceCheck(), sectorExpirationCheckSegmentCommitment: segment.segmentCommitment };
    expect(codeOf(base, { ...params, pieceCheck: { ...exp, currentHistorySize: 4n } })).toBe('OK');
    expect(codeOf(base, { ...params, pieceCheck: { ...exp, currentHistorySize: 8n } })).toBe(
      'PLOTTER_SECTOR_EXPIRED',
    );

    // Forged shim solutions (the shim table is not secure): a piece offset of exactly 1000, and a
    // history size whose expiration overflows u64, each valid up to the check under test.
    const forged = forge(base, { pieceOffset: 1000 });
    expect(codeOf(forged, { ...params, pieceCheck: pieceCheck() })).toBe('PLOTTER_INVALID_PIECE_OFFSET');
    let h = 2n ** 62n;
    while (!hasShimProof(base, h)) h++;
    const huge = forge(base, { historySize: h });
    expect(
      codeOf(huge, {
        ...params,
        pieceCheck: { ...exp, currentHistorySize: h },
      }),
    ).toBe('PLOTTER_INVALID_HISTORY_SIZE');
  });

  function hasShimProof(b: Solution, historySize: bigint): boolean {
    const id = sectorId(publicKeyHash(b.publicKey), b.sectorIndex, historySize);
    const bucket =
      sBucketAuditIndex(sectorSlotChallenge(id, slotGlobalChallenge(params.potOutput, params.slot))) %
      (2 * N);
    const le = new Uint8Array(4);
    new DataView(le.buffer).setUint32(0, bucket, true);
    return blake3(le).reduce((a, x) => a + x, 0) % 3 !== 0;
  }

  /** Re-derives the s-bucket, shim proof, chunk and chunk witness of `base`'s record for other fields. */
  function forge(b: Solution, change: Partial<Solution>): Solution {
    const s = { ...b, ...change };
    const id = sectorId(publicKeyHash(s.publicKey), s.sectorIndex, s.historySize);
    const gc = slotGlobalChallenge(params.potOutput, params.slot);
    const bucket = sBucketAuditIndex(sectorSlotChallenge(id, gc)) % (2 * N);
    const seed = sectorEvaluationSeed(id, s.pieceOffset);
    const proof = new Uint8Array(160);
    proof.set(seed);
    const le = new Uint8Array(4);
    new DataView(le.buffer).setUint32(0, bucket, true);
    const q = blake3(le);
    expect(q.reduce((a, x) => a + x, 0) % 3).not.toBe(0); // the shim has a proof for this s-bucket
    for (let i = 0; i < 4; i++) proof.set(q, 32 + 32 * i);
    // The record of the base solution: find its piece by commitment.
    const pos = segment.commitments.findIndex((c) => c.every((x, i) => x === b.recordCommitment[i]));
    const record = segment.records[pos]!;
    const parity = extend(record);
    const ext = new Uint8Array(2 * record.length);
    for (let i = 0; i < N; i++) {
      ext.set(record.subarray(32 * i, 32 * i + 32), 64 * i);
      ext.set(parity.subarray(32 * i, 32 * i + 32), 64 * i + 32);
    }
    return {
      ...s,
      proofOfSpace: proof,
      chunk: ext.slice(32 * bucket, 32 * bucket + 32),
      chunkWitness: kzg.createWitness(poly(ext), 2 * N, bucket),
    };
  }
});
