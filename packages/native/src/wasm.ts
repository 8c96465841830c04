/**
 * @autonomys/native/wasm: the curve kernels of the Node addon (blst + csrc/curve.c), compiled to
 * WebAssembly for browsers (and any runtime with WebAssembly). Same byte formats, checks, results and
 * errors as the addon's functions of the same names; no node: imports, no threads.
 *
 * The module (`wasm/blst.wasm`, ~190 KB: blst plus the MSM kernel of `wasm/msm.c`, used from 64
 * points) is built by `scripts/build-wasm.mjs` with clang and wasm-ld
 * and is not committed; where it was not built, {@link loadBlstWasm} rejects with NATIVE_UNAVAILABLE
 * and callers (e.g. @autonomys/kzg's browser entry) use their TypeScript path.
 * @module
 */
import { abytes, aint } from './assert.js';
import { G1_COMPRESSED_SIZE, G1_UNCOMPRESSED_SIZE, G2_COMPRESSED_SIZE, SCALAR_SIZE } from './constants.js';
import { NativeError } from './errors.js';
import { statusError } from './status.js';

/**
 * The part of the WebAssembly JS API used here, typed locally: the workspace compiles against the
 * ES2022 lib without DOM types, where the `WebAssembly` namespace is not declared.
 */
interface WasmApi {
  Module: abstract new (bytes: Uint8Array) => object;
  compile(bytes: Uint8Array | ArrayBuffer): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: object }>;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A compiled `WebAssembly.Module` (typed opaquely, see {@link loadBlstWasm}). */
export type WasmModule = object;

/** The raw exports of blst.wasm (wasm/glue.c). Pointers and sizes are i32. */
interface Exports {
  memory: { readonly buffer: ArrayBuffer };
  heap_mark(): number;
  heap_reset(mark: number): void;
  alloc(size: number): number;
  g1_decompress(st: number, out96: number, in48: number, count: number, subgroupCheck: number): void;
  g1_compress(out48: number, in96: number): number;
  g1_in_group(point: number, len: number): number;
  g1_add(out48: number, a48: number, b48: number): number;
  g1_msm(st: number, out48: number, points96: number, scalars32: number, count: number): void;
  pairing_check(
    st: number,
    result: number,
    g1s: number,
    g2s: number,
    count: number,
    subgroupCheck: number,
  ): void;
  fr_fft(st: number, out32: number, in32: number, n: number, root32: number, inverse: number): void;
}

/** What {@link loadBlstWasm} accepts: the module's bytes, a compiled module, a URL or a fetch Response. */
export type BlstWasmSource = Uint8Array | ArrayBuffer | WasmModule | URL | string | Response;

/** The options of the point decoders (as the addon's). */
export interface WasmPointCheckOptions {
  /** Also check the prime-order subgroup (default true). */
  subgroupCheck?: boolean;
}

/** A G1 point (48 bytes compressed) and a G2 point (96 bytes compressed). */
export type WasmPairingPair = readonly [g1: Uint8Array, g2: Uint8Array];

/** The curve functions of `@autonomys/native` on one WebAssembly instance (single-threaded). */
export interface BlstWasm {
  /** 48-byte compressed G1 to 96-byte uncompressed, with on-curve and (by default) subgroup checks. */
  g1Decompress(point: Uint8Array, opts?: WasmPointCheckOptions): Uint8Array;
  /** N×48 compressed G1 points to an N×96 table for {@link BlstWasm.g1Msm}. */
  g1PrepareAffine(compressedPoints: Uint8Array, opts?: WasmPointCheckOptions): Uint8Array;
  /** A 96-byte uncompressed G1 point (on-curve checked) to 48 bytes. */
  g1Compress(point: Uint8Array): Uint8Array;
  /** Whether a 48- or 96-byte G1 point is in the subgroup (throws for bytes that are not a point). */
  g1IsInSubgroup(point: Uint8Array): boolean;
  /** The sum of two 48-byte compressed G1 points. */
  g1Add(a: Uint8Array, b: Uint8Array): Uint8Array;
  /** Σ scalars[i]·points[i] for i in [start, start + count), 48 bytes compressed (blst's Pippenger). */
  g1Msm(points: Uint8Array, scalars: Uint8Array, count?: number, start?: number): Uint8Array;
  /** Whether Π e(P_i, Q_i) = 1 (identity pairs contribute 1; an empty list is true). */
  pairingCheck(pairs: readonly WasmPairingPair[], opts?: WasmPointCheckOptions): boolean;
  /** Radix-2 FFT over Fr, natural order; `rootOfUnity` of order exactly n = values.length / 32. */
  frFft(values: Uint8Array, inverse: boolean, rootOfUnity: Uint8Array): Uint8Array;
}

/**
 * Where the build puts the module, relative to this file: `<package>/wasm/blst.wasm` from both
 * `src/` and `dist/`. Bundlers that understand `new URL(..., import.meta.url)` (Vite, webpack 5)
 * copy it; otherwise serve the file and pass its URL to {@link loadBlstWasm}.
 */
export function blstWasmUrl(): URL {
  return new URL('../wasm/blst.wasm', import.meta.url);
}

async function compile(source: BlstWasmSource): Promise<object> {
  if (source instanceof WA.Module) return source;
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return WA.compile(source);
  const response =
    typeof Response !== 'undefined' && source instanceof Response
      ? source
      : await fetch(source instanceof URL ? source : String(source));
  if (!response.ok) {
    throw new NativeError({
      code: 'NATIVE_UNAVAILABLE',
      what: 'blst.wasm',
      reason: `HTTP ${response.status} for ${response.url} (was the WebAssembly module built? scripts/build-wasm.mjs)`,
    });
  }
  return WA.compile(await response.arrayBuffer());
}

/**
 * Compiles and instantiates blst.wasm. `source` defaults to {@link blstWasmUrl} (fetched: browsers;
 * in Node pass the bytes). Rejects with NATIVE_UNAVAILABLE when the module cannot be had.
 * @example const blst = await loadBlstWasm(new URL('/assets/blst.wasm', location.href));
 */
export async function loadBlstWasm(source: BlstWasmSource = blstWasmUrl()): Promise<BlstWasm> {
  let instance: { exports: object };
  try {
    instance = await WA.instantiate(await compile(source), {});
  } catch (e) {
    if (e instanceof NativeError) throw e;
    throw new NativeError({
      code: 'NATIVE_UNAVAILABLE',
      what: 'blst.wasm',
      reason: e instanceof Error ? e.message : String(e),
    });
  }
  return wrap(instance.exports as unknown as Exports);
}

/** A scope of wasm heap allocations, all released when the call returns. */
interface Scope {
  put(bytes: Uint8Array): number;
  alloc(size: number): number;
  read(ptr: number, size: number): Uint8Array;
  status(ptr: number): [number, number, number] | undefined;
}

function wrap(x: Exports): BlstWasm {
  const view = () => new Uint8Array(x.memory.buffer);
  const scope: Scope = {
    alloc(size) {
      const p = x.alloc(size) >>> 0;
      if (p === 0) throw new NativeError({ code: 'NATIVE_OUT_OF_MEMORY', what: 'blst.wasm' });
      return p;
    },
    put(bytes) {
      const p = scope.alloc(Math.max(bytes.length, 1));
      view().set(bytes, p);
      return p;
    },
    read(ptr, size) {
      return view().slice(ptr, ptr + size);
    },
    status(ptr) {
      const v = new Int32Array(x.memory.buffer, ptr, 3);
      return v[0] === 0 ? undefined : [v[0]!, v[1]!, v[2]!];
    },
  };
  // Every call starts from the same heap top and gives everything back (glue.c's bump allocator).
  function run<T>(f: (s: Scope) => T): T {
    const mark = x.heap_mark();
    try {
      return f(scope);
    } finally {
      x.heap_reset(mark);
    }
  }

  const g1PrepareAffine = (compressedPoints: Uint8Array, opts: WasmPointCheckOptions = {}): Uint8Array => {
    abytes(compressedPoints, 'compressedPoints', undefined, G1_COMPRESSED_SIZE);
    const n = compressedPoints.length / G1_COMPRESSED_SIZE;
    return run((s) => {
      const st = s.alloc(12);
      const inp = s.put(compressedPoints);
      const out = s.alloc(Math.max(1, n * G1_UNCOMPRESSED_SIZE));
      x.g1_decompress(st, out, inp, n, (opts.subgroupCheck ?? true) ? 1 : 0);
      const bad = s.status(st);
      if (bad !== undefined) throw statusError('g1PrepareAffine', bad);
      return s.read(out, n * G1_UNCOMPRESSED_SIZE);
    });
  };

  return {
    g1PrepareAffine,
    g1Decompress(point, opts = {}) {
      abytes(point, 'point', G1_COMPRESSED_SIZE);
      return g1PrepareAffine(point, opts);
    },
    g1Compress(point) {
      abytes(point, 'point', G1_UNCOMPRESSED_SIZE);
      return run((s) => {
        const out = s.alloc(G1_COMPRESSED_SIZE);
        const code = x.g1_compress(out, s.put(point));
        if (code !== 0) throw statusError('g1Compress', [code, 0, 1]);
        return s.read(out, G1_COMPRESSED_SIZE);
      });
    },
    g1IsInSubgroup(point) {
      abytes(point, 'point');
      if (point.length !== G1_COMPRESSED_SIZE && point.length !== G1_UNCOMPRESSED_SIZE)
        abytes(point, 'point', G1_COMPRESSED_SIZE);
      const code = run((s) => x.g1_in_group(s.put(point), point.length));
      if (code === 0) return true;
      if (code === 3) return false;
      throw statusError('g1IsInSubgroup', [code, 0, 1]);
    },
    g1Add(a, b) {
      abytes(a, 'a', G1_COMPRESSED_SIZE);
      abytes(b, 'b', G1_COMPRESSED_SIZE);
      return run((s) => {
        const out = s.alloc(G1_COMPRESSED_SIZE);
        const code = x.g1_add(out, s.put(a), s.put(b));
        if (code !== 0) throw statusError('g1Add', [code, 0, 1]);
        return s.read(out, G1_COMPRESSED_SIZE);
      });
    },
    g1Msm(points, scalars, count, start = 0) {
      abytes(points, 'points', undefined, G1_UNCOMPRESSED_SIZE);
      abytes(scalars, 'scalars', undefined, SCALAR_SIZE);
      aint(start, 'start');
      const n = aint(count ?? scalars.length / SCALAR_SIZE - start, 'count');
      if ((start + n) * SCALAR_SIZE > scalars.length || (start + n) * G1_UNCOMPRESSED_SIZE > points.length) {
        throw new NativeError({
          code: 'NATIVE_INVALID_ARGUMENT',
          what: 'g1Msm',
          reason: `range [${start}, ${start + n}) exceeds ${points.length / G1_UNCOMPRESSED_SIZE} points or ${scalars.length / SCALAR_SIZE} scalars`,
        });
      }
      return run((s) => {
        const st = s.alloc(12);
        const out = s.alloc(G1_COMPRESSED_SIZE);
        const p = s.put(points.subarray(start * G1_UNCOMPRESSED_SIZE, (start + n) * G1_UNCOMPRESSED_SIZE));
        const sc = s.put(scalars.subarray(start * SCALAR_SIZE, (start + n) * SCALAR_SIZE));
        x.g1_msm(st, out, p, sc, n);
        const bad = s.status(st);
        if (bad !== undefined) throw statusError('g1Msm', bad, start);
        return s.read(out, G1_COMPRESSED_SIZE);
      });
    },
    pairingCheck(pairs, opts = {}) {
      if (!Array.isArray(pairs)) {
        throw new NativeError({
          code: 'NATIVE_INVALID_ARGUMENT',
          what: 'pairs',
          reason: 'expected an array of pairs',
        });
      }
      const g1s = new Uint8Array(pairs.length * G1_COMPRESSED_SIZE);
      const g2s = new Uint8Array(pairs.length * G2_COMPRESSED_SIZE);
      pairs.forEach((pair, i) => {
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new NativeError({
            code: 'NATIVE_INVALID_ARGUMENT',
            what: `pairs[${i}]`,
            reason: 'expected [g1, g2]',
          });
        }
        g1s.set(abytes(pair[0], `pairs[${i}][0]`, G1_COMPRESSED_SIZE), i * G1_COMPRESSED_SIZE);
        g2s.set(abytes(pair[1], `pairs[${i}][1]`, G2_COMPRESSED_SIZE), i * G2_COMPRESSED_SIZE);
      });
      return run((s) => {
        const st = s.alloc(12);
        const result = s.alloc(4);
        x.pairing_check(
          st,
          result,
          s.put(g1s),
          s.put(g2s),
          pairs.length,
          (opts.subgroupCheck ?? true) ? 1 : 0,
        );
        const bad = s.status(st);
        if (bad !== undefined) throw statusError('pairingCheck', bad);
        return new Int32Array(x.memory.buffer, result, 1)[0] === 1;
      });
    },
    frFft(values, inverse, rootOfUnity) {
      abytes(values, 'values', undefined, SCALAR_SIZE);
      abytes(rootOfUnity, 'rootOfUnity', SCALAR_SIZE);
      const n = values.length / SCALAR_SIZE;
      if (n === 0 || (n & (n - 1)) !== 0) {
        throw new NativeError({
          code: 'NATIVE_INVALID_ARGUMENT',
          what: 'values',
          reason: `${n} values, not a power of two`,
        });
      }
      return run((s) => {
        const st = s.alloc(12);
        const out = s.alloc(values.length);
        x.fr_fft(st, out, s.put(values), n, s.put(rootOfUnity), inverse === true ? 1 : 0);
        const bad = s.status(st);
        if (bad !== undefined) throw statusError('frFft', bad, 0, n);
        return s.read(out, values.length);
      });
    },
  };
}

export * from './constants.js';
export { NativeError, type NativeErrorCode, type NativeErrorType } from './errors.js';
