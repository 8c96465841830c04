import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blake3,
  blake3Keyed,
  PrimitivesError,
  publicKeyHash,
  sBucketAuditIndex,
  sectorDerivePieceIndex,
  sectorEvaluationSeed,
  sectorExpirationHistorySize,
  sectorId,
  sectorSlotChallenge,
} from '../src/index.js';

const arb32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe('sector id (farming §4.1)', () => {
  it('is keyed BLAKE3 of LE u16 sector index ‖ LE u64 history size under the public key hash', () => {
    const pk = new Uint8Array(32).fill(7);
    const pkh = publicKeyHash(pk);
    expect(pkh).toEqual(blake3(pk));
    const id = sectorId(pkh, 0x0102, 0x0a0b0c0d0e0f1011n);
    const input = Uint8Array.from([0x02, 0x01, 0x11, 0x10, 0x0f, 0x0e, 0x0d, 0x0c, 0x0b, 0x0a]);
    expect(id).toEqual(blake3Keyed(pkh, input));
    expect(sectorId(pkh, 0, 1n)).not.toEqual(sectorId(pkh, 0, 2n));
  });
  it('rejects bad inputs', () => {
    const pkh = new Uint8Array(32);
    expect(() => sectorId(pkh, 65536, 1n)).toThrow(PrimitivesError);
    expect(() => sectorId(pkh, 0, 0n)).toThrow(PrimitivesError);
    expect(() => sectorId(new Uint8Array(31), 0, 1n)).toThrow(PrimitivesError);
    expect(() => publicKeyHash(new Uint8Array(33))).toThrow(PrimitivesError);
  });
});

describe('evaluation seed, slot challenge and audit index (farming §4.3, §5)', () => {
  it('evaluation seed = BLAKE3(sector_id ‖ LE u16 piece offset)', () =>
    fc.assert(
      fc.property(arb32, fc.integer({ min: 0, max: 65535 }), (id, offset) => {
        const input = new Uint8Array(34);
        input.set(id);
        input[32] = offset & 0xff;
        input[33] = offset >> 8;
        expect(sectorEvaluationSeed(id, offset)).toEqual(blake3(input));
      }),
      { numRuns: 50 },
    ));
  it('sector slot challenge is a XOR; the audited s-bucket is its first two bytes little-endian', () =>
    fc.assert(
      fc.property(arb32, arb32, (id, gc) => {
        const ssc = sectorSlotChallenge(id, gc);
        for (let i = 0; i < 32; i++) expect(ssc[i]).toBe(id[i]! ^ gc[i]!);
        // equals the u256-LE value mod 2^16
        let v = 0n;
        for (let i = 31; i >= 0; i--) v = (v << 8n) | BigInt(ssc[i]!);
        expect(sBucketAuditIndex(ssc)).toBe(Number(v % 65536n));
      }),
      { numRuns: 50 },
    ));
  it('rejects bad sizes', () => {
    expect(() => sectorEvaluationSeed(new Uint8Array(32), 65536)).toThrow(PrimitivesError);
    expect(() => sectorSlotChallenge(new Uint8Array(32), new Uint8Array(16))).toThrow(PrimitivesError);
    expect(() => sBucketAuditIndex(new Uint8Array(2))).toThrow(PrimitivesError);
  });
});

function leU256(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

describe('verifiable piece selection (farming §4.2)', () => {
  it('draws uniformly from all history with the offset-keyed hash', () =>
    fc.assert(
      fc.property(
        arb32,
        fc.integer({ min: 0, max: 999 }),
        fc.bigInt({ min: 1n, max: 50n }),
        (id, offset, hs) => {
          const key = new Uint8Array(32);
          key[0] = offset & 0xff;
          key[1] = offset >> 8;
          const expected = leU256(blake3Keyed(key, id)) % (hs * 256n);
          expect(sectorDerivePieceIndex(id, offset, hs)).toBe(expected);
        },
      ),
      { numRuns: 100 },
    ));
  it('switches odd offsets below 200 to the last 5 segments once history exceeds 50 segments', () => {
    const id = new Uint8Array(32).fill(3);
    for (let offset = 0; offset < 260; offset++) {
      const pi = sectorDerivePieceIndex(id, offset, 51n);
      expect(pi).toBeLessThan(51n * 256n);
      if (offset % 2 === 1 && offset < 200) expect(pi).toBeGreaterThanOrEqual(46n * 256n);
    }
    // at exactly 50 segments (12 800 pieces) the recent policy is still off
    const key = new Uint8Array(32);
    key[0] = 1;
    expect(sectorDerivePieceIndex(id, 1, 50n)).toBe(leU256(blake3Keyed(key, id)) % 12800n);
  });
  it('takes the runtime parameters as options', () => {
    const id = new Uint8Array(32).fill(9);
    // with max pieces 10 the interleave bound is max(1, 10·256/2560·2) = 2: only offset 1 is recent
    const a = sectorDerivePieceIndex(id, 3, 100n, { maxPiecesInSector: 10 });
    const key = new Uint8Array(32);
    key[0] = 3;
    expect(a).toBe(leU256(blake3Keyed(key, id)) % 25600n);
    expect(() => sectorDerivePieceIndex(id, 0, 1n, { recentSegments: 0n })).toThrow(PrimitivesError);
    expect(() => sectorDerivePieceIndex(id, 0, 0n)).toThrow(PrimitivesError);
  });
});

describe('sector expiration (farming §4.8)', () => {
  it('is uniform over [h + 4, 4h + 4) from BLAKE3(sector_id ‖ commitment)', () =>
    fc.assert(
      fc.property(
        arb32,
        fc.uint8Array({ minLength: 48, maxLength: 48 }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (id, sc, h) => {
          const e = sectorExpirationHistorySize(id, h, sc)!;
          expect(e).toBeGreaterThanOrEqual(h + 4n);
          expect(e).toBeLessThan(4n * h + 4n);
          const input = new Uint8Array(80);
          input.set(id);
          input.set(sc, 32);
          expect(e).toBe(h + 4n + (leU256(blake3(input)) % (3n * h)));
        },
      ),
      { numRuns: 50 },
    ));
  it('is undefined on overflow, and rejects bad sizes', () => {
    expect(sectorExpirationHistorySize(new Uint8Array(32), 2n ** 62n, new Uint8Array(48))).toBeUndefined();
    expect(() => sectorExpirationHistorySize(new Uint8Array(32), 1n, new Uint8Array(32))).toThrow(
      PrimitivesError,
    );
  });
});
