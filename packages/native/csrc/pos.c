/*
 * Proof-of-space table construction (farming §3.1-3.4), byte-identical to the TypeScript path of
 * @autonomys/plotter (src/pos/table.ts), which documents the algorithm.
 *
 * The pipeline lives in pos-body.h, compiled three times: for the baseline target and, on x86-64 with
 * GCC, with AVX2 and with AVX-512 (the best the processor has is chosen at run time). Per table:
 * - matching: the right bucket's residues as a bitmap of 128-bit rows stored as four 32-bit planes
 *   (rows repeated past B, so a left entry's 64 target rows are contiguous); per left entry its 64
 *   targets are tested 8 at a time with one load per plane, variable blends and one movemask (no
 *   gathers, which are microcoded, and no cross-lane permutes: both measured slower); the common case
 *   (at most two hits, each with one right entry) is emitted without branches (the hits are about
 *   Poisson(1): the branches mispredicted ~2 times per left entry), the
 *   rest walks the hits in target order; a hit's right entries come from the bitmap itself: the set
 *   bits before it (a prefix count per bitmap word, and a popcount) index the right bucket's list of
 *   distinct residues (no table indexed by residue: those did not fit the L1 cache with the rest);
 * - fn for 8 matches at a time (BLAKE3 in vector lanes, rotations by 16 and 8 as byte shuffles, the
 *   message words assembled lane-parallel from word-sliced metadata; at K = 20 inlined per table with
 *   constant sizes, so the zero message words drop out of the rounds), each match written as one
 *   32-byte record (y, ranks, metadata) straight into the region of its bucket (y's top bits, 2^8
 *   buckets at K = 20) in emission order (AVX2: an 8x8 transpose, and four records at a time streamed
 *   as two whole cache lines past the cache);
 * - per bucket, in cache: its records' y sorted by the low bits with two stable LSD passes (ties keep
 *   the emission order), then y, the position pairs and the metadata written in rank order. No sorted
 *   index is written to memory, and no record is read at random from memory (the previous design's
 *   gather: one cache miss per entry).
 * Table 1 (f1's y, no records) is sorted the same way: one scatter of y << 32 | x by the top bits,
 * then the buckets in cache.
 *
 * Internal layout: metadata is a left-aligned bit string stored word-sliced (word w of every entry in
 * its own array). All large buffers come from one pool, reused from table to table and kept between
 * builds (POOL_CACHE pools), 2 MiB aligned and advised as huge pages on Linux (the gathers are
 * TLB-bound otherwise, and fresh pages cost a fault and a clear each). The output arrays come from the
 * caller's allocator when it has one (the addon builds straight into JavaScript ArrayBuffers).
 */
#include "pos.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#define EXT 6
#define PB 119
#define PC 127
#define PBC (PB * PC)
#define PM 64
/* The right bucket's residues as a bitmap of rows: residue rb·C + rc is bit rc % 32 of word rc / 32 of
 * the 128-bit row rb, stored as four planes (plane w: word w of every row, BM_PLANE words apart), rows
 * 0..PM-1 repeated after row B-1, so that the PM rows rb..rb+PM-1 a left entry targets are contiguous
 * in each plane (no wrap-around) and 8 consecutive rows' word w is one load. */
#define BM_PLANE (PB + PM + 1)
#define BM_WORDS (4 * BM_PLANE + 8)
#define BM_SPARE (4 * BM_PLANE) /* a padding word never read: the target of rows without a repeat */
#define LANES 8
#define MAX_META_WORDS 4 /* 4k bits, k <= 25 */
#define REC 8            /* words per match record (2 ranks + MAX_META_WORDS, padded to 32 bytes) */

static const unsigned META_MULT[8] = {0, 1, 2, 4, 4, 3, 2, 0};

static inline unsigned meta_bits(unsigned k, unsigned t) { return k * META_MULT[t]; }
static inline unsigned meta_words(unsigned k, unsigned t) { return (meta_bits(k, t) + 31) / 32; }
static inline uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

/* A large array: huge-page backed where the OS allows it, cache-line aligned; free() releases it. */
static void *big_alloc(size_t bytes) {
  if (bytes == 0) bytes = 1;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  const size_t huge = (size_t)1 << 21;
  if (bytes >= huge) {
    size_t size = (bytes + huge - 1) & ~(huge - 1);
    void *p = aligned_alloc(huge, size);
    if (p) madvise(p, size, MADV_HUGEPAGE);
    return p;
  }
#endif
  return aligned_alloc(64, (bytes + 63) & ~(size_t)63); /* cache-line aligned: fn streams whole lines */
}

/* --- ChaCha8 keystream (farming §2.1) ---------------------------------------------------------- */

#define QR(a, b, c, d)       \
  a += b; d ^= a; d = rotl(d, 16); \
  c += d; b ^= c; b = rotl(b, 12); \
  a += b; d ^= a; d = rotl(d, 8);  \
  c += d; b ^= c; b = rotl(b, 7);

static void chacha8_blocks(const uint32_t key[8], uint32_t first, size_t count, uint8_t *out) {
  for (size_t blk = 0; blk < count; blk++) {
    uint32_t in[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574, key[0], key[1], key[2], key[3],
                       key[4], key[5], key[6], key[7], (uint32_t)(first + blk), 0, 0, 0};
    uint32_t x[16];
    for (int i = 0; i < 16; i++) x[i] = in[i];
    for (int r = 0; r < 4; r++) {
      QR(x[0], x[4], x[8], x[12]) QR(x[1], x[5], x[9], x[13]) QR(x[2], x[6], x[10], x[14])
      QR(x[3], x[7], x[11], x[15]) QR(x[0], x[5], x[10], x[15]) QR(x[1], x[6], x[11], x[12])
      QR(x[2], x[7], x[8], x[13]) QR(x[3], x[4], x[9], x[14])
    }
    for (int i = 0; i < 16; i++) {
      uint32_t w = x[i] + in[i];
      out[64 * blk + 4 * i] = (uint8_t)w;
      out[64 * blk + 4 * i + 1] = (uint8_t)(w >> 8);
      out[64 * blk + 4 * i + 2] = (uint8_t)(w >> 16);
      out[64 * blk + 4 * i + 3] = (uint8_t)(w >> 24);
    }
  }
}

/* Table 1 before sorting: y[x] = f1(x) (farming §3.1). Returns -1 when out of memory. */
static int f1_all(const uint8_t seed[32], unsigned k, uint32_t *y) {
  size_t n = (size_t)1 << k;
  size_t blocks = (k * n / 8 + 63) / 64 + 1;
  uint8_t *ks = big_alloc(64 * blocks);
  if (!ks) return -1;
  uint32_t key[8];
  for (int i = 0; i < 8; i++)
    key[i] = seed[4 * i] | (uint32_t)seed[4 * i + 1] << 8 | (uint32_t)seed[4 * i + 2] << 16 | (uint32_t)seed[4 * i + 3] << 24;
  chacha8_blocks(key, 0, blocks, ks);
  for (size_t x = 0, bit = 0; x < n; x++, bit += k) {
    const uint8_t *p = ks + (bit >> 3);
    uint32_t w = ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]) << (bit & 7);
    y[x] = ((w >> (32 - k)) << EXT) | (uint32_t)(x >> (k - EXT));
  }
  free(ks);
  return 0;
}

typedef uint32_t v8u __attribute__((vector_size(32)));
typedef uint8_t v32u8 __attribute__((vector_size(32)));

/* --- BLAKE3 constants ------------------------------------------------------------------------- */

static const uint8_t MSG_SCHEDULE[7][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8},
    {3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1},
    {10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6},
    {12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4},
    {9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7},
    {11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13},
};
static const uint32_t B3_IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/* --- matching constants ----------------------------------------------------------------------- */

/* The target of (parity p, left residue r = rb·C + rc, m) is the residue of row (rb + m) mod B and column
 * (rc + (2m + p)^2) mod C (farming §3.2). */
typedef struct {
  /* sel[p][rc][m]: target m's column / 32 (its bitmap plane) in bits 0-1, and 31 - column % 32 (the shift
   * bringing its bit to the top) in bits 2-6 */
  uint8_t sel[2 * PC * PM + 8];
  /* m0[rb]: the first m whose group rb + m wraps around (0: none), where the ascending targets start */
  uint8_t m0[PB];
} match_consts;

/* A right bucket's list of distinct residues (match_bucket): the rank of a residue's first entry, this
 * flag when more follow */
#define FIRST_DUP 0x80000000u

/* Per build (no shared mutable state: worker threads build tables concurrently). */
static void match_consts_init(match_consts *mc) {
  for (int p = 0; p < 2; p++)
    for (int r = 0; r < PC; r++)
      for (int m = 0; m < PM; m++) {
        unsigned q = ((2 * m + p) * (2 * m + p) + r) % PC;
        mc->sel[(p * PC + r) * PM + m] = (uint8_t)((q >> 5) | (31 - (q & 31)) << 2);
      }
  for (int rb = 0; rb < PB; rb++) mc->m0[rb] = (uint8_t)(rb + PM - 1 >= PB ? PB - rb : 0);
  memset(mc->sel + 2 * PC * PM, 0, 8);
}

/* --- the buffer pool -------------------------------------------------------------------------- */

/* A growable pair of match arrays (left and right ranks), LANES entries of padding (the two-thread
 * matching's halves). */
typedef struct {
  uint32_t *l, *r;
  size_t cap, c;
} mbuf_t;

typedef struct {
  const match_consts *mc;
  k_pos_alloc_fn alloc;             /* the output arrays' allocator (NULL: big_alloc) */
  void *alloc_ctx;
  size_t cap;                       /* entries every pooled array holds */
  uint32_t *y, *meta[MAX_META_WORDS];  /* the current (sorted) table */
  uint32_t *ml, *mr;                /* matches: left and right ranks, in emission order */
  uint32_t *ny;                     /* the next table's sorted y (the emission's output; first f1's y) */
  uint32_t *rec;                    /* fn's records in buckets (sink_t), rec_cap records of REC words */
  size_t rec_cap;
  uint32_t *s1, *s2;                /* table 1's sort: y << 32 | x, the scatter's output and the other buffer */
  uint32_t *smeta[MAX_META_WORDS];  /* sorted metadata of the next table */
  mbuf_t halves[2];                 /* two-thread matching: each half's matches, */
  int split;                        /* read in place by fn (1) instead of ml/mr (0) */
} pool_t;

static void pool_free(pool_t *p) {
  free(p->y); free(p->ml); free(p->mr); free(p->ny); free(p->rec);
  free(p->s1); free(p->s2);
  for (int w = 0; w < MAX_META_WORDS; w++) { free(p->meta[w]); free(p->smeta[w]); }
  for (int i = 0; i < 2; i++) { free(p->halves[i].l); free(p->halves[i].r); }
  memset(p, 0, sizeof *p);
}

/* An output array (k_pos_tables): from the caller's allocator when there is one. */
static void *out_alloc(const pool_t *p, size_t bytes) {
  return p->alloc ? p->alloc(p->alloc_ctx, bytes) : big_alloc(bytes);
}

/* Pools kept between builds (one per core that builds tables): fresh memory costs a page fault and a
 * page clear per 4 KiB, ~6% of a build. At most POOL_CACHE of them are kept (~115 MB each at K = 20),
 * and only pools of at most POOL_CACHE_MAX entries (K <= 21): larger ones are freed after the build. */
#define POOL_CACHE 2
#define POOL_CACHE_MAX ((size_t)3 << 20)
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pool_t pool_cache[POOL_CACHE];
static unsigned pool_cached;

static void pool_take(pool_t *p) {
  memset(p, 0, sizeof *p);
  pthread_mutex_lock(&pool_lock);
  if (pool_cached > 0) *p = pool_cache[--pool_cached];
  pthread_mutex_unlock(&pool_lock);
}

static void pool_give(pool_t *p) {
  p->mc = NULL;
  p->alloc = NULL;
  p->alloc_ctx = NULL;
  pthread_mutex_lock(&pool_lock);
  int kept = pool_cached < POOL_CACHE && p->cap <= POOL_CACHE_MAX;
  if (kept) pool_cache[pool_cached++] = *p;
  pthread_mutex_unlock(&pool_lock);
  if (!kept) pool_free(p);
}

/* One x-pair array kept between builds (K_POS_PAIRS; proving builds one table after another): ~8 MB of
 * fresh pages at K = 20 otherwise, a fault and a clear per page. */
static uint32_t *x2_spare;
static size_t x2_spare_cap;

/* An x-pair array of at least `entries` entries: the kept one when large enough. */
static uint32_t *x2_take(size_t entries, size_t *cap) {
  uint32_t *a = NULL;
  pthread_mutex_lock(&pool_lock);
  if (x2_spare && x2_spare_cap >= entries) {
    a = x2_spare;
    *cap = x2_spare_cap;
    x2_spare = NULL;
  }
  pthread_mutex_unlock(&pool_lock);
  if (!a) {
    a = big_alloc(4 * entries); /* huge pages: fewer faults than malloc's fresh 4 KiB pages */
    *cap = entries;
  }
  return a;
}

/* Keeps an x-pair array of at most a K = 21 table's size, when none is kept; else frees it. */
static void x2_give(uint32_t *a, size_t cap) {
  if (!a) return;
  pthread_mutex_lock(&pool_lock);
  int kept = x2_spare == NULL && cap <= 2 * POOL_CACHE_MAX;
  if (kept) {
    x2_spare = a;
    x2_spare_cap = cap;
  }
  pthread_mutex_unlock(&pool_lock);
  if (!kept) free(a);
}

static inline void swap_arrays(uint32_t **a, uint32_t **b) {
  uint32_t *t = *a;
  *a = *b;
  *b = t;
}

/* *a grown to cap + LANES entries of `unit` words, contents kept */
static int grow_array(uint32_t **a, size_t old_cap, size_t cap, size_t unit) {
  uint32_t *n = big_alloc(4 * unit * (cap + LANES));
  if (!n) return -1;
  if (*a) memcpy(n, *a, 4 * unit * (old_cap + LANES));
  free(*a);
  *a = n;
  return 0;
}

/* Afterwards every pooled array (metadata: words 0..words-1) holds at least `need` entries plus
 * LANES of padding, contents kept. Returns -1 when out of memory. */
static int pool_reserve(pool_t *p, size_t need, unsigned words) {
  size_t old = p->cap, cap = need > old ? need + need / 8 : old;
  uint32_t **all[8 + 2 * MAX_META_WORDS] = {&p->s1, &p->s2, &p->y, &p->ml, &p->mr, &p->ny};
  size_t na = 6;
  for (unsigned w = 0; w < words; w++) {
    all[na++] = &p->meta[w];
    all[na++] = &p->smeta[w];
  }
  for (size_t i = 0; i < na; i++) {
    size_t unit = i <= 1 ? 2 : 1;
    if (*all[i] == NULL ? grow_array(all[i], 0, cap, unit) : cap > old ? grow_array(all[i], old, cap, unit) : 0)
      return -1;
  }
  p->cap = cap;
  return 0;
}


/* starts[b] = the first index whose y lies in bucket b or later, for b = 0..nb+1, of the sorted y[0..n):
 * a search per bucket boundary from the previous one (steps of about a bucket's size, then a binary
 * search), instead of a division per entry. */
static void bucket_starts(const uint32_t *y, size_t n, size_t nb, uint32_t *starts) {
  const size_t step = 256;
  size_t lo = 0;
  starts[0] = 0;
  for (size_t b = 1; b <= nb + 1; b++) {
    uint64_t bound = (uint64_t)b * PBC;
    while (lo + step < n && y[lo + step] < bound) lo += step;
    size_t hi = lo + step < n ? lo + step : n;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (y[mid] < bound) lo = mid + 1;
      else hi = mid;
    }
    starts[b] = (uint32_t)lo;
  }
}

/* --- two threads per table (proving: one table on every core) ------------------------------------- */

#include "pos-threads.h"

static int mbuf_reserve(mbuf_t *b, size_t need) {
  if (need <= b->cap) return 0;
  size_t cap = need + need / 2 + 4096;
  uint32_t *l = realloc(b->l, 4 * (cap + LANES));
  if (!l) return -1;
  b->l = l;
  uint32_t *r = realloc(b->r, 4 * (cap + LANES));
  if (!r) return -1;
  b->r = r;
  b->cap = cap;
  return 0;
}

struct match_job {
  const uint32_t *y, *starts;
  const match_consts *mc;
  size_t bounds[3];
  mbuf_t *out; /* the pool's halves */
  int rc[2];
};

/* fn's output, per part (thread): the match records in buckets of y's top bits, ready for the sort
 * (pos-body.h, "bucketed records"). A record is REC words: y, left rank, right rank, the metadata words,
 * and a spare word (an overflow record's bucket). The part's region of bucket b is p->rec's slots
 * first + b * cap .. + cap, filled in emission order; records past a full region go, in emission
 * order, to the part's overflow list (rare: cap is about four standard deviations above the mean). */
#define SINK_STAGE 4 /* records staged per bucket before fn streams them (two cache lines) */
typedef struct {
  uint32_t *cur;  /* per bucket: its next free slot */
  uint32_t *stage; /* per bucket SINK_STAGE records: a group's records until its last comes (AVX2: then the
                      group is streamed, whole cache lines, no read for ownership); see sink_flush */
  size_t first, cap;
  unsigned low;   /* bucket = y >> low */
  uint32_t *ov;   /* overflow records */
  size_t ovn, ovcap;
  int oom;
} sink_t;

/* A record for a full region: appended to the overflow list, with its bucket in the spare word. */
static __attribute__((noinline)) void sink_overflow(sink_t *s, const uint32_t rec[REC], uint32_t b) {
  if (s->ovn == s->ovcap) {
    size_t cap = s->ovcap ? 2 * s->ovcap : 1024;
    uint32_t *ov = realloc(s->ov, 4 * REC * cap);
    if (!ov) {
      s->oom = 1;
      return;
    }
    s->ov = ov;
    s->ovcap = cap;
  }
  uint32_t *o = s->ov + REC * s->ovn++;
  memcpy(o, rec, 4 * REC);
  o[REC - 1] = b;
}

struct fn_job {
  pool_t *p;
  unsigned k, t;
  const uint32_t *l[2], *r[2]; /* per part: the matches read, [lo, hi), into sink[part] */
  size_t lo[2], hi[2];
  sink_t *sink[2];
};

/* The rank-order emission of a table's bucketed records (pos-body.h, emit_part). */
struct emit_job {
  const sink_t *sinks;
  unsigned parts, low, ow;
  const uint32_t *rec, *ov; /* ov: every part's overflow records, part 0's first; their ids follow p->rec's slots */
  size_t slots;
  uint32_t *ovstart[2];     /* part q's overflow records of bucket b: ovorder[ovstart[q][b] .. ovstart[q][b + 1]) */
  uint32_t *ovorder;
  uint32_t *rank;           /* per bucket its first rank; rank[nb] = the count */
  size_t maxm;              /* the largest bucket */
  size_t bounds[3];         /* buckets per part */
  uint32_t *y, *pos, *dst[MAX_META_WORDS];
  int rc[2];
};

static size_t isqrt(size_t v) {
  size_t r = 0;
  while ((r + 1) * (r + 1) <= v) r++;
  return r;
}

/* Sinks for parts of counts[0..parts) records, buckets y >> low (nb of them): each part's regions
 * (mean + 4 standard deviations + 16 slots per bucket), p->rec grown to hold them all. */
static int sinks_init(pool_t *p, sink_t *sinks, unsigned parts, const size_t *counts, unsigned low, size_t nb) {
  size_t first = 0;
  for (unsigned q = 0; q < parts; q++) {
    sink_t *s = &sinks[q];
    memset(s, 0, sizeof *s);
    size_t mean = (counts[q] + nb - 1) / nb;
    /* a multiple of SINK_STAGE: regions, and the staged groups in them, start on a cache line */
    s->cap = (mean + 4 * isqrt(mean) + 16) & ~(size_t)(SINK_STAGE - 1);
#ifdef POS_SORT_TIGHT /* tests only: regions of half the mean, so that overflow lists are exercised */
    s->cap = (mean / 2) & ~(size_t)(SINK_STAGE - 1);
#endif
    s->first = first;
    s->low = low;
    first += nb * s->cap;
    s->cur = malloc(4 * nb);
    s->stage = aligned_alloc(64, 4 * REC * SINK_STAGE * nb);
    if (!s->cur || !s->stage) return -1;
    for (size_t b = 0; b < nb; b++) s->cur[b] = (uint32_t)(s->first + b * s->cap);
  }
  if (first > UINT32_MAX / 2) return -1;
  if (first > p->rec_cap) {
    free(p->rec);
    p->rec = big_alloc(4 * REC * (first + LANES));
    p->rec_cap = p->rec ? first : 0;
    if (!p->rec) return -1;
  }
  return 0;
}

/* The staged records of regions whose last group is not full, stored (AVX2 fn: sink_t.stage). */
static __attribute__((unused)) void sink_flush(pool_t *p, sink_t *s, size_t nb) {
  for (size_t b = 0; b < nb; b++) {
    size_t left = (s->cur[b] - s->first) & (SINK_STAGE - 1);
    if (left) memcpy(p->rec + REC * (size_t)(s->cur[b] - left), s->stage + REC * SINK_STAGE * b, 4 * REC * left);
  }
}

static void sinks_free(sink_t *sinks, unsigned parts) {
  for (unsigned q = 0; q < parts; q++) {
    free(sinks[q].cur);
    free(sinks[q].stage);
    free(sinks[q].ov);
    sinks[q].cur = sinks[q].stage = sinks[q].ov = NULL;
  }
}

/* The emission's plan (j->sinks, parts, low set; nb buckets): every part's overflow records in one list
 * with their order by (part, bucket), and each bucket's first rank. Returns -1 when out of memory. */
static int emit_prepare(struct emit_job *j, size_t nb, size_t slots) {
  size_t ovn = 0;
  j->slots = slots;
  for (unsigned q = 0; q < j->parts; q++) ovn += j->sinks[q].ovn;
  j->rank = malloc(4 * (nb + 1));
  if (!j->rank) return -1;
  if (ovn > 0) {
    uint32_t *ov = malloc(4 * REC * ovn), *order = malloc(4 * ovn);
    j->ov = ov;
    j->ovorder = order;
    if (!ov || !order) return -1;
    size_t at = 0;
    for (unsigned q = 0; q < j->parts; q++) {
      const sink_t *s = &j->sinks[q];
      uint32_t *start = j->ovstart[q] = calloc(nb + 1, 4);
      if (!start) return -1;
      memcpy(ov + REC * at, s->ov, 4 * REC * s->ovn);
      for (size_t i = 0; i < s->ovn; i++) start[s->ov[REC * i + REC - 1] + 1]++;
      for (size_t b = 0; b < nb; b++) start[b + 1] += start[b];
      for (size_t b = 0; b <= nb; b++) start[b] += (uint32_t)at;
      uint32_t *next = malloc(4 * nb);
      if (!next) return -1;
      memcpy(next, start, 4 * nb);
      for (size_t i = 0; i < s->ovn; i++) order[next[s->ov[REC * i + REC - 1]]++] = (uint32_t)(at + i);
      free(next);
      at += s->ovn;
    }
  }
  size_t sum = 0, maxm = 0;
  for (size_t b = 0; b < nb; b++) {
    size_t m = 0;
    for (unsigned q = 0; q < j->parts; q++) {
      const sink_t *s = &j->sinks[q];
      m += s->cur[b] - (s->first + b * s->cap);
      if (j->ovstart[q]) m += j->ovstart[q][b + 1] - j->ovstart[q][b];
    }
    j->rank[b] = (uint32_t)sum;
    sum += m;
    if (m > maxm) maxm = m;
  }
  j->rank[nb] = (uint32_t)sum;
  j->maxm = maxm;
  return 0;
}

static void emit_free(struct emit_job *j) {
  free(j->rank);
  free((void *)j->ov);
  free(j->ovorder);
  free(j->ovstart[0]);
  free(j->ovstart[1]);
}

/* Table 1's sort (pos-body.h, sort_table1); SORT_LOCAL_BITS also sets the buckets of fn's records. */
#ifndef SORT_LOCAL_BITS
#define SORT_LOCAL_BITS 18 /* y bits sorted in cache per bucket (two passes of 9): 2^8 buckets at K = 20 */
#endif
struct sort_job {
  const uint32_t *keys; /* the keys in emission order, read by the scatter */
  size_t n;
  unsigned top, low;    /* key bits: the scatter's digit (top) above the in-cache sort's (low) */
  uint64_t *s1, *s2;    /* the scatter's output; the in-cache passes' other buffer */
  uint32_t *counts[2], *bstart;
  size_t bounds[3];     /* phases 0 and 1: entries per part; phase 2: buckets per part */
  int phase;
  uint32_t *y, *x, *meta0; /* outputs: the sorted keys, x (the emission index) and x << (32 - k) */
  unsigned k;
};

/* --- the pipeline, per instruction set ----------------------------------------------------------- */

#define POS_SUFFIX(name) name##_base
#include "pos-body.h"
#undef POS_SUFFIX

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(POS_NO_AVX2)
#include <immintrin.h>
#pragma GCC push_options
#pragma GCC target("avx2,popcnt,bmi")
/* -O3 for this build only (the addon compiles at -O2): fn's BLAKE3 rounds measured ~10% faster */
#pragma GCC optimize("O3")
#define POS_AVX2 1
#define POS_SUFFIX(name) name##_avx2
#include "pos-body.h"
#undef POS_SUFFIX
#undef POS_AVX2
#pragma GCC pop_options
#define POS_HAVE_AVX2 1
/* The AVX2 build also uses popcnt and tzcnt (every AVX2 processor has them; checked all the same). */
static int pos_use_avx2(void) {
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi");
}
#endif

/* The AVX2 pipeline once more, compiled for AVX-512 (F, VL, BW, DQ): the compiler's one-instruction
 * rotations (vprord) in BLAKE3's rounds and its 32 vector registers (the rounds' 16 state and 16
 * message vectors no longer spill) make fn ~13% faster on AMD Zen 4. Chosen at run time over the AVX2
 * build when the processor and the OS (libgcc checks XCR0) allow. (The matching's hit test written
 * with mask registers, 16 targets a step, measured no faster: matching is bound by its chain of
 * dependent loads, not by instructions.) */
#if defined(POS_HAVE_AVX2) && !defined(POS_NO_AVX512)
#pragma GCC push_options
#pragma GCC target("avx2,popcnt,bmi,avx512f,avx512vl,avx512bw,avx512dq")
#pragma GCC optimize("O3")
#define POS_AVX2 1
#define POS_SUFFIX(name) name##_avx512
#include "pos-body.h"
#undef POS_SUFFIX
#undef POS_AVX2
#pragma GCC pop_options
#define POS_HAVE_AVX512 1
static int pos_use_avx512(void) {
  return pos_use_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
}
#endif

void k_pos_free(k_pos_tables *t) {
  x2_give(t->x2, t->x2_cap);
  t->x2 = NULL;
  t->x2_cap = 0;
  if (t->borrowed) {
    memset(t, 0, sizeof *t);
    return;
  }
  free(t->x);
  t->x = NULL;
  for (int i = 0; i < 6; i++) { free(t->pos[i]); t->pos[i] = NULL; }
  free(t->y7);
  t->y7 = NULL;
}

/* --- proofs and their masks (farming §3.5, §3.6, §2.3) -------------------------------------------- */

/* The chunk masks in three steps: (1) for every challenge index, the first table-7 entry with its
 * challenge, by one merge of y7 with the challenges in ascending order (the quirk's challenge is
 * monotone in (low byte, high byte) of s); (2) the first `limit` indexes with a proof, ascending;
 * (3) their proofs expanded table by table for a batch of proofs at once, in place (left before right,
 * §3.6), with the next proofs' loads prefetched: the walk is a chain of dependent cache misses per
 * proof, so batching keeps many in flight. Then the proofs are packed and hashed 8 at a time. */
#define MASK_BATCH 128

struct mask_job {
  void (*hash8)(const uint8_t *const in[8], size_t len, uint8_t *const out[8]);
  const k_pos_tables *t;
  unsigned k;
  const uint32_t *first7, *sbuckets;
  uint8_t *masks;
  uint32_t bounds[3];
  int oom[2];
};

/* The masks of proofs [bounds[part], bounds[part + 1]) (multiples of MASK_BATCH but the last). */
static void mask_part(void *arg, unsigned part) {
  struct mask_job *j = arg;
  const k_pos_tables *t = j->t;
  unsigned k = j->k;
  uint32_t lo = j->bounds[part], hi = j->bounds[part + 1];
  uint32_t *walk = malloc(4 * 64 * MASK_BATCH);
  if (!walk) {
    j->oom[part] = 1;
    return;
  }
  for (uint32_t b0 = lo; b0 < hi; b0 += MASK_BATCH) {
    uint32_t nb = hi - b0 < MASK_BATCH ? hi - b0 : MASK_BATCH;
    for (uint32_t i = 0; i < nb; i++) walk[64 * i] = j->first7[j->sbuckets[b0 + i]];
    for (unsigned tt = 7, w = 1; tt >= 2; tt--, w *= 2) {
      /* table 2: the x pairs themselves (no look-up in table 1) */
      const uint32_t *pos = tt == 2 ? t->x2 : t->pos[tt - 2];
      uint32_t ahead = w >= 32 ? 1 : 32 / w;
      for (uint32_t q = 0; q < nb; q++) {
        if (q + ahead < nb)
          for (unsigned i = 0; i < w; i++) __builtin_prefetch(pos + 2 * (size_t)walk[64 * (q + ahead) + i]);
        uint32_t *cur = walk + 64 * q;
        for (unsigned i = w; i-- > 0;) {
          const uint32_t *e = pos + 2 * (size_t)cur[i];
          uint32_t l = e[0], r = e[1];
          cur[2 * i] = l;
          cur[2 * i + 1] = r;
        }
      }
    }
    /* pack the proofs, then hash them 8 at a time (spare lanes hash a scratch proof) */
    for (uint32_t q0 = 0; q0 < nb; q0 += 8) {
      uint8_t proofs[8][8 * 25 + 4], spare[32];
      const uint8_t *in[8];
      uint8_t *out[8];
      for (uint32_t lane = 0; lane < 8; lane++) {
        uint32_t q = q0 + lane < nb ? q0 + lane : q0;
        const uint32_t *cur = walk + 64 * q;
        uint8_t *proof = proofs[lane];
        /* 64 k-bit values, big-endian bit order; per value the (at most 32) pending bits are written as
         * 4 bytes and the whole bytes kept (no data-dependent loop; 64k bits end on a byte) */
        uint64_t acc = 0;
        unsigned bits = 0, o = 0;
        for (int i = 0; i < 64; i++) {
          acc = (acc << k) | cur[i];
          bits += k;
          uint32_t top = (uint32_t)((acc << (64 - bits)) >> 32);
          proof[o] = (uint8_t)(top >> 24);
          proof[o + 1] = (uint8_t)(top >> 16);
          proof[o + 2] = (uint8_t)(top >> 8);
          proof[o + 3] = (uint8_t)top;
          o += bits >> 3;
          bits &= 7;
          acc &= ((uint64_t)1 << bits) - 1;
        }
        in[lane] = proof;
        out[lane] = q0 + lane < nb ? j->masks + 32 * (size_t)(b0 + q0 + lane) : spare;
      }
      j->hash8(in, 8 * (size_t)k, out);
    }
  }
  free(walk);
}

void k_pos_proof_masks(const k_pos_tables *t, unsigned k, uint32_t limit, uint32_t *sbuckets, uint8_t *masks,
                       uint32_t *count, uint32_t *scanned, unsigned threads) {
  const size_t n7 = t->count[5];
  uint32_t *first7 = malloc(4 * 65536); /* s -> first table-7 rank with its challenge, or UINT32_MAX */
  *count = 0;
  *scanned = 0;
  if (!first7 || !t->x2) {
    free(first7);
    return;
  }
  size_t ptr = 0;
  for (uint32_t lb = 0; lb < 256; lb++)
    for (uint32_t hb = 0; hb < 256; hb++) {
      /* the challenge-index quirk (§3.5): LE_4(s) read big-endian, top k bits */
      uint32_t ch = ((lb << 24) | (hb << 16)) >> (32 - k), target = ch << EXT;
      while (ptr < n7 && t->y7[ptr] < target) ptr++;
      first7[lb | hb << 8] = ptr < n7 && t->y7[ptr] >> EXT == ch ? (uint32_t)ptr : UINT32_MAX;
    }
  uint32_t c = 0, s = 0;
  for (; s < 65536 && c < limit; s++)
    if (first7[s] != UINT32_MAX) sbuckets[c++] = s;
  struct mask_job job = {b3_hash8_base, t, k, first7, sbuckets, masks, {0, c, c}, {0, 0}};
#ifdef POS_HAVE_AVX512
  if (pos_use_avx512()) job.hash8 = b3_hash8_avx512;
  else
#endif
#ifdef POS_HAVE_AVX2
  if (pos_use_avx2()) job.hash8 = b3_hash8_avx2;
#endif
  if (threads >= 2 && c >= 4 * MASK_BATCH) {
    job.bounds[1] = (c / 2 + MASK_BATCH - 1) / MASK_BATCH * MASK_BATCH;
    run_parts(mask_part, &job, 2);
  } else {
    mask_part(&job, 0);
  }
  free(first7);
  if (job.oom[0] || job.oom[1]) return; /* no masks: the caller finds those proofs itself */
  *count = c;
  *scanned = s;
}

int k_pos_build(k_pos_tables *out, const uint8_t seed[32], unsigned k, unsigned threads, unsigned flags,
                k_pos_alloc_fn alloc, void *alloc_ctx) {
  memset(out, 0, sizeof *out);
  out->borrowed = alloc != NULL;
  match_consts *mc = malloc(sizeof *mc);
  if (!mc) return 6;
  match_consts_init(mc);
  pool_t pool;
  pool_take(&pool);
  pool.mc = mc;
  pool.alloc = alloc;
  pool.alloc_ctx = alloc_ctx;
  int rc;
#ifdef POS_HAVE_AVX512
  if (pos_use_avx512()) rc = build_avx512(out, &pool, seed, k, threads, flags);
  else
#endif
#ifdef POS_HAVE_AVX2
  if (pos_use_avx2()) rc = build_avx2(out, &pool, seed, k, threads, flags);
  else
#endif
    rc = build_base(out, &pool, seed, k, threads, flags);
  pool_give(&pool);
  free(mc);
  if (rc) k_pos_free(out);
  return rc ? 6 : 0;
}
