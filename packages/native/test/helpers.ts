import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';
import { g1PrepareAffine, isNative, NativeError } from '../src/index.js';

export const G1 = bls.G1.Point;
export const G2 = bls.G2.Point;
export const Fr = bls.fields.Fr;
export const Fp = bls.fields.Fp;
export type G1Point = InstanceType<typeof G1>;

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

/** Deterministic pseudo-random bytes: SHA-256(label ‖ counter) blocks. */
export function prng(label: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0, off = 0; off < length; i++, off += 32) {
    const block = createHash('sha256').update(`${label}/${i}`).digest();
    out.set(block.subarray(0, Math.min(32, length - off)), off);
  }
  return out;
}

export function beToBigint(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${hex(b)}`);
}

export function bigintToBe(x: bigint, size: number): Uint8Array {
  return unhex(x.toString(16).padStart(size * 2, '0'));
}

/** n pseudo-random canonical scalars (bigint < r). */
export function scalars(label: string, n: number): bigint[] {
  const raw = prng(label, 64 * n);
  return Array.from({ length: n }, (_, i) => beToBigint(raw.subarray(64 * i, 64 * i + 64)) % Fr.ORDER);
}

export function scalarBytes(xs: bigint[]): Uint8Array {
  const out = new Uint8Array(32 * xs.length);
  xs.forEach((x, i) => {
    out.set(bigintToBe(x, 32), 32 * i);
  });
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** A point on E(Fp) outside G1: the first x from `start` with x^3 + 4 a square whose point is not torsion-free. */
export function nonSubgroupPoint(start = 5n): G1Point {
  for (let x = start; ; x++) {
    const y2 = Fp.add(Fp.mul(Fp.sqr(x), x), 4n);
    let y: bigint;
    try {
      y = Fp.sqrt(y2);
    } catch {
      continue;
    }
    const p = G1.fromAffine({ x, y });
    if (!p.isTorsionFree()) return p;
  }
}

/** An x whose x^3 + 4 is not a square mod p: no curve point has it. */
export function offCurveX(start = 5n): bigint {
  for (let x = start; ; x++) {
    const y2 = Fp.add(Fp.mul(Fp.sqr(x), x), 4n);
    try {
      Fp.sqrt(y2);
    } catch {
      return x;
    }
  }
}

/** The ZCash encoding of a G1 point from its coordinates, with no validation (for invalid points). */
export function encodeG1Raw(x: bigint, y: bigint, compressed: boolean): Uint8Array {
  const xb = bigintToBe(x, 48);
  if (!compressed) return concat([xb, bigintToBe(y, 48)]);
  xb[0]! |= 0x80;
  if (y > (Fp.ORDER - 1n) / 2n) xb[0]! |= 0x20;
  return xb;
}

// The native-only suites: run when the addon is loaded; fail when it is not, unless the install-time
// build failed on this machine and AUTONOMYS_NATIVE_REQUIRED is unset (then skip them, loudly).
const statusFile = new URL('../build/native-build.json', import.meta.url);
const build = existsSync(statusFile)
  ? (JSON.parse(readFileSync(statusFile, 'utf8')) as { ok: boolean; reason: string })
  : undefined;
export const nativeRequired = process.env.AUTONOMYS_NATIVE_REQUIRED === '1';
export const skipNative = !isNative && !nativeRequired && build?.ok === false;
if (skipNative) {
  console.warn(
    `\n@autonomys/native tests: SKIPPING the native-only tests: the addon build failed (${build?.reason}).` +
      ' Set AUTONOMYS_NATIVE_REQUIRED=1 to make this a failure.\n',
  );
}

/** The NativeError `f` throws (anything else is rethrown; not throwing fails). */
export function thrown(f: () => unknown): NativeError {
  try {
    f();
  } catch (e) {
    if (e instanceof NativeError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

/** The uncompressed encoding of the identity (blst_p1_affine_serialize). */
export const IDENTITY96 = new Uint8Array(96);
IDENTITY96[0] = 0x40;

/** 96-byte uncompressed encodings of projective points, with one field inversion for all of them. */
export function encodeAll(ps: readonly G1Point[]): Uint8Array {
  const zs = ps.map((p) => (p.is0() ? 1n : p.Z));
  const prefix: bigint[] = [];
  let acc = 1n;
  for (const z of zs) {
    prefix.push(acc);
    acc = Fp.mul(acc, z);
  }
  let inv = Fp.inv(acc);
  const out = new Uint8Array(96 * ps.length);
  for (let i = ps.length - 1; i >= 0; i--) {
    const zi = Fp.mul(inv, prefix[i]!);
    inv = Fp.mul(inv, zs[i]!);
    const p = ps[i]!;
    out.set(p.is0() ? IDENTITY96 : encodeG1Raw(Fp.mul(p.X, zi), Fp.mul(p.Y, zi), false), 96 * i);
  }
  return out;
}

/**
 * The first `n` G1 powers of the KZG public parameters (the shared vectors' file), prepared in the
 * MSM kernels' affine layout (subgroup checks skipped: the file is trusted test data).
 */
export function kzgParameterPoints(n: number): Uint8Array {
  const dir = process.env.AUTONOMYS_VECTORS_DIR;
  const file = dir
    ? join(dir, 'kzg/eth-public-parameters.bin')
    : fileURLToPath(new URL('../../../../shared/vectors/kzg/eth-public-parameters.bin', import.meta.url));
  return g1PrepareAffine(readFileSync(file).subarray(0, n * 48), { subgroupCheck: false });
}
