/*
 * Proof-of-space table construction (farming §3.1-3.4), byte-identical to the TypeScript path of
 * @autonomys/plotter (src/pos/table.ts), which documents the algorithm.
 *
 * The pipeline lives in pos-body.h, compiled twice: for the baseline target and, on x86-64 with GCC,
 * with AVX2 (chosen at run time). Per table: bucket matching (64 targets per left entry; the AVX2
 * build tests 8 at a time with a gather), fn for 8 matches at a time (BLAKE3 in vector lanes, the
 * message words assembled lane-parallel from word-sliced metadata), a stable LSD radix sort of y
 * (ties keep the emission order), and one gather of positions and metadata into rank order.
 *
 * Internal layout: metadata is a left-aligned bit string stored word-sliced (word w of every entry in
 * its own array), matches are separate left and right rank arrays. All large buffers come from one
 * pool, reused from table to table, 2 MiB aligned and advised as huge pages on Linux (the gathers
 * are TLB-bound otherwise, and fresh pages cost a fault and a clear each).
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
#define LANES 8
#define MAX_META_WORDS 4 /* 4k bits, k <= 25 */

static const unsigned META_MULT[8] = {0, 1, 2, 4, 4, 3, 2, 0};

static inline unsigned meta_bits(unsigned k, unsigned t) { return k * META_MULT[t]; }
static inline unsigned meta_words(unsigned k, unsigned t) { return (meta_bits(k, t) + 31) / 32; }
static inline uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

/* A large array: huge-page backed where the OS allows it; free() releases it. */
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
  return malloc(bytes);
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

/* The target of (parity p, left residue r = rb·C + rc, m) is group_base[rb + m] + quad[p][rc][m]
 * (farming §3.2); group_base[i] = (i mod B)·C. Padded for 8-wide loads. */
typedef struct {
  uint16_t group_base[PB + PM + 8];
  uint8_t quad[2 * PC * PM + 8];
} match_consts;

/* Per build (no shared mutable state: worker threads build tables concurrently). */
static void match_consts_init(match_consts *mc) {
  for (int i = 0; i < PB + PM + 8; i++) mc->group_base[i] = (uint16_t)((i % PB) * PC);
  for (int p = 0; p < 2; p++)
    for (int r = 0; r < PC; r++)
      for (int m = 0; m < PM; m++) mc->quad[(p * PC + r) * PM + m] = (uint8_t)(((2 * m + p) * (2 * m + p) + r) % PC);
  memset(mc->quad + 2 * PC * PM, 0, 8);
}

/* --- the buffer pool -------------------------------------------------------------------------- */

typedef struct {
  const match_consts *mc;
  size_t cap;                       /* entries every pooled array holds */
  uint32_t *y, *meta[MAX_META_WORDS];  /* the current (sorted) table */
  uint32_t *ml, *mr;                /* matches: left and right ranks, in emission order */
  uint32_t *ny, *nmeta[MAX_META_WORDS];  /* fn outputs, emission order */
  uint32_t *k1, *i1, *k2, *i2;      /* radix sort ping-pong */
  uint32_t *smeta[MAX_META_WORDS];  /* sorted metadata of the next table */
} pool_t;

static void pool_free(pool_t *p) {
  free(p->y); free(p->ml); free(p->mr); free(p->ny); free(p->k1); free(p->i1); free(p->k2); free(p->i2);
  for (int w = 0; w < MAX_META_WORDS; w++) { free(p->meta[w]); free(p->nmeta[w]); free(p->smeta[w]); }
  memset(p, 0, sizeof *p);
}

static inline void swap_arrays(uint32_t **a, uint32_t **b) {
  uint32_t *t = *a;
  *a = *b;
  *b = t;
}

static int grow_array(uint32_t **a, size_t old_cap, size_t cap) {
  uint32_t *n = big_alloc(4 * (cap + LANES));
  if (!n) return -1;
  if (*a) memcpy(n, *a, 4 * (old_cap + LANES));
  free(*a);
  *a = n;
  return 0;
}

/* Afterwards every pooled array (metadata: words 0..words-1) holds at least `need` entries plus
 * LANES of padding, contents kept. Returns -1 when out of memory. */
static int pool_reserve(pool_t *p, size_t need, unsigned words) {
  size_t old = p->cap, cap = need > old ? need + need / 8 : old;
  uint32_t **all[8 + 3 * MAX_META_WORDS] = {&p->y, &p->ml, &p->mr, &p->ny, &p->k1, &p->i1, &p->k2, &p->i2};
  size_t na = 8;
  for (unsigned w = 0; w < words; w++) {
    all[na++] = &p->meta[w];
    all[na++] = &p->nmeta[w];
    all[na++] = &p->smeta[w];
  }
  for (size_t i = 0; i < na; i++)
    if (*all[i] == NULL ? grow_array(all[i], 0, cap) : cap > old ? grow_array(all[i], old, cap) : 0) return -1;
  p->cap = cap;
  return 0;
}


/* --- two threads per table (proving: one table on every core) ------------------------------------- */

#include "pos-threads.h"

/* A growable pair of match arrays (left and right ranks), LANES entries of padding. */
typedef struct {
  uint32_t *l, *r;
  size_t cap, c;
} mbuf_t;

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
  mbuf_t out[2];
  int rc[2];
};

struct fn_job {
  pool_t *p;
  unsigned k, t;
  size_t bounds[3];
};

struct rsort_job {
  const uint32_t *srck, *srci;
  uint32_t *ok, *oi, *counts[2];
  uint32_t shift, mask;
  int phase; /* 0: count, 1: scatter */
  size_t bounds[3];
};

struct gather_job {
  const uint32_t *perm, *ml, *mr;
  uint32_t *pos;
  unsigned ow;
  const uint32_t *src[MAX_META_WORDS];
  uint32_t *dst[MAX_META_WORDS];
  size_t bounds[3];
};

/* --- the pipeline, per instruction set ----------------------------------------------------------- */

#define POS_SUFFIX(name) name##_base
#include "pos-body.h"
#undef POS_SUFFIX

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(POS_NO_AVX2)
#include <immintrin.h>
#pragma GCC push_options
#pragma GCC target("avx2")
#define POS_AVX2 1
#define POS_SUFFIX(name) name##_avx2
#include "pos-body.h"
#undef POS_SUFFIX
#undef POS_AVX2
#pragma GCC pop_options
#define POS_HAVE_AVX2 1
#endif

void k_pos_free(k_pos_tables *t) {
  free(t->x);
  t->x = NULL;
  for (int i = 0; i < 6; i++) { free(t->pos[i]); t->pos[i] = NULL; }
  free(t->y7);
  t->y7 = NULL;
}

/* --- proofs and their masks (farming §3.5, §3.6, §2.3) -------------------------------------------- */

static void b3_compress(uint32_t cv[8], const uint32_t m[16], uint32_t block_len, uint32_t flags) {
  uint32_t v[16] = {cv[0], cv[1], cv[2], cv[3], cv[4], cv[5], cv[6], cv[7],
                    B3_IV[0], B3_IV[1], B3_IV[2], B3_IV[3], 0, 0, block_len, flags};
#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define G(a, b, c, d, mx, my)                                   \
  v[a] += v[b] + (mx); v[d] = ROTR(v[d] ^ v[a], 16);            \
  v[c] += v[d]; v[b] = ROTR(v[b] ^ v[c], 12);                   \
  v[a] += v[b] + (my); v[d] = ROTR(v[d] ^ v[a], 8);             \
  v[c] += v[d]; v[b] = ROTR(v[b] ^ v[c], 7);
  for (int r = 0; r < 7; r++) {
    const uint8_t *s = MSG_SCHEDULE[r];
    G(0, 4, 8, 12, m[s[0]], m[s[1]]) G(1, 5, 9, 13, m[s[2]], m[s[3]])
    G(2, 6, 10, 14, m[s[4]], m[s[5]]) G(3, 7, 11, 15, m[s[6]], m[s[7]])
    G(0, 5, 10, 15, m[s[8]], m[s[9]]) G(1, 6, 11, 12, m[s[10]], m[s[11]])
    G(2, 7, 8, 13, m[s[12]], m[s[13]]) G(3, 4, 9, 14, m[s[14]], m[s[15]])
  }
#undef G
#undef ROTR
  for (int i = 0; i < 8; i++) cv[i] = v[i] ^ v[i + 8];
}

/* BLAKE3 of 1..1024 bytes (one chunk) into out[32]. */
static void b3_hash_chunk(const uint8_t *in, size_t len, uint8_t out[32]) {
  uint32_t cv[8];
  memcpy(cv, B3_IV, sizeof cv);
  size_t blocks = (len + 63) / 64;
  for (size_t b = 0; b < blocks; b++) {
    uint8_t block[64] = {0};
    size_t n = len - 64 * b < 64 ? len - 64 * b : 64;
    memcpy(block, in + 64 * b, n);
    uint32_t m[16];
    for (int i = 0; i < 16; i++)
      m[i] = block[4 * i] | (uint32_t)block[4 * i + 1] << 8 | (uint32_t)block[4 * i + 2] << 16 | (uint32_t)block[4 * i + 3] << 24;
    uint32_t flags = (b == 0 ? 1u : 0u) | (b + 1 == blocks ? 2u | 8u : 0u);
    b3_compress(cv, m, (uint32_t)n, flags);
  }
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)cv[i];
    out[4 * i + 1] = (uint8_t)(cv[i] >> 8);
    out[4 * i + 2] = (uint8_t)(cv[i] >> 16);
    out[4 * i + 3] = (uint8_t)(cv[i] >> 24);
  }
}

void k_pos_proof_masks(const k_pos_tables *t, unsigned k, uint32_t limit, uint32_t *sbuckets, uint8_t *masks,
                       uint32_t *count, uint32_t *scanned) {
  const size_t n7 = t->count[5];
  uint32_t c = 0, s = 0;
  for (; s < 65536 && c < limit; s++) {
    /* the challenge-index quirk (§3.5): LE_4(s) read big-endian, top k bits */
    uint32_t ch = (((s & 0xffu) << 24) | ((s >> 8) << 16)) >> (32 - k), target = ch << EXT;
    size_t lo = 0, hi = n7;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (t->y7[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= n7 || t->y7[lo] >> EXT != ch) continue;
    /* expand left before right down to the 64 x values (§3.6) */
    uint32_t cur[64], nxt[64];
    cur[0] = (uint32_t)lo;
    for (unsigned tt = 7, w = 1; tt >= 2; tt--, w *= 2) {
      const uint32_t *pos = t->pos[tt - 2];
      for (unsigned i = 0; i < w; i++) {
        nxt[2 * i] = pos[2 * (size_t)cur[i]];
        nxt[2 * i + 1] = pos[2 * (size_t)cur[i] + 1];
      }
      memcpy(cur, nxt, 8 * w);
    }
    uint8_t proof[8 * 25] = {0};
    uint64_t acc = 0;
    unsigned bits = 0, o = 0;
    for (int i = 0; i < 64; i++) {
      acc = (acc << k) | t->x[cur[i]];
      bits += k;
      while (bits >= 8) {
        bits -= 8;
        proof[o++] = (uint8_t)(acc >> bits);
      }
      acc &= ((uint64_t)1 << bits) - 1;
    }
    sbuckets[c] = s;
    b3_hash_chunk(proof, 8 * (size_t)k, masks + 32 * (size_t)c);
    c++;
  }
  *count = c;
  *scanned = s;
}

int k_pos_build(k_pos_tables *out, const uint8_t seed[32], unsigned k, unsigned threads) {
  memset(out, 0, sizeof *out);
  match_consts *mc = malloc(sizeof *mc);
  if (!mc) return 6;
  match_consts_init(mc);
  pool_t pool;
  memset(&pool, 0, sizeof pool);
  pool.mc = mc;
  int rc;
#ifdef POS_HAVE_AVX2
  if (__builtin_cpu_supports("avx2")) rc = build_avx2(out, &pool, seed, k, threads);
  else
#endif
    rc = build_base(out, &pool, seed, k, threads);
  pool_free(&pool);
  free(mc);
  if (rc) k_pos_free(out);
  return rc ? 6 : 0;
}
