import { describe, expect, it, vi } from 'vitest';
import * as api from '../src/index.js';
import { isNative, NativeError } from '../src/index.js';
import { skipNative } from './helpers.js';

describe('@autonomys/native API', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'AES_BLOCK_SIZE',
        'AES_KEY_SIZE',
        'G1_COMPRESSED_SIZE',
        'G1_UNCOMPRESSED_SIZE',
        'G2_COMPRESSED_SIZE',
        'NativeError',
        'SCALAR_SIZE',
        'aesChain',
        'aesChainAsync',
        'aesChainMulti',
        'aesChainMultiAsync',
        'frExtendColumns',
        'frFft',
        'frRecoverApply',
        'frRecoverPlan',
        'frRecoverPlanAsync',
        'frRecoverPoly',
        'hasFrRecoverPlan',
        'g1Add',
        'g1Compress',
        'g1Decompress',
        'G1FixedBase',
        'g1FixedBasePrepare',
        'hasG1FixedBase',
        'frQuotient',
        'hasFrQuotient',
        'g1Fft',
        'g1FftAsync',
        'g1IsInSubgroup',
        'g1Msm',
        'g1MsmAsync',
        'g1MsmParallel',
        'g1PrepareAffine',
        'g1PrepareAffineAsync',
        'hasAesNi',
        'hasFrRecoverPoly',
        'hasG1Fft',
        'hasPosTables',
        'isNative',
        'posTables',
        'pairingCheck',
      ].sort(),
    );
  });

  it('has the addon loaded (or its build failed here and AUTONOMYS_NATIVE_REQUIRED is unset)', () => {
    expect(isNative || skipNative).toBe(true);
  });

  it('without the addon: curve functions throw NATIVE_UNAVAILABLE, the AES chain falls back', async () => {
    vi.resetModules();
    vi.stubEnv('AUTONOMYS_NATIVE_DISABLE', '1');
    try {
      const m = await import('../src/index.js');
      expect(m.isNative).toBe(false);
      expect(m.hasAesNi).toBe(false);
      const err = (() => {
        try {
          m.g1Msm(new Uint8Array(96), new Uint8Array(32));
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(m.NativeError);
      expect((err as NativeError).code).toBe('NATIVE_UNAVAILABLE');
      expect((err as NativeError).type).toMatchObject({
        what: 'g1Msm',
        reason: 'AUTONOMYS_NATIVE_DISABLE=1',
      });
      expect(() => m.pairingCheck([])).toThrow(/NATIVE_UNAVAILABLE/);
      expect(() => m.g1Decompress(new Uint8Array(48))).toThrow(/NATIVE_UNAVAILABLE/);
      const key = Uint8Array.from(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));
      const pt = Uint8Array.from(Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
      expect(Buffer.from(m.aesChain(key, pt, 1)).toString('hex')).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
      expect(await m.aesChainMultiAsync(key, pt, 1)).toEqual(m.aesChain(key, pt, 1));
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });

  it('rejects bad arguments with NATIVE_INVALID_ARGUMENT before reaching native code', () => {
    const check = (f: () => unknown, what: string) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(NativeError);
        expect((e as NativeError).type).toMatchObject({ code: 'NATIVE_INVALID_ARGUMENT', what });
        return;
      }
      throw new Error('expected a throw');
    };
    check(() => api.aesChain(new Uint8Array(15), new Uint8Array(16), 1), 'key');
    check(() => api.aesChain(new Uint8Array(16), new Uint8Array(17), 1), 'block');
    check(() => api.aesChain(new Uint8Array(16), new Uint8Array(16), -1), 'iterations');
    check(() => api.aesChain(new Uint8Array(16), new Uint8Array(16), 1.5), 'iterations');
    check(() => api.aesChainMulti(new Uint8Array(16), new Uint8Array(20), 1), 'blocks');
    check(() => api.g1Msm(new Uint8Array(95), new Uint8Array(32)), 'points');
    check(() => api.g1Msm(new Uint8Array(96), new Uint8Array(31)), 'scalars');
    check(() => api.g1Msm(new Uint8Array(96), new Uint8Array(64)), 'g1Msm');
    check(() => api.g1Msm(new Uint8Array(192), new Uint8Array(64), 1, 2), 'g1Msm');
    check(() => api.g1Decompress(new Uint8Array(47)), 'point');
    check(() => api.g1Compress(new Uint8Array(48)), 'point');
    check(() => api.g1Add(new Uint8Array(48), new Uint8Array(96)), 'b');
    check(() => api.frFft(new Uint8Array(96), false, new Uint8Array(32)), 'values');
    check(() => api.pairingCheck([[new Uint8Array(48), new Uint8Array(48)]]), 'pairs[0][1]');
    check(() => api.aesChain('k' as any, new Uint8Array(16), 1), 'key');
  });
});
