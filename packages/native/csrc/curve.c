/*
 * BLS12-381 kernels on blst: point codecs, subgroup checks, Pippenger MSM, pairing product check
 * and a radix-2 FFT over Fr. All field and group arithmetic is blst's.
 */
#include <stdlib.h>
#include <string.h>

#include "blst.h"
#include "kernels.h"
#include "msm.h"

static int from_blst(BLST_ERROR e) {
  switch (e) {
    case BLST_SUCCESS:
      return K_OK;
    case BLST_POINT_NOT_ON_CURVE:
      return K_NOT_ON_CURVE;
    case BLST_POINT_NOT_IN_GROUP:
      return K_NOT_IN_GROUP;
    case BLST_BAD_SCALAR:
      return K_BAD_SCALAR;
    default:
      return K_BAD_ENCODING;
  }
}

static kstatus status(int code, size_t index, int group) {
  kstatus s = {code, index, group};
  return s;
}

/* Decodes a 48-byte compressed point. blst_p1_uncompress checks the flags, x < p and the curve
 * equation, not the subgroup (archiving §1.2: the reference decodes commitments the same way). */
static int g1_decode(blst_p1_affine *p, const uint8_t in48[48], bool subgroup_check) {
  int code = from_blst(blst_p1_uncompress(p, in48));
  if (code == K_OK && subgroup_check && !blst_p1_affine_in_g1(p)) code = K_NOT_IN_GROUP;
  return code;
}

kstatus k_g1_decompress(uint8_t *out96, const uint8_t *in48, size_t count, bool subgroup_check) {
  blst_p1_affine p;
  for (size_t i = 0; i < count; i++) {
    int code = g1_decode(&p, in48 + 48 * i, subgroup_check);
    if (code != K_OK) return status(code, i, 1);
    blst_p1_affine_serialize(out96 + 96 * i, &p);
  }
  return status(K_OK, 0, 0);
}

int k_g1_compress(uint8_t out48[48], const uint8_t in96[96]) {
  blst_p1_affine p;
  int code = from_blst(blst_p1_deserialize(&p, in96));
  if (code == K_OK) blst_p1_affine_compress(out48, &p);
  return code;
}

int k_g1_in_group(const uint8_t *in, size_t len) {
  blst_p1_affine p;
  int code = from_blst(len == 96 ? blst_p1_deserialize(&p, in) : blst_p1_uncompress(&p, in));
  if (code == K_OK && !blst_p1_affine_in_g1(&p)) code = K_NOT_IN_GROUP;
  return code;
}

int k_g1_add(uint8_t out48[48], const uint8_t a48[48], const uint8_t b48[48]) {
  blst_p1_affine a, b;
  blst_p1 pa, pb;
  int code = g1_decode(&a, a48, false);
  if (code == K_OK) code = g1_decode(&b, b48, false);
  if (code != K_OK) return code;
  blst_p1_from_affine(&pa, &a); /* the all-zero affine encoding of infinity maps to infinity */
  blst_p1_from_affine(&pb, &b);
  blst_p1_add_or_double(&pa, &pa, &pb);
  blst_p1_compress(out48, &pa);
  return K_OK;
}

static bool is_zero(const blst_scalar *s) {
  uint8_t acc = 0;
  for (size_t i = 0; i < sizeof(s->b); i++) acc |= s->b[i];
  return acc == 0;
}

/* From this many terms (after dropping identity points and zero scalars) the affine-bucket MSM of
 * msm.c is used, below it blst's Pippenger (faster there). WebAssembly keeps blst's: its own MSM
 * (wasm/msm.c) serves the larger inputs there, and blst's field arithmetic without assembly is slow. */
#ifdef __wasm__
#define MSM_AFFINE_MIN ((size_t)-1)
#else
#define MSM_AFFINE_MIN 32
#endif

kstatus k_g1_msm(uint8_t out48[48], const uint8_t *points96, const uint8_t *scalars32, size_t count) {
  return k_g1_msm_part(out48, points96, scalars32, count, K_MSM_AUTO, 0, 1);
}

kstatus k_g1_msm_with(uint8_t out48[48], const uint8_t *points96, const uint8_t *scalars32, size_t count,
                      int kernel) {
  return k_g1_msm_part(out48, points96, scalars32, count, kernel, 0, 1);
}

kstatus k_g1_msm_part(uint8_t out48[48], const uint8_t *points96, const uint8_t *scalars32, size_t count,
                      int kernel, unsigned part, unsigned parts) {
  blst_p1 acc;
  memset(&acc, 0, sizeof(acc)); /* Z = 0: infinity */
  if (count == 0) {
    blst_p1_compress(out48, &acc);
    return status(K_OK, 0, 0);
  }
  blst_p1_affine *points = malloc(count * sizeof(blst_p1_affine));
  blst_scalar *scalars = malloc(count * sizeof(blst_scalar));
  void *scratch = NULL;
  kstatus st = status(K_OK, 0, 0);
  if (points == NULL || scalars == NULL) {
    st = status(K_NO_MEMORY, 0, 0);
    goto done;
  }
  size_t used = 0;
  for (size_t i = 0; i < count; i++) {
    int code = from_blst(blst_p1_deserialize(&points[used], points96 + 96 * i));
    if (code != K_OK) {
      st = status(code, i, 1);
      goto done;
    }
    /* Scalars arrive big-endian (archiving §1.1); blst_scalar holds little-endian bytes. */
    blst_scalar_from_bendian(&scalars[used], scalars32 + 32 * i);
    if (!blst_scalar_fr_check(&scalars[used])) {
      st = status(K_BAD_SCALAR, i, 0);
      goto done;
    }
    /* Drop terms that contribute nothing. blst's small-input path (precomputed windows, used below
     * ~64 points) does not handle the point at infinity, so identity points must not reach it. */
    if (!blst_p1_affine_is_inf(&points[used]) && !is_zero(&scalars[used])) used++;
  }
  if (kernel == K_MSM_AFFINE || (kernel == K_MSM_AUTO && used >= MSM_AFFINE_MIN)) {
    if (k_msm_affine(&acc, points, scalars, used, 0, part, parts) != 0) st = status(K_NO_MEMORY, 0, 0);
  } else if (used > 0 && part == 0) { /* blst's cannot be split: part 0 is the whole, the others O */
    /* A NULL second pointer tells blst the first one starts a contiguous array. */
    const blst_p1_affine *pp[2] = {points, NULL};
    const uint8_t *sp[2] = {(const uint8_t *)scalars, NULL};
    scratch = malloc(blst_p1s_mult_pippenger_scratch_sizeof(used));
    if (scratch == NULL) {
      st = status(K_NO_MEMORY, 0, 0);
      goto done;
    }
    blst_p1s_mult_pippenger(&acc, pp, used, sp, 255, scratch);
  }
  if (st.code == K_OK) blst_p1_compress(out48, &acc);
done:
  free(points);
  free(scalars);
  free(scratch);
  return st;
}

kstatus k_pairing_check(bool *result, const uint8_t *g1s48, const uint8_t *g2s96, size_t count,
                        bool subgroup_check) {
  kstatus st = status(K_OK, 0, 0);
  blst_p1_affine *ps = malloc((count ? count : 1) * sizeof(blst_p1_affine));
  blst_p2_affine *qs = malloc((count ? count : 1) * sizeof(blst_p2_affine));
  size_t used = 0;
  *result = false;
  if (ps == NULL || qs == NULL) {
    st = status(K_NO_MEMORY, 0, 0);
    goto done;
  }
  for (size_t i = 0; i < count; i++) {
    int code = g1_decode(&ps[used], g1s48 + 48 * i, subgroup_check);
    if (code != K_OK) {
      st = status(code, i, 1);
      goto done;
    }
    code = from_blst(blst_p2_uncompress(&qs[used], g2s96 + 96 * i));
    if (code == K_OK && subgroup_check && !blst_p2_affine_in_g2(&qs[used])) code = K_NOT_IN_GROUP;
    if (code != K_OK) {
      st = status(code, i, 2);
      goto done;
    }
    /* e(O, Q) = e(P, O) = 1: such a pair contributes nothing (the Miller loop cannot take O). */
    if (!blst_p1_affine_is_inf(&ps[used]) && !blst_p2_affine_is_inf(&qs[used])) used++;
  }
  if (used == 0) {
    *result = true;
  } else {
    blst_fp12 f;
    const blst_p1_affine *pp[2] = {ps, NULL};
    const blst_p2_affine *qp[2] = {qs, NULL};
    blst_miller_loop_n(&f, qp, pp, used); /* one shared Miller loop, one final exponentiation */
    blst_final_exp(&f, &f);
    *result = blst_fp12_is_one(&f);
  }
done:
  free(ps);
  free(qs);
  return st;
}

static bool fr_is(const blst_fr *a, uint64_t v) {
  uint64_t l[4];
  blst_uint64_from_fr(l, a);
  return l[0] == v && l[1] == 0 && l[2] == 0 && l[3] == 0;
}

static bool fr_is_minus_one(const blst_fr *a) {
  blst_fr b;
  uint64_t one[4] = {1, 0, 0, 0};
  blst_fr_from_uint64(&b, one);
  blst_fr_add(&b, &b, a);
  return fr_is(&b, 0);
}

static int fr_from_be(blst_fr *out, const uint8_t in32[32]) {
  blst_scalar s;
  blst_scalar_from_bendian(&s, in32);
  if (!blst_scalar_fr_check(&s)) return K_BAD_SCALAR;
  blst_fr_from_scalar(out, &s);
  return K_OK;
}

kstatus k_fr_fft(uint8_t *out32, const uint8_t *in32, size_t n, const uint8_t root32[32], bool inverse) {
  kstatus st = status(K_OK, 0, 0);
  blst_fr w, x;
  unsigned log_n = 0;
  while (((size_t)1 << log_n) < n) log_n++;
  if (n == 0 || ((size_t)1 << log_n) != n) return status(K_BAD_ROOT, 0, 0);
  if (fr_from_be(&w, root32) != K_OK) return status(K_BAD_ROOT, 0, 0);
  /* w must have order exactly n: w^(n/2) = -1 for n >= 2, w = 1 for n = 1. */
  x = w;
  for (unsigned i = 1; i < log_n; i++) blst_fr_sqr(&x, &x);
  if (n == 1 ? !fr_is(&x, 1) : !fr_is_minus_one(&x)) return status(K_BAD_ROOT, 0, 0);
  if (inverse) blst_fr_inverse(&w, &w);

  blst_fr *a = malloc(n * sizeof(blst_fr));
  blst_fr *tw = malloc((n / 2 + 1) * sizeof(blst_fr));
  if (a == NULL || tw == NULL) {
    st = status(K_NO_MEMORY, 0, 0);
    goto done;
  }
  /* Load in bit-reversed order so the in-place decimation-in-time passes leave natural order. */
  for (size_t i = 0; i < n; i++) {
    size_t r = 0;
    for (unsigned b = 0; b < log_n; b++) r |= ((i >> b) & 1) << (log_n - 1 - b);
    if (fr_from_be(&a[r], in32 + 32 * i) != K_OK) {
      st = status(K_BAD_SCALAR, i, 0);
      goto done;
    }
  }
  {
    uint64_t one[4] = {1, 0, 0, 0};
    blst_fr_from_uint64(&tw[0], one);
    for (size_t k = 1; k < n / 2; k++) blst_fr_mul(&tw[k], &tw[k - 1], &w);
  }
  for (size_t m = 2; m <= n; m <<= 1) {
    size_t half = m >> 1, stride = n / m;
    for (size_t k = 0; k < n; k += m) {
      for (size_t j = 0; j < half; j++) {
        blst_fr t, u = a[k + j];
        blst_fr_mul(&t, &a[k + j + half], &tw[j * stride]);
        blst_fr_add(&a[k + j], &u, &t);
        blst_fr_sub(&a[k + j + half], &u, &t);
      }
    }
  }
  if (inverse) {
    blst_fr inv_n;
    uint64_t nn[4] = {n, 0, 0, 0};
    blst_fr_from_uint64(&inv_n, nn);
    blst_fr_inverse(&inv_n, &inv_n);
    for (size_t i = 0; i < n; i++) blst_fr_mul(&a[i], &a[i], &inv_n);
  }
  for (size_t i = 0; i < n; i++) {
    blst_scalar s;
    blst_scalar_from_fr(&s, &a[i]);
    blst_bendian_from_scalar(out32 + 32 * i, &s);
  }
done:
  free(a);
  free(tw);
  return st;
}

/* In-place radix-2 DIT butterflies over a bit-reversed vector of n values; tw[k] = w^k, k < n/2. */
static void fft_passes(blst_fr *a, size_t n, const blst_fr *tw) {
  for (size_t m = 2; m <= n; m <<= 1) {
    size_t half = m >> 1, stride = n / m;
    for (size_t k = 0; k < n; k += m) {
      for (size_t j = 0; j < half; j++) {
        blst_fr t, u = a[k + j];
        blst_fr_mul(&t, &a[k + j + half], &tw[j * stride]);
        blst_fr_add(&a[k + j], &u, &t);
        blst_fr_sub(&a[k + j + half], &u, &t);
      }
    }
  }
}

/*
 * Column-wise rate-1/2 extension (archiving §3.5 step 2) of n records of `cols` scalars each
 * (record i at in32 + 32·i·cols): for every column j, the n values are taken as evaluations on the
 * n-domain, and the values of the same polynomial at the odd points of the 2n-domain are written
 * to column j of the n parity records in out32. Per column: inverse FFT, multiplication by
 * ω_2n^k / n (the coset shift with the inverse FFT's scaling folded in), forward FFT. root2n must
 * have order exactly 2n. A bad scalar reports its flat index i·cols + j.
 */
/* Columns extended together (16 × 32 B: 8 cache lines of each record row). */
#define EXTEND_BLOCK 16

kstatus k_fr_extend_columns(uint8_t *out32, const uint8_t *in32, size_t n, size_t cols, const uint8_t root2n[32]) {
  kstatus st = status(K_OK, 0, 0);
  unsigned log_n = 0;
  while (((size_t)1 << log_n) < n) log_n++;
  if (n < 2 || ((size_t)1 << log_n) != n) return status(K_BAD_ROOT, 0, 0);
  blst_fr w2, w, x;
  if (fr_from_be(&w2, root2n) != K_OK) return status(K_BAD_ROOT, 0, 0);
  x = w2;
  for (unsigned i = 0; i < log_n; i++) blst_fr_sqr(&x, &x); /* w2^n must be -1 */
  if (!fr_is_minus_one(&x)) return status(K_BAD_ROOT, 0, 0);
  blst_fr_sqr(&w, &w2); /* ω_n */

  blst_fr *a = malloc(EXTEND_BLOCK * n * sizeof(blst_fr));
  blst_fr *fwd = malloc((n / 2) * sizeof(blst_fr));
  blst_fr *inv = malloc((n / 2) * sizeof(blst_fr));
  blst_fr *twist = malloc(n * sizeof(blst_fr));
  size_t *rev = malloc(n * sizeof(size_t));
  if (a == NULL || fwd == NULL || inv == NULL || twist == NULL || rev == NULL) {
    st = status(K_NO_MEMORY, 0, 0);
    goto done;
  }
  {
    uint64_t one[4] = {1, 0, 0, 0}, nn[4] = {n, 0, 0, 0};
    blst_fr w_inv, inv_n;
    blst_fr_inverse(&w_inv, &w);
    blst_fr_from_uint64(&fwd[0], one);
    inv[0] = fwd[0];
    for (size_t k = 1; k < n / 2; k++) {
      blst_fr_mul(&fwd[k], &fwd[k - 1], &w);
      blst_fr_mul(&inv[k], &inv[k - 1], &w_inv);
    }
    blst_fr_from_uint64(&inv_n, nn);
    blst_fr_inverse(&inv_n, &inv_n);
    twist[0] = inv_n;
    for (size_t k = 1; k < n; k++) blst_fr_mul(&twist[k], &twist[k - 1], &w2);
    for (size_t i = 0; i < n; i++) {
      size_t r = 0;
      for (unsigned b = 0; b < log_n; b++) r |= ((i >> b) & 1) << (log_n - 1 - b);
      rev[i] = r;
    }
  }
  /* Columns in blocks of EXTEND_BLOCK adjacent scalars: each record row is read and written a few
   * whole cache lines at a time (column by column, the rows lie a record apart and evict each other). */
  for (size_t j0 = 0; j0 < cols; j0 += EXTEND_BLOCK) {
    size_t width = cols - j0 < EXTEND_BLOCK ? cols - j0 : EXTEND_BLOCK;
    bool bad = false;
    for (size_t i = 0; i < n; i++) {
      const uint8_t *row = in32 + 32 * (i * cols + j0);
      for (size_t b = 0; b < width; b++) bad |= fr_from_be(&a[b * n + rev[i]], row + 32 * b) != K_OK;
    }
    if (bad) {
      /* Report the first bad scalar in column order, as a column-by-column pass would. */
      for (size_t b = 0; b < width; b++) {
        for (size_t i = 0; i < n; i++) {
          blst_fr t;
          if (fr_from_be(&t, in32 + 32 * (i * cols + j0 + b)) != K_OK) {
            st = status(K_BAD_SCALAR, i * cols + j0 + b, 0);
            goto done;
          }
        }
      }
    }
    for (size_t b = 0; b < width; b++) {
      blst_fr *c = a + b * n;
      fft_passes(c, n, inv); /* coefficients · n */
      for (size_t k = 0; k < n; k++) blst_fr_mul(&c[k], &c[k], &twist[k]);
      /* bit-reverse in place for the forward pass */
      for (size_t i = 0; i < n; i++) {
        size_t r = rev[i];
        if (r > i) {
          blst_fr t = c[i];
          c[i] = c[r];
          c[r] = t;
        }
      }
      fft_passes(c, n, fwd);
    }
    for (size_t k = 0; k < n; k++) {
      uint8_t *row = out32 + 32 * (k * cols + j0);
      for (size_t b = 0; b < width; b++) {
        blst_scalar s;
        blst_scalar_from_fr(&s, &a[b * n + k]);
        blst_bendian_from_scalar(row + 32 * b, &s);
      }
    }
  }
done:
  free(a);
  free(fwd);
  free(inv);
  free(twist);
  free(rev);
  return st;
}

kstatus k_fr_quotient(uint8_t *out32, const uint8_t *in32, size_t n, const uint8_t x32[32]) {
  blst_scalar s;
  blst_fr xm, acc, c;
  if (n < 2) return status(K_OK, 0, 0);
  if (fr_from_be(&xm, x32) != K_OK) return status(K_BAD_SCALAR, n, 0); /* x: Montgomery form x·R */
  /* Coefficients stay in plain form (their limbs as they are): a Montgomery product with x·R gives
   * q·x·R·R⁻¹ = q·x in plain form again, and sums are plain sums mod r. One product per coefficient. */
  blst_scalar_from_bendian(&s, in32 + 32 * (n - 1));
  if (!blst_scalar_fr_check(&s)) return status(K_BAD_SCALAR, n - 1, 0);
  blst_uint64_from_scalar(acc.l, &s);
  memcpy(out32 + 32 * (n - 2), in32 + 32 * (n - 1), 32);
  for (size_t k = n - 2; k >= 1; k--) {
    blst_fr_mul(&acc, &acc, &xm);
    blst_scalar_from_bendian(&s, in32 + 32 * k);
    if (!blst_scalar_fr_check(&s)) return status(K_BAD_SCALAR, k, 0);
    blst_uint64_from_scalar(c.l, &s);
    blst_fr_add(&acc, &acc, &c);
    blst_scalar_from_uint64(&s, acc.l);
    blst_bendian_from_scalar(out32 + 32 * (k - 1), &s);
  }
  /* c_0 is not read by the quotient, only checked, as every other coefficient */
  blst_scalar_from_bendian(&s, in32);
  if (!blst_scalar_fr_check(&s)) return status(K_BAD_SCALAR, 0, 0);
  return status(K_OK, 0, 0);
}

kstatus k_fr_quotient_limbs(uint8_t *out32, const double *limbs, size_t n, const uint8_t x32[32]) {
  blst_scalar s;
  blst_fr xm, acc, c, unmont;
  if (n < 2) return status(K_OK, 0, 0);
  if (fr_from_be(&xm, x32) != K_OK) return status(K_BAD_SCALAR, n, 0);
  /* An element is a·2^264 mod r in 11 limbs of 24 bits (little-endian): read as plain limbs v, a
   * Montgomery product with the plain 2^-8 gives v·2^-8·2^-256 = a. */
  {
    const uint64_t k256[4] = {256, 0, 0, 0};
    uint64_t plain[4];
    blst_fr t;
    blst_fr_from_uint64(&t, k256);
    blst_fr_inverse(&t, &t);
    blst_uint64_from_fr(plain, &t);
    memcpy(unmont.l, plain, sizeof(plain));
  }
  for (size_t k = n; k-- > 0;) {
    const double *e = limbs + 11 * k;
    uint64_t w[4] = {0, 0, 0, 0};
    bool ok = true;
    for (unsigned j = 0; j < 11; j++) {
      const double d = e[j];
      if (!(d >= 0 && d < 16777216.0) || d != (double)(uint32_t)d) {
        ok = false;
        break;
      }
      const uint64_t v = (uint64_t)d;
      const unsigned bit = 24 * j, word = bit / 64, shift = bit % 64;
      if (word >= 4) {
        ok = ok && v == 0; /* bits 256..263: zero below r */
        continue;
      }
      w[word] |= v << shift;
      if (shift > 40 && word + 1 < 4) w[word + 1] |= v >> (64 - shift);
      else if (shift > 40) ok = ok && (v >> (64 - shift)) == 0;
    }
    blst_scalar_from_uint64(&s, w);
    if (!ok || !blst_scalar_fr_check(&s)) return status(K_BAD_SCALAR, k, 0);
    if (k == 0) break; /* c_0 is checked, not used */
    memcpy(c.l, w, sizeof(w));
    blst_fr_mul(&c, &c, &unmont); /* plain a */
    if (k == n - 1) {
      acc = c;
    } else {
      blst_fr_mul(&acc, &acc, &xm);
      blst_fr_add(&acc, &acc, &c);
    }
    blst_scalar_from_uint64(&s, acc.l);
    blst_bendian_from_scalar(out32 + 32 * (k - 1), &s);
  }
  return status(K_OK, 0, 0);
}
