import { createHash } from 'node:crypto';
import { blake3_254 } from '@autonomys/primitives';
import { loadVectors, VectorClaims } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';
import {
  G1_SIZE,
  G2_SIZE,
  Kzg,
  NUM_G1_POWERS,
  NUM_G2_POWERS,
  Polynomial,
  PUBLIC_PARAMETERS_SHA256,
  PUBLIC_PARAMETERS_SIZE,
  ROOTS_OF_UNITY_GENERATOR,
  rootOfUnity,
} from '../src/index.js';
import { parametersBytes, params, toHex } from './helpers.js';

type Structural = Record<string, unknown>;
const { structural_vectors: v } = loadVectors<{ structural_vectors: Structural }>('archiving.json');
// The KZG items of archiving.json's structural vectors; each must be claimed by a test below.
const kzgKeys = Object.keys(v).filter(
  (k) =>
    k.startsWith('kzg_') ||
    k.startsWith('omega_') ||
    k.startsWith('roots_of_unity') ||
    k.startsWith('identity_g1') ||
    k === 'commitment_bytes' ||
    k === 'blake3_254_of_identity_commitment',
);
const claims = new VectorClaims(kzgKeys);
const bytes = parametersBytes();
const g1At = (i: number) => bytes.subarray(i * G1_SIZE, (i + 1) * G1_SIZE);
const g2At = (i: number) =>
  bytes.subarray(NUM_G1_POWERS * G1_SIZE + i * G2_SIZE, NUM_G1_POWERS * G1_SIZE + (i + 1) * G2_SIZE);

describe('archiving.json structural vectors (KZG)', () => {
  it('kzg_params_file_bytes and kzg_params_sha256', () => {
    expect(bytes.length).toBe(v[claims.claim('kzg_params_file_bytes')]);
    expect(PUBLIC_PARAMETERS_SIZE).toBe(bytes.length);
    const digest = createHash('sha256').update(bytes).digest('hex');
    expect(digest).toBe(v[claims.claim('kzg_params_sha256')]);
    expect(PUBLIC_PARAMETERS_SHA256).toBe(digest);
  });

  it('kzg_params_g1_points and kzg_params_g2_points', () => {
    expect(NUM_G1_POWERS).toBe(v[claims.claim('kzg_params_g1_points')]);
    expect(NUM_G2_POWERS).toBe(v[claims.claim('kzg_params_g2_points')]);
  });

  it('kzg_params_g1_0, kzg_params_g1_1 (file and decoded table agree)', () => {
    expect(toHex(g1At(0))).toBe(v[claims.claim('kzg_params_g1_0')]);
    expect(toHex(g1At(1))).toBe(v[claims.claim('kzg_params_g1_1')]);
    // commit(X) = G1[1] and commit(1) = G1[0]: the decoded table re-encodes to the file's bytes.
    const kzg = new Kzg(params());
    const one = new Uint8Array(32);
    one[31] = 1;
    expect(toHex(kzg.commit(Polynomial.fromCoefficients([one])))).toBe(toHex(g1At(0)));
    expect(toHex(kzg.commit(Polynomial.fromCoefficients([new Uint8Array(32), one])))).toBe(toHex(g1At(1)));
  });

  it('kzg_params_g2_0 and kzg_params_g2_1 (τ·G2 used by verification)', () => {
    expect(toHex(g2At(0))).toBe(v[claims.claim('kzg_params_g2_0')]);
    expect(toHex(g2At(1))).toBe(v[claims.claim('kzg_params_g2_1')]);
    expect(toHex(params().tauG2)).toBe(v.kzg_params_g2_1);
  });

  it('roots_of_unity_generator, omega_128_be, omega_256_be, omega_32768_be', () => {
    expect(ROOTS_OF_UNITY_GENERATOR).toBe(BigInt(v[claims.claim('roots_of_unity_generator')] as number));
    expect(toHex(rootOfUnity(128))).toBe(v[claims.claim('omega_128_be')]);
    expect(toHex(rootOfUnity(256))).toBe(v[claims.claim('omega_256_be')]);
    expect(toHex(rootOfUnity(32768))).toBe(v[claims.claim('omega_32768_be')]);
    // archiving §1.3 also lists ω_65536
    expect(toHex(rootOfUnity(65536))).toBe(
      '2155379d12180caa88f39a78f1aeb57867a665ae1fcadc91d7118f85cd96b8ad',
    );
  });

  it('identity_g1_compressed, commitment_bytes, blake3_254_of_identity_commitment', () => {
    const zero = new Kzg(params()).commit(Polynomial.fromCoefficients(new Uint8Array(32 * 8)));
    expect(toHex(zero)).toBe(v[claims.claim('identity_g1_compressed')]);
    expect(zero.length).toBe(v[claims.claim('commitment_bytes')]);
    expect(toHex(blake3_254(zero))).toBe(v[claims.claim('blake3_254_of_identity_commitment')]);
  });

  it('claims every KZG structural vector', () => {
    expect(kzgKeys.length).toBeGreaterThanOrEqual(14);
    expect(claims.unclaimed()).toEqual([]);
  });
});
