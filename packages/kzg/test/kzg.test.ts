import { BLS12_381_R, scalarToBigint } from '@autonomys/primitives';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { describe, expect, it } from 'vitest';
import { G1_SIZE, Kzg, type KzgOpening, NUM_G1_POWERS, Polynomial, poly } from '../src/index.js';
import { backends, parametersBytes, params, s, toHex } from './helpers.js';

const R = BLS12_381_R;
const IDENTITY = new Uint8Array(48);
IDENTITY[0] = 0xc0;
const bytes = parametersBytes();
const fileG1 = (i: number) => bytes.subarray(i * G1_SIZE, (i + 1) * G1_SIZE);
const G2_START = NUM_G1_POWERS * G1_SIZE;
const G2_0 = bytes.subarray(G2_START, G2_START + 96);

// One compliance suite, run against every backend available (TypeScript always; native when built).
describe.each(backends.map((b) => [b.name, b] as const))('Kzg on the %s backend', (_, backend) => {
  const kzg = new Kzg(params(), { backend });
  const values = Array.from({ length: 256 }, (_, i) => s((BigInt(i) * 0x1234567n + 99n) ** 7n % R));
  const p = poly(values);
  const commitment = kzg.commit(p);

  it('the commitment of a constant c is c·G1', () => {
    const c = 0xdeadbeefcafen;
    const expected = bls12_381.G1.Point.BASE.multiply(c).toBytes(true);
    expect(toHex(kzg.commit(Polynomial.fromCoefficients([s(c)])))).toBe(toHex(expected));
    // trailing zero coefficients change nothing
    expect(toHex(kzg.commit(Polynomial.fromCoefficients([s(c), s(0), s(0), s(0)])))).toBe(toHex(expected));
  });

  it('commit is Σ c_k·G1[k] (checked with noble on 8 coefficients)', () => {
    const cs = [3n, 0n, R - 1n, 5n, 1n << 200n, 7n, 0n, 11n];
    let acc = bls12_381.G1.Point.ZERO;
    cs.forEach((c, k) => {
      if (c !== 0n) acc = acc.add(bls12_381.G1.Point.fromBytes(fileG1(k)).multiply(c));
    });
    expect(toHex(kzg.commit(Polynomial.fromCoefficients(cs.map(s))))).toBe(toHex(acc.toBytes(true)));
  });

  it('verify(createWitness) holds on the 256-domain and fails for a wrong value, index, witness or commitment', () => {
    for (const i of [0, 1, 128, 255]) {
      const w = kzg.createWitness(p, 256, i);
      expect(kzg.verify(commitment, 256, i, values[i]!, w)).toBe(true);
      if (i !== 1) continue;
      expect(kzg.verify(commitment, 256, i, values[i + 1]!, w)).toBe(false);
      expect(kzg.verify(commitment, 256, i + 1, values[i]!, w)).toBe(false);
      expect(kzg.verify(commitment, 256, i, values[i]!, kzg.createWitness(p, 256, i + 1))).toBe(false);
      expect(kzg.verify(fileG1(5), 256, i, values[i]!, w)).toBe(false);
      expect(kzg.verify(commitment, 128, i, values[i]!, w)).toBe(false);
    }
  });

  it('verify holds on the 2^16-domain with a small polynomial', () => {
    const q = Polynomial.fromCoefficients([s(1), s(2), s(3), s(R - 4n), s(5)]);
    const c = kzg.commit(q);
    for (const i of [0, 1, 40_000, 65_535]) {
      const y = q.evaluateAt(65_536, i);
      expect(kzg.verify(c, 65_536, i, y, kzg.createWitness(q, 65_536, i))).toBe(true);
    }
  });

  it('a constant polynomial has the identity witness; identity commitments verify', () => {
    const k = Polynomial.fromCoefficients([s(0)]);
    const w = kzg.createWitness(k, 256, 3);
    expect(toHex(w)).toBe(toHex(IDENTITY));
    expect(toHex(kzg.commit(k))).toBe(toHex(IDENTITY));
    expect(kzg.verify(IDENTITY, 256, 3, s(0), IDENTITY)).toBe(true);
    expect(kzg.verify(IDENTITY, 256, 3, s(1), IDENTITY)).toBe(false);
    const seven = Polynomial.fromCoefficients([s(7)]);
    expect(kzg.verify(kzg.commit(seven), 256, 9, s(7), kzg.createWitness(seven, 256, 9))).toBe(true);
  });

  it('verify returns false for undecodable input', () => {
    const w = kzg.createWitness(p, 256, 2);
    const bad = commitment.slice();
    bad[0] = 0x00; // no compression flag
    expect(kzg.verify(bad, 256, 2, values[2]!, w)).toBe(false);
    const offCurve = commitment.slice();
    offCurve[47]! ^= 1;
    expect(kzg.verify(commitment, 256, 2, values[2]!, offCurve)).toBe(false);
    const nonCanonical = new Uint8Array(32).fill(0xff);
    expect(kzg.verify(commitment, 256, 2, nonCanonical, w)).toBe(false);
    const wrongInfinity = IDENTITY.slice();
    wrongInfinity[47] = 1;
    expect(kzg.verify(wrongInfinity, 256, 2, values[2]!, w)).toBe(false);
  });

  it('verify throws typed errors for bad arguments', () => {
    const w = kzg.createWitness(p, 256, 2);
    expect(() => kzg.verify(commitment, 100, 2, values[2]!, w)).toThrow(
      expect.objectContaining({ code: 'KZG_INVALID_DOMAIN_SIZE' }),
    );
    expect(() => kzg.verify(commitment, 256, 256, values[2]!, w)).toThrow(
      expect.objectContaining({ code: 'KZG_INDEX_OUT_OF_RANGE' }),
    );
    expect(() => kzg.verify(commitment.subarray(1), 256, 2, values[2]!, w)).toThrow(
      expect.objectContaining({ code: 'KZG_INVALID_LENGTH' }),
    );
    expect(() => kzg.createWitness(p, 2 ** 17, 0)).toThrow(
      expect.objectContaining({ code: 'KZG_INVALID_DOMAIN_SIZE' }),
    );
    expect(() => kzg.createWitness(p, 256, -1)).toThrow(
      expect.objectContaining({ code: 'KZG_INDEX_OUT_OF_RANGE' }),
    );
    const tooLarge = Polynomial.fromCoefficients(new Uint8Array(32 * (params().g1Count + 1)));
    expect(() => kzg.commit(tooLarge)).toThrow(expect.objectContaining({ code: 'KZG_POLYNOMIAL_TOO_LARGE' }));
  });

  it('verifyBatch accepts valid openings and rejects a batch with one bad opening', () => {
    const q = Polynomial.fromCoefficients([s(9), s(8), s(7)]);
    const cq = kzg.commit(q);
    const openings: KzgOpening[] = [
      ...[0, 3, 77].map((i) => ({
        commitment,
        domainSize: 256,
        index: i,
        value: values[i]!,
        witness: kzg.createWitness(p, 256, i),
      })),
      {
        commitment: cq,
        domainSize: 65_536,
        index: 5,
        value: q.evaluateAt(65_536, 5),
        witness: kzg.createWitness(q, 65_536, 5),
      },
      { commitment: IDENTITY, domainSize: 16, index: 1, value: s(0), witness: IDENTITY },
    ];
    expect(kzg.verifyBatch(openings)).toBe(true);
    expect(kzg.verifyBatch([])).toBe(true);
    const wrong = openings.map((o) => ({ ...o }));
    wrong[1]!.value = values[4]!;
    expect(kzg.verifyBatch(wrong)).toBe(false);
  });

  it('the parameters satisfy e(G1[i+1], G2) = e(G1[i], τG2) for a few i', () => {
    for (const i of [0, 1, 100, 4094]) {
      const neg = bls12_381.G1.Point.fromBytes(fileG1(i)).negate().toBytes(true);
      expect(
        backend.pairingCheck([
          [fileG1(i + 1), G2_0],
          [neg, params().tauG2],
        ]),
      ).toBe(true);
      expect(
        backend.pairingCheck([
          [fileG1(i + 2), G2_0],
          [neg, params().tauG2],
        ]),
      ).toBe(false);
    }
  });

  it('pairingCheck treats identity points as contributing 1', () => {
    expect(backend.pairingCheck([[IDENTITY, G2_0]])).toBe(true);
    expect(backend.pairingCheck([])).toBe(true);
    expect(backend.pairingCheck([[fileG1(1), G2_0]])).toBe(false);
  });

  it('createWitness does not mutate the polynomial; commit is deterministic', () => {
    const before = toHex(p.coefficients());
    kzg.createWitness(p, 256, 9);
    expect(toHex(p.coefficients())).toBe(before);
    expect(toHex(kzg.commit(p))).toBe(toHex(commitment));
    expect(scalarToBigint(p.evaluateAt(256, 9))).toBe(scalarToBigint(values[9]!));
  });
});

describe('backends agree', () => {
  it.runIf(backends.length > 1)('TS and native give identical bytes (commit, witness, MSM over 4096)', () => {
    const [ts, nat] = backends;
    const a = new Kzg(params(), { backend: ts! });
    const b = new Kzg(params(), { backend: nat! });
    const values = Array.from({ length: 4096 }, (_, i) => s((BigInt(i) + 3n) ** 11n % R));
    const p = poly(values);
    expect(toHex(a.commit(p))).toBe(toHex(b.commit(p)));
    const q = poly(values.slice(0, 256));
    expect(toHex(a.createWitness(q, 256, 17))).toBe(toHex(b.createWitness(q, 256, 17)));
    const compressed = bytes.subarray(0, 64 * G1_SIZE);
    expect(toHex(ts!.decompressG1(compressed, true))).toBe(toHex(nat!.decompressG1(compressed, true)));
    expect(toHex(ts!.addG1(fileG1(1), fileG1(2)))).toBe(toHex(nat!.addG1(fileG1(1), fileG1(2))));
  });
});
