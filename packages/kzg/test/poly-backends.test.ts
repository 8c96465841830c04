import { scalarFromBigint } from '@autonomys/primitives';
import { describe, expect, it } from 'vitest';
import { defaultBackend, ifft, type KzgError, poly } from '../src/index.js';

function values(n: number, seed: bigint): Uint8Array {
  const out = new Uint8Array(n * 32);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) % 2n ** 250n;
    out.set(scalarFromBigint(x), i * 32);
  }
  return out;
}

describe('poly on the backend FFT', () => {
  it.each([2, 64, 256, 4096])('n = %i: the same coefficients as the TypeScript inverse FFT', (n) => {
    const v = values(n, BigInt(n));
    expect(poly(v).coefficients()).toEqual(ifft(v));
  });
  it('rejects a non-canonical value with the index, on every backend', () => {
    const v = values(128, 5n);
    v.fill(0xff, 32 * 77, 32 * 78);
    try {
      poly(v);
      expect.unreachable();
    } catch (e) {
      expect((e as KzgError).type).toMatchObject({ code: 'KZG_INVALID_SCALAR', index: 77 });
    }
    expect(['native', 'typescript']).toContain(defaultBackend().name);
  });
});
