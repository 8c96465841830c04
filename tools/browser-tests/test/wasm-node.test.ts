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
