/**
 * blst WebAssembly (`@autonomys/native/wasm`) in Node, against the TypeScript backend of
 * @autonomys/kzg (always) and the native addon (when loaded): same bytes, same answers, same error
 * codes. Skipped, loudly, when the module could not be built here (no clang/wasm-ld) unless
 * AUTONOMYS_WASM_REQUIRED=1.
 */
import { readFileSync } from 'node:fs';
import {
  Kzg,
  type KzgBackend,
  loadPublicParameters,
  poly,
  rootOfUnity,
  typescriptBackend,
} from '@autonomys/kzg';
import * as native from '@autonomys/native';
import { type BlstWasm, loadBlstWasm, NativeError } from '@autonomys/native/wasm';
import { vectorPath } from '@autonomys/test-utils';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { wasmBackend } from '../../../packages/kzg/src/backend-wasm.js';
import { detScalars } from '../src/fixtures.js';
import { blstWasm } from '../src/harness.js';

const module = blstWasm();
const required = process.env.AUTONOMYS_WASM_REQUIRED === '1';
if (module.bytes === null && !required) console.warn(`blst WebAssembly tests SKIPPED: ${module.reason}`);

describe.skipIf(module.bytes === null && !required)('blst WebAssembly in Node', () => {
  let w: BlstWasm;
  let backend: KzgBackend;
  let params: Awaited<ReturnType<typeof loadPublicParameters>>;

  beforeAll(async () => {
    if (module.bytes === null) throw new Error(`AUTONOMYS_WASM_REQUIRED=1 but: ${module.reason}`);
    w = await loadBlstWasm(module.bytes);
    backend = wasmBackend(w);
    params = await loadPublicParameters({ g1Count: 4096 });
  });

  it('decodes points as the other backends do, with and without subgroup checks', () => {
    const bytes = params.g1.subarray(0, 256 * 96);
    const compressed = new Uint8Array(readFileSync(vectorPath('kzg/eth-public-parameters.bin'))).subarray(
      0,
      256 * 48,
    );
    for (const check of [true, false]) {
      expect(w.g1PrepareAffine(compressed, { subgroupCheck: check })).toEqual(bytes);
      expect(backend.decompressG1(compressed, check)).toEqual(
        typescriptBackend.decompressG1(compressed, check),
      );
    }
    expect(w.g1Compress(bytes.subarray(0, 96))).toEqual(compressed.subarray(0, 48));
  });

  it('gives the addon error codes for bad encodings, points off the curve and outside the subgroup', () => {
    const code = (f: () => unknown) => {
      try {
        f();
        return 'ok';
      } catch (e) {
        return e instanceof NativeError ? e.code : String(e);
      }
    };
    const inf = new Uint8Array(48);
    inf[0] = 0xc0;
    const badFlags = inf.slice();
    badFlags[0] = 0x40; // infinity without the compression flag
    const offCurve = inf.slice();
    offCurve[0] = 0x80;
    offCurve[47] = 2; // x = 2: y² = 12 has no root in Fp? either way not this encoding's point
    expect(code(() => w.g1Decompress(inf))).toBe('ok');
    expect(code(() => w.g1Decompress(badFlags))).toBe('NATIVE_BAD_ENCODING');
    const offCode = code(() => w.g1Decompress(offCurve));
    expect(['NATIVE_NOT_ON_CURVE', 'NATIVE_NOT_IN_SUBGROUP']).toContain(offCode);
    if (native.isNative) expect(offCode).toBe(code(() => native.g1Decompress(offCurve)));
    expect(code(() => w.g1Msm(params.g1, new Uint8Array(32).fill(0xff), 1))).toBe('NATIVE_INVALID_SCALAR');
    expect(code(() => w.g1Msm(params.g1, new Uint8Array(31)))).toBe('NATIVE_INVALID_ARGUMENT');
  });

  it('computes MSMs, sums and FFTs with the same bytes as TypeScript (and the addon)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 1_000_000 }), (n, label) => {
        const scalars = detScalars(n, `msm ${label}`);
        const out = w.g1Msm(params.g1, scalars, n);
        expect(out).toEqual(typescriptBackend.msmG1(params.g1, scalars, n, 0));
        if (native.isNative) expect(out).toEqual(native.g1Msm(params.g1, scalars, n));
        expect(w.g1Add(out, out)).toEqual(typescriptBackend.addG1(out, out));
      }),
      { numRuns: 12 },
    );
    const n = 4096;
    const values = detScalars(n, 'fft');
    const kzg = new Kzg(params, { backend });
    expect(kzg.commit(poly(values))).toEqual(
      new Kzg(params, { backend: typescriptBackend }).commit(poly(values)),
    );
    const root = rootOfUnity(n);
    const coefficients = w.frFft(values, true, root);
    expect(w.frFft(coefficients, false, root)).toEqual(values);
    if (native.isNative) expect(coefficients).toEqual(native.frFft(values, true, root));
  });

  it("gives blst's sums and errors on the affine-bucket MSM (64+ points) for repeated, opposite and identity points", () => {
    const P =
      0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaabn;
    const be48 = (v: bigint) =>
      Uint8Array.from({ length: 48 }, (_, i) => Number((v >> BigInt(8 * (47 - i))) & 0xffn));
    const int = (b: Uint8Array) => b.reduce((a, x) => (a << 8n) | BigInt(x), 0n);
    const point = (i: number) => params.g1.subarray(i * 96, i * 96 + 96);
    const negate = (pt: Uint8Array) => {
      const out = pt.slice();
      out.set(be48(P - int(pt.subarray(48))), 48);
      return out;
    };
    // 80 distinct points, 40 repeats (doublings in one bucket), 40 negations (sums to infinity)
    const n = 160;
    const table = new Uint8Array(n * 96);
    const scalars = detScalars(n, 'affine buckets');
    for (let i = 0; i < 80; i++) table.set(point(i), i * 96);
    for (let i = 0; i < 40; i++) {
      table.set(point(i), (80 + i) * 96);
      scalars.set(scalars.subarray(i * 32, i * 32 + 32), (80 + i) * 32);
      table.set(negate(point(40 + i)), (120 + i) * 96);
      scalars.set(scalars.subarray((40 + i) * 32, (40 + i) * 32 + 32), (120 + i) * 32);
    }
    const expected = typescriptBackend.msmG1(table, scalars, n, 0);
    expect(w.g1Msm(table, scalars, n)).toEqual(expected);
    if (native.isNative) expect(native.g1Msm(table, scalars, n)).toEqual(expected);
    // P·s + (-P)·s only: the identity
    const opposite = new Uint8Array(64 * 96);
    const same = new Uint8Array(64 * 32);
    for (let i = 0; i < 32; i++) {
      opposite.set(point(i), i * 96);
      opposite.set(negate(point(i)), (32 + i) * 96);
      same.set(scalars.subarray(i * 32, i * 32 + 32), i * 32);
      same.set(scalars.subarray(i * 32, i * 32 + 32), (32 + i) * 32);
    }
    const identity = new Uint8Array(48);
    identity[0] = 0xc0;
    expect(w.g1Msm(opposite, same, 64)).toEqual(identity);
    // identity points (blst's encoding) contribute nothing
    const withInf = table.slice();
    const inf = new Uint8Array(96);
    inf[0] = 0x40;
    for (const i of [3, 81, 150]) withInf.set(inf, i * 96);
    const without = table.slice();
    for (const i of [3, 81, 150]) without.set(new Uint8Array(96).fill(0), i * 96);
    const zeroed = scalars.slice();
    for (const i of [3, 81, 150]) zeroed.fill(0, i * 32, i * 32 + 32);
    expect(w.g1Msm(withInf, scalars, n)).toEqual(typescriptBackend.msmG1(table, zeroed, n, 0));
    // errors at the index and in the order of the blst kernel: point i before scalar i
    const failure = (pts: Uint8Array, sc: Uint8Array) => {
      try {
        w.g1Msm(pts, sc, n);
        return 'ok';
      } catch (e) {
        const t = (e as NativeError).type as { code: string; index?: number };
        return `${t.code}@${t.index}`;
      }
    };
    const offCurve = table.slice();
    offCurve[70 * 96 + 95]! ^= 1;
    const badScalar = scalars.slice();
    badScalar.fill(0xff, 70 * 32, 71 * 32);
    badScalar.fill(0xff, 65 * 32, 66 * 32);
    const badFlag = table.slice();
    badFlag[66 * 96]! |= 0x20;
    const tooBig = table.slice();
    tooBig.fill(0xff, 67 * 96 + 48, 68 * 96);
    expect(failure(offCurve, scalars)).toBe('NATIVE_NOT_ON_CURVE@70');
    expect(failure(offCurve, badScalar)).toBe('NATIVE_INVALID_SCALAR@65');
    expect(failure(badFlag, scalars)).toBe('NATIVE_BAD_ENCODING@66');
    expect(failure(tooBig, scalars)).toBe('NATIVE_BAD_ENCODING@67');
    if (native.isNative) {
      const nativeFailure = (pts: Uint8Array, sc: Uint8Array) => {
        try {
          native.g1Msm(pts, sc, n);
          return 'ok';
        } catch (e) {
          const t = (e as NativeError).type as { code: string; index?: number };
          return `${t.code}@${t.index}`;
        }
      };
      for (const [pts, sc] of [
        [offCurve, scalars],
        [offCurve, badScalar],
        [badFlag, scalars],
        [tooBig, scalars],
      ] as const)
        expect(failure(pts, sc)).toBe(nativeFailure(pts, sc));
    }
  });

  it('opens and verifies KZG commitments, and rejects wrong openings, like the other backends', () => {
    const kzg = new Kzg(params, { backend });
    const ts = new Kzg(params, { backend: typescriptBackend });
    const p = poly(detScalars(256, 'open'));
    const c = kzg.commit(p);
    const witness = kzg.createWitness(p, 256, 5);
    expect(witness).toEqual(ts.createWitness(p, 256, 5));
    // poly() interpolates on the 256-domain: P(ω^5) is the sixth value.
    const y = detScalars(256, 'open').subarray(5 * 32, 6 * 32);
    expect(kzg.verify(c, 256, 5, y, witness)).toBe(true);
    expect(kzg.verify(c, 256, 6, y, witness)).toBe(false);
    expect(ts.verify(c, 256, 6, y, witness)).toBe(false);
    expect(backend.pairingCheck([])).toBe(true);
  });
});
