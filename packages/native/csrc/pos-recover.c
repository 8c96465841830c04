/*
 * The record polynomial for proving (farming §4.9 step 3, §6 step 4): the coefficients of the
 * polynomial of degree < n whose values on the 2n-domain ω^i are known at any n (or more) of the
 * 2n positions. Everything stays in blst's Montgomery form from the input bytes to the output
 * bytes; @autonomys/erasure's `recoverPoly` calls this when the addon is loaded and keeps its
 * TypeScript path as the reference.
 *
 * Method (the same as @autonomys/erasure's recover.ts): Z(x) = Π (x − ω^i) over the m missing
 * positions. E·Z (E the received values, 0 where missing) equals D·Z on the whole domain and
 * deg(D·Z) < 2n, so one inverse FFT gives the coefficients of D·Z. At a missing point Z vanishes,
 * so D = (D·Z)' / Z' there; both derivatives come from FFTs of k·c_k (that is x·P'(x), the x
 * cancels). Only the missing even points are needed: the even points are the n-domain, and one
 * inverse n-point FFT of them gives D's coefficients.
 *
 * Z comes from a product tree in evaluation form: leaves of LEAF roots multiplied out naively, then
 * each level doubles a child's domain (inverse FFT, coset shift, FFT: the new points are the odd
 * ones of the doubled domain) and multiplies the two children pointwise. A node whose degree equals
 * its domain size s wraps (x^s = 1 on the domain): its values are those of Z − x^s + 1, which is
 * corrected on the coset (x^s = −1 there) and at the root.
 */
#include <stdlib.h>
#include <string.h>

#include "blst.h"
#include "kernels.h"
#include "pos-recover.h"
#include "pos-threads.h"

#define LEAF 32

static kstatus rstatus(int code, size_t index) {
  kstatus s = {code, index, 0};
  return s;
}

typedef struct {
  size_t n; /* domain size N */
  blst_fr *fw; /* ω^k, k < N/2 */
  blst_fr *iw; /* ω^-k, k < N/2 */
  unsigned threads; /* 1 or 2: FFTs from PAR_MIN points and the product tree's levels split in halves */
} domain_t;

#define PAR_MIN 4096

static blst_fr fr_u64(uint64_t x) {
  blst_fr r;
  uint64_t v[4] = {x, 0, 0, 0};
  blst_fr_from_uint64(&r, v);
  return r;
}

/* ω^i for i < N. */
static blst_fr dom_elem(const domain_t *d, size_t i) {
  size_t h = d->n >> 1;
  if (i < h) return d->fw[i];
  blst_fr r;
  blst_fr_cneg(&r, &d->fw[i - h], true);
  return r;
}

static void bitrev(blst_fr *a, size_t s) {
  for (size_t i = 1, j = 0; i < s; i++) {
    size_t bit = s >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      blst_fr t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}

/* The butterflies j in [lo, hi) of one block of the stage with half-size `half`. */
static void stage(blst_fr *a, size_t half, size_t stride, const blst_fr *tw, size_t lo, size_t hi) {
  blst_fr *x = a, *y = a + half, u, t;
  for (size_t j = lo; j < hi; j++) {
    u = x[j];
    if (j == 0) t = y[0];
    else blst_fr_mul(&t, &y[j], &tw[j * stride]);
    blst_fr_add(&x[j], &u, &t);
    blst_fr_sub(&y[j], &u, &t);
  }
}

/* The DIT passes over a bit-reversed block of s values. */
static void passes(const domain_t *d, blst_fr *a, size_t s, const blst_fr *tw) {
  for (size_t m = 2; m <= s; m <<= 1)
    for (size_t k = 0; k < s; k += m) stage(a + k, m >> 1, d->n / m, tw, 0, m >> 1);
}

struct fft_job {
  const domain_t *d;
  blst_fr *a;
  size_t s;
  const blst_fr *tw;
  int last; /* 0: the two halves' passes; 1: the last stage, split by j */
};

static void fft_part(void *arg, unsigned part) {
  struct fft_job *j = arg;
  size_t h = j->s >> 1;
  if (!j->last) passes(j->d, j->a + part * h, h, j->tw);
  else stage(j->a, h, j->d->n / j->s, j->tw, part * (h >> 1), (part + 1) * (h >> 1));
}

/* Unscaled DFT (inverse: with ω^-1, not divided by s) of s values in natural order, s | N. */
static void fft(const domain_t *d, blst_fr *a, size_t s, bool inverse) {
  const blst_fr *tw = inverse ? d->iw : d->fw;
  bitrev(a, s);
  if (d->threads < 2 || s < PAR_MIN) {
    passes(d, a, s, tw);
    return;
  }
  struct fft_job j = {d, a, s, tw, 0};
  run_parts(fft_part, &j, 2);
  j.last = 1;
  run_parts(fft_part, &j, 2);
}

/* dst[0..2s) = the node's values on the 2s-domain from its values src[0..s) on the s-domain. */
static void double_node(const domain_t *d, const blst_fr *src, size_t s, size_t degree, blst_fr *dst,
                        blst_fr *c, const blst_fr *twist, const blst_fr *two_s, const blst_fr *one) {
  if (degree == 0) {
    for (size_t i = 0; i < 2 * s; i++) dst[i] = *one;
    return;
  }
  memcpy(c, src, s * sizeof(blst_fr));
  fft(d, c, s, true); /* s·coefficients of Z mod (x^s − 1) */
  if (degree == s) blst_fr_sub(&c[0], &c[0], two_s);
  for (size_t k = 0; k < s; k++) blst_fr_mul(&c[k], &c[k], &twist[k]); /* ω_2s^k / s */
  fft(d, c, s, false);
  for (size_t i = 0; i < s; i++) {
    dst[2 * i] = src[i];
    dst[2 * i + 1] = c[i];
  }
}

static size_t next_pow2(size_t x) {
  size_t p = 1;
  while (p < x) p <<= 1;
  return p;
}

/* One level (or the leaves) of the product tree, split over two threads (see zero_poly). */
struct tree_job {
  const domain_t *d1; /* the domain with threads = 1: no nested threads */
  const uint32_t *missing;
  size_t m, s, nodes;
  blst_fr *ev, *nx, *c[2], *tmp[2], *twist;
  const blst_fr *two_s, *one;
  size_t *deg, *ndeg;
  int leaves;
};

static void tree_leaves(struct tree_job *j, size_t from, size_t to, blst_fr *c) {
  size_t s = j->s;
  for (size_t leaf = from; leaf < to; leaf++) {
    size_t start = leaf * s, dg = start >= j->m ? 0 : (j->m - start < s ? j->m - start : s);
    j->deg[leaf] = dg;
    memset(c, 0, (s + 1) * sizeof(blst_fr));
    c[0] = *j->one;
    for (size_t t = 0; t < dg; t++) {
      blst_fr r = dom_elem(j->d1, j->missing[start + t]), p;
      for (size_t k = t + 1; k >= 1; k--) {
        blst_fr_mul(&p, &c[k], &r);
        blst_fr_sub(&c[k], &c[k - 1], &p);
      }
      blst_fr_mul(&c[0], &c[0], &r);
      blst_fr_cneg(&c[0], &c[0], true);
    }
    if (dg == s) blst_fr_add(&c[0], &c[0], &c[s]); /* x^s = 1 on the s-domain */
    memcpy(j->ev + start, c, s * sizeof(blst_fr));
    fft(j->d1, j->ev + start, s, false);
  }
}

static void tree_parents(struct tree_job *j, size_t from, size_t to, blst_fr *c, blst_fr *tmp) {
  size_t s = j->s;
  for (size_t p = from; p < to; p++) {
    size_t a = 2 * p, b = a + 1;
    blst_fr *dst = j->nx + p * 2 * s;
    double_node(j->d1, j->ev + a * s, s, j->deg[a], dst, c, j->twist, j->two_s, j->one);
    if (j->deg[b] != 0) {
      double_node(j->d1, j->ev + b * s, s, j->deg[b], tmp, c, j->twist, j->two_s, j->one);
      for (size_t i = 0; i < 2 * s; i++) blst_fr_mul(&dst[i], &dst[i], &tmp[i]);
    }
    j->ndeg[p] = j->deg[a] + j->deg[b];
  }
}

static void tree_part(void *arg, unsigned part) {
  struct tree_job *j = arg;
  size_t count = j->leaves ? j->nodes : j->nodes >> 1, h = count / 2;
  size_t from = part ? h : 0, to = part ? count : h;
  if (j->leaves) tree_leaves(j, from, to, j->c[part]);
  else if (count > 1) tree_parents(j, from, to, j->c[part], j->tmp[part]);
  else /* the last level: one child each, multiplied by the caller */
    double_node(j->d1, j->ev + part * j->s, j->s, j->deg[part], part ? j->tmp[1] : j->nx, j->c[part], j->twist,
                j->two_s, j->one);
}

/* The m + 1 coefficients (the last one 1) of Π (x − ω^missing[j]), m ≥ 1. Returns false without memory. */
static bool zero_poly(const domain_t *d, const uint32_t *missing, size_t m, blst_fr *out) {
  size_t s = next_pow2(m) < LEAF ? next_pow2(m) : LEAF;
  size_t nodes = next_pow2((m + s - 1) / s);
  size_t total = nodes * s, top = total; /* the root's domain size */
  unsigned parts = d->threads >= 2 && nodes >= 2 ? 2 : 1;
  domain_t d1 = *d;
  d1.threads = 1;
  blst_fr *ev = malloc(total * sizeof(blst_fr)), *nx = malloc(total * sizeof(blst_fr));
  blst_fr *c0 = malloc((top + 1) * sizeof(blst_fr)), *c1 = malloc((top + 1) * sizeof(blst_fr));
  blst_fr *t0 = malloc(top * sizeof(blst_fr)), *t1 = malloc(top * sizeof(blst_fr));
  blst_fr *twist = malloc(top * sizeof(blst_fr));
  size_t *deg = malloc(nodes * sizeof(size_t)), *ndeg = malloc(nodes * sizeof(size_t));
  bool ok = ev && nx && c0 && c1 && t0 && t1 && twist && deg && ndeg;
  if (!ok) goto done;
  const blst_fr one = fr_u64(1);
  blst_fr two_s;
  struct tree_job j = {&d1, missing, m, s, nodes, ev, nx, {c0, c1}, {t0, t1}, twist, &two_s, &one, deg, ndeg, 1};
  if (parts == 2) run_parts(tree_part, &j, 2);
  else tree_leaves(&j, 0, nodes, c0);
  j.leaves = 0;
  while (nodes > 1) {
    size_t parents = nodes >> 1;
    /* ω_2s^k / s for k < s */
    blst_fr inv_s = fr_u64(s);
    two_s = fr_u64(2 * s);
    blst_fr_eucl_inverse(&inv_s, &inv_s);
    size_t stride = d->n / (2 * s);
    for (size_t k = 0; k < s; k++) blst_fr_mul(&twist[k], &d->fw[k * stride], &inv_s);
    j.s = s;
    j.nodes = nodes;
    j.ev = ev;
    j.nx = nx;
    if (parts == 2) {
      run_parts(tree_part, &j, 2);
      if (parents == 1) {
        ndeg[0] = deg[0] + deg[1];
        if (deg[1] != 0)
          for (size_t i = 0; i < 2 * s; i++) blst_fr_mul(&nx[i], &nx[i], &t1[i]);
      }
    } else {
      tree_parents(&j, 0, parents, c0, t0);
    }
    blst_fr *t = ev;
    ev = nx;
    nx = t;
    size_t *td = deg;
    deg = ndeg;
    ndeg = td;
    j.deg = deg;
    j.ndeg = ndeg;
    nodes = parents;
    s *= 2;
  }
  fft(d, ev, s, true);
  {
    blst_fr inv_s = fr_u64(s);
    blst_fr_eucl_inverse(&inv_s, &inv_s);
    for (size_t k = 0; k < m && k < s; k++) blst_fr_mul(&out[k], &ev[k], &inv_s);
    if (m == s) blst_fr_sub(&out[0], &out[0], &one); /* remove the wrapped x^s */
    out[m] = one;
  }
done:
  free(ev);
  free(nx);
  free(c0);
  free(c1);
  free(t0);
  free(t1);
  free(twist);
  free(deg);
  free(ndeg);
  return ok;
}

static int fr_from_be32(blst_fr *out, const uint8_t in32[32]) {
  blst_scalar s;
  blst_scalar_from_bendian(&s, in32);
  if (!blst_scalar_fr_check(&s)) return 0;
  blst_fr_from_scalar(out, &s);
  return 1;
}

static bool fr_eq(const blst_fr *a, const blst_fr *b) { return memcmp(a, b, sizeof(blst_fr)) == 0; }

/* --- the plan ---------------------------------------------------------------------------------
 * Layout: u64 header {PLAN_MAGIC, n2, m, me}; u32 missing[m] (ascending), padded to an even count;
 * blst_fr fw[n], iw[n] (ω^k, ω^-k for k < n); when me > 0: blst_fr z[n2] (Z on the 2n-domain) and
 * inv[me] (1 / (2n·x·Z'(x)) at the missing even points, in order). Everything in Montgomery form. */
#define PLAN_MAGIC 0x31504552504f5041ull /* "APOPREP1" */

static size_t plan_missing_words(size_t m) { return (m + 1) & ~(size_t)1; }

size_t k_fr_recover_plan_size(size_t n2, size_t m, size_t me) {
  size_t n = n2 >> 1;
  return 32 + 4 * plan_missing_words(m) + sizeof(blst_fr) * (2 * n + (me > 0 ? n2 + me : 0));
}

typedef struct {
  size_t n2, m, me;
  uint32_t *missing;
  blst_fr *fw, *iw, *z, *inv;
} plan_view;

static void plan_map(plan_view *v, uint8_t *plan, size_t n2, size_t m, size_t me) {
  size_t n = n2 >> 1;
  v->n2 = n2;
  v->m = m;
  v->me = me;
  v->missing = (uint32_t *)(plan + 32);
  v->fw = (blst_fr *)(plan + 32 + 4 * plan_missing_words(m));
  v->iw = v->fw + n;
  v->z = me > 0 ? v->iw + n : NULL;
  v->inv = me > 0 ? v->z + n2 : NULL;
}

kstatus k_fr_recover_plan(uint8_t *plan, size_t plan_len, const uint8_t *present, size_t n2, const uint8_t root32[32],
                          unsigned threads) {
  unsigned log_n = 0;
  while (((size_t)1 << log_n) < n2) log_n++;
  if (n2 < 2 || ((size_t)1 << log_n) != n2 || n2 > ((size_t)1 << 28)) return rstatus(K_BAD_ROOT, 0);
  const size_t n = n2 >> 1;
  blst_fr w, x;
  if (!fr_from_be32(&w, root32)) return rstatus(K_BAD_ROOT, 0);
  x = w;
  for (unsigned i = 1; i < log_n; i++) blst_fr_sqr(&x, &x);
  blst_fr minus_one = fr_u64(1);
  blst_fr_cneg(&minus_one, &minus_one, true);
  if (!fr_eq(&x, &minus_one)) return rstatus(K_BAD_ROOT, 0); /* ω^(N/2) = −1: order exactly N */
  size_t m = 0, me = 0;
  for (size_t i = 0; i < n2; i++)
    if (present[i] == 0) m++, me += (i & 1) == 0;
  if (m > n) return rstatus(K_BAD_ENCODING, m); /* the caller checks this first */
  if (plan_len != k_fr_recover_plan_size(n2, m, me)) return rstatus(K_BAD_ENCODING, plan_len);
  uint64_t header[4] = {PLAN_MAGIC, n2, m, me};
  memcpy(plan, header, sizeof header);
  plan_view pv;
  plan_map(&pv, plan, n2, m, me);
  for (size_t i = 0, j = 0; i < n2; i++)
    if (present[i] == 0) pv.missing[j++] = (uint32_t)i;
  if (m & 1) pv.missing[m] = 0;
  {
    blst_fr wi;
    blst_fr_eucl_inverse(&wi, &w);
    pv.fw[0] = pv.iw[0] = fr_u64(1);
    for (size_t k = 1; k < n; k++) {
      blst_fr_mul(&pv.fw[k], &pv.fw[k - 1], &w);
      blst_fr_mul(&pv.iw[k], &pv.iw[k - 1], &wi);
    }
  }
  if (me == 0) return rstatus(K_OK, 0);
  domain_t d = {n2, pv.fw, pv.iw, threads >= 2 ? 2u : 1u};
  blst_fr *zc = malloc((m + 1) * sizeof(blst_fr)), *zd = malloc(n * sizeof(blst_fr));
  kstatus st = rstatus(K_OK, 0);
  if (zc == NULL || zd == NULL || !zero_poly(&d, pv.missing, m, zc)) {
    st = rstatus(K_NO_MEMORY, 0);
    goto done;
  }
  /* Z on the N-domain (m ≤ n < N: no wrap) */
  memcpy(pv.z, zc, (m + 1) * sizeof(blst_fr));
  memset(pv.z + m + 1, 0, (n2 - m - 1) * sizeof(blst_fr));
  fft(&d, pv.z, n2, false);
  /* x·Z'(x) (coefficients k·z_k, degree ≤ n) at the even points, the n-domain: folded mod x^n − 1 */
  {
    blst_fr kf = fr_u64(0), one = fr_u64(1);
    memset(zd, 0, n * sizeof(blst_fr));
    for (size_t k = 1; k <= m; k++) {
      blst_fr_add(&kf, &kf, &one);
      blst_fr t;
      blst_fr_mul(&t, &zc[k], &kf);
      blst_fr_add(&zd[k & (n - 1)], &zd[k & (n - 1)], &t);
    }
  }
  fft(&d, zd, n, false);
  /* 1 / (N·zd) at each missing even point, by one batch inversion (prefix products in inv) */
  {
    blst_fr acc = fr_u64(1), nf = fr_u64(n2);
    size_t e = 0;
    for (size_t j = 0; j < m; j++) {
      size_t i = pv.missing[j];
      if (i & 1) continue;
      blst_fr_mul(&zd[i >> 1], &zd[i >> 1], &nf);
      pv.inv[e++] = acc;
      blst_fr_mul(&acc, &acc, &zd[i >> 1]);
    }
    blst_fr_eucl_inverse(&acc, &acc);
    for (size_t j = m; j-- > 0;) {
      size_t i = pv.missing[j];
      if (i & 1) continue;
      --e;
      blst_fr_mul(&pv.inv[e], &pv.inv[e], &acc); /* 1/zd[i] */
      blst_fr_mul(&acc, &acc, &zd[i >> 1]);
    }
  }
done:
  free(zc);
  free(zd);
  return st;
}

kstatus k_fr_recover_apply(uint8_t *out32, const uint8_t *in32, size_t n2, const uint8_t *plan, size_t plan_len,
                           const uint8_t scale32[32], unsigned threads) {
  uint64_t header[4];
  if (plan_len < 32) return rstatus(K_BAD_ENCODING, 0);
  memcpy(header, plan, sizeof header);
  if (header[0] != PLAN_MAGIC || header[1] != n2 || n2 < 2 || (n2 & (n2 - 1)) != 0 || n2 > ((size_t)1 << 28) ||
      header[2] > n2 / 2 || header[3] > header[2])
    return rstatus(K_BAD_ENCODING, 0);
  const size_t n = n2 >> 1, m = (size_t)header[2], me = (size_t)header[3];
  if (plan_len != k_fr_recover_plan_size(n2, m, me) || ((uintptr_t)plan & 7) != 0) return rstatus(K_BAD_ENCODING, 0);
  plan_view pv;
  plan_map(&pv, (uint8_t *)plan, n2, m, me);
  {
    size_t evens = 0;
    for (size_t j = 0; j < m; j++) {
      if (pv.missing[j] >= n2 || (j > 0 && pv.missing[j] <= pv.missing[j - 1])) return rstatus(K_BAD_ENCODING, 0);
      evens += (pv.missing[j] & 1) == 0;
    }
    if (evens != me) return rstatus(K_BAD_ENCODING, 0);
  }
  blst_fr scale;
  if (!fr_from_be32(&scale, scale32)) return rstatus(K_BAD_SCALAR, n2);
  domain_t d = {n2, pv.fw, pv.iw, threads >= 2 ? 2u : 1u};
  blst_fr *v = malloc(n2 * sizeof(blst_fr)), *zn = me > 0 ? malloc(n2 * sizeof(blst_fr)) : NULL;
  kstatus st = rstatus(K_OK, 0);
  if (v == NULL || (me > 0 && zn == NULL)) {
    st = rstatus(K_NO_MEMORY, 0);
    goto done;
  }
  for (size_t i = 0, j = 0; i < n2; i++) {
    if (j < m && pv.missing[j] == i) {
      memset(&v[i], 0, sizeof(blst_fr));
      j++;
    } else if (!fr_from_be32(&v[i], in32 + 32 * i)) {
      st = rstatus(K_BAD_SCALAR, i);
      goto done;
    }
  }
  if (me > 0) {
    /* N·coefficients of D·Z (E·Z = D·Z on the domain), then N·x·(D·Z)' at the even points (folded) */
    for (size_t i = 0; i < n2; i++) blst_fr_mul(&zn[i], &pv.z[i], &v[i]);
    fft(&d, zn, n2, true);
    blst_fr kf = fr_u64(0), kg = fr_u64(n), one = fr_u64(1), t;
    blst_fr_mul(&zn[0], &zn[n], &kg);
    for (size_t k = 1; k < n; k++) {
      blst_fr_add(&kf, &kf, &one);
      blst_fr_add(&kg, &kg, &one);
      blst_fr_mul(&zn[k], &zn[k], &kf);
      blst_fr_mul(&t, &zn[k + n], &kg);
      blst_fr_add(&zn[k], &zn[k], &t);
    }
    fft(&d, zn, n, false);
    /* D = (D·Z)' / Z' at each missing even point */
    for (size_t j = 0, e = 0; j < m; j++) {
      size_t i = pv.missing[j];
      if (i & 1) continue;
      blst_fr_mul(&v[i], &zn[i >> 1], &pv.inv[e++]);
    }
  }
  /* D's coefficients from its values at the even points (the n-domain), times scale / n. */
  for (size_t k = 0; k < n; k++) v[k] = v[2 * k];
  fft(&d, v, n, true); /* twiddles stay those of ω_N: the n-point FFT uses stride N/n */
  {
    blst_fr f = fr_u64(n);
    blst_fr_eucl_inverse(&f, &f);
    blst_fr_mul(&f, &f, &scale);
    for (size_t k = 0; k < n; k++) {
      blst_scalar s;
      blst_fr_mul(&v[k], &v[k], &f);
      blst_scalar_from_fr(&s, &v[k]);
      blst_bendian_from_scalar(out32 + 32 * k, &s);
    }
  }
done:
  free(v);
  free(zn);
  return st;
}

/* Both phases in one call: the plan in a scratch buffer. */
kstatus k_fr_recover_poly(uint8_t *out32, const uint8_t *in32, const uint8_t *present, size_t n2,
                          const uint8_t root32[32], const uint8_t scale32[32], unsigned threads) {
  if (n2 < 2 || (n2 & (n2 - 1)) != 0 || n2 > ((size_t)1 << 28)) return rstatus(K_BAD_ROOT, 0);
  size_t m = 0, me = 0;
  for (size_t i = 0; i < n2; i++)
    if (present[i] == 0) m++, me += (i & 1) == 0;
  if (m > n2 / 2) return rstatus(K_BAD_ENCODING, m);
  size_t len = k_fr_recover_plan_size(n2, m, me);
  uint8_t *plan = malloc(len);
  if (plan == NULL) return rstatus(K_NO_MEMORY, 0);
  kstatus st = k_fr_recover_plan(plan, len, present, n2, root32, threads);
  if (st.code == K_OK) st = k_fr_recover_apply(out32, in32, n2, plan, len, scale32, threads);
  free(plan);
  return st;
}
