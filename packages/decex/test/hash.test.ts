import { bytesToHex } from '@autonomys/primitives';
import { blake2b } from '@noble/hashes/blake2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blake2b128, blake2b256, initDecex, storagePrefix, twox128, xxh64 } from '../src/index.js';

describe('hashers', () => {
  it('twox128 gives the well-known storage prefixes (System, Account, Balances, TotalIssuance)', () => {
    const t = (s: string) => bytesToHex(twox128(new TextEncoder().encode(s)));
    expect(t('System')).toBe('26aa394eea5630e07c48ae0c9558cef7');
    expect(t('Account')).toBe('b99d880ec681799c0cf30e8886371da9');
    expect(t('Balances')).toBe('c2261276cc9d1f8598ea4b6a74b15c2f');
    expect(t('TotalIssuance')).toBe('57c875e4cff74148e4628f264b974c80');
    expect(bytesToHex(storagePrefix('System', 'Account'))).toBe(
      '26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9',
    );
  });
  it('xxh64 reference values (empty input, seed 0 and 1)', () => {
    expect(xxh64(new Uint8Array(0)).toString(16)).toBe('ef46db3751d8e999');
    expect(xxh64(new TextEncoder().encode('abc')).toString(16)).toBe('44bc2cf5ad770999');
  });
  it('the WebAssembly BLAKE2b gives the same bytes as the TypeScript one (property)', async () => {
    await initDecex();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(bytesToHex(blake2b256(b))).toBe(bytesToHex(blake2b(b, { dkLen: 32 })));
        expect(bytesToHex(blake2b128(b))).toBe(bytesToHex(blake2b(b, { dkLen: 16 })));
      }),
    );
  });
});
