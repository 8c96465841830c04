/*
 * A G1 multi-scalar multiplication with affine buckets, faster than blst_p1s_mult_pippenger from a
 * few hundred points up (figures in the package README).
 *
 * Bucket method (Pippenger) with signed window digits in [-2^(c-1), 2^(c-1)] (2^(c-1) buckets per
 * window). Within a window the points are grouped by bucket (a counting sort, each point negated
 * for a negative digit), then summed pairwise inside each bucket, one round of pairs at a time, in
 * affine coordinates: every pair of a round is independent, so the denominators of all of them
 * share one field inversion (Montgomery's trick), and an addition costs ~5 multiplications and a
 * squaring, where blst's buckets (projective, xyzz) take ~10. Each round halves every bucket; when
 * every bucket holds at most one point, Σ (b+1)·bucket[b] is formed by running sums in blst's
 * projective arithmetic, and the windows are combined by doublings, high window first.
 *
 * Fixed bases (k_msm_fixed): with a table of 2^(c·k)·P for every point and window, the digit d of
 * window k of P's scalar adds ±2^(c·k)·P to bucket |d|, so all windows share one set of buckets and
 * the same pairwise rounds (bucket_sums) run once over every digit; one weighted sum of the buckets
 * (weighted_sum) ends it, with no doublings. Parallel parts take contiguous bucket ranges of equal
 * estimated cost.
 *
 * All arithmetic is blst's public field and point API (blst_fp_* keep values fully reduced in
 * Montgomery form, so equal elements have equal bytes). Inputs are public: nothing here is
 * constant-time.
 */
#include "msm.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef blst_p1_affine aff;

enum { PAIR_ADD = 0, PAIR_DOUBLE = 1, PAIR_TRIVIAL = 2 };

/* Window digits processed together at most (points × windows of a group): bounds the work arrays
 * (~100 bytes per entry) while letting small inputs share each round's inversion across windows. */
#define GROUP_ENTRIES ((size_t)1 << 16)
/* Points summed pairwise as one block of buckets, at most (unless one bucket holds more). */
#ifndef BLOCK_ENTRIES
#define BLOCK_ENTRIES 2048
#endif
/* Points read ahead when gathering a block. */
#ifndef PREFETCH
#define PREFETCH 8
#endif
/* The sign bit of a bucket entry (the point index below it). */
#define NEGATE 0x80000000u
/* Running-sum chains summed in one batch (windows of a group × bucket segments). */
#define CHAINS 128

/* Windows summed together for n points and c-bit windows. */
static unsigned group_windows(size_t n, unsigned windows) {
  size_t g = GROUP_ENTRIES / n;
  return g < 1 ? 1 : g > windows ? windows : (unsigned)g;
}

/* Window bits for n points: the c minimising the estimated field multiplications, windows × (6 per
 * point + ~7 per bucket for the running sums) + ~100 per round of pairs for its inversion. */
unsigned k_msm_window_bits(size_t n) {
  unsigned best = 2;
  double best_cost = 0;
  for (unsigned c = 2; c <= 15; c++) {
    unsigned windows = 255 / c + 1, g = group_windows(n, windows);
    double buckets = (double)(1u << (c - 1));
    double rounds = 1;
    for (double per = (double)n / buckets; per > 1; per /= 2) rounds += 1;
    double groups = (double)((windows + g - 1) / g);
    double cost = windows * (6.0 * (double)n + 7.0 * buckets) + groups * 100.0 * rounds;
    if (c == 2 || cost < best_cost) {
      best = c;
      best_cost = cost;
    }
  }
  return best;
}

/* Bits [bit, bit + c) of a scalar (little-endian bytes, zero above bit 255), c <= 15. */
static uint32_t window_of(const blst_scalar *s, unsigned bit, unsigned c) {
  unsigned k = bit / 8;
  uint32_t v = 0;
  for (unsigned i = 0; i < 4 && k + i < 32; i++) v |= (uint32_t)s->b[k + i] << (8 * i);
  return (v >> (bit % 8)) & ((1u << c) - 1u);
}

static bool fp_equal(const blst_fp *a, const blst_fp *b) { return memcmp(a, b, sizeof(blst_fp)) == 0; }

static bool fp_zero(const blst_fp *a) {
  uint64_t acc = 0;
  for (size_t i = 0; i < sizeof(a->l) / sizeof(a->l[0]); i++) acc |= a->l[i];
  return acc == 0;
}

/* What u + v (affine, neither infinity) needs, and its denominator: x_v - x_u for an addition,
 * 2·y_u for a doubling; P + (-P) and doublings of points with y = 0 give infinity (PAIR_TRIVIAL). */
static uint8_t pair_kind(blst_fp *den, const aff *u, const aff *v) {
  if (!fp_equal(&u->x, &v->x)) {
    blst_fp_sub(den, &v->x, &u->x);
    return PAIR_ADD;
  }
  if (fp_equal(&u->y, &v->y) && !fp_zero(&u->y)) {
    blst_fp_add(den, &u->y, &u->y);
    return PAIR_DOUBLE;
  }
  return PAIR_TRIVIAL;
}

/* r = u + v given 1/den (PAIR_ADD or PAIR_DOUBLE); r may alias u or v. */
static void pair_sum(aff *r, const aff *u, const aff *v, uint8_t kind, const blst_fp *inv_den) {
  blst_fp lam, x3, tmp;
  if (kind == PAIR_ADD) {
    blst_fp_sub(&tmp, &v->y, &u->y);
  } else {
    blst_fp_sqr(&tmp, &u->x);
    blst_fp_mul_by_3(&tmp, &tmp);
  }
  blst_fp_mul(&lam, &tmp, inv_den);
  blst_fp_sqr(&x3, &lam);
  blst_fp_sub(&x3, &x3, &u->x);
  blst_fp_sub(&x3, &x3, &v->x);
  blst_fp_sub(&tmp, &u->x, &x3);
  blst_fp_mul(&tmp, &tmp, &lam);
  blst_fp_sub(&r->y, &tmp, &u->y);
  r->x = x3;
}

/* inv[i] = 1/den[i] for the i < m with used[i] (others untouched), given pre[i] = the product of
 * the used den[j], j < i, and all = the product of all of them: one inversion. */
static void batch_invert(blst_fp *inv, const blst_fp *den, const uint8_t *used, size_t m, const blst_fp *all) {
  blst_fp t;
  blst_fp_eucl_inverse(&t, all);
  for (size_t i = m; i-- > 0;) {
    if (!used[i]) continue;
    blst_fp_mul(&inv[i], &inv[i], &t);
    blst_fp_mul(&t, &t, &den[i]);
  }
}

/* The affine running-sum chains of a group: acc[i] += add[i] for every chain i < m whose add[i] is
 * not NULL (acc[i] infinity when ainf[i]); the additions share one inversion. */
static void chains_add(aff *acc, uint8_t *ainf, const aff *const *add, size_t m, blst_fp *inv, blst_fp *den,
                       uint8_t *kind, const blst_fp *one) {
  enum { SKIP = 3, COPY = 4 };
  blst_fp prod = *one;
  size_t used = 0;
  for (size_t i = 0; i < m; i++) {
    if (add[i] == NULL) {
      kind[i] = SKIP;
    } else if (ainf[i]) {
      kind[i] = COPY;
    } else {
      kind[i] = pair_kind(&den[i], &acc[i], add[i]);
    }
    if (kind[i] == PAIR_ADD || kind[i] == PAIR_DOUBLE) {
      inv[i] = prod;
      blst_fp_mul(&prod, &prod, &den[i]);
      used++;
    }
  }
  if (used > 0) {
    for (size_t i = 0; i < m; i++) kind[m + i] = kind[i] == PAIR_ADD || kind[i] == PAIR_DOUBLE;
    batch_invert(inv, den, kind + m, m, &prod);
  }
  for (size_t i = 0; i < m; i++) {
    switch (kind[i]) {
      case COPY:
        acc[i] = *add[i];
        ainf[i] = 0;
        break;
      case PAIR_TRIVIAL:
        ainf[i] = 1;
        break;
      case PAIR_ADD:
      case PAIR_DOUBLE:
        pair_sum(&acc[i], &acc[i], add[i], kind[i], &inv[i]);
        break;
      default:
        break;
    }
  }
}

/* The work arrays of the pairwise bucket sums and of the running-sum chains, grown on demand. */
typedef struct {
  aff *work;        /* a block's points */
  uint8_t *winf;    /* 1: work[e] is infinity */
  size_t work_cap;  /* entries of work and winf */
  blst_fp *inv;     /* per pair of a round (or per chain): prefix products, then inverses */
  blst_fp *den;     /* per pair (or chain): the denominator */
  uint8_t *kind;    /* 2 × scratch: pair kinds, then "uses the inversion" flags */
  size_t scratch;   /* entries of inv and den */
  blst_fp one;
} sums_t;

static void sums_free(sums_t *s) {
  free(s->work);
  free(s->winf);
  free(s->inv);
  free(s->den);
  free(s->kind);
  memset(s, 0, sizeof(*s));
}

/* Room for a block of `size` entries (its rounds have at most size/2 pairs) and for `chains` chains. */
static int sums_reserve(sums_t *s, size_t size, size_t chains) {
  if (size > s->work_cap) {
    free(s->work);
    free(s->winf);
    s->work = malloc(size * sizeof(aff));
    s->winf = malloc(size);
    s->work_cap = s->work != NULL && s->winf != NULL ? size : 0;
    if (s->work_cap == 0) return -1;
  }
  size_t need = size / 2 + 1 > chains ? size / 2 + 1 : chains;
  if (need > s->scratch) {
    free(s->inv);
    free(s->den);
    free(s->kind);
    s->inv = malloc(need * sizeof(blst_fp));
    s->den = malloc(need * sizeof(blst_fp));
    s->kind = malloc(2 * need);
    s->scratch = s->inv != NULL && s->den != NULL && s->kind != NULL ? need : 0;
    if (s->scratch == 0) return -1;
  }
  return 0;
}

static int sums_init(sums_t *s, size_t size, size_t chains) {
  memset(s, 0, sizeof(*s));
  const uint64_t one64[6] = {1, 0, 0, 0, 0, 0};
  blst_fp_from_uint64(&s->one, one64);
  return sums_reserve(s, size, chains);
}

/*
 * The sum of each of gb buckets: bucket b holds the points[idx[e] & ~NEGATE] (negated when the
 * NEGATE bit is set) for e in [start[b], start[b] + len[b]); len is consumed. Writes fin[b] and
 * fnone[b] (1: empty, or the sum is infinity). Rounds of pairwise additions until every bucket
 * holds at most one point, a block of buckets at a time (their points, denominators and inverses
 * stay in the cache between rounds).
 */
static int bucket_sums(sums_t *s, const aff *points, const uint32_t *idx, const uint32_t *start, uint32_t *len,
                       size_t gb, aff *fin, uint8_t *fnone) {
  for (size_t b0 = 0, b1; b0 < gb; b0 = b1) {
    for (b1 = b0 + 1; b1 < gb && start[b1 + 1] - start[b0] <= BLOCK_ENTRIES; b1++) {
    }
    const size_t base = start[b0], size = start[b1] - base;
    if (sums_reserve(s, size, 0) != 0) return -1;
    aff *work = s->work;
    uint8_t *winf = s->winf, *kind = s->kind;
    blst_fp *inv = s->inv, *den = s->den;
    const size_t scratch = s->scratch;
    /* The block's points into work (block-relative positions), in bucket order, negated for
     * negative digits (read ahead: the indices are known, the points far apart). */
    for (size_t e = 0; e < size; e++) {
      if (e + PREFETCH < size) {
        const aff *ahead = &points[idx[base + e + PREFETCH] & ~NEGATE];
        __builtin_prefetch(ahead);
        __builtin_prefetch((const uint8_t *)ahead + 64);
      }
      const uint32_t i = idx[base + e] & ~NEGATE;
      work[e].x = points[i].x;
      if (idx[base + e] & NEGATE)
        blst_fp_cneg(&work[e].y, &points[i].y, true);
      else
        work[e].y = points[i].y;
      winf[e] = 0;
    }
    for (;;) {
      size_t pairs = 0;
      blst_fp acc = s->one;
      for (size_t b = b0; b < b1; b++) {
        const size_t st = start[b] - base, l = len[b];
        for (size_t q = 0; q + 1 < l; q += 2, pairs++) {
          uint8_t kd = PAIR_TRIVIAL;
          if (!(winf[st + q] | winf[st + q + 1])) kd = pair_kind(&den[pairs], &work[st + q], &work[st + q + 1]);
          kind[pairs] = kd;
          if (kd != PAIR_TRIVIAL) {
            inv[pairs] = acc; /* the product of the denominators before this one */
            blst_fp_mul(&acc, &acc, &den[pairs]);
          }
        }
      }
      if (pairs == 0) break;
      for (size_t p = 0; p < pairs; p++) kind[scratch + p] = kind[p] != PAIR_TRIVIAL;
      batch_invert(inv, den, kind + scratch, pairs, &acc);
      /* The sums, written in place: pair q/2 of a bucket to its position q/2, the odd point moved
       * down after them (r may alias u when q = 0: pair_sum reads u before writing r). */
      size_t p = 0;
      for (size_t b = b0; b < b1; b++) {
        const size_t st = start[b] - base, l = len[b];
        if (l < 2) continue;
        size_t q;
        for (q = 0; q + 1 < l; q += 2, p++) {
          const aff *u = &work[st + q], *v = &work[st + q + 1];
          aff *r = &work[st + q / 2];
          uint8_t *ri = &winf[st + q / 2];
          if (kind[p] != PAIR_TRIVIAL) {
            pair_sum(r, u, v, kind[p], &inv[p]);
            *ri = 0;
          } else if (winf[st + q]) {
            *r = *v;
            *ri = winf[st + q + 1];
          } else if (winf[st + q + 1]) {
            *r = *u;
            *ri = 0;
          } else { /* P + (-P), or twice a point with y = 0 */
            *ri = 1;
          }
        }
        if (q < l) {
          work[st + q / 2] = work[st + q];
          winf[st + q / 2] = winf[st + q];
        }
        len[b] = (uint32_t)((l + 1) / 2);
      }
    }
    for (size_t b = b0; b < b1; b++) {
      fnone[b] = len[b] == 0 || winf[start[b] - base];
      if (!fnone[b]) fin[b] = work[start[b] - base];
    }
  }
  return 0;
}

int k_msm_affine(blst_p1 *out, const blst_p1_affine *points, const blst_scalar *scalars, size_t n, unsigned c,
                 unsigned part, unsigned parts) {
  memset(out, 0, sizeof(*out));
  if (n == 0 || parts == 0 || part >= parts) return 0;
  if (n >= NEGATE) return -1; /* indices are 31 bits (2^31 points would need 200 GB anyway) */
  if (c == 0) c = k_msm_window_bits(n);
  const unsigned windows = 255 / c + 1; /* scalars < r < 2^255; the top digit absorbs the carry */
  /* This part's windows: [w_lo, w_hi). */
  const unsigned w_lo = windows * part / parts, w_hi = windows * (part + 1) / parts;
  const unsigned gw = group_windows(n, windows);
  const size_t nb = (size_t)1 << (c - 1);
  const size_t gb = gw * nb;        /* buckets of a group */
  const size_t entries = gw * n;    /* digits of a group, at most */
  size_t segs = 1;                  /* bucket segments per window: gw·segs running-sum chains */
  while (segs < nb && gw * segs < CHAINS) segs <<= 1;
  const size_t seg_len = nb / segs;
  const size_t chains = gw * segs;
  int rc = 0;
  sums_t sm;
  int16_t *digits = malloc(n * windows * sizeof(int16_t));
  aff *fin = malloc(gb * sizeof(aff)); /* each bucket's sum */
  uint8_t *fnone = malloc(gb);         /* 1: the bucket is empty or sums to infinity */
  uint32_t *idx = malloc(entries * sizeof(uint32_t));
  uint32_t *start = malloc((gb + 1) * sizeof(uint32_t));
  uint32_t *len = malloc(gb * sizeof(uint32_t));
  aff *run = malloc(2 * chains * sizeof(aff)), *sum = run + chains;
  uint8_t *rinf = malloc(2 * chains), *sinf = rinf + chains;
  const aff **add = malloc(chains * sizeof(aff *));
  int sm_rc = sums_init(&sm, BLOCK_ENTRIES < entries ? BLOCK_ENTRIES : entries, chains);
  if (sm_rc != 0 || !digits || !fin || !fnone || !idx || !start || !len || !run || !rinf || !add) {
    rc = -1;
    goto done;
  }
  /* Signed digits, window-major (digits[k·n + i]): a digit above 2^(c-1) becomes d - 2^c and
   * carries one into the next window. */
  for (size_t i = 0; i < n; i++) {
    uint32_t carry = 0;
    for (unsigned k = 0; k < windows; k++) {
      int32_t d = (int32_t)(window_of(&scalars[i], k * c, c) + carry);
      carry = d > (int32_t)nb;
      if (carry) d -= (int32_t)(nb << 1);
      digits[(size_t)k * n + i] = (int16_t)d;
    }
  }

  blst_p1 total;
  memset(&total, 0, sizeof(total));
  /* Groups of gw windows, the top group first; window k0 + g of a group owns buckets [g·nb, (g+1)·nb). */
  for (unsigned top = w_hi; top > w_lo;) {
    const unsigned k0 = top - w_lo > gw ? top - gw : w_lo, g_count = top - k0;
    top = k0;
    /* Counting sort by bucket; start[b] is where bucket b begins. */
    memset(start, 0, (gb + 1) * sizeof(uint32_t));
    for (unsigned g = 0; g < g_count; g++) {
      const int16_t *dk = digits + (size_t)(k0 + g) * n;
      uint32_t *st = start + g * nb;
      for (size_t i = 0; i < n; i++) {
        int32_t d = dk[i];
        if (d != 0) st[d < 0 ? -d : d]++;
      }
    }
    for (size_t b = 1; b <= gb; b++) start[b] += start[b - 1];
    memset(len, 0, gb * sizeof(uint32_t));
    for (unsigned g = 0; g < g_count; g++) {
      const int16_t *dk = digits + (size_t)(k0 + g) * n;
      for (size_t i = 0; i < n; i++) {
        int32_t d = dk[i];
        if (d == 0) continue;
        size_t b = g * nb + (size_t)(d < 0 ? -d : d) - 1;
        idx[start[b] + len[b]++] = (uint32_t)i | (d < 0 ? NEGATE : 0);
      }
    }
    if (bucket_sums(&sm, points, idx, start, len, g_count * nb, fin, fnone) != 0) {
      rc = -1;
      goto done;
    }
    /* Σ (b+1)·bucket[b] per window. Its buckets are cut into segs segments of seg_len; chain
     * (g, t) runs over segment t of window g from its top bucket: run += bucket, sum += run, so
     * that run = Σ bucket and sum = Σ (j+1)·bucket[t·seg_len + j] over the segment. All chains of
     * the group step together in affine coordinates (one inversion per step). */
    memset(rinf, 1, 2 * chains);
    for (size_t j = seg_len; j-- > 0;) {
      for (size_t ch = 0; ch < g_count * segs; ch++) {
        const size_t b = (ch / segs) * nb + (ch % segs) * seg_len + j;
        add[ch] = fnone[b] ? NULL : &fin[b];
      }
      chains_add(run, rinf, add, g_count * segs, sm.inv, sm.den, sm.kind, &sm.one);
      for (size_t ch = 0; ch < g_count * segs; ch++) add[ch] = rinf[ch] ? NULL : &run[ch];
      chains_add(sum, sinf, add, g_count * segs, sm.inv, sm.den, sm.kind, &sm.one);
    }
    /* Window g: Σ_t sum_t + seg_len·Σ_t t·run_t (bucket t·seg_len + j has weight t·seg_len + j + 1);
     * windows high to low into the total, c doublings apart. */
    for (unsigned g = g_count; g-- > 0;) {
      blst_p1 w, racc, rtot;
      memset(&w, 0, sizeof(w));
      memset(&racc, 0, sizeof(racc));
      memset(&rtot, 0, sizeof(rtot));
      for (size_t t = segs; t-- > 0;) {
        const size_t ch = g * segs + t;
        if (!sinf[ch]) blst_p1_add_or_double_affine(&w, &w, &sum[ch]);
        if (t == 0) break;
        if (!rinf[ch]) blst_p1_add_or_double_affine(&racc, &racc, &run[ch]);
        blst_p1_add_or_double(&rtot, &rtot, &racc); /* Σ_{t' >= t} run_t': t·run_t in all */
      }
      for (size_t l = seg_len; l > 1; l >>= 1) blst_p1_double(&rtot, &rtot);
      blst_p1_add_or_double(&w, &w, &rtot);
      for (unsigned j = 0; j < c; j++) blst_p1_double(&total, &total);
      blst_p1_add_or_double(&total, &total, &w);
    }
  }
  for (unsigned j = 0; j < c * w_lo; j++) blst_p1_double(&total, &total); /* the low windows' weight */
  *out = total;
done:
  sums_free(&sm);
  free(digits);
  free(fin);
  free(fnone);
  free(idx);
  free(start);
  free(len);
  free(run);
  free(rinf);
  free(add);
  return rc;
}

/* ---- fixed bases ------------------------------------------------------------------------------ */

unsigned k_msm_fixed_window_bits(size_t n) {
  /* Additions: n per window (windows = 255/c + 1) plus ~3 per bucket (2^(c-1) buckets, two chain
   * steps each at a higher cost than a pairwise addition); the table holds n·windows points. */
  unsigned best = 8;
  double best_cost = 0;
  for (unsigned c = 8; c <= 16; c++) {
    double cost = (double)n * (255 / c + 1) + 3.0 * (double)((size_t)1 << (c - 1));
    if (c == 8 || cost < best_cost) {
      best = c;
      best_cost = cost;
    }
  }
  return best;
}

/* Rows per batch of the table build: one inversion per batch and window. */
#define BUILD_BATCH 512

int k_msm_fixed_build(blst_p1_affine *table, uint8_t *inf, const blst_p1_affine *points, size_t stride,
                      size_t lo, size_t hi, unsigned c, unsigned windows) {
  blst_p1 *proj = malloc(BUILD_BATCH * sizeof(blst_p1));
  if (proj == NULL) return -1;
  for (size_t i0 = lo; i0 < hi; i0 += BUILD_BATCH) {
    const size_t m = hi - i0 < BUILD_BATCH ? hi - i0 : BUILD_BATCH;
    for (size_t i = 0; i < m; i++) {
      inf[i0 + i] = blst_p1_affine_is_inf(&points[i0 + i]);
      /* blst's batch conversion cannot take infinity: the generator stands in, its rows unused */
      if (inf[i0 + i])
        proj[i] = *blst_p1_generator();
      else
        blst_p1_from_affine(&proj[i], &points[i0 + i]);
    }
    for (unsigned k = 0; k < windows; k++) {
      const blst_p1 *pp[2] = {proj, NULL};
      blst_p1s_to_affine(table + (size_t)k * stride + i0, pp, m);
      if (k + 1 == windows) break;
      for (size_t i = 0; i < m; i++)
        for (unsigned j = 0; j < c; j++) blst_p1_double(&proj[i], &proj[i]);
    }
  }
  free(proj);
  return 0;
}

/* Σ_{b < nbk} (lo + b + 1)·bucket[b] over the bucket sums fin/fnone, by segs running-sum chains. */
static int weighted_sum(blst_p1 *out, sums_t *s, const aff *fin, const uint8_t *fnone, size_t nbk, size_t lo) {
  size_t segs = 1;
  while (segs < nbk && segs < CHAINS) segs <<= 1;
  const size_t seg_len = (nbk + segs - 1) / segs;
  aff *run = malloc(2 * segs * sizeof(aff)), *sum = run == NULL ? NULL : run + segs;
  uint8_t *rinf = malloc(2 * segs), *sinf = rinf == NULL ? NULL : rinf + segs;
  const aff **add = malloc(segs * sizeof(aff *));
  int rc = 0;
  memset(out, 0, sizeof(*out));
  if (run == NULL || rinf == NULL || add == NULL || sums_reserve(s, 0, segs) != 0) {
    rc = -1;
    goto done;
  }
  /* Chain t runs over buckets t·seg_len + j, j from the top: run_t = Σ bucket, sum_t = Σ (j+1)·bucket. */
  memset(rinf, 1, 2 * segs);
  for (size_t j = seg_len; j-- > 0;) {
    for (size_t t = 0; t < segs; t++) {
      const size_t b = t * seg_len + j;
      add[t] = b >= nbk || fnone[b] ? NULL : &fin[b];
    }
    chains_add(run, rinf, add, segs, s->inv, s->den, s->kind, &s->one);
    for (size_t t = 0; t < segs; t++) add[t] = rinf[t] ? NULL : &run[t];
    chains_add(sum, sinf, add, segs, s->inv, s->den, s->kind, &s->one);
  }
  /* Bucket t·seg_len + j weighs lo + t·seg_len + j + 1: Σ_t sum_t + seg_len·Σ_t t·run_t + lo·Σ_t run_t. */
  blst_p1 w, racc, rtot;
  memset(&w, 0, sizeof(w));
  memset(&racc, 0, sizeof(racc));
  memset(&rtot, 0, sizeof(rtot));
  for (size_t t = segs; t-- > 0;) {
    if (!sinf[t]) blst_p1_add_or_double_affine(&w, &w, &sum[t]);
    if (!rinf[t]) blst_p1_add_or_double_affine(&racc, &racc, &run[t]);
    if (t > 0) blst_p1_add_or_double(&rtot, &rtot, &racc); /* Σ_{t' >= t} run_t' */
  }
  /* w += seg_len·rtot + lo·racc, by double-and-add (both factors are below 2^16) */
  const size_t factor[2] = {seg_len, lo};
  const blst_p1 *base[2] = {&rtot, &racc};
  for (int f = 0; f < 2; f++) {
    blst_p1 acc;
    memset(&acc, 0, sizeof(acc));
    for (int bit = 63; bit >= 0; bit--) {
      blst_p1_double(&acc, &acc);
      if ((factor[f] >> bit) & 1) blst_p1_add_or_double(&acc, &acc, base[f]);
    }
    blst_p1_add_or_double(&w, &w, &acc);
  }
  *out = w;
done:
  free(run);
  free(rinf);
  free(add);
  return rc;
}

int k_msm_fixed(blst_p1 *out, const blst_p1_affine *table, const uint8_t *inf, size_t stride, unsigned c,
                unsigned windows, const blst_scalar *scalars, size_t n, unsigned part, unsigned parts) {
  memset(out, 0, sizeof(*out));
  if (n == 0 || parts == 0 || part >= parts) return 0;
  if (n > stride || stride * windows >= NEGATE || c < 2 || c > 16 || windows * c < 256) return -1;
  const size_t nb = (size_t)1 << (c - 1);
  int rc = 0;
  sums_t sm;
  memset(&sm, 0, sizeof(sm));
  int32_t *digits = malloc(n * windows * sizeof(int32_t)); /* ±2^15 fits no int16 */
  uint32_t *count = malloc((nb + 1) * sizeof(uint32_t));   /* (no calloc in the WebAssembly build) */
  uint32_t *len = malloc(nb * sizeof(uint32_t));
  aff *fin = malloc(nb * sizeof(aff));
  uint8_t *fnone = malloc(nb);
  uint32_t *idx = NULL;
  if (!digits || !count || !len || !fin || !fnone || sums_init(&sm, BLOCK_ENTRIES, 0) != 0) {
    rc = -1;
    goto done;
  }
  memset(count, 0, (nb + 1) * sizeof(uint32_t));
  /* Signed digits (as k_msm_affine), point-major: digits[i·windows + k]; counted by bucket (bucket
   * b holds the digits ±(b+1)). */
  for (size_t i = 0; i < n; i++) {
    int32_t *di = digits + i * windows;
    if (inf[i]) {
      memset(di, 0, windows * sizeof(int32_t));
      continue;
    }
    uint32_t carry = 0;
    for (unsigned k = 0; k < windows; k++) {
      int32_t d = (int32_t)(window_of(&scalars[i], k * c, c) + carry);
      carry = d > (int32_t)nb;
      if (carry) d -= (int32_t)(nb << 1);
      di[k] = d;
      count[d < 0 ? -d : d]++; /* count[0] gathers the zero digits */
    }
  }
  /* This part's buckets [lo, hi): an even share of the estimated cost (an addition per entry, two
   * chain steps per bucket), the same cut in every part since all see the same counts. */
  size_t lo = nb, hi = nb;
  {
    uint64_t total = 0, cum = 0; /* cum: the cost of the buckets below b */
    for (size_t b = 0; b < nb; b++) total += count[b + 1] + 2;
    const uint64_t from = total * part / parts, to = total * (part + 1) / parts;
    for (size_t b = 0; b < nb; b++) {
      if (cum >= from && lo == nb) lo = b;
      if (cum >= to && hi == nb && part + 1 < parts) hi = b;
      cum += count[b + 1] + 2;
    }
    if (hi < lo) hi = lo;
  }
  const size_t nbk = hi - lo;
  uint32_t *start = count + lo; /* reused in place: start[j] for bucket lo + j, j <= nbk */
  {
    uint32_t acc = 0;
    for (size_t j = 0; j < nbk; j++) {
      const uint32_t k = start[j + 1];
      start[j] = acc;
      acc += k;
    }
    start[nbk] = acc;
  }
  memset(len, 0, nbk * sizeof(uint32_t));
  const size_t entries = start[nbk];
  idx = malloc((entries ? entries : 1) * sizeof(uint32_t));
  if (idx == NULL) {
    rc = -1;
    goto done;
  }
  /* Entry k·stride + i is 2^(c·k)·P_i, with the digit's sign. */
  for (size_t i = 0; i < n; i++) {
    const int32_t *di = digits + i * windows;
    for (unsigned k = 0; k < windows; k++) {
      const int32_t d = di[k];
      const size_t b = (size_t)(d < 0 ? -d : d) - 1; /* d = 0 wraps to SIZE_MAX: never in range */
      if (b - lo < nbk) idx[start[b - lo] + len[b - lo]++] = (uint32_t)(k * stride + i) | (d < 0 ? NEGATE : 0);
    }
  }
  if (nbk > 0 && (bucket_sums(&sm, table, idx, start, len, nbk, fin, fnone) != 0 ||
                  weighted_sum(out, &sm, fin, fnone, nbk, lo) != 0))
    rc = -1;
done:
  sums_free(&sm);
  free(digits);
  free(count);
  free(len);
  free(fin);
  free(fnone);
  free(idx);
  return rc;
}
