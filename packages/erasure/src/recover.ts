/**
 * Recovery of a rate-1/2 codeword from any half of its 2n evaluations (archiving §2 `recover`,
 * farming §4.9). The result is unique, so any correct decoder matches the reference's.
 *
 * Method (zero polynomial, like rust-kzg, with a derivative instead of its coset division):
 * Z(x) = Π (x − ω^i) over the missing positions i, of degree m ≤ n. E·Z, with E the received values
 * and 0 where missing, equals D·Z on the whole domain (D the codeword's polynomial), and deg(D·Z) < 2n,
 * so one inverse FFT gives D·Z exactly. At a missing point Z vanishes, so (D·Z)' = D·Z' there:
 * D(ω^i) = (D·Z)'(ω^i) / Z'(ω^i). Both derivatives come from an FFT of k·c_k (which is x·P'(x); the
 * x cancels). Four 2n-point FFTs, plus Z itself.
 *
 * Z is built by a product tree in evaluation form: leaves of 32 roots multiplied out naively, then
 * each level doubles a child's evaluation domain (inverse FFT, coset FFT: the new points are the
 * odd ones) and multiplies pointwise, O(m·log²m) in all. A node of degree equal to its domain size
 * wraps (x^s = 1 on the domain); its leading coefficient is known to be 1 and is put back.
 *
 * Fast paths: with every even position (source) present the missing parity is `extend(source)`, and
 * with every odd position present the source is the inverse of that, two n-point FFTs each.
 */
import { FR_LIMBS, FR_ONE, type FrVector, frMulAt, frSubAt, Polynomial } from '@autonomys/kzg';
import { type engine, fft } from './backend.js';
import { ErasureError } from './errors.js';
import { extendInPlace, twist, unextendInPlace } from './extend.js';
import { batchInvert, domainElementAt, frSmall, mulPointwise } from './field.js';

const L = FR_LIMBS;
type Native = NonNullable<ReturnType<typeof engine>>;

/** Roots per leaf of the product tree (32 measured best: a leaf costs ~16 products per root). */
const LEAF = 32;

/** How a recovery runs for one erasure pattern (reusable across columns with the same pattern). */
export type RecoveryPlan =
  | { readonly kind: 'complete'; readonly shards: number }
  /** Every even position present: the missing odd ones come from `extend`. */
  | { readonly kind: 'parity'; readonly shards: number; readonly present: Uint8Array }
  /** Every odd position present: the missing even ones come from its inverse. */
  | { readonly kind: 'source'; readonly shards: number; readonly present: Uint8Array }
  | {
      readonly kind: 'general';
      readonly shards: number;
      readonly missing: Int32Array;
      /** Z on the 2n-domain, natural order. */
      readonly z: FrVector;
      /** 1/(2n·x·Z'(x)) at each missing point x, in the order of `missing`. */
      readonly scale: FrVector;
    };

/**
 * The plan for `present` (1 = the shard at that position is known), 2n = present.length a power
 * of two. Throws ERASURE_TOO_MANY_MISSING when fewer than half are present.
 */
export function planRecovery(present: Uint8Array, nat: Native | null, forceGeneral = false): RecoveryPlan {
  const shards = present.length;
  let m = 0;
  let evenMissing = 0;
  for (let i = 0; i < shards; i++) {
    if (present[i] === 0) {
      m++;
      if ((i & 1) === 0) evenMissing++;
    }
  }
  const maxMissing = shards >> 1;
  if (m > maxMissing)
    throw new ErasureError({ code: 'ERASURE_TOO_MANY_MISSING', missing: m, shards, maxMissing });
  if (m === 0) return { kind: 'complete', shards };
  if (!forceGeneral && evenMissing === 0) return { kind: 'parity', shards, present: present.slice() };
  if (!forceGeneral && evenMissing === m) return { kind: 'source', shards, present: present.slice() };
  const missing = new Int32Array(m);
  for (let i = 0, j = 0; i < shards; i++) if (present[i] === 0) missing[j++] = i;
  const coefficients = zeroPolynomial(shards, missing, nat); // m + 1 coefficients
  const z = new Float64Array(shards * L);
  z.set(coefficients.subarray(0, (m + 1) * L), 0); // m ≤ n < 2n: no wrap
  const zd = z.slice();
  fft(z, 0, shards, false, nat);
  for (let k = 1; k <= m; k++) frMulAt(zd, k * L, zd, k * L, frSmall(k), 0); // k·c_k (k = 0 term vanishes)
  zd.fill(0, 0, L);
  fft(zd, 0, shards, false, nat); // x·Z'(x)
  const scale = new Float64Array(m * L);
  const size = frSmall(shards); // the unscaled inverse FFT of E·Z below leaves a factor 2n
  for (let j = 0; j < m; j++) frMulAt(scale, j * L, zd, missing[j]! * L, size, 0);
  const all = new Int32Array(m);
  for (let j = 0; j < m; j++) all[j] = j;
  batchInvert(scale, all, m); // Z' has simple roots only: non-zero at every missing point
  return { kind: 'general', shards, missing, z, scale };
}

/**
 * Fills the missing values of the 2n elements at element offset `base` of v (values at missing
 * positions are ignored), in place. `work` is scratch of at least 2n elements.
 */
export function applyPlan(
  plan: RecoveryPlan,
  v: FrVector,
  base: number,
  work: FrVector,
  nat: Native | null,
): void {
  const shards = plan.shards;
  const n = shards >> 1;
  switch (plan.kind) {
    case 'complete':
      return;
    case 'parity':
    case 'source': {
      const from = plan.kind === 'parity' ? 0 : 1; // gather the known half
      for (let k = 0; k < n; k++)
        work.set(v.subarray((base + 2 * k + from) * L, (base + 2 * k + from + 1) * L), k * L);
      if (plan.kind === 'parity') extendInPlace(work, 0, n, nat);
      else unextendInPlace(work, 0, n, nat);
      // Only the missing ones are written: present values stay exactly as given.
      for (let k = 0; k < n; k++) {
        const i = 2 * k + 1 - from;
        if (plan.present[i] === 0) v.set(work.subarray(k * L, k * L + L), (base + i) * L);
      }
      return;
    }
    case 'general': {
      const { missing, z, scale } = plan;
      mulPointwiseInto(work, v, base, z, shards);
      for (let j = 0; j < missing.length; j++) work.fill(0, missing[j]! * L, missing[j]! * L + L);
      fft(work, 0, shards, true, nat); // 2n·(coefficients of D·Z)
      for (let k = 1; k < shards; k++) frMulAt(work, k * L, work, k * L, frSmall(k), 0);
      work.fill(0, 0, L);
      fft(work, 0, shards, false, nat); // 2n·x·(D·Z)'(x)
      for (let j = 0; j < missing.length; j++) {
        const i = missing[j]!;
        frMulAt(v, (base + i) * L, work, i * L, scale, j * L);
      }
      return;
    }
  }
}

function mulPointwiseInto(out: FrVector, v: FrVector, base: number, t: FrVector, n: number): void {
  for (let i = 0; i < n; i++) frMulAt(out, i * L, v, (base + i) * L, t, i * L);
}

/**
 * The m + 1 coefficients (lowest first, the last one 1) of Π (x − ω_N^i) over i in `missing`.
 */
export function zeroPolynomial(domainSize: number, missing: Int32Array, nat: Native | null): FrVector {
  const m = missing.length;
  const out = new Float64Array((m + 1) * L);
  if (m === 0) {
    out.set(FR_ONE, 0);
    return out;
  }
  let s = Math.min(LEAF, nextPow2(m));
  let nodes = nextPow2(Math.ceil(m / s));
  let evals = new Float64Array(nodes * s * L);
  let degrees = new Int32Array(nodes);
  const coeffs = new Float64Array((s + 1) * L);
  const root = new Float64Array(L);
  for (let leaf = 0; leaf < nodes; leaf++) {
    const start = leaf * s;
    const d = Math.max(0, Math.min(s, m - start));
    degrees[leaf] = d;
    // Π (x − r) naively: c ← (x − r)·c, from the highest coefficient down (in place).
    coeffs.fill(0);
    coeffs.set(FR_ONE, 0);
    for (let t = 0; t < d; t++) {
      domainElementAt(root, 0, domainSize, missing[start + t]!);
      for (let k = t + 1; k >= 1; k--) {
        frMulAt(scratch, 0, coeffs, k * L, root, 0);
        frSubAt(coeffs, k * L, coeffs, (k - 1) * L, scratch, 0);
      }
      frMulAt(coeffs, 0, coeffs, 0, root, 0);
      frSubAt(coeffs, 0, ZERO, 0, coeffs, 0);
    }
    // Degree s wraps onto the s-domain: x^s = 1 there.
    if (d === s) frAddInto(coeffs, 0, coeffs, s * L);
    evals.set(coeffs.subarray(0, s * L), leaf * s * L);
    fft(evals, leaf * s, s, false, nat);
  }
  while (nodes > 1) {
    const parents = nodes >> 1;
    const next = new Float64Array(parents * 2 * s * L);
    const nextDegrees = new Int32Array(parents);
    for (let p = 0; p < parents; p++) {
      const a = 2 * p;
      const b = a + 1;
      const pb = p * 2 * s;
      double(evals, a * s, s, degrees[a]!, next, pb, nat);
      if (degrees[b] !== 0) {
        double(evals, b * s, s, degrees[b]!, tmpBuffer(2 * s), 0, nat);
        mulPointwise(next, pb, tmpBuffer(2 * s), 0, 2 * s);
      }
      nextDegrees[p] = degrees[a]! + degrees[b]!;
    }
    evals = next;
    degrees = nextDegrees;
    nodes = parents;
    s *= 2;
  }
  // The root: m roots on the s-domain (s ≥ m). Back to coefficients.
  fft(evals, 0, s, true, nat);
  const inv = sizeInverse(s);
  for (let k = 0; k < s; k++) frMulAt(evals, k * L, evals, k * L, inv, 0);
  if (m === s) frSubAt(evals, 0, evals, 0, FR_ONE, 0); // remove the wrapped x^s
  out.set(evals.subarray(0, m * L), 0);
  out.set(FR_ONE, m * L);
  return out;
}

const scratch = new Float64Array(L);
const ZERO = new Float64Array(L);
let tmpStore = new Float64Array(0);
function tmpBuffer(elements: number): FrVector {
  if (tmpStore.length < elements * L) tmpStore = new Float64Array(elements * L);
  return tmpStore;
}

function frAddInto(v: FrVector, o: number, x: FrVector, xo: number): void {
  frSubAt(scratch, 0, ZERO, 0, x, xo);
  frSubAt(v, o, v, o, scratch, 0);
}

const inverses = new Map<number, FrVector>();
function sizeInverse(s: number): FrVector {
  let v = inverses.get(s);
  if (v === undefined) {
    v = twist(s).slice(0, L); // ω^0·s^-1
    inverses.set(s, v);
  }
  return v;
}

const wrapFix = new Map<number, FrVector>();
/** 2s as an element: the correction of a wrapped node's constant coefficient (see `double`). */
function twoS(s: number): FrVector {
  let v = wrapFix.get(s);
  if (v === undefined) {
    v = frSmall(2 * s);
    wrapFix.set(s, v);
  }
  return v;
}

/**
 * The evaluations on the 2s-domain (natural order) of the node whose s evaluations on the s-domain
 * are at element `from` of src, written at element `to` of dst. Even points are the inputs; odd
 * points come from the coefficients by a coset FFT.
 */
function double(
  src: FrVector,
  from: number,
  s: number,
  degree: number,
  dst: FrVector,
  to: number,
  nat: Native | null,
): void {
  if (degree === 0) {
    for (let i = 0; i < 2 * s; i++) dst.set(FR_ONE, (to + i) * L);
    return;
  }
  const c = coeffScratch(s);
  c.set(src.subarray(from * L, (from + s) * L), 0);
  fft(c, 0, s, true, nat); // s·coefficients (of Z mod x^s − 1)
  // A wrapped node (degree s) holds Z − x^s + 1; on the coset x^s = ω_2s^s = −1, so Z there equals
  // (held) − 2: subtract 2 from the constant term, 2s in the unscaled units of c.
  if (degree === s) frSubAt(c, 0, c, 0, twoS(s), 0);
  mulPointwise(c, 0, twist(s), 0, s);
  fft(c, 0, s, false, nat);
  for (let i = 0, a = from * L, b = 0, d = to * L; i < s; i++, d += 2 * L) {
    for (let k = 0; k < L; k++) {
      dst[d + k] = src[a++]!;
      dst[d + L + k] = c[b++]!;
    }
  }
}

let coeffStore = new Float64Array(0);
function coeffScratch(s: number): FrVector {
  if (coeffStore.length < s * L) coeffStore = new Float64Array(s * L);
  return coeffStore;
}

function nextPow2(x: number): number {
  let p = 1;
  while (p < x) p <<= 1;
  return p;
}

/** The coefficients of the codeword's polynomial (n of them) from its 2n complete values (in place safe). */
export function coefficientsOf(v: FrVector, base: number, shards: number, nat: Native | null): FrVector {
  const n = shards >> 1;
  const c = new Float64Array(n * L);
  for (let k = 0; k < n; k++) c.set(v.subarray((base + 2 * k) * L, (base + 2 * k + 1) * L), k * L);
  fft(c, 0, n, true, nat);
  mulPointwise(c, 0, sizeInverseTable(n), 0, n);
  return c;
}

const sizeTables = new Map<number, FrVector>();
function sizeInverseTable(n: number): FrVector {
  let t = sizeTables.get(n);
  if (t === undefined) {
    const inv = sizeInverse(n);
    t = new Float64Array(n * L);
    for (let k = 0; k < n; k++) t.set(inv, k * L);
    sizeTables.set(n, t);
  }
  return t;
}

/** The polynomial with coefficients c, trailing zeros stripped (at least one kept). */
export function normalized(c: FrVector): Polynomial {
  let len = c.length / L;
  while (len > 1 && isZeroAt(c, (len - 1) * L)) len--;
  return Polynomial.fromVector(len * L === c.length ? c : c.slice(0, len * L));
}

function isZeroAt(v: FrVector, o: number): boolean {
  for (let k = 0; k < L; k++) if (v[o + k] !== 0) return false;
  return true;
}
