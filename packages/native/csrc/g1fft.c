/*
 * The discrete Fourier transform over G1: out_i = Σ_j in_j·ω^(ij) (or its inverse, with the 1/n
 * factor), for n a power of two and ω of order exactly n. Optionally each input point is first
 * multiplied by its own scalar, which is what the Toeplitz step of computing every KZG opening of a
 * polynomial at once needs (@autonomys/kzg `createWitnesses`: a pointwise product in the frequency
 * domain followed by an inverse transform, then one forward transform of the quotient's "points").
 *
 * Radix-2 decimation in time on Jacobian points; every butterfly's twiddle product is one
 * blst_p1_mult (blst picks its GLV path for 255-bit scalars). Points arrive and leave uncompressed
 * (96 bytes, blst_p1_affine_serialize) or leave compressed (48 bytes); the outputs are brought to
 * affine form with one batched inversion.
 */
#include <stdlib.h>
#include <string.h>

#include "blst.h"
#include "kernels.h"

static kstatus gstatus(int code, size_t index) {
  kstatus s = {code, index, 1};
  return s;
}

static int fr_from_bendian(blst_fr *out, const uint8_t in32[32]) {
  blst_scalar s;
  blst_scalar_from_bendian(&s, in32);
  if (!blst_scalar_fr_check(&s)) return K_BAD_SCALAR;
  blst_fr_from_scalar(out, &s);
  return K_OK;
}

static bool fr_eq(const blst_fr *a, const blst_fr *b) { return memcmp(a, b, sizeof(blst_fr)) == 0; }

kstatus k_g1_fft(uint8_t *out, bool compress, const uint8_t *in96, const uint8_t *scalars32, size_t n,
                 const uint8_t root32[32], bool inverse) {
  if (n == 0 || (n & (n - 1)) != 0) return gstatus(K_BAD_ROOT, 0);
  blst_fr one, w, x;
  blst_fr_from_uint64(&one, (const uint64_t[4]){1, 0, 0, 0});
  if (fr_from_bendian(&w, root32) != K_OK) return gstatus(K_BAD_ROOT, 0);
  /* ω must have order exactly n: ω^n = 1 and, for n > 1, ω^(n/2) ≠ 1. */
  x = w;
  for (size_t k = 1; k < n; k <<= 1) {
    if (k == n >> 1 && fr_eq(&x, &one)) return gstatus(K_BAD_ROOT, 0);
    blst_fr_sqr(&x, &x);
  }
  if (!fr_eq(&x, &one)) return gstatus(K_BAD_ROOT, 0);

  blst_fr scale = one; /* 1/n for the inverse transform */
  if (inverse) {
    blst_fr nf;
    blst_fr_from_uint64(&nf, (const uint64_t[4]){(uint64_t)n, 0, 0, 0});
    blst_fr_inverse(&scale, &nf);
    blst_fr_inverse(&w, &w);
  }

  blst_p1 *a = malloc(n * sizeof(blst_p1));
  blst_scalar *tw = malloc((n > 1 ? n / 2 : 1) * sizeof(blst_scalar));
  blst_p1_affine *aff = malloc(n * sizeof(blst_p1_affine));
  kstatus st = gstatus(K_OK, 0);
  st.group = 0;
  if (a == NULL || tw == NULL || aff == NULL) {
    st = gstatus(K_NO_MEMORY, 0);
    goto done;
  }

  /* Load (bit-reversed), and apply the per-point scalars (times 1/n when inverting). */
  size_t bits = 0;
  while (((size_t)1 << bits) < n) bits++;
  for (size_t i = 0; i < n; i++) {
    size_t r = 0;
    for (size_t b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    blst_p1_affine p;
    BLST_ERROR e = blst_p1_deserialize(&p, in96 + 96 * i);
    if (e != BLST_SUCCESS) {
      st = gstatus(e == BLST_POINT_NOT_ON_CURVE ? K_NOT_ON_CURVE : K_BAD_ENCODING, i);
      goto done;
    }
    blst_p1_from_affine(&a[r], &p);
    if (scalars32 != NULL || inverse) {
      blst_fr s = scale;
      if (scalars32 != NULL) {
        blst_fr v;
        if (fr_from_bendian(&v, scalars32 + 32 * i) != K_OK) {
          st = gstatus(K_BAD_SCALAR, i);
          st.group = 0;
          goto done;
        }
        blst_fr_mul(&s, &s, &v);
      }
      if (!fr_eq(&s, &one)) {
        blst_scalar sb;
        blst_scalar_from_fr(&sb, &s);
        blst_p1_mult(&a[r], &a[r], sb.b, 255);
      }
    }
  }

  /* Twiddles ω^j, j < n/2, as little-endian scalars. */
  x = one;
  for (size_t j = 0; j < n / 2; j++) {
    blst_scalar_from_fr(&tw[j], &x);
    blst_fr_mul(&x, &x, &w);
  }
  for (size_t len = 2; len <= n; len <<= 1) {
    size_t half = len >> 1, stride = n / len;
    for (size_t base = 0; base < n; base += len) {
      for (size_t j = 0; j < half; j++) {
        blst_p1 *u = &a[base + j], *v = &a[base + j + half], t;
        if (j == 0) t = *v;
        else blst_p1_mult(&t, v, tw[j * stride].b, 255);
        *v = *u;
        blst_p1_cneg(&t, true);
        blst_p1_add_or_double(v, v, &t); /* u − ωʲv */
        blst_p1_cneg(&t, true);
        blst_p1_add_or_double(u, u, &t); /* u + ωʲv */
      }
    }
  }

  /* The batched inversion must not meet Z = 0: identity points sit the conversion out as the
   * generator and are written back as the all-zero affine point (blst's encoding of the identity). */
  bool *isinf = malloc(n * sizeof(bool));
  if (isinf == NULL) {
    st = gstatus(K_NO_MEMORY, 0);
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    isinf[i] = blst_p1_is_inf(&a[i]);
    if (isinf[i]) a[i] = *blst_p1_generator();
  }
  const blst_p1 *pp[2] = {a, NULL};
  blst_p1s_to_affine(aff, pp, n);
  for (size_t i = 0; i < n; i++)
    if (isinf[i]) memset(&aff[i], 0, sizeof(blst_p1_affine));
  free(isinf);
  for (size_t i = 0; i < n; i++) {
    if (compress) blst_p1_affine_compress(out + 48 * i, &aff[i]);
    else blst_p1_affine_serialize(out + 96 * i, &aff[i]);
  }
done:
  free(a);
  free(tw);
  free(aff);
  return st;
}
