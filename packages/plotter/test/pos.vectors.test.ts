import { bytesToHex, hexToBytes } from '@autonomys/primitives';
import { VectorClaims } from '@autonomys/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPosTables,
  createShimTableGenerator,
  defaultBackend,
  findProof,
  isProofValid,
  isShimProofValid,
  PARAM_BC,
  type PosTablesData,
  parseProof,
  posF1,
  posFn,
  posMatch,
  proofHash,
} from '../src/index.js';
import { buildTable1, findMatches } from '../src/pos/table.js';
import { posVectors, SEED01, SEED20, seedOf, vector } from './helpers.js';

const claims = new VectorClaims(posVectors.map((v) => v.id));

interface F1Vector {
  K: number;
  seed_hex: string;
  cases: { x: number; y: number }[];
}

describe('pos vectors (farming.json)', () => {
  for (const id of ['pos.f1.k25', 'pos.f1.k22']) {
    it(id, () => {
      claims.claim(id);
      const v = vector<F1Vector>(id);
      const seed = hexToBytes(v.seed_hex);
      for (const c of v.cases) expect(posF1(seed, c.x, { k: v.K })).toBe(c.y);
    });
  }

  it('pos.fn.k16', () => {
    claims.claim('pos.fn.k16');
    const v = vector<{
      K: number;
      cases: {
        table_number: number;
        y_in: string;
        left_metadata: string;
        right_metadata: string;
        y_out: string;
        metadata_out: string | null;
      }[];
    }>('pos.fn.k16');
    expect(v.cases.length).toBe(12);
    for (const c of v.cases) {
      const out = posFn(c.table_number, Number(c.y_in), BigInt(c.left_metadata), BigInt(c.right_metadata), {
        k: v.K,
      });
      expect(out.y).toBe(Number(c.y_out));
      if (c.metadata_out !== null) expect(out.metadata).toBe(BigInt(c.metadata_out));
      else expect(out.metadata).toBeUndefined();
    }
  });

  describe('pos.find_proof.k20 (one real K=20 table)', () => {
    let tables: PosTablesData;
    beforeAll(() => {
      tables = createPosTables(SEED20);
    }, 120_000);
    const v = vector<{
      seed_hex: string;
      cases: {
        challenge_index: number;
        k_bit_challenge: number;
        first_proof_hex: string;
        valid_with_challenge_index_plus_1: boolean;
        derived_proof_blake3_hex: string;
        derived_first_two_x: number[];
      }[];
      no_proof_challenge_indexes: number[];
    }>('pos.find_proof.k20');

    it(`pos.find_proof.k20 (${defaultBackend()} tables)`, () => {
      claims.claim('pos.find_proof.k20');
      expect(bytesToHex(SEED20)).toBe(v.seed_hex);
      for (const c of v.cases) {
        const proof = findProof(tables, c.challenge_index);
        expect(proof && bytesToHex(proof)).toBe(c.first_proof_hex);
        expect(isProofValid(SEED20, c.challenge_index, proof!)).toBe(true);
        expect(isProofValid(SEED20, c.challenge_index + 1, proof!)).toBe(c.valid_with_challenge_index_plus_1);
        expect(bytesToHex(proofHash(proof!))).toBe(c.derived_proof_blake3_hex);
        expect([...parseProof(proof!).subarray(0, 2)]).toEqual(c.derived_first_two_x);
      }
      for (const i of v.no_proof_challenge_indexes) expect(findProof(tables, i)).toBeUndefined();
    });

    it('pos.properties k20_broad_scan (sampled: every 25th index of 0..50000; full in the slow suite)', () => {
      let found = 0;
      let tried = 0;
      for (let i = 0; i < 50_000; i += 25) {
        tried++;
        const proof = findProof(tables, i);
        if (proof === undefined) continue;
        found++;
        expect(isProofValid(SEED20, i, proof)).toBe(true);
      }
      expect(found / tried).toBeGreaterThan(0.5);
    });

    it('invariant 4: table 7 is sorted by (y, leftRank, rightRank), every table by position pairs within y', () => {
      const y7 = tables.y7;
      const p7 = tables.positions[5]!;
      let bad = 0;
      for (let i = 1; i < y7.length; i++) {
        const a = y7[i - 1]!;
        const b = y7[i]!;
        const l = p7[2 * i - 2]! - p7[2 * i]!;
        if (a > b || (a === b && !(l < 0 || (l === 0 && p7[2 * i - 1]! < p7[2 * i + 1]!)))) bad++;
      }
      expect(bad).toBe(0);
    });
  });

  it('pos.properties', () => {
    claims.claim('pos.properties');
    const v = vector<{ items: { name: string }[] }>('pos.properties');
    expect(v.items.map((i) => i.name)).toEqual([
      'self_verification_k17',
      'k20_broad_scan',
      'k20_many_seeds',
      'table7_y_sorted',
      'f1_bucket_occupancy',
      'matches_k12',
    ]);
  });

  describe('pos.properties items', () => {
    let t17ts: PosTablesData;
    beforeAll(() => {
      t17ts = createPosTables(SEED01, { k: 17, native: false });
    }, 60_000);

    it('self_verification_k17: indexes 0..1000 verify and fail at index + 1; native and TS agree', () => {
      const t17 = defaultBackend() === 'native' ? createPosTables(SEED01, { k: 17 }) : t17ts;
      for (let i = 0; i <= 1000; i++) {
        const proof = findProof(t17ts, i);
        expect(findProof(t17, i)).toEqual(proof);
        if (proof === undefined) continue;
        expect(isProofValid(SEED01, i, proof, { k: 17 })).toBe(true);
        expect(isProofValid(SEED01, i + 1, proof, { k: 17 })).toBe(false);
      }
    });

    it('k20_many_seeds (fast: 1 seed; slow suite: 16): tables build, proofs of 0..256 verify', () => {
      const tables = createPosTables(seedOf(0));
      expect(tables.y7.length).toBeGreaterThan(0);
      for (let i = 0; i < 256; i++) {
        const proof = findProof(tables, i);
        if (proof !== undefined) expect(isProofValid(seedOf(0), i, proof)).toBe(true);
      }
    }, 60_000);

    it('table7_y_sorted (K=17)', () => {
      let bad = 0;
      for (let i = 1; i < t17ts.y7.length; i++) if (t17ts.y7[i - 1]! > t17ts.y7[i]!) bad++;
      expect(bad).toBe(0);
    });

    it('f1_bucket_occupancy (K=17): some bucket > 272 entries, none > 512', () => {
      const { level } = buildTable1(SEED01, 17);
      const counts = new Map<number, number>();
      for (let i = 0; i < level.n; i++) {
        const b = Math.floor(level.y[i]! / PARAM_BC);
        counts.set(b, (counts.get(b) ?? 0) + 1);
      }
      const max = Math.max(...counts.values());
      expect(max).toBeGreaterThan(272);
      expect(max).toBeLessThanOrEqual(512);
    });

    it('matches_k12: every match is adjacent and satisfies the Chia predicate; 2^K/2 < count < 2^K·2', () => {
      const seed = hexToBytes('0114020504333417545b0a6f0c0d189710e4d3fe2d5cc6cc0a090a0b818bab0f');
      const { level } = buildTable1(seed, 12);
      const m = findMatches(level.y, level.n, 12);
      expect(m.count).toBeGreaterThan(2 ** 11);
      expect(m.count).toBeLessThan(2 ** 13);
      for (let i = 0; i < m.count; i++) {
        const yl = level.y[m.left[i]!]!;
        const yr = level.y[m.right[i]!]!;
        expect(Math.floor(yr / PARAM_BC)).toBe(Math.floor(yl / PARAM_BC) + 1);
        expect(posMatch(yl, yr)).toBe(true);
        // The spec's equivalent Chia form, computed independently of the implementation.
        const bl = Math.floor(yl / PARAM_BC);
        const rl = yl % PARAM_BC;
        const rr = yr % PARAM_BC;
        let ok = false;
        for (let mm = 0; mm < 64; mm++) {
          const target = ((Math.floor(rl / 127) + mm) % 119) * 127 + (((2 * mm + (bl % 2)) ** 2 + rl) % 127);
          if (target === rr) ok = true;
        }
        expect(ok).toBe(true);
      }
    });
  });

  it('pos.shim', async () => {
    claims.claim('pos.shim');
    const v = vector<{ seed_hex: string; cases: { challenge_index: number; proof_hex: string | null }[] }>(
      'pos.shim',
    );
    const seed = hexToBytes(v.seed_hex);
    const gen = createShimTableGenerator();
    const table = await gen.generate(seed);
    for (const c of v.cases) {
      const proof = table.findProof(c.challenge_index);
      expect(proof === undefined ? null : bytesToHex(proof)).toBe(c.proof_hex);
      if (proof !== undefined) {
        expect(gen.isProofValid(seed, c.challenge_index, proof)).toBe(true);
        expect(isShimProofValid(seed, c.challenge_index + 1, proof)).toBe(false);
      }
    }
  });

  afterAll(() => {
    // every pos.* vector id of farming.json has a test above
    expect(claims.unclaimed()).toEqual([]);
  });
});
