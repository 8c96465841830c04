/*
 * A G1 multi-scalar multiplication for the WebAssembly build, faster there than blst's Pippenger.
 *
 * Why: blst without assembly (the only way it builds for wasm32) multiplies field elements as 12
 * 32-bit limbs with a carry chain after every 32×32-bit product, and adds points into projective
 * buckets (~10 multiplications each). On WebAssembly both are slow: the page's TypeScript MSM
 * (affine buckets, ~6 multiplications per addition) was as fast as blst there.
 *
 * What: field elements as 14 limbs of 29 bits held in 64-bit words. A product of two limbs is < 2^58
 * and a column of the Montgomery product gathers at most 28 of them (< 2^63), so the carries are
 * propagated once per product instead of once per limb product. Points are summed into their
 * buckets in affine coordinates, pairwise per bucket, one round of pairs at a time, with one field
 * inversion per round shared by Montgomery's trick (~6 multiplications per addition); signed window
 * digits halve the buckets. The running sums over the buckets and the windows are Jacobian.
 *
 * Inputs, checks, errors and the result are exactly those of k_g1_msm (csrc/curve.c): 96-byte
 * uncompressed points (blst_p1_affine_serialize), 32-byte big-endian scalars < r, K_BAD_ENCODING /
 * K_NOT_ON_CURVE with the point's index, K_BAD_SCALAR with the scalar's index, in index order. A
 * point that does not pass the fast checks here is handed to blst_p1_deserialize for the verdict,
 * so the rare encodings (infinity, flags) are judged by blst itself. The 48-byte result is
 * compressed by blst. Public data only: nothing here is constant-time.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../csrc/kernels.h"
#include "blst.h"

#define NL 14                   /* limbs */
#define LB 29                   /* bits per limb */
#define LM ((1u << LB) - 1u)    /* limb mask */

typedef struct {
  uint32_t l[NL];
} fp; /* little-endian limbs, fully reduced (< p), Montgomery form (× 2^406) unless noted */

typedef struct {
  fp x, y;
} aff;

typedef struct {
  fp x, y, z; /* z = 0: infinity */
} jac;

/* The BLS12-381 base field modulus, big-endian. */
static const uint8_t P_BE[48] = {
    0x1a, 0x01, 0x11, 0xea, 0x39, 0x7f, 0xe6, 0x9a, 0x4b, 0x1b, 0xa7, 0xb6, 0x43, 0x4b, 0xac, 0xd7,
    0x64, 0x77, 0x4b, 0x84, 0xf3, 0x85, 0x12, 0xbf, 0x67, 0x30, 0xd2, 0xa0, 0xf6, 0xb0, 0xf6, 0x24,
    0x1e, 0xab, 0xff, 0xfe, 0xb1, 0x53, 0xff, 0xff, 0xb9, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xaa, 0xab};

static fp P;       /* p, plain */
static fp R2;      /* 2^812 mod p: to Montgomery form */
static fp ONE;     /* 1 in Montgomery form */
static fp B4;      /* 4 (the curve's b) in Montgomery form */
static fp PM2;     /* p - 2 (plain), the inversion exponent */
static uint32_t N0; /* -p^-1 mod 2^29 */
static bool ready = false;

/* 48 big-endian bytes to limbs (no reduction). */
static void fp_from_be(fp *r, const uint8_t be[48]) {
  uint64_t acc = 0;
  unsigned bits = 0, k = 0;
  for (int i = 47; i >= 0; i--) {
    acc |= (uint64_t)be[i] << bits;
    bits += 8;
    if (bits >= LB) {
      r->l[k++] = (uint32_t)acc & LM;
      acc >>= LB;
      bits -= LB;
    }
  }
  while (k < NL) {
    r->l[k++] = (uint32_t)acc & LM;
    acc >>= LB;
  }
}

/* Limbs (a value < 2^384) to 48 big-endian bytes. */
static void fp_to_be(uint8_t be[48], const fp *a) {
  uint64_t acc = 0;
  unsigned bits = 0, k = 0;
  for (int i = 47; i >= 0; i--) {
    if (bits < 8) {
      acc |= (uint64_t)(k < NL ? a->l[k] : 0) << bits;
      k++;
      bits += LB;
    }
    be[i] = (uint8_t)acc;
    acc >>= 8;
    bits -= 8;
  }
}

/* -1 when a < b, 0 when equal, 1 when a > b. */
static int fp_cmp(const fp *a, const fp *b) {
  for (int i = NL - 1; i >= 0; i--)
    if (a->l[i] != b->l[i]) return a->l[i] < b->l[i] ? -1 : 1;
  return 0;
}

static bool fp_eq(const fp *a, const fp *b) {
  uint32_t d = 0;
  for (int i = 0; i < NL; i++) d |= a->l[i] ^ b->l[i];
  return d == 0;
}

static bool fp_is_zero(const fp *a) {
  uint32_t d = 0;
  for (int i = 0; i < NL; i++) d |= a->l[i];
  return d == 0;
}

/* r = a - p when a >= p (a < 2p). */
static void fp_reduce_once(fp *r) {
  int64_t t[NL];
  int64_t borrow = 0;
  for (int i = 0; i < NL; i++) {
    int64_t v = (int64_t)r->l[i] - P.l[i] + borrow;
    t[i] = v & LM;
    borrow = v >> LB; /* arithmetic: 0 or -1 */
  }
  if (borrow == 0)
    for (int i = 0; i < NL; i++) r->l[i] = (uint32_t)t[i];
}

static void fp_add(fp *r, const fp *a, const fp *b) {
  uint32_t c = 0;
  for (int i = 0; i < NL; i++) {
    uint32_t v = a->l[i] + b->l[i] + c;
    r->l[i] = v & LM;
    c = v >> LB;
  }
  fp_reduce_once(r);
}

static void fp_sub(fp *r, const fp *a, const fp *b) {
  int64_t t[NL];
  int64_t borrow = 0;
  for (int i = 0; i < NL; i++) {
    int64_t v = (int64_t)a->l[i] - b->l[i] + borrow;
    t[i] = v & LM;
    borrow = v >> LB;
  }
  if (borrow != 0) { /* a < b: add p */
    uint32_t c = 0;
    for (int i = 0; i < NL; i++) {
      uint32_t v = (uint32_t)t[i] + P.l[i] + c;
      r->l[i] = v & LM;
      c = v >> LB;
    }
  } else {
    for (int i = 0; i < NL; i++) r->l[i] = (uint32_t)t[i];
  }
}

static void fp_neg(fp *r, const fp *a) {
  if (fp_is_zero(a)) {
    *r = *a;
    return;
  }
  fp_sub(r, &P, a); /* p - a with a in (0, p) */
}

/* Montgomery product a·b·2^-406 mod p, operand scanning with the carries of a column deferred. */
static void fp_mul(fp *r, const fp *a, const fp *b) {
  uint64_t t[2 * NL + 1];
  for (int i = 0; i < 2 * NL + 1; i++) t[i] = 0;
  uint64_t bb[NL];
  for (int j = 0; j < NL; j++) bb[j] = b->l[j];
#pragma clang loop unroll(full)
  for (int i = 0; i < NL; i++) {
    uint64_t ai = a->l[i];
#pragma clang loop unroll(full)
    for (int j = 0; j < NL; j++) t[i + j] += ai * bb[j];
    uint64_t m = ((t[i] & LM) * N0) & LM;
#pragma clang loop unroll(full)
    for (int j = 0; j < NL; j++) t[i + j] += m * P.l[j];
    t[i + 1] += t[i] >> LB;
  }
  uint32_t out[NL];
  uint64_t c = 0;
  for (int j = 0; j < NL; j++) {
    uint64_t v = t[NL + j] + c;
    out[j] = (uint32_t)v & LM;
    c = v >> LB;
  }
  /* c is 0: the result is < 2p < 2^382 */
  for (int j = 0; j < NL; j++) r->l[j] = out[j];
  fp_reduce_once(r);
}

static void fp_sqr(fp *r, const fp *a) { fp_mul(r, a, a); }

/* a^(p-2) = a^-1 (a ≠ 0; 0 gives 0). */
static void fp_inv(fp *r, const fp *a) {
  fp acc = ONE, base = *a;
  int top = NL * LB - 1;
  while (top > 0 && ((PM2.l[top / LB] >> (top % LB)) & 1) == 0) top--;
  for (int bit = top; bit >= 0; bit--) {
    fp_sqr(&acc, &acc);
    if ((PM2.l[bit / LB] >> (bit % LB)) & 1) fp_mul(&acc, &acc, &base);
  }
  *r = acc;
}

static void init(void) {
  if (ready) return;
  fp_from_be(&P, P_BE);
  /* N0 = -p^-1 mod 2^29 by Newton's iteration on 32 bits */
  uint32_t inv = 1;
  for (int i = 0; i < 5; i++) inv *= 2u - P.l[0] * inv;
  N0 = (0u - inv) & LM;
  /* R2 = 2^812 mod p by doubling 1 (plain arithmetic mod p) */
  fp x;
  memset(&x, 0, sizeof(x));
  x.l[0] = 1;
  for (int i = 0; i < 2 * NL * LB; i++) fp_add(&x, &x, &x);
  R2 = x;
  memset(&x, 0, sizeof(x));
  x.l[0] = 1;
  fp_mul(&ONE, &x, &R2);
  x.l[0] = 4;
  fp_mul(&B4, &x, &R2);
  memset(&x, 0, sizeof(x));
  x.l[0] = 2;
  fp_sub(&PM2, &P, &x); /* p - 2 as a plain value: fp_sub works limb-wise on any values < p */
  ready = true;
}

/* ---- Jacobian arithmetic (a = 0) ---- */

static void jac_double(jac *r, const jac *a) {
  if (fp_is_zero(&a->z) || fp_is_zero(&a->y)) {
    memset(r, 0, sizeof(*r));
    return;
  }
  fp A, B, C, D, E, F, t;
  fp_sqr(&A, &a->x);
  fp_sqr(&B, &a->y);
  fp_sqr(&C, &B);
  fp_add(&t, &a->x, &B);
  fp_sqr(&t, &t);
  fp_sub(&t, &t, &A);
  fp_sub(&t, &t, &C);
  fp_add(&D, &t, &t);
  fp_add(&E, &A, &A);
  fp_add(&E, &E, &A);
  fp_sqr(&F, &E);
  fp z3;
  fp_mul(&z3, &a->y, &a->z);
  fp_add(&r->z, &z3, &z3);
  fp_sub(&t, &F, &D);
  fp_sub(&r->x, &t, &D);
  fp_sub(&t, &D, &r->x);
  fp_mul(&t, &E, &t);
  fp_add(&C, &C, &C);
  fp_add(&C, &C, &C);
  fp_add(&C, &C, &C);
  fp_sub(&r->y, &t, &C);
}

/* r = a + (bx, by) (affine, not infinity). */
static void jac_add_affine(jac *r, const jac *a, const aff *b) {
  if (fp_is_zero(&a->z)) {
    r->x = b->x;
    r->y = b->y;
    r->z = ONE;
    return;
  }
  fp z1z1, u2, s2, h, hh, i, j, rr, v, t;
  fp_sqr(&z1z1, &a->z);
  fp_mul(&u2, &b->x, &z1z1);
  fp_mul(&s2, &b->y, &a->z);
  fp_mul(&s2, &s2, &z1z1);
  fp_sub(&h, &u2, &a->x);
  fp_sub(&rr, &s2, &a->y);
  if (fp_is_zero(&h)) {
    if (fp_is_zero(&rr)) {
      jac_double(r, a);
    } else {
      memset(r, 0, sizeof(*r));
    }
    return;
  }
  fp_add(&rr, &rr, &rr);
  fp_sqr(&hh, &h);
  fp_add(&i, &hh, &hh);
  fp_add(&i, &i, &i);
  fp_mul(&j, &h, &i);
  fp_mul(&v, &a->x, &i);
  fp y1j;
  fp_mul(&y1j, &a->y, &j);
  fp_add(&t, &a->z, &h);
  fp_sqr(&t, &t);
  fp_sub(&t, &t, &z1z1);
  fp_sub(&r->z, &t, &hh);
  fp_sqr(&t, &rr);
  fp_sub(&t, &t, &j);
  fp_sub(&t, &t, &v);
  fp_sub(&r->x, &t, &v);
  fp_sub(&t, &v, &r->x);
  fp_mul(&t, &rr, &t);
  fp_add(&y1j, &y1j, &y1j);
  fp_sub(&r->y, &t, &y1j);
}

static void jac_add(jac *r, const jac *a, const jac *b) {
  if (fp_is_zero(&a->z)) {
    *r = *b;
    return;
  }
  if (fp_is_zero(&b->z)) {
    *r = *a;
    return;
  }
  fp z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;
  fp_sqr(&z1z1, &a->z);
  fp_sqr(&z2z2, &b->z);
  fp_mul(&u1, &a->x, &z2z2);
  fp_mul(&u2, &b->x, &z1z1);
  fp_mul(&s1, &a->y, &b->z);
  fp_mul(&s1, &s1, &z2z2);
  fp_mul(&s2, &b->y, &a->z);
  fp_mul(&s2, &s2, &z1z1);
  fp_sub(&h, &u2, &u1);
  fp_sub(&rr, &s2, &s1);
  if (fp_is_zero(&h)) {
    if (fp_is_zero(&rr)) {
      jac_double(r, a);
    } else {
      memset(r, 0, sizeof(*r));
    }
    return;
  }
  fp_add(&rr, &rr, &rr);
  fp_add(&i, &h, &h);
  fp_sqr(&i, &i);
  fp_mul(&j, &h, &i);
  fp_mul(&v, &u1, &i);
  fp_add(&t, &a->z, &b->z);
  fp_sqr(&t, &t);
  fp_sub(&t, &t, &z1z1);
  fp_sub(&t, &t, &z2z2);
  fp_mul(&r->z, &t, &h);
  fp_sqr(&t, &rr);
  fp_sub(&t, &t, &j);
  fp_sub(&t, &t, &v);
  fp_sub(&r->x, &t, &v);
  fp_sub(&t, &v, &r->x);
  fp_mul(&t, &rr, &t);
  fp_mul(&s1, &s1, &j);
  fp_add(&s1, &s1, &s1);
  fp_sub(&r->y, &t, &s1);
}

/* ---- the MSM ---- */

/* Window bits for n points: the c minimising W·(6n + 27·2^(c-1) + 600·rounds), W = ceil(256/c). */
static unsigned window_bits(size_t n) {
  unsigned best = 4;
  double best_cost = 0;
  for (unsigned c = 4; c <= 15; c++) { /* digits are int16: |digit| <= 2^14 */
    double w = (double)((256 + c - 1) / c);
    double buckets = (double)(1u << (c - 1));
    double rounds = 2;
    for (double per = (double)n / buckets; per > 1; per /= 2) rounds += 1;
    double cost = w * (6.0 * (double)n + 27.0 * buckets + 600.0 * rounds);
    if (c == 4 || cost < best_cost) {
      best = c;
      best_cost = cost;
    }
  }
  return best;
}

/* Bits [bit, bit + c) of a scalar held as 8 little-endian 32-bit words (zero above bit 255). */
static uint32_t scalar_bits(const uint32_t w[8], unsigned bit, unsigned c) {
  unsigned k = bit / 32, s = bit % 32;
  uint64_t v = k < 8 ? w[k] : 0;
  if (k + 1 < 8) v |= (uint64_t)w[k + 1] << 32;
  return (uint32_t)(v >> s) & ((1u << c) - 1u);
}

/* Pair kinds of a round. */
enum { PAIR_ADD = 0, PAIR_DOUBLE = 1, PAIR_TRIVIAL = 2 };

kstatus wasm_g1_msm(uint8_t out48[48], const uint8_t *points96, const uint8_t *scalars32, size_t count) {
  kstatus st = {K_OK, 0, 0};
  init();
  size_t n = 0;
  aff *pts = malloc((count ? count : 1) * sizeof(aff));
  uint32_t *sc = malloc((count ? count : 1) * 8 * sizeof(uint32_t));
  if (pts == NULL || sc == NULL) return (kstatus){K_NO_MEMORY, 0, 0};

  /* Decode and check, in index order, dropping identity points and zero scalars. */
  for (size_t i = 0; i < count; i++) {
    const uint8_t *pt = points96 + 96 * i;
    fp x, y;
    bool fast = (pt[0] & 0xe0) == 0;
    if (fast) {
      fp_from_be(&x, pt);
      fp_from_be(&y, pt + 48);
      fast = fp_cmp(&x, &P) < 0 && fp_cmp(&y, &P) < 0;
    }
    bool inf = false;
    if (fast) {
      fp_mul(&x, &x, &R2);
      fp_mul(&y, &y, &R2);
      fp y2, x3;
      fp_sqr(&y2, &y);
      fp_sqr(&x3, &x);
      fp_mul(&x3, &x3, &x);
      fp_add(&x3, &x3, &B4);
      fast = fp_eq(&x3, &y2);
    }
    if (!fast) {
      /* blst's verdict on the rare or bad encodings. */
      blst_p1_affine a;
      BLST_ERROR e = blst_p1_deserialize(&a, pt);
      if (e != BLST_SUCCESS) {
        st.code = e == BLST_POINT_NOT_ON_CURVE ? K_NOT_ON_CURVE : K_BAD_ENCODING;
        st.index = i;
        st.group = 1;
        goto done;
      }
      if (blst_p1_affine_is_inf(&a)) {
        inf = true;
      } else {
        uint8_t ser[96];
        blst_p1_affine_serialize(ser, &a);
        fp_from_be(&x, ser);
        fp_from_be(&y, ser + 48);
        fp_mul(&x, &x, &R2);
        fp_mul(&y, &y, &R2);
      }
    }
    blst_scalar s;
    blst_scalar_from_bendian(&s, scalars32 + 32 * i);
    if (!blst_scalar_fr_check(&s)) {
      st.code = K_BAD_SCALAR;
      st.index = i;
      st.group = 0;
      goto done;
    }
    uint32_t *w = sc + 8 * n;
    uint32_t any = 0;
    for (int k = 0; k < 8; k++) {
      const uint8_t *b = s.b + 4 * k; /* blst_scalar: little-endian bytes */
      w[k] = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
      any |= w[k];
    }
    if (inf || any == 0) continue;
    pts[n].x = x;
    pts[n].y = y;
    n++;
  }

  jac total;
  memset(&total, 0, sizeof(total));
  if (n > 0) {
    unsigned c = window_bits(n);
    unsigned windows = (256 + c - 1) / c;
    size_t nb = (size_t)1 << (c - 1);
    int16_t *digits = malloc(n * windows * sizeof(int16_t));
    aff *work = malloc(n * sizeof(aff));
    uint8_t *winf = malloc(n);
    uint32_t *start = malloc((nb + 1) * sizeof(uint32_t));
    uint32_t *len = malloc(nb * sizeof(uint32_t));
    fp *pref = malloc((n / 2 + 1) * sizeof(fp));
    uint8_t *kind = malloc(n / 2 + 1);
    if (!digits || !work || !winf || !start || !len || !pref || !kind) {
      st = (kstatus){K_NO_MEMORY, 0, 0};
      goto done;
    }
    /* Signed digits in [-2^(c-1), 2^(c-1)], low window first, the carry moving up. */
    for (size_t i = 0; i < n; i++) {
      uint32_t carry = 0;
      for (unsigned k = 0; k < windows; k++) {
        int32_t d = (int32_t)(scalar_bits(sc + 8 * i, k * c, c) + carry);
        carry = 0;
        if (d > (int32_t)nb) {
          d -= (int32_t)(nb << 1);
          carry = 1;
        }
        digits[i * windows + k] = (int16_t)d;
      }
    }
    for (int k = (int)windows - 1; k >= 0; k--) {
      for (unsigned d = 0; d < c; d++) jac_double(&total, &total);
      /* Group the window's points by bucket (|digit| - 1), negated for a negative digit. */
      for (size_t b = 0; b <= nb; b++) start[b] = 0;
      for (size_t i = 0; i < n; i++) {
        int32_t d = digits[i * windows + (size_t)k];
        if (d != 0) start[(size_t)(d < 0 ? -d : d)]++;
      }
      /* start[b]: the points of digits below b + 1, i.e. where bucket b (|digit| = b + 1) begins */
      for (size_t b = 1; b <= nb; b++) start[b] += start[b - 1];
      for (size_t b = 0; b < nb; b++) len[b] = 0;
      for (size_t i = 0; i < n; i++) {
        int32_t d = digits[i * windows + (size_t)k];
        if (d == 0) continue;
        size_t b = (size_t)(d < 0 ? -d : d) - 1;
        size_t at = start[b] + len[b]++;
        work[at].x = pts[i].x;
        if (d < 0)
          fp_neg(&work[at].y, &pts[i].y);
        else
          work[at].y = pts[i].y;
        winf[at] = 0;
      }
      /* Rounds of pairwise affine additions until every bucket holds at most one point. */
      for (;;) {
        size_t pairs = 0;
        fp acc = ONE;
        /* pass 1: denominators and their prefix products */
        for (size_t b = 0; b < nb; b++) {
          size_t s = start[b];
          for (size_t q = 0; q + 1 < len[b]; q += 2) {
            aff *u = &work[s + q], *v = &work[s + q + 1];
            fp den;
            uint8_t kd = PAIR_ADD;
            if (winf[s + q] || winf[s + q + 1]) {
              kd = PAIR_TRIVIAL;
            } else if (fp_eq(&u->x, &v->x)) {
              kd = fp_eq(&u->y, &v->y) && !fp_is_zero(&u->y) ? PAIR_DOUBLE : PAIR_TRIVIAL;
            }
            if (kd == PAIR_ADD)
              fp_sub(&den, &v->x, &u->x);
            else if (kd == PAIR_DOUBLE)
              fp_add(&den, &u->y, &u->y);
            else
              den = ONE;
            kind[pairs] = kd;
            pref[pairs] = acc;
            fp_mul(&acc, &acc, &den);
            pairs++;
          }
        }
        if (pairs == 0) break;
        /* pass 2: backwards, each denominator's inverse into pref[] */
        fp inv;
        fp_inv(&inv, &acc);
        size_t t = pairs;
        for (size_t b = nb; b-- > 0;) {
          size_t s = start[b];
          if (len[b] < 2) continue;
          for (size_t q = (len[b] / 2 - 1) * 2 + 2; q >= 2; q -= 2) {
            t--;
            aff *u = &work[s + q - 2], *v = &work[s + q - 1];
            fp den;
            if (kind[t] == PAIR_ADD)
              fp_sub(&den, &v->x, &u->x);
            else if (kind[t] == PAIR_DOUBLE)
              fp_add(&den, &u->y, &u->y);
            else
              den = ONE;
            fp_mul(&pref[t], &pref[t], &inv); /* 1/den */
            fp_mul(&inv, &inv, &den);
          }
        }
        /* pass 3: forwards, the sums written in place, the odd point moved down */
        t = 0;
        for (size_t b = 0; b < nb; b++) {
          size_t s = start[b], l = len[b];
          if (l < 2) continue;
          size_t q;
          for (q = 0; q + 1 < l; q += 2, t++) {
            aff u = work[s + q], v = work[s + q + 1];
            uint8_t ui = winf[s + q], vi = winf[s + q + 1];
            aff *r = &work[s + q / 2];
            uint8_t *ri = &winf[s + q / 2];
            if (kind[t] == PAIR_TRIVIAL) {
              if (ui) {
                *r = v;
                *ri = vi;
              } else if (vi) {
                *r = u;
                *ri = 0;
              } else { /* same x: P + (-P), or a doubling of a point with y = 0 */
                *ri = 1;
              }
              continue;
            }
            fp lam, num, x3, tmp;
            if (kind[t] == PAIR_ADD) {
              fp_sub(&num, &v.y, &u.y);
            } else {
              fp_sqr(&num, &u.x);
              fp_add(&tmp, &num, &num);
              fp_add(&num, &tmp, &num);
            }
            fp_mul(&lam, &num, &pref[t]);
            fp_sqr(&x3, &lam);
            fp_sub(&x3, &x3, &u.x);
            fp_sub(&x3, &x3, &v.x);
            fp_sub(&tmp, &u.x, &x3);
            fp_mul(&tmp, &lam, &tmp);
            fp_sub(&r->y, &tmp, &u.y);
            r->x = x3;
            *ri = 0;
          }
          if (q < l) {
            work[s + q / 2] = work[s + q];
            winf[s + q / 2] = winf[s + q];
          }
          len[b] = (l + 1) / 2;
        }
      }
      /* Σ (b+1)·bucket[b] by running sums from the top bucket. */
      jac run, sum;
      memset(&run, 0, sizeof(run));
      memset(&sum, 0, sizeof(sum));
      for (size_t b = nb; b-- > 0;) {
        if (len[b] == 1 && !winf[start[b]]) jac_add_affine(&run, &run, &work[start[b]]);
        jac_add(&sum, &sum, &run);
      }
      jac_add(&total, &total, &sum);
    }
  }

  /* The result, compressed by blst from its affine coordinates. */
  {
    uint8_t ser[96];
    memset(ser, 0, sizeof(ser));
    if (fp_is_zero(&total.z)) {
      ser[0] = 0x40; /* infinity */
    } else {
      fp zi, zi2, x, y, one;
      fp_inv(&zi, &total.z);
      fp_sqr(&zi2, &zi);
      fp_mul(&x, &total.x, &zi2);
      fp_mul(&y, &total.y, &zi2);
      fp_mul(&y, &y, &zi);
      memset(&one, 0, sizeof(one));
      one.l[0] = 1;
      fp_mul(&x, &x, &one); /* out of Montgomery form */
      fp_mul(&y, &y, &one);
      fp_to_be(ser, &x);
      fp_to_be(ser + 48, &y);
    }
    blst_p1_affine a;
    if (blst_p1_deserialize(&a, ser) != BLST_SUCCESS) {
      st = (kstatus){K_BAD_ENCODING, 0, 0}; /* cannot happen: the sum of points on the curve */
      goto done;
    }
    blst_p1_affine_compress(out48, &a);
  }
done:
  return st; /* the loader resets the heap after the call: no frees needed */
}
