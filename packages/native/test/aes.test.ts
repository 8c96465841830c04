import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesChainJs } from '../src/aes.js';
import {
  aesChain,
  aesChainAsync,
  aesChainMulti,
  aesChainMultiAsync,
  hasAesNi,
  isNative,
} from '../src/index.js';
import { hex, prng, skipNative, unhex } from './helpers.js';

const FIPS_KEY = unhex('000102030405060708090a0b0c0d0e0f');
const FIPS_PT = unhex('00112233445566778899aabbccddeeff');
const FIPS_CT = '69c4e0d86a7b0430d8cdb78070b4c55a'; // FIPS-197 appendix C.1

/** The chain by definition: one ECB encryption per step. */
function chainEcb(key: Uint8Array, block: Uint8Array, n: number): Uint8Array {
  let x = block;
  for (let i = 0; i < n; i++) {
    const c = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
    x = new Uint8Array(c.update(x));
    c.final();
  }
  return x;
}

describe('aesChain (whichever backend is active)', () => {
  const key = prng('aes-key', 16);
  const block = prng('aes-block', 16);

  it('AES-128 known answer (FIPS-197) for one iteration', () => {
    expect(hex(aesChain(FIPS_KEY, FIPS_PT, 1))).toBe(FIPS_CT);
    expect(hex(aesChainJs(FIPS_KEY, FIPS_PT, 1))).toBe(FIPS_CT);
  });

  it.each([0, 1, 2, 1000, 4096, 4097, 100003])('equals the CBC-over-zeros construction for n = %i', (n) => {
    const expected = aesChainJs(key, block, n);
    expect(hex(aesChain(key, block, n))).toBe(hex(expected));
    if (n <= 1000) expect(hex(expected)).toBe(hex(chainEcb(key, block, n)));
  });

  it('returns a fresh copy for 0 iterations and does not mutate its inputs', () => {
    const b = block.slice();
    const out = aesChain(key, b, 0);
    expect(out).toEqual(block);
    out[0]! ^= 1;
    expect(b).toEqual(block);
    aesChain(key, b, 10);
    expect(b).toEqual(block);
  });

  it.each([1, 2, 3, 5, 8, 9, 16, 23])('aesChainMulti equals %i single chains (sync and async)', async (n) => {
    const blocks = prng(`multi-${n}`, 16 * n);
    const iters = 1001;
    const expected = new Uint8Array(16 * n);
    for (let i = 0; i < n; i++)
      expected.set(aesChainJs(key, blocks.subarray(16 * i, 16 * i + 16), iters), 16 * i);
    expect(hex(aesChainMulti(key, blocks, iters))).toBe(hex(expected));
    expect(hex(await aesChainMultiAsync(key, blocks, iters))).toBe(hex(expected));
  });

  it('async single chain and empty multi', async () => {
    expect(hex(await aesChainAsync(FIPS_KEY, FIPS_PT, 1))).toBe(FIPS_CT);
    expect(aesChainMulti(key, new Uint8Array(0), 10)).toEqual(new Uint8Array(0));
  });
});

describe.skipIf(skipNative)('aesChain on AES-NI', () => {
  it('is active on this machine (x64 with AES)', () => {
    expect(isNative).toBe(true);
    if (process.arch === 'x64') expect(hasAesNi).toBe(true);
  });
});
