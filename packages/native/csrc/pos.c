/*
 * Proof-of-space table construction (farming §3.1-3.4), byte-identical to the TypeScript path of
 * @autonomys/plotter (src/pos/table.ts), which documents the algorithm. Metadata is a left-aligned
 * bit string in 32-bit words, as there. fn hashes are computed 8 at a time with GCC vector
 * extensions (one BLAKE3 compression per lane; AVX2 when the CPU has it, else two SSE halves).
 */
#include "pos.h"

#include <stdlib.h>
#include <string.h>

#define EXT 6
#define PB 119
#define PC 127
#define PBC (PB * PC)
#define PM 64
#define LANES 8

static const unsigned META_MULT[8] = {0, 1, 2, 4, 4, 3, 2, 0};

static inline unsigned meta_bits(unsigned k, unsigned t) { return k * META_MULT[t]; }
static inline unsigned meta_words(unsigned k, unsigned t) { return (meta_bits(k, t) + 31) / 32; }
static inline uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
static inline uint32_t bswap(uint32_t x) { return __builtin_bswap32(x); }

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
    memcpy(x, in, sizeof x);
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

/* --- BLAKE3, one block, 8 messages at once --------------------------------------------------- */

typedef uint32_t v8u __attribute__((vector_size(32)));

static const uint8_t MSG_SCHEDULE[7][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8},
    {3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1},
    {10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6},
    {12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4},
    {9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7},
    {11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13},
};

#define VROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define VG(a, b, c, d, mx, my)                 \
  a = a + b + (mx); d = VROTR(d ^ a, 16);      \
  c = c + d; b = VROTR(b ^ c, 12);             \
  a = a + b + (my); d = VROTR(d ^ a, 8);       \
  c = c + d; b = VROTR(b ^ c, 7);

/* out[w] lane i = output word w (little-endian) of BLAKE3(message lane i), w < 4; block_len per lane
 * is the same for a whole table. flags = CHUNK_START | CHUNK_END | ROOT. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
__attribute__((target_clones("avx2", "default")))
#endif
static void blake3_x8(v8u out[4], const v8u m[16], uint32_t block_len) {
  const uint32_t IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  v8u v[16];
  for (int i = 0; i < 8; i++) v[i] = (v8u){0} + IV[i];
  for (int i = 0; i < 4; i++) v[8 + i] = (v8u){0} + IV[i];
  v[12] = (v8u){0};
  v[13] = (v8u){0};
  v[14] = (v8u){0} + block_len;
  v[15] = (v8u){0} + 11u;
  for (int r = 0; r < 7; r++) {
    const uint8_t *s = MSG_SCHEDULE[r];
    VG(v[0], v[4], v[8], v[12], m[s[0]], m[s[1]])
    VG(v[1], v[5], v[9], v[13], m[s[2]], m[s[3]])
    VG(v[2], v[6], v[10], v[14], m[s[4]], m[s[5]])
    VG(v[3], v[7], v[11], v[15], m[s[6]], m[s[7]])
    VG(v[0], v[5], v[10], v[15], m[s[8]], m[s[9]])
    VG(v[1], v[6], v[11], v[12], m[s[10]], m[s[11]])
    VG(v[2], v[7], v[8], v[13], m[s[12]], m[s[13]])
    VG(v[3], v[4], v[9], v[14], m[s[14]], m[s[15]])
  }
  for (int i = 0; i < 4; i++) out[i] = v[i] ^ v[i + 8];
}

/* --- bit strings ---------------------------------------------------------------------------- */

static inline void or_bits(uint32_t *dst, unsigned off, const uint32_t *src, unsigned count) {
  unsigned sh = off & 31, i = off >> 5;
  for (unsigned j = 0; j < count; j++, i++) {
    dst[i] |= src[j] >> sh;
    if (sh) dst[i + 1] |= src[j] << (32 - sh);
  }
}

static inline void extract_bits(const uint32_t *src, unsigned off, unsigned nbits, uint32_t *dst) {
  unsigned n = (nbits + 31) / 32, sh = off & 31, i0 = off >> 5;
  for (unsigned j = 0; j < n; j++)
    dst[j] = sh ? (src[i0 + j] << sh) | (src[i0 + j + 1] >> (32 - sh)) : src[i0 + j];
  if (nbits & 31) dst[n - 1] &= ~0u << (32 - (nbits & 31));
}

/* --- sorting and matching ------------------------------------------------------------------- */

/* Stable LSD radix sort of keys[0..n) (< 2^bits). Sorted keys -> *okeys, permutation -> *operm
 * (both freshly allocated; the input is not modified). */
static int radix_sort(const uint32_t *keys, size_t n, unsigned bits, uint32_t **okeys, uint32_t **operm) {
  unsigned passes = (bits + 12) / 13;
  if (passes == 0) passes = 1;
  unsigned digit = (bits + passes - 1) / passes;
  size_t size = (size_t)1 << digit;
  uint32_t mask = (uint32_t)size - 1;
  uint32_t *k1 = malloc(4 * (n + 1)), *i1 = malloc(4 * (n + 1)), *k2 = malloc(4 * (n + 1)),
           *i2 = malloc(4 * (n + 1)), *counts = malloc(4 * size);
  if (!k1 || !i1 || !k2 || !i2 || !counts) {
    free(k1); free(i1); free(k2); free(i2); free(counts);
    return -1;
  }
  const uint32_t *sk = keys, *si = NULL;
  uint32_t *dk = k1, *di = i1;
  for (unsigned p = 0, shift = 0; p < passes; p++, shift += digit) {
    memset(counts, 0, 4 * size);
    for (size_t i = 0; i < n; i++) counts[(sk[i] >> shift) & mask]++;
    uint32_t sum = 0;
    for (size_t d = 0; d < size; d++) { uint32_t c = counts[d]; counts[d] = sum; sum += c; }
    for (size_t i = 0; i < n; i++) {
      uint32_t key = sk[i], pos = counts[(key >> shift) & mask]++;
      dk[pos] = key;
      di[pos] = si ? si[i] : (uint32_t)i;
    }
    sk = dk; si = di;
    dk = dk == k1 ? k2 : k1;
    di = di == i1 ? i2 : i1;
  }
  *okeys = (uint32_t *)sk;
  *operm = (uint32_t *)si;
  free(dk); free(di); free(counts);
  return 0;
}

typedef struct {
  uint32_t *left, *right;
  size_t count, cap;
} matches_t;

static int grow(matches_t *m, size_t need) {
  if (need <= m->cap) return 0;
  size_t cap = m->cap + m->cap / 2;
  if (cap < need) cap = need;
  uint32_t *l = realloc(m->left, 4 * cap);
  if (!l) return -1;
  m->left = l;
  uint32_t *r = realloc(m->right, 4 * cap);
  if (!r) return -1;
  m->right = r;
  m->cap = cap;
  return 0;
}

static int find_matches(const uint32_t *y, size_t n, unsigned k, matches_t *out) {
  size_t nb = (size_t)((((uint64_t)1 << (k + EXT)) + PBC - 1) / PBC);
  uint32_t *starts = calloc(nb + 2, 4);
  uint16_t *cnt = calloc(PBC, 2);
  uint32_t *first = malloc(4 * PBC);
  uint16_t group_base[PB + PM];
  uint8_t quad[2 * PC * PM];
  int rc = -1;
  if (!starts || !cnt || !first) goto done;
  for (int i = 0; i < PB + PM; i++) group_base[i] = (uint16_t)((i % PB) * PC);
  for (int p = 0; p < 2; p++)
    for (int r = 0; r < PC; r++)
      for (int m = 0; m < PM; m++) quad[(p * PC + r) * PM + m] = (uint8_t)(((2 * m + p) * (2 * m + p) + r) % PC);
  for (size_t i = 0; i < n; i++) starts[y[i] / PBC + 1]++;
  for (size_t b = 1; b <= nb + 1; b++) starts[b] += starts[b - 1];
  out->count = 0;
  out->cap = n + n / 8 + 1024;
  out->left = malloc(4 * out->cap);
  out->right = malloc(4 * out->cap);
  if (!out->left || !out->right) goto done;
  for (size_t b = 0; b + 1 < nb; b++) {
    uint32_t ls = starts[b], le = starts[b + 1], re = starts[b + 2];
    if (ls == le || le == re) continue;
    if (grow(out, out->count + (size_t)(le - ls) * (re - le))) goto done;
    uint32_t base_r = (uint32_t)(b + 1) * PBC, base_l = (uint32_t)b * PBC, qrow = (b & 1) * PC;
    for (uint32_t i = le; i < re; i++) {
      uint32_t r = y[i] - base_r;
      if (cnt[r] == 0) first[r] = i;
      cnt[r]++;
    }
    uint32_t *L = out->left, *R = out->right;
    size_t c = out->count;
    for (uint32_t l = ls; l < le; l++) {
      uint32_t r = y[l] - base_l, rb = r / PC;
      const uint8_t *q = quad + (qrow + r - rb * PC) * PM;
      const uint16_t *g = group_base + rb;
      /* targets ascend from the first m whose group (rb + m) mod B wraps (farming §3.4 step 2) */
      uint32_t m0 = rb + PM - 1 >= PB ? PB - rb : 0;
      for (uint32_t j = 0; j < PM; j++) {
        uint32_t m = (m0 + j) & (PM - 1);
        uint32_t t = (uint32_t)g[m] + q[m];
        uint32_t cn = cnt[t];
        if (cn) {
          uint32_t f = first[t];
          for (uint32_t e = 0; e < cn; e++) { L[c] = l; R[c++] = f + e; }
        }
      }
    }
    out->count = c;
    for (uint32_t i = le; i < re; i++) cnt[y[i] - base_r] = 0;
  }
  rc = 0;
done:
  free(starts); free(cnt); free(first);
  return rc;
}

/* --- tables --------------------------------------------------------------------------------- */

typedef struct {
  uint32_t *y, *meta;
  size_t n;
} level_t;

/* fn for matches [0, count): y_out[i], meta_out[i*ow..] (farming §3.3) */
static void fn_all(unsigned k, unsigned t, const level_t *prev, const matches_t *mt, uint32_t *y_out,
                   uint32_t *meta_out) {
  unsigned ybits = k + EXT, mb = meta_bits(k, t - 1), pw = meta_words(k, t - 1), mbo = meta_bits(k, t),
           ow = meta_words(k, t), total = ybits + 2 * mb, nw = (total + 31) / 32;
  uint32_t block_len = (total + 7) / 8;
  uint32_t stream[LANES][17];
  v8u msg[16], h[4];
  for (size_t base = 0; base < mt->count; base += LANES) {
    size_t lanes = mt->count - base < LANES ? mt->count - base : LANES;
    for (size_t i = 0; i < LANES; i++) {
      uint32_t *s = stream[i];
      memset(s, 0, sizeof stream[i]);
      if (i < lanes) {
        uint32_t l = mt->left[base + i], r = mt->right[base + i];
        s[0] = prev->y[l] << (32 - ybits);
        or_bits(s, ybits, prev->meta + (size_t)l * pw, pw);
        or_bits(s, ybits + mb, prev->meta + (size_t)r * pw, pw);
      }
      for (unsigned j = 0; j < 16; j++) msg[j][i] = j < nw ? bswap(s[j]) : 0;
    }
    blake3_x8(h, msg, block_len);
    for (size_t i = 0; i < lanes; i++) {
      uint32_t hs[5] = {bswap(h[0][i]), bswap(h[1][i]), bswap(h[2][i]), bswap(h[3][i]), 0};
      y_out[base + i] = hs[0] >> (32 - ybits);
      if (mbo == 0) continue;
      if (t <= 3) extract_bits(stream[i], ybits, mbo, meta_out + (base + i) * ow);
      else extract_bits(hs, ybits, mbo, meta_out + (base + i) * ow);
    }
  }
}

void k_pos_free(k_pos_tables *t) {
  free(t->x);
  t->x = NULL;
  for (int i = 0; i < 6; i++) { free(t->pos[i]); t->pos[i] = NULL; }
  free(t->y7);
  t->y7 = NULL;
}

int k_pos_build(k_pos_tables *out, const uint8_t seed[32], unsigned k) {
  memset(out, 0, sizeof *out);
  size_t n = (size_t)1 << k;
  size_t blocks = (k * n / 8 + 63) / 64 + 1;
  uint8_t *ks = malloc(64 * blocks);
  uint32_t *y = malloc(4 * n);
  level_t lv = {0};
  matches_t mt = {0};
  uint32_t *ny = NULL, *nmeta = NULL, *sk = NULL, *perm = NULL;
  int rc = 6;
  if (!ks || !y) goto fail;
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
  ks = NULL;
  if (radix_sort(y, n, k + EXT, &sk, &perm)) goto fail;
  free(y);
  y = NULL;
  out->x = perm;
  lv.y = sk;
  lv.n = n;
  sk = perm = NULL;
  lv.meta = malloc(4 * n);
  if (!lv.meta) goto fail;
  for (size_t i = 0; i < n; i++) lv.meta[i] = out->x[i] << (32 - k);
  for (unsigned t = 2; t <= 7; t++) {
    if (find_matches(lv.y, lv.n, k, &mt)) goto fail;
    unsigned ow = meta_words(k, t);
    size_t c = mt.count;
    ny = malloc(4 * (c + 1));
    nmeta = ow ? malloc(4 * (c * ow + 1)) : NULL;
    if (!ny || (ow && !nmeta)) goto fail;
    fn_all(k, t, &lv, &mt, ny, nmeta);
    if (radix_sort(ny, c, k + EXT, &sk, &perm)) goto fail;
    free(ny);
    ny = NULL;
    uint32_t *pos = malloc(8 * (c + 1));
    uint32_t *smeta = ow ? malloc(4 * (c * ow + 1)) : NULL;
    if (!pos || (ow && !smeta)) { free(pos); free(smeta); goto fail; }
    for (size_t i = 0; i < c; i++) {
      uint32_t j = perm[i];
      pos[2 * i] = mt.left[j];
      pos[2 * i + 1] = mt.right[j];
      for (unsigned w = 0; w < ow; w++) smeta[i * ow + w] = nmeta[(size_t)j * ow + w];
    }
    free(perm);
    perm = NULL;
    free(nmeta);
    nmeta = NULL;
    free(mt.left); free(mt.right);
    mt.left = mt.right = NULL;
    out->pos[t - 2] = pos;
    out->count[t - 2] = c;
    free(lv.y); free(lv.meta);
    lv.y = sk;
    lv.meta = smeta;
    lv.n = c;
    sk = NULL;
  }
  out->y7 = lv.y;
  lv.y = NULL;
  free(lv.meta);
  return 0;
fail:
  free(ks); free(y); free(lv.y); free(lv.meta); free(mt.left); free(mt.right);
  free(ny); free(nmeta); free(sk); free(perm);
  k_pos_free(out);
  return rc;
}
