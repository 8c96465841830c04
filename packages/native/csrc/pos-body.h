/*
 * The table pipeline of pos.c, included once per instruction set with POS_SUFFIX(name) defined (and
 * POS_AVX2 for the AVX2 build, inside `#pragma GCC target("avx2")`). No include guard on purpose.
 */

/* BLAKE3 of one block for 8 messages (word-sliced): out[w] lane i = output word w (little-endian) of
 * message lane i, w < 5. flags = CHUNK_START | CHUNK_END | ROOT. */
#define VROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#ifdef POS_AVX2
/* rotations by 16 and 8 as one byte shuffle (vpshufb) instead of two shifts and an or */
#define VROTR16(x) ((v8u)__builtin_shuffle((v32u8)(x), (v32u8){2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, \
                                                              18, 19, 16, 17, 22, 23, 20, 21, 26, 27, 24, 25, 30, 31, 28, 29}))
#define VROTR8(x) ((v8u)__builtin_shuffle((v32u8)(x), (v32u8){1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, \
                                                             17, 18, 19, 16, 21, 22, 23, 20, 25, 26, 27, 24, 29, 30, 31, 28}))
#else
#define VROTR16(x) VROTR(x, 16)
#define VROTR8(x) VROTR(x, 8)
#endif
#define VG(a, b, c, d, mx, my)                 \
  a = a + b + (mx); d = VROTR16(d ^ a);        \
  c = c + d; b = VROTR(b ^ c, 12);             \
  a = a + b + (my); d = VROTR8(d ^ a);         \
  c = c + d; b = VROTR(b ^ c, 7);

static inline __attribute__((always_inline)) void POS_SUFFIX(blake3_x8)(v8u out[5], const v8u m[16],
                                                                         uint32_t block_len) {
  v8u v[16];
  for (int i = 0; i < 8; i++) v[i] = (v8u){0} + B3_IV[i];
  for (int i = 0; i < 4; i++) v[8 + i] = (v8u){0} + B3_IV[i];
  v[12] = (v8u){0};
  v[13] = (v8u){0};
  v[14] = (v8u){0} + block_len;
  v[15] = (v8u){0} + 11u;
#pragma GCC unroll 7
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
  for (int i = 0; i < 5; i++) out[i] = v[i] ^ v[i + 8];
}

/* BLAKE3 of 8 messages of the same length (1..1024 bytes, one chunk each: the chunk masks' 8k-byte
 * proofs), out[i] = the 32-byte hash of in[i]: the proof masks hash 8 proofs at a time. */
static void POS_SUFFIX(b3_hash8)(const uint8_t *const in[8], size_t len, uint8_t *const out[8]) {
  v8u cv[8], m[16], v[16];
  for (int i = 0; i < 8; i++) cv[i] = (v8u){0} + B3_IV[i];
  size_t blocks = (len + 63) / 64;
  for (size_t b = 0; b < blocks; b++) {
    size_t n = len - 64 * b < 64 ? len - 64 * b : 64;
    uint32_t words[16][8];
    for (unsigned lane = 0; lane < 8; lane++) {
      uint8_t block[64] = {0};
      memcpy(block, in[lane] + 64 * b, n);
      for (int w = 0; w < 16; w++)
        words[w][lane] = block[4 * w] | (uint32_t)block[4 * w + 1] << 8 | (uint32_t)block[4 * w + 2] << 16 |
                         (uint32_t)block[4 * w + 3] << 24;
    }
    for (int w = 0; w < 16; w++) memcpy(&m[w], words[w], sizeof m[w]);
    uint32_t flags = (b == 0 ? 1u : 0u) | (b + 1 == blocks ? 2u | 8u : 0u);
    for (int i = 0; i < 8; i++) v[i] = cv[i];
    for (int i = 0; i < 4; i++) v[8 + i] = (v8u){0} + B3_IV[i];
    v[12] = (v8u){0};
    v[13] = (v8u){0};
    v[14] = (v8u){0} + (uint32_t)n;
    v[15] = (v8u){0} + flags;
    for (int r = 0; r < 7; r++) {
      const uint8_t *sc = MSG_SCHEDULE[r];
      VG(v[0], v[4], v[8], v[12], m[sc[0]], m[sc[1]])
      VG(v[1], v[5], v[9], v[13], m[sc[2]], m[sc[3]])
      VG(v[2], v[6], v[10], v[14], m[sc[4]], m[sc[5]])
      VG(v[3], v[7], v[11], v[15], m[sc[6]], m[sc[7]])
      VG(v[0], v[5], v[10], v[15], m[sc[8]], m[sc[9]])
      VG(v[1], v[6], v[11], v[12], m[sc[10]], m[sc[11]])
      VG(v[2], v[7], v[8], v[13], m[sc[12]], m[sc[13]])
      VG(v[3], v[4], v[9], v[14], m[sc[14]], m[sc[15]])
    }
    for (int i = 0; i < 8; i++) cv[i] = v[i] ^ v[i + 8];
  }
  for (unsigned lane = 0; lane < 8; lane++)
    for (int i = 0; i < 8; i++) {
      uint32_t w = cv[i][lane];
      out[lane][4 * i] = (uint8_t)w;
      out[lane][4 * i + 1] = (uint8_t)(w >> 8);
      out[lane][4 * i + 2] = (uint8_t)(w >> 16);
      out[lane][4 * i + 3] = (uint8_t)(w >> 24);
    }
}
#undef VG
#undef VROTR
#undef VROTR16
#undef VROTR8

/* Byte swap of every lane, in place. */
static inline void POS_SUFFIX(vbswap)(v8u *x) {
#ifdef POS_AVX2
  *x = (v8u)__builtin_shuffle((v32u8)*x, (v32u8){3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
                                                 19, 18, 17, 16, 23, 22, 21, 20, 27, 26, 25, 24, 31, 30, 29, 28});
#else
  *x = (*x >> 24) | ((*x >> 8) & 0xff00) | ((*x << 8) & 0xff0000) | (*x << 24);
#endif
}

/* *out = arr[idx[i]] for the 8 lanes. AVX2: eight scalar loads and inserts, not vpgatherdd (microcoded
 * on AMD Zen; the scalar form made fn ~12% faster there, the indexes being near each other). */
static inline void POS_SUFFIX(gather)(v8u *out, const uint32_t *arr, const v8u *idx) {
#ifdef POS_AVX2
  const v8u i = *idx;
  *out = (v8u)_mm256_setr_epi32((int)arr[i[0]], (int)arr[i[1]], (int)arr[i[2]], (int)arr[i[3]], (int)arr[i[4]],
                                (int)arr[i[5]], (int)arr[i[6]], (int)arr[i[7]]);
#else
  for (int i = 0; i < LANES; i++) (*out)[i] = arr[(*idx)[i]];
#endif
}

/* *acc |= output word j of a bit string holding, at bit offset o, a left-aligned field of nf words
 * (bits past the field's length are zero). Vectors go by pointer: no vector crosses a call ABI. */
static inline void POS_SUFFIX(field_word)(v8u *acc, const v8u *f, unsigned nf, int o, unsigned j) {
  int d = 32 * (int)j - o;
  if (d <= -32 || d >= 32 * (int)nf) return;
  if (d < 0) {
    *acc |= f[0] >> (unsigned)-d;
    return;
  }
  unsigned q = (unsigned)d >> 5, s = (unsigned)d & 31;
  *acc |= f[q] << s;
  if (s && q + 1 < nf) *acc |= f[q + 1] >> (32 - s);
}

/* --- table 1's sort ---------------------------------------------------------------------------- */

/* Table 1 in rank order (farming §3.4: y ascending, ties by x) is the 64-bit values y << 32 | x in
 * ascending order, sorted most significant digit first: one stable scatter by y's top bits into s1
 * (one stream per digit), then each bucket (2^12 entries on average at K = 20: 32 KiB) sorted in cache
 * by the low SORT_LOCAL_BITS bits with two stable LSD passes through s2 and emitted at once
 * (sort_emit): the sorted array is never written back to memory nor read again. Later tables go
 * through fn's bucketed records instead (emit_part). */

/* A bucket's entries a[0..m) (y << 32 | id, in emission order) sorted by y's low d0 + d1 bits (d0 >= 1,
 * d1 <= d0 <= 9) with two stable counting passes through t, in cache (h0, h1: 2^d0 counters each).
 * Returns the sorted array: t after one pass (d1 = 0), a after two. */
static inline const uint64_t *POS_SUFFIX(sort_in_cache)(uint64_t *a, uint64_t *t, size_t m, unsigned d0, unsigned d1,
                                                      uint32_t *h0, uint32_t *h1) {
  uint32_t m0 = ((uint32_t)1 << d0) - 1, m1 = ((uint32_t)1 << d1) - 1, c0 = 0, c1 = 0;
  memset(h0, 0, 4 << d0);
  memset(h1, 0, 4 << d1);
  for (size_t i = 0; i < m; i++) {
    uint32_t key = (uint32_t)(a[i] >> 32);
    h0[key & m0]++;
    h1[(key >> d0) & m1]++;
  }
  for (uint32_t d = 0; d <= m0; d++) { uint32_t v = h0[d]; h0[d] = c0; c0 += v; }
  for (uint32_t d = 0; d <= m1; d++) { uint32_t v = h1[d]; h1[d] = c1; c1 += v; }
  for (size_t i = 0; i < m; i++) {
    uint64_t e = a[i];
    t[h0[(uint32_t)(e >> 32) & m0]++] = e;
  }
  if (d1 == 0) return t;
  for (size_t i = 0; i < m; i++) {
    uint64_t e = t[i];
    a[h1[(uint32_t)(e >> (32 + d0)) & m1]++] = e;
  }
  return a;
}

/* Phases 0 (count) and 1 (scatter) on the part's half of the keys; phase 2: the part's buckets. */
static void POS_SUFFIX(sort_emit)(struct sort_job *j, const uint64_t *e, size_t rank, size_t m);

static void POS_SUFFIX(sort_part)(void *arg, unsigned part) {
  struct sort_job *j = arg;
  size_t lo = j->bounds[part], hi = j->bounds[part + 1];
  const uint32_t *keys = j->keys;
  uint32_t low = j->low, *c = j->counts[part];
  if (j->phase == 0) {
    memset(c, 0, 4 * ((size_t)1 << j->top));
    for (size_t i = lo; i < hi; i++) c[keys[i] >> low]++;
    return;
  }
  if (j->phase == 1) {
    uint64_t *dst = j->s1;
    for (size_t i = lo; i < hi; i++) {
      uint32_t key = keys[i];
      dst[c[key >> low]++] = (uint64_t)key << 32 | i;
    }
    return;
  }
  /* phase 2: bounds are bucket numbers */
  uint32_t h0[1u << ((SORT_LOCAL_BITS + 1) / 2)], h1[1u << ((SORT_LOCAL_BITS + 1) / 2)];
  unsigned d1 = low / 2, d0 = low - d1;
  for (size_t b = lo; b < hi; b++) {
    size_t s = j->bstart[b], m = j->bstart[b + 1] - s;
    uint64_t *a = j->s1 + s, *t = j->s2 + s;
    POS_SUFFIX(sort_emit)(j, m <= 1 ? a : POS_SUFFIX(sort_in_cache)(a, t, m, d0, d1, h0, h1), s, m);
  }
}

/* Table 1's sorted entries e[0..m) of ranks rank..: x, y and the metadata (x itself, left-aligned). */
static void POS_SUFFIX(sort_emit)(struct sort_job *j, const uint64_t *e, size_t rank, size_t m) {
  uint32_t *x = j->x + rank, *y = j->y + rank, *meta = j->meta0 + rank, sh = 32 - j->k;
  for (size_t i = 0; i < m; i++) {
    uint64_t v = e[i];
    x[i] = (uint32_t)v;
    y[i] = (uint32_t)(v >> 32);
    meta[i] = (uint32_t)v << sh;
  }
}

/* The sort and emission of j (keys, n, and the outputs set) on `threads` threads: the scatter
 * by halves of the keys, where for equal digits the first half precedes the second (stable), then the
 * buckets in two ranges of about equal entries. Returns -1 when out of memory. */
static int POS_SUFFIX(sort_table1)(pool_t *p, struct sort_job *j, unsigned bits, unsigned threads) {
  size_t n = j->n;
  unsigned parts = threads >= 2 && n >= 4096 ? 2 : 1;
  j->low = bits < SORT_LOCAL_BITS ? bits : SORT_LOCAL_BITS;
  j->top = bits - j->low;
  size_t nb = (size_t)1 << j->top;
  j->s1 = (uint64_t *)p->s1;
  j->s2 = (uint64_t *)p->s2;
  j->counts[0] = malloc(4 * nb);
  j->counts[1] = malloc(4 * nb);
  j->bstart = malloc(4 * (nb + 1));
  int rc = -1;
  if (!j->counts[0] || !j->counts[1] || !j->bstart) goto done;
  j->bounds[0] = 0;
  j->bounds[1] = parts == 2 ? n / 2 : n;
  j->bounds[2] = n;
  j->phase = 0;
  run_parts(POS_SUFFIX(sort_part), j, parts);
  uint32_t sum = 0;
  for (size_t d = 0; d < nb; d++) {
    uint32_t a = j->counts[0][d], b = parts == 2 ? j->counts[1][d] : 0;
    j->bstart[d] = sum;
    j->counts[0][d] = sum;
    j->counts[1][d] = sum + a;
    sum += a + b;
  }
  j->bstart[nb] = sum;
  j->phase = 1;
  run_parts(POS_SUFFIX(sort_part), j, parts);
  size_t mid = 0;
  if (parts == 2)
    while (mid < nb && j->bstart[mid] < n / 2) mid++;
  j->bounds[0] = 0;
  j->bounds[1] = parts == 2 ? mid : nb;
  j->bounds[2] = nb;
  j->phase = 2;
  run_parts(POS_SUFFIX(sort_part), j, parts);
  rc = 0;
done:
  free(j->counts[0]);
  free(j->counts[1]);
  free(j->bstart);
  return rc;
}

/* --- the rank-order emission of fn's bucketed records -------------------------------------------- */

/* A bucket's sorted (y, record id) pairs res[0..m) written at ranks rank..: y, the position pair and ow
 * metadata words. */
static inline __attribute__((always_inline)) void POS_SUFFIX(emit_bucket)(const struct emit_job *j, const uint64_t *res,
                                                                          size_t m, size_t rank, unsigned ow) {
  const uint32_t *rec = j->rec, *ov = j->ov;
  const size_t slots = j->slots;
  uint32_t *y = j->y + rank, *pos = j->pos + 2 * rank, *d[MAX_META_WORDS];
  for (unsigned w = 0; w < ow; w++) d[w] = j->dst[w] + rank;
  for (size_t i = 0; i < m; i++) {
    uint64_t e = res[i];
    uint32_t id = (uint32_t)e;
    const uint32_t *r = id < slots ? rec + REC * (size_t)id : ov + REC * (size_t)(id - slots);
    y[i] = (uint32_t)(e >> 32);
#ifdef POS_AVX2 /* the output pairs are not read again here: stored non-temporally (no read for ownership) */
    _mm_stream_si64((long long *)(pos + 2 * i), (long long)((uint64_t)r[2] << 32 | r[1]));
#else
    pos[2 * i] = r[1];
    pos[2 * i + 1] = r[2];
#endif
    for (unsigned w = 0; w < ow; w++) d[w][i] = r[3 + w];
  }
}

/* The buckets [bounds[part], bounds[part + 1]) of j, each in rank order (y, then emission order): its
 * records' (y, slot) pairs in emission order (part 0's region, part 0's overflow, part 1's region, part
 * 1's overflow), sorted by y's low bits in cache with two stable LSD passes, then y, the position pair
 * and the metadata written at the bucket's ranks. The records were written by fn long before (out of
 * cache), but each region is read in order, and the records are then read again from cache. */
static void POS_SUFFIX(emit_part)(void *arg, unsigned part) {
  struct emit_job *j = arg;
  size_t lo = j->bounds[part], hi = j->bounds[part + 1], slots = j->slots;
  unsigned low = j->low, d1 = low / 2, d0 = low - d1, ow = j->ow;
  uint32_t h0[1u << ((SORT_LOCAL_BITS + 1) / 2)], h1[1u << ((SORT_LOCAL_BITS + 1) / 2)];
  const uint32_t *rec = j->rec, *ov = j->ov;
  const uint32_t *const *ovstart = (const uint32_t *const *)j->ovstart, *ovorder = j->ovorder;
  const sink_t *sinks = j->sinks;
  const unsigned parts = j->parts;
  uint64_t *kv = malloc(16 * (j->maxm + 1)), *tmp = kv + j->maxm + 1;
  if (!kv) {
    j->rc[part] = -1;
    return;
  }
  for (size_t b = lo; b < hi; b++) {
    size_t m = 0;
    for (unsigned q = 0; q < parts; q++) {
      const sink_t *s = &sinks[q];
      for (size_t i = s->first + b * s->cap, e = s->cur[b]; i < e; i++) kv[m++] = (uint64_t)rec[REC * i] << 32 | i;
      if (ovstart[q])
        for (size_t i = ovstart[q][b]; i < ovstart[q][b + 1]; i++) {
          uint32_t g = ovorder[i];
          kv[m++] = (uint64_t)ov[REC * (size_t)g] << 32 | (slots + g);
        }
    }
    if (m == 0) continue;
    const uint64_t *res = POS_SUFFIX(sort_in_cache)(kv, tmp, m, d0, d1, h0, h1);
    size_t rank = j->rank[b];
    switch (ow) { /* constant metadata widths: the copies unrolled, the destinations in registers */
      case 0: POS_SUFFIX(emit_bucket)(j, res, m, rank, 0); break;
      case 1: POS_SUFFIX(emit_bucket)(j, res, m, rank, 1); break;
      case 2: POS_SUFFIX(emit_bucket)(j, res, m, rank, 2); break;
      case 3: POS_SUFFIX(emit_bucket)(j, res, m, rank, 3); break;
      default: POS_SUFFIX(emit_bucket)(j, res, m, rank, 4); break;
    }
  }
#ifdef POS_AVX2
  _mm_sfence();
#endif
  free(kv);
}

/* Table t's records (in sinks[0..parts)) emitted in rank order into y, pos and dst[0..ow), on up to two
 * threads (the buckets in two ranges of about equal entries). Returns -1 when out of memory. */
static int POS_SUFFIX(emit_table)(pool_t *p, sink_t *sinks, unsigned parts, unsigned low, size_t nb, size_t count,
                                  unsigned threads, uint32_t *y, uint32_t *pos, unsigned ow, uint32_t *const *dst) {
  struct emit_job j;
  memset(&j, 0, sizeof j);
  j.sinks = sinks;
  j.parts = parts;
  j.low = low;
  j.ow = ow;
  j.rec = p->rec;
  j.y = y;
  j.pos = pos;
  for (unsigned w = 0; w < ow; w++) j.dst[w] = dst[w];
  const sink_t *last = &sinks[parts - 1];
  int rc = emit_prepare(&j, nb, last->first + nb * last->cap);
  if (rc == 0 && j.rank[nb] != count) rc = -1; /* cannot happen: every match has one record */
  if (rc == 0) {
    unsigned eparts = threads >= 2 && count >= 4096 ? 2 : 1;
    size_t mid = nb;
    if (eparts == 2) {
      mid = 0;
      while (mid < nb && j.rank[mid] < count / 2) mid++;
    }
    j.bounds[0] = 0;
    j.bounds[1] = mid;
    j.bounds[2] = nb;
    run_parts(POS_SUFFIX(emit_part), &j, eparts);
    rc = j.rc[0] | j.rc[1];
  }
  emit_free(&j);
  return rc;
}

/* --- matching ------------------------------------------------------------------------------- */

/* Bit m of the result: some right entry has target m of a left entry in row rb with selector row sel
 * (match_consts.sel) in the row bitmap bm (BM_WORDS, four planes). AVX2, per 8 targets: the 8 rows they
 * lie in are one load per plane; two levels of variable blends keep each lane's plane, a variable
 * shift brings the bit to the lane's sign and one movemask collects it (no gathers: they are
 * microcoded and were most of the matching time). */
static inline uint64_t POS_SUFFIX(hits)(const uint32_t *bm, unsigned rb, const uint8_t *sel) {
#ifdef POS_AVX2
  const uint32_t *p0 = bm + rb, *p1 = p0 + BM_PLANE, *p2 = p1 + BM_PLANE, *p3 = p2 + BM_PLANE;
  /* per 8 targets the bit sits in each lane's sign; four such vectors pack (signed saturation keeps
   * signs) into 32 bytes in the order of the 4-target groups 0,2,4,6 | 1,3,5,7, put back by one vpermd,
   * and one byte movemask takes the 32 bits */
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  __m256i v[PM / 8];
#pragma GCC unroll 8
  for (unsigned b = 0; b < PM; b += 8) {
    __m256i s = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(sel + b)));
    __m256 lo = _mm256_castsi256_ps(_mm256_slli_epi32(s, 31)), hi = _mm256_castsi256_ps(_mm256_slli_epi32(s, 30));
    __m256 a = _mm256_blendv_ps(_mm256_loadu_ps((const float *)(p0 + b)), _mm256_loadu_ps((const float *)(p1 + b)), lo);
    __m256 c = _mm256_blendv_ps(_mm256_loadu_ps((const float *)(p2 + b)), _mm256_loadu_ps((const float *)(p3 + b)), lo);
    __m256i x = _mm256_castps_si256(_mm256_blendv_ps(a, c, hi));
    v[b / 8] = _mm256_sllv_epi32(x, _mm256_srli_epi32(s, 2));
  }
  uint64_t hit = 0;
#pragma GCC unroll 2
  for (unsigned h = 0; h < PM / 32; h++) {
    __m256i p = _mm256_packs_epi16(_mm256_packs_epi32(v[4 * h], v[4 * h + 1]),
                                   _mm256_packs_epi32(v[4 * h + 2], v[4 * h + 3]));
    hit |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_permutevar8x32_epi32(p, order)) << (32 * h);
  }
  return hit;
#else
  uint64_t mask = 0;
  for (unsigned m = 0; m < PM; m++) {
    unsigned s = sel[m];
    mask |= (uint64_t)((bm[(s & 3) * BM_PLANE + rb + m] << (s >> 2)) >> 31) << m;
  }
  return mask;
#endif
}

/* The rank among the right bucket's distinct residues of target m of a left entry in row rb, selector
 * row sel: the set bits of the bitmap before the target's, i.e. the bits of the rows and words before it
 * (wpre, per bitmap word) and those below it in its word (the shift by sel's amount brings the target's
 * bit to the top; one more drops it). Rows and words ascend with the residue, and the right entries'
 * residues ascend with their rank: so this is the index of the target's residue in the bucket's list
 * of distinct residues (first_of). For a target without a hit, some index <= their count. */
/* r / C for a residue r < B·C: one multiply (exact below 16763; the compiler's division by a constant
 * takes six operations for any 32-bit r) */
static inline uint32_t POS_SUFFIX(residue_row)(uint32_t r) { return (r * 16514u) >> 21; }

static inline uint32_t POS_SUFFIX(target_rank)(const uint32_t *bm, const uint16_t *wpre, unsigned rb,
                                                const uint8_t *sel, unsigned m) {
  unsigned s = sel[m], wi = (s & 3) * BM_PLANE + rb + m;
  return wpre[wi] + (uint32_t)__builtin_popcount((bm[wi] << (s >> 2)) << 1);
}

/* A left entry of residue r (pair parity offset qoff): its hits, rotated to start at its first target in
 * ascending order (m0), its row and its selector row. */
static inline __attribute__((always_inline)) void POS_SUFFIX(left_state)(uint32_t r, uint32_t qoff,
                                                                         const match_consts *mc, const uint32_t *bm,
                                                                         uint64_t *mask, const uint8_t **sel,
                                                                         unsigned *rb, unsigned *m0) {
  uint32_t row = POS_SUFFIX(residue_row)(r), col = r - row * PC;
  const uint8_t *sr = mc->sel + qoff + col * PM;
  uint64_t h = POS_SUFFIX(hits)(bm, row, sr);
  unsigned s = mc->m0[row];
  *mask = (h >> s) | (h << ((64 - s) & 63));
  *sel = sr;
  *rb = row;
  *m0 = s;
}

/* The matches of bucket pair (b, b + 1), left entries [ls, le), right entries [le, re), appended to
 * ML/MR from index c; returns the new count. bm (BM_WORDS) is zero on entry and on return (but for its
 * spare word); wpre (4 * BM_PLANE) and first_of (the right bucket's distinct residues, at most PBC,
 * plus one) are scratch.
 * The right bucket becomes the bitmap of its residues, and the list of its distinct residues: per
 * residue the rank of its first entry, FIRST_DUP when more follow. A hit's right entries are then found
 * from the bitmap alone (target_rank): no table indexed by residue, whose 60 KB per bucket did not fit
 * the L1 cache with the rest.
 * Emission order (farming §3.4 step 2): per left entry, targets ascending, i.e. starting from the
 * first m whose group (rb + m) mod B wraps around; per target, right entries in rank order (equal y
 * are adjacent: y ascends within a bucket). */
static inline size_t POS_SUFFIX(match_bucket)(const uint32_t *y, size_t b, uint32_t ls, uint32_t le, uint32_t re,
                                              const match_consts *mc, uint32_t *first_of, uint16_t *wpre,
                                              uint32_t *bm, uint32_t *ML, uint32_t *MR, size_t c) {
  uint32_t base_r = (uint32_t)(b + 1) * PBC, base_l = (uint32_t)b * PBC, qoff = (uint32_t)(b & 1) * PC * PM;
  uint32_t d = 0;
  for (uint32_t i = le, prev = UINT32_MAX; i < re; i++) {
    uint32_t r = y[i] - base_r;
    if (r == prev) { /* the same residue: the list keeps its first entry, flagged */
      first_of[d - 1] |= FIRST_DUP;
      continue;
    }
    prev = r;
    first_of[d++] = i;
    uint32_t row = POS_SUFFIX(residue_row)(r), col = r - row * PC, wi = (col >> 5) * BM_PLANE + row, bit = 1u << (col & 31);
    bm[wi] |= bit;
    bm[row < PM ? wi + PB : BM_SPARE] |= bit; /* the repeat (half the rows have one) */
  }
  first_of[d] = 0;
  /* wpre: the bits before each word, in residue order (row by row, words ascending); repeats copied */
  for (uint32_t row = 0, run = 0; row < PB; row++)
    for (unsigned w = 0; w < 4; w++) {
      wpre[w * BM_PLANE + row] = (uint16_t)run;
      run += (uint32_t)__builtin_popcount(bm[w * BM_PLANE + row]);
    }
  for (unsigned w = 0; w < 4; w++) memcpy(wpre + w * BM_PLANE + PB, wpre + w * BM_PLANE, 2 * PM);
  /* Software-pipelined: the next left entry's hits are computed while this one's candidates load (its
   * chain, from the row loads to the candidates' ranks, is longer than the loop's reorder window
   * covers). */
  uint64_t nmask = 0;
  const uint8_t *nsel = NULL;
  unsigned nrb = 0, nm0 = 0;
  if (ls < le) POS_SUFFIX(left_state)(y[ls] - base_l, qoff, mc, bm, &nmask, &nsel, &nrb, &nm0);
  for (uint32_t l = ls; l < le; l++) {
    uint64_t mask = nmask;
    const uint8_t *sel = nsel;
    unsigned rb = nrb, m0 = nm0;
    /* Without branches for the common case (at most two hits, neither with several right entries:
     * ~90% of left entries; the number of hits is about Poisson(1)): both candidates are written and
     * the count advances by the hits. A candidate past the hits is read all the same (some entry of
     * the list, or its terminator), its flag ignored. */
    uint64_t mask2 = mask & (mask - 1);
    unsigned n = (unsigned)__builtin_popcountll(mask);
    unsigned ma = (m0 + (unsigned)__builtin_ctzll(mask | (uint64_t)1 << 63)) & (PM - 1);
    unsigned mb = (m0 + (unsigned)__builtin_ctzll(mask2 | (uint64_t)1 << 63)) & (PM - 1);
    uint32_t fa = first_of[POS_SUFFIX(target_rank)(bm, wpre, rb, sel, ma)];
    uint32_t fb = first_of[POS_SUFFIX(target_rank)(bm, wpre, rb, sel, mb)];
    if (l + 1 < le) POS_SUFFIX(left_state)(y[l + 1] - base_l, qoff, mc, bm, &nmask, &nsel, &nrb, &nm0);
    ML[c] = l;
    MR[c] = fa & ~FIRST_DUP;
    ML[c + 1] = l;
    MR[c + 1] = fb & ~FIRST_DUP;
    uint32_t flags = (n > 0 ? fa : 0) | (n > 1 ? fb : 0);
    if (__builtin_expect(!((mask2 & (mask2 - 1)) | (flags & FIRST_DUP)), 1)) { /* n <= 2, no flag */
      c += n;
      continue;
    }
    do {
      unsigned m = (m0 + (unsigned)__builtin_ctzll(mask)) & (PM - 1);
      mask &= mask - 1;
      uint32_t f = first_of[POS_SUFFIX(target_rank)(bm, wpre, rb, sel, m)], f0 = f & ~FIRST_DUP;
      ML[c] = l;
      MR[c++] = f0;
      if (f & FIRST_DUP)
        for (uint32_t g = f0 + 1; g < re && y[g] == y[f0]; g++) {
          ML[c] = l;
          MR[c++] = g;
        }
    } while (mask);
  }
  memset(bm, 0, 4 * BM_SPARE);
  return c;
}

/* Matches of the sorted table p->y[0..n) into p->ml/p->mr, in the canonical emission order (farming
 * §3.4 step 2): bucket pairs ascending, each as match_bucket. */
static int POS_SUFFIX(find_matches)(pool_t *p, size_t n, unsigned k, unsigned words, size_t *count) {
  size_t nb = (size_t)((((uint64_t)1 << (k + EXT)) + PBC - 1) / PBC);
  p->split = 0;
  uint32_t *starts = calloc(nb + 2, 4);
  uint32_t *first_of = malloc(4 * (PBC + 8));
  uint16_t *wpre = malloc(2 * 4 * BM_PLANE);
  uint32_t *bm = calloc(BM_WORDS, 4);
  int rc = -1;
  size_t c = 0;
  if (!starts || !first_of || !wpre || !bm) goto done;
  const uint32_t *y = p->y;
  bucket_starts(y, n, nb, starts);
  for (size_t b = 0; b + 1 < nb; b++) {
    uint32_t ls = starts[b], le = starts[b + 1], re = starts[b + 2];
    if (ls == le || le == re) continue;
    if (c + (size_t)(le - ls) * (re - le) > p->cap) {
      if (pool_reserve(p, c + (size_t)(le - ls) * (re - le), words)) goto done;
      y = p->y;
    }
    c = POS_SUFFIX(match_bucket)(y, b, ls, le, re, p->mc, first_of, wpre, bm, p->ml, p->mr, c);
  }
  rc = 0;
done:
  *count = c;
  free(starts); free(first_of); free(wpre); free(bm);
  return rc;
}

/* --- fn ------------------------------------------------------------------------------------- */

/* fn_t (farming §3.3) of matches [lo, hi) as records (y, ranks, then metadata: none for t = 7) into the
 * sink's buckets, emission order. Inlined with constant k and t for K = 20 (fn_range): the message
 * words known to be zero drop out of BLAKE3 and the field splits are fixed. */
static inline __attribute__((always_inline)) void POS_SUFFIX(fn_body)(pool_t *p, sink_t *sink, const uint32_t *ml,
                                                                      const uint32_t *mr, unsigned k, unsigned t,
                                                                      size_t lo, size_t hi) {
  unsigned ybits = k + EXT, mb = meta_bits(k, t - 1), pw = meta_words(k, t - 1), mbo = meta_bits(k, t),
           ow = meta_words(k, t), total = ybits + 2 * mb, nw = (total + 31) / 32;
  uint32_t block_len = (total + 7) / 8;
  uint32_t last_keep = mbo % 32 ? ~0u << (32 - mbo % 32) : ~0u;
  v8u h[5], o[MAX_META_WORDS];
  uint32_t *recs = p->rec, *cur = sink->cur, low = sink->low;
#ifdef POS_AVX2
  uint32_t *stage = sink->stage;
#endif
  const size_t first = sink->first, cap = sink->cap;
  for (size_t base = lo; base < hi; base += LANES) {
    v8u L, R, f[3][MAX_META_WORDS + 1], msg[16];
    memcpy(&L, ml + base, sizeof L);
    memcpy(&R, mr + base, sizeof R);
    POS_SUFFIX(gather)(&f[0][0], p->y, &L);
    f[0][0] <<= 32 - ybits;
#pragma GCC unroll 4
    for (unsigned w = 0; w < pw; w++) {
      POS_SUFFIX(gather)(&f[1][w], p->meta[w], &L);
      POS_SUFFIX(gather)(&f[2][w], p->meta[w], &R);
    }
#pragma GCC unroll 16
    for (unsigned j = 0; j < 16; j++) {
      v8u wj = {0};
      if (j < nw) {
        POS_SUFFIX(field_word)(&wj, f[0], 1, 0, j);
        POS_SUFFIX(field_word)(&wj, f[1], pw, (int)ybits, j);
        POS_SUFFIX(field_word)(&wj, f[2], pw, (int)(ybits + mb), j);
        POS_SUFFIX(vbswap)(&wj);
      }
      msg[j] = wj;
    }
    POS_SUFFIX(blake3_x8)(h, msg, block_len);
#pragma GCC unroll 5
    for (int i = 0; i < 5; i++) POS_SUFFIX(vbswap)(&h[i]);
    v8u y = h[0] >> (32 - ybits);
    unsigned valid = hi - base < LANES ? (unsigned)(hi - base) : LANES;
#pragma GCC unroll 4
    for (unsigned w = 0; w < MAX_META_WORDS; w++) o[w] = (v8u){0};
    if (t <= 3) {
#pragma GCC unroll 4
      for (unsigned w = 0; w < ow; w++) {
        POS_SUFFIX(field_word)(&o[w], f[1], pw, 0, w);
        POS_SUFFIX(field_word)(&o[w], f[2], pw, (int)mb, w);
      }
    } else if (t < 7) {
#pragma GCC unroll 4
      for (unsigned w = 0; w < ow; w++) {
        o[w] = (h[w] << ybits) | (h[w + 1] >> (32 - ybits));
        if (w == ow - 1) o[w] &= last_keep;
      }
    }
    /* the 8 records are the transpose of (y, L, R, o[0..3], 0); each goes to its bucket's next slot */
#ifdef POS_AVX2
    __m256i a0 = (__m256i)y, a1 = (__m256i)L, a2 = (__m256i)R, a3 = (__m256i)o[0], a4 = (__m256i)o[1],
            a5 = (__m256i)o[2], a6 = (__m256i)o[3], a7 = _mm256_setzero_si256();
    __m256i t0 = _mm256_unpacklo_epi32(a0, a1), t1 = _mm256_unpackhi_epi32(a0, a1);
    __m256i t2 = _mm256_unpacklo_epi32(a2, a3), t3 = _mm256_unpackhi_epi32(a2, a3);
    __m256i t4 = _mm256_unpacklo_epi32(a4, a5), t5 = _mm256_unpackhi_epi32(a4, a5);
    __m256i t6 = _mm256_unpacklo_epi32(a6, a7), t7 = _mm256_unpackhi_epi32(a6, a7);
    __m256i u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
    __m256i u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
    __m256i u4 = _mm256_unpacklo_epi64(t4, t6), u5 = _mm256_unpackhi_epi64(t4, t6);
    __m256i u6 = _mm256_unpacklo_epi64(t5, t7), u7 = _mm256_unpackhi_epi64(t5, t7);
    __m256i r[8] = {_mm256_permute2x128_si256(u0, u4, 0x20), _mm256_permute2x128_si256(u1, u5, 0x20),
                    _mm256_permute2x128_si256(u2, u6, 0x20), _mm256_permute2x128_si256(u3, u7, 0x20),
                    _mm256_permute2x128_si256(u0, u4, 0x31), _mm256_permute2x128_si256(u1, u5, 0x31),
                    _mm256_permute2x128_si256(u2, u6, 0x31), _mm256_permute2x128_si256(u3, u7, 0x31)};
    v8u bv = y >> low, lim = bv * (uint32_t)cap + (uint32_t)(first + cap); /* < 2^32: sinks_init */
    for (unsigned i = 0; i < valid; i++) {
      uint32_t b = bv[i], slot = cur[b];
      if (__builtin_expect(slot < lim[i], 1)) {
        __m256i *st = (__m256i *)(stage + REC * SINK_STAGE * (size_t)b);
        unsigned at = (slot - first) & (SINK_STAGE - 1);
        _mm256_store_si256(st + at, r[i]);
        if (at == SINK_STAGE - 1) { /* the group's last record: the group streamed, whole cache lines */
          __m256i *line = (__m256i *)(recs + (size_t)REC * (slot - (SINK_STAGE - 1)));
          for (unsigned z = 0; z < SINK_STAGE; z++) _mm256_stream_si256(line + z, _mm256_load_si256(st + z));
        }
        cur[b] = slot + 1;
      } else {
        uint32_t w[REC];
        _mm256_storeu_si256((__m256i *)w, r[i]);
        sink_overflow(sink, w, b);
      }
    }
#else
    for (unsigned i = 0; i < valid; i++) {
      uint32_t w[REC] = {y[i], L[i], R[i], o[0][i], o[1][i], o[2][i], o[3][i], 0};
      uint32_t b = y[i] >> low, slot = cur[b];
      if (slot < first + (size_t)(b + 1) * cap) {
        memcpy(recs + (size_t)REC * slot, w, sizeof w);
        cur[b] = slot + 1;
      } else {
        sink_overflow(sink, w, b);
      }
    }
#endif
  }
#ifdef POS_AVX2
  _mm_sfence(); /* the streamed records visible before the threads join */
#endif
}

/* fn of the matches ml/mr[lo, hi) (their spare lanes up to the next multiple of LANES readable; their
 * results are dropped) into the sink. */
static void POS_SUFFIX(fn_range)(pool_t *p, sink_t *sink, const uint32_t *ml, const uint32_t *mr, unsigned k,
                                 unsigned t, size_t lo, size_t hi) {
  if (k == 20) {
    switch (t) {
      case 2: POS_SUFFIX(fn_body)(p, sink, ml, mr, 20, 2, lo, hi); return;
      case 3: POS_SUFFIX(fn_body)(p, sink, ml, mr, 20, 3, lo, hi); return;
      case 4: POS_SUFFIX(fn_body)(p, sink, ml, mr, 20, 4, lo, hi); return;
      case 5: POS_SUFFIX(fn_body)(p, sink, ml, mr, 20, 5, lo, hi); return;
      case 6: POS_SUFFIX(fn_body)(p, sink, ml, mr, 20, 6, lo, hi); return;
      default: POS_SUFFIX(fn_body)(p, sink, ml, mr, 20, 7, lo, hi); return;
    }
  }
  POS_SUFFIX(fn_body)(p, sink, ml, mr, k, t, lo, hi);
}

static void POS_SUFFIX(fn_part)(void *arg, unsigned part);

/* After fn: the staged records stored (AVX2). Returns parts, or -1 when a sink ran out of memory. */
static int POS_SUFFIX(sinks_done)(pool_t *p, sink_t *sinks, unsigned parts, size_t nb) {
  for (unsigned q = 0; q < parts; q++) {
    if (sinks[q].oom) return -1;
#ifdef POS_AVX2
    sink_flush(p, &sinks[q], nb);
#else
    (void)p;
    (void)nb;
#endif
  }
  return (int)parts;
}

/* fn_t of the table's `count` matches into sinks (buckets y >> low, nb of them), one per part: the matches
 * in p->ml/p->mr, or (p->split, two threads) still in the two halves of find_matches_mt, read in place
 * (no concatenation): half 0's whole lane groups on one thread, half 1 on the other from the entry that
 * puts its outputs on a group boundary, and the group between them (half 0's last entries, half 1's
 * first) on the calling thread afterwards, into sink 0 (after half 0's records: emission order). Returns
 * the number of sinks used, or -1 when out of memory. */
static int POS_SUFFIX(fn_all)(pool_t *p, unsigned k, unsigned t, size_t count, unsigned threads, sink_t *sinks,
                              unsigned low, size_t nb) {
  if (p->split) {
    mbuf_t *h = p->halves;
    size_t c0 = h[0].c, c1 = h[1].c, r0 = c0 % LANES, hi0 = c0 - r0;
    size_t s1 = r0 == 0 ? 0 : (LANES - r0 < c1 ? LANES - r0 : c1), counts[2] = {c0 + s1, c1 - s1};
    if (sinks_init(p, sinks, 2, counts, low, nb)) return -1;
    for (size_t i = c1; i < c1 + LANES; i++) h[1].l[i] = h[1].r[i] = 0; /* the last group's spare lanes */
    struct fn_job job = {p, k, t, {h[0].l, h[1].l}, {h[0].r, h[1].r}, {0, s1}, {hi0, c1}, {&sinks[0], &sinks[1]}};
    run_parts(POS_SUFFIX(fn_part), &job, 2);
    if (r0 > 0) {
      uint32_t ml[2 * LANES] = {0}, mr[2 * LANES] = {0};
      memcpy(ml, h[0].l + hi0, 4 * r0);
      memcpy(mr, h[0].r + hi0, 4 * r0);
      memcpy(ml + r0, h[1].l, 4 * s1);
      memcpy(mr + r0, h[1].r, 4 * s1);
      POS_SUFFIX(fn_range)(p, &sinks[0], ml, mr, k, t, 0, r0 + s1);
    }
    return POS_SUFFIX(sinks_done)(p, sinks, 2, nb);
  }
  for (size_t i = count; i < count + LANES; i++) p->ml[i] = p->mr[i] = 0; /* the last group's spare lanes */
  if (threads < 2 || count < 4096) {
    if (sinks_init(p, sinks, 1, &count, low, nb)) return -1;
    POS_SUFFIX(fn_range)(p, &sinks[0], p->ml, p->mr, k, t, 0, count);
    return POS_SUFFIX(sinks_done)(p, sinks, 1, nb);
  }
  size_t half = (count / 2) & ~(size_t)(LANES - 1), counts[2] = {half, count - half};
  if (sinks_init(p, sinks, 2, counts, low, nb)) return -1;
  struct fn_job job = {p, k, t, {p->ml, p->ml}, {p->mr, p->mr}, {0, half}, {half, count}, {&sinks[0], &sinks[1]}};
  run_parts(POS_SUFFIX(fn_part), &job, 2);
  return POS_SUFFIX(sinks_done)(p, sinks, 2, nb);
}

/* --- matching on two threads ------------------------------------------------------------------ */

/* The matches of bucket pairs [b_lo, b_hi) into a private buffer (the body of find_matches). */
static int POS_SUFFIX(match_range)(const uint32_t *y, const uint32_t *starts, const match_consts *mc, size_t b_lo,
                                   size_t b_hi, mbuf_t *out) {
  uint32_t *first_of = malloc(4 * (PBC + 8)); /* as find_matches */
  uint16_t *wpre = malloc(2 * 4 * BM_PLANE);
  uint32_t *bm = calloc(BM_WORDS, 4);
  int rc = -1;
  size_t c = 0;
  if (!first_of || !wpre || !bm) goto done;
  for (size_t b = b_lo; b < b_hi; b++) {
    uint32_t ls = starts[b], le = starts[b + 1], re = starts[b + 2];
    if (ls == le || le == re) continue;
    if (mbuf_reserve(out, c + (size_t)(le - ls) * (re - le))) goto done;
    c = POS_SUFFIX(match_bucket)(y, b, ls, le, re, mc, first_of, wpre, bm, out->l, out->r, c);
  }
  rc = 0;
done:
  out->c = c;
  free(first_of);
  free(wpre);
  free(bm);
  return rc;
}

static void POS_SUFFIX(match_part)(void *arg, unsigned part) {
  struct match_job *j = arg;
  j->rc[part] = POS_SUFFIX(match_range)(j->y, j->starts, j->mc, j->bounds[part], j->bounds[part + 1], &j->out[part]);
}

static void POS_SUFFIX(fn_part)(void *arg, unsigned part) {
  struct fn_job *j = arg;
  POS_SUFFIX(fn_range)(j->p, j->sink[part], j->l[part], j->r[part], j->k, j->t, j->lo[part], j->hi[part]);
}

/* find_matches with the bucket pairs split in two halves of about equal left entries, one per thread;
 * the halves' matches stay in p->halves (p->split), read in place by fn_all as if concatenated: the
 * emission order is the same. */
static int POS_SUFFIX(find_matches_mt)(pool_t *p, size_t n, unsigned k, unsigned words, size_t *count) {
  size_t nb = (size_t)((((uint64_t)1 << (k + EXT)) + PBC - 1) / PBC);
  p->split = 0;
  uint32_t *starts = calloc(nb + 2, 4);
  int rc = -1;
  struct match_job job;
  memset(&job, 0, sizeof job);
  *count = 0;
  if (!starts) return -1;
  bucket_starts(p->y, n, nb, starts);
  size_t mid = 0;
  while (mid + 1 < nb && starts[mid] < n / 2) mid++;
  job.y = p->y;
  job.starts = starts;
  job.mc = p->mc;
  job.out = p->halves; /* kept in the pool: no fresh pages per table */
  job.bounds[0] = 0;
  job.bounds[1] = mid;
  job.bounds[2] = nb > 0 ? nb - 1 : 0;
  run_parts(POS_SUFFIX(match_part), &job, 2);
  if (job.rc[0] == 0 && job.rc[1] == 0) {
    size_t c0 = job.out[0].c, c1 = job.out[1].c;
    if (pool_reserve(p, c0 + c1, words) == 0) {
      p->split = 1;
      *count = c0 + c1;
      rc = 0;
    }
  }
  free(starts);
  return rc;
}

/* --- the seven tables --------------------------------------------------------------------------- */

static int POS_SUFFIX(build)(k_pos_tables *out, pool_t *p, const uint8_t seed[32], unsigned k, unsigned threads,
                             unsigned flags) {
  size_t n = (size_t)1 << k;
  unsigned words = meta_words(k, 3);
  if (pool_reserve(p, n + n / 8 + 1024, words) || f1_all(seed, k, p->ny)) return -1;
  out->x = out_alloc(p, 4 * n);
  if (!out->x) return -1;
  struct sort_job sj;
  memset(&sj, 0, sizeof sj);
  sj.keys = p->ny;
  sj.n = n;
  sj.y = p->y;
  sj.x = out->x;
  sj.meta0 = p->meta[0];
  sj.k = k;
  if (POS_SUFFIX(sort_table1)(p, &sj, k + EXT, threads)) return -1;
  size_t ln = n;
  for (unsigned t = 2; t <= 7; t++) {
    size_t c;
    if (threads >= 2 && ln >= 4096 ? POS_SUFFIX(find_matches_mt)(p, ln, k, words, &c)
                                   : POS_SUFFIX(find_matches)(p, ln, k, words, &c))
      return -1;
    unsigned bits = k + EXT, low = bits < SORT_LOCAL_BITS ? bits : SORT_LOCAL_BITS, ow = meta_words(k, t);
    size_t nb = (size_t)1 << (bits - low);
    sink_t sinks[2];
    memset(sinks, 0, sizeof sinks);
    int parts = POS_SUFFIX(fn_all)(p, k, t, c, threads, sinks, low, nb);
    uint32_t *pos = parts < 0 ? NULL : out_alloc(p, 8 * c);
    if (pos) {
      out->pos[t - 2] = pos;
      out->count[t - 2] = c;
    }
    int rc = pos ? POS_SUFFIX(emit_table)(p, sinks, (unsigned)parts, low, nb, c, threads, p->ny, pos, ow, p->smeta) : -1;
    sinks_free(sinks, 2);
    if (rc) return -1;
    for (unsigned w = 0; w < ow; w++) swap_arrays(&p->meta[w], &p->smeta[w]);
    if (t == 2 && (flags & K_POS_PAIRS)) {
      /* table 2's metadata is its x pair (x_l || x_r, 2k bits): kept as pairs for the proof walk */
      uint32_t *x2 = x2_take(2 * c + 2, &out->x2_cap);
      if (!x2) return -1;
      out->x2 = x2;
      const uint32_t *m0 = p->meta[0], *m1 = ow > 1 ? p->meta[1] : p->meta[0];
      for (size_t i = 0; i < c; i++) {
        uint64_t v = (uint64_t)m0[i] << 32 | (ow > 1 ? m1[i] : 0);
        x2[2 * i] = (uint32_t)(v >> (64 - k));
        x2[2 * i + 1] = (uint32_t)(v >> (64 - 2 * k)) & (((uint32_t)1 << k) - 1);
      }
    }
    swap_arrays(&p->y, &p->ny); /* the emission wrote the sorted y into ny */
    ln = c;
  }
  out->y7 = out_alloc(p, 4 * ln);
  if (!out->y7) return -1;
  memcpy(out->y7, p->y, 4 * ln);
  return 0;
}
