/*
 * The table pipeline of pos.c, included once per instruction set with POS_SUFFIX(name) defined (and
 * POS_AVX2 for the AVX2 build, inside `#pragma GCC target("avx2")`). No include guard on purpose.
 */

/* BLAKE3 of one block for 8 messages (word-sliced): out[w] lane i = output word w (little-endian) of
 * message lane i, w < 5. flags = CHUNK_START | CHUNK_END | ROOT. */
#define VROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define VG(a, b, c, d, mx, my)                 \
  a = a + b + (mx); d = VROTR(d ^ a, 16);      \
  c = c + d; b = VROTR(b ^ c, 12);             \
  a = a + b + (my); d = VROTR(d ^ a, 8);       \
  c = c + d; b = VROTR(b ^ c, 7);

static void POS_SUFFIX(blake3_x8)(v8u out[5], const v8u m[16], uint32_t block_len) {
  v8u v[16];
  for (int i = 0; i < 8; i++) v[i] = (v8u){0} + B3_IV[i];
  for (int i = 0; i < 4; i++) v[8 + i] = (v8u){0} + B3_IV[i];
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
  for (int i = 0; i < 5; i++) out[i] = v[i] ^ v[i + 8];
}
#undef VG
#undef VROTR

/* Byte swap of every lane, in place. */
static inline void POS_SUFFIX(vbswap)(v8u *x) {
#ifdef POS_AVX2
  *x = (v8u)__builtin_shuffle((v32u8)*x, (v32u8){3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
                                                 19, 18, 17, 16, 23, 22, 21, 20, 27, 26, 25, 24, 31, 30, 29, 28});
#else
  *x = (*x >> 24) | ((*x >> 8) & 0xff00) | ((*x << 8) & 0xff0000) | (*x << 24);
#endif
}

/* *out = arr[idx[i]] for the 8 lanes */
static inline void POS_SUFFIX(gather)(v8u *out, const uint32_t *arr, const v8u *idx) {
#ifdef POS_AVX2
  *out = (v8u)_mm256_i32gather_epi32((const int *)arr, (__m256i)*idx, 4);
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

/* --- sorting -------------------------------------------------------------------------------- */

/* Stable LSD radix sort of keys[0..n) (< 2^bits) through the pool's ping-pong buffers: *sk = the
 * sorted keys, *si = the permutation (sorted position -> index). keys is not written. */
static int POS_SUFFIX(radix_sort)(pool_t *p, const uint32_t *keys, size_t n, unsigned bits, uint32_t ***sk,
                                  uint32_t ***si) {
  unsigned passes = (bits + 12) / 13;
  if (passes == 0) passes = 1;
  unsigned digit = (bits + passes - 1) / passes;
  size_t size = (size_t)1 << digit;
  uint32_t mask = (uint32_t)size - 1;
  uint32_t *counts = calloc(size * passes, 4);
  if (!counts) return -1;
  /* every pass's histogram in one read of the keys */
  for (size_t i = 0; i < n; i++) {
    uint32_t key = keys[i];
    for (unsigned q = 0; q < passes; q++) counts[q * size + ((key >> (q * digit)) & mask)]++;
  }
  uint32_t **dk = &p->k1, **di = &p->i1;
  const uint32_t *srck = keys, *srci = NULL;
  for (unsigned q = 0, shift = 0; q < passes; q++, shift += digit) {
    uint32_t *c = counts + q * size, sum = 0, *ok = *dk, *oi = *di;
    for (size_t d = 0; d < size; d++) { uint32_t v = c[d]; c[d] = sum; sum += v; }
    if (srci == NULL) {
      for (size_t i = 0; i < n; i++) {
        uint32_t key = srck[i], pos = c[(key >> shift) & mask]++;
        ok[pos] = key;
        oi[pos] = (uint32_t)i;
      }
    } else {
      for (size_t i = 0; i < n; i++) {
        uint32_t key = srck[i], pos = c[(key >> shift) & mask]++;
        ok[pos] = key;
        oi[pos] = srci[i];
      }
    }
    *sk = dk;
    *si = di;
    srck = ok;
    srci = oi;
    dk = dk == &p->k1 ? &p->k2 : &p->k1;
    di = di == &p->i1 ? &p->i2 : &p->i1;
  }
  free(counts);
  return 0;
}

/* radix_sort on two threads: per pass, each half of the source counts its digits, then scatters at
 * offsets where, for equal digits, the first half precedes the second (stable, same result). */
static void POS_SUFFIX(rsort_part)(void *arg, unsigned part) {
  struct rsort_job *j = arg;
  size_t lo = j->bounds[part], hi = j->bounds[part + 1];
  uint32_t shift = j->shift, mask = j->mask, *c = j->counts[part];
  const uint32_t *srck = j->srck, *srci = j->srci;
  if (j->phase == 0) {
    memset(c, 0, 4 * ((size_t)mask + 1));
    for (size_t i = lo; i < hi; i++) c[(srck[i] >> shift) & mask]++;
    return;
  }
  uint32_t *ok = j->ok, *oi = j->oi;
  if (srci == NULL) {
    for (size_t i = lo; i < hi; i++) {
      uint32_t key = srck[i], pos = c[(key >> shift) & mask]++;
      ok[pos] = key;
      oi[pos] = (uint32_t)i;
    }
  } else {
    for (size_t i = lo; i < hi; i++) {
      uint32_t key = srck[i], pos = c[(key >> shift) & mask]++;
      ok[pos] = key;
      oi[pos] = srci[i];
    }
  }
}

static int POS_SUFFIX(radix_sort_mt)(pool_t *p, const uint32_t *keys, size_t n, unsigned bits, uint32_t ***sk,
                                     uint32_t ***si) {
  unsigned passes = (bits + 12) / 13;
  if (passes == 0) passes = 1;
  unsigned digit = (bits + passes - 1) / passes;
  size_t size = (size_t)1 << digit;
  struct rsort_job j;
  memset(&j, 0, sizeof j);
  j.counts[0] = malloc(4 * size);
  j.counts[1] = malloc(4 * size);
  if (!j.counts[0] || !j.counts[1]) {
    free(j.counts[0]);
    free(j.counts[1]);
    return -1;
  }
  j.mask = (uint32_t)size - 1;
  j.bounds[0] = 0;
  j.bounds[1] = n / 2;
  j.bounds[2] = n;
  uint32_t **dk = &p->k1, **di = &p->i1;
  j.srck = keys;
  j.srci = NULL;
  for (unsigned q = 0; q < passes; q++) {
    j.shift = q * digit;
    j.phase = 0;
    run_parts(POS_SUFFIX(rsort_part), &j, 2);
    uint32_t sum = 0;
    for (size_t d = 0; d < size; d++) {
      uint32_t a = j.counts[0][d], b = j.counts[1][d];
      j.counts[0][d] = sum;
      j.counts[1][d] = sum + a;
      sum += a + b;
    }
    j.ok = *dk;
    j.oi = *di;
    j.phase = 1;
    run_parts(POS_SUFFIX(rsort_part), &j, 2);
    *sk = dk;
    *si = di;
    j.srck = j.ok;
    j.srci = j.oi;
    dk = dk == &p->k1 ? &p->k2 : &p->k1;
    di = di == &p->i1 ? &p->i2 : &p->i1;
  }
  free(j.counts[0]);
  free(j.counts[1]);
  return 0;
}

/* --- matching ------------------------------------------------------------------------------- */

/* Bit m of the result: some right entry has residue g[m] + q[m]. */
static inline uint64_t POS_SUFFIX(hits)(const uint16_t *cnt, const uint16_t *g, const uint8_t *q) {
#ifdef POS_AVX2
  const __m256i lo16 = _mm256_set1_epi32(0xffff), zero = _mm256_setzero_si256();
  uint64_t none = 0;
  for (unsigned b = 0; b < PM; b += 8) {
    __m256i idx = _mm256_add_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(g + b))),
                                   _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(q + b))));
    __m256i c = _mm256_and_si256(_mm256_i32gather_epi32((const int *)cnt, idx, 2), lo16);
    none |= (uint64_t)(uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(c, zero))) << b;
  }
  return ~none;
#else
  uint64_t mask = 0;
  for (unsigned m = 0; m < PM; m++) mask |= (uint64_t)(cnt[g[m] + q[m]] != 0) << m;
  return mask;
#endif
}

/* Matches of the sorted table p->y[0..n) into p->ml/p->mr, in the canonical emission order (farming
 * §3.4 step 2): bucket pairs ascending; per left entry, targets ascending, i.e. starting from the first
 * m whose group (rb + m) mod B wraps around; per target, right entries in rank order. */
static int POS_SUFFIX(find_matches)(pool_t *p, size_t n, unsigned k, unsigned words, size_t *count) {
  size_t nb = (size_t)((((uint64_t)1 << (k + EXT)) + PBC - 1) / PBC);
  uint32_t *starts = calloc(nb + 2, 4);
  uint16_t *cnt = calloc(PBC + 8, 2);
  uint32_t *first = malloc(4 * PBC);
  int rc = -1;
  size_t c = 0;
  if (!starts || !cnt || !first) goto done;
  const uint32_t *y = p->y;
  const match_consts *mc = p->mc;
  for (size_t i = 0; i < n; i++) starts[y[i] / PBC + 1]++;
  for (size_t b = 1; b <= nb + 1; b++) starts[b] += starts[b - 1];
  for (size_t b = 0; b + 1 < nb; b++) {
    uint32_t ls = starts[b], le = starts[b + 1], re = starts[b + 2];
    if (ls == le || le == re) continue;
    if (c + (size_t)(le - ls) * (re - le) > p->cap) {
      if (pool_reserve(p, c + (size_t)(le - ls) * (re - le), words)) goto done;
      y = p->y;
    }
    uint32_t base_r = (uint32_t)(b + 1) * PBC, base_l = (uint32_t)b * PBC, qrow = (b & 1) * PC;
    for (uint32_t i = le; i < re; i++) {
      uint32_t r = y[i] - base_r;
      if (cnt[r] == 0) first[r] = i;
      cnt[r]++;
    }
    uint32_t *ML = p->ml, *MR = p->mr;
    for (uint32_t l = ls; l < le; l++) {
      uint32_t r = y[l] - base_l, rb = r / PC;
      const uint8_t *q = mc->quad + (qrow + r - rb * PC) * PM;
      const uint16_t *g = mc->group_base + rb;
      uint64_t mask = POS_SUFFIX(hits)(cnt, g, q);
      if (!mask) continue;
      unsigned m0 = rb + PM - 1 >= PB ? PB - rb : 0;
      mask = (mask >> m0) | (mask << ((64 - m0) & 63));
      do {
        unsigned m = (m0 + (unsigned)__builtin_ctzll(mask)) & (PM - 1);
        mask &= mask - 1;
        uint32_t t = (uint32_t)g[m] + q[m], cn = cnt[t], f = first[t];
        for (uint32_t e = 0; e < cn; e++) {
          ML[c] = l;
          MR[c++] = f + e;
        }
      } while (mask);
    }
    for (uint32_t i = le; i < re; i++) cnt[y[i] - base_r] = 0;
  }
  rc = 0;
done:
  *count = c;
  free(starts); free(cnt); free(first);
  return rc;
}

/* --- fn ------------------------------------------------------------------------------------- */

/* fn_t (farming §3.3) of matches [0, count): p->ny and p->nmeta (none for t = 7), emission order. */
static void POS_SUFFIX(fn_range)(pool_t *p, unsigned k, unsigned t, size_t lo, size_t hi) {
  unsigned ybits = k + EXT, mb = meta_bits(k, t - 1), pw = meta_words(k, t - 1), mbo = meta_bits(k, t),
           ow = meta_words(k, t), total = ybits + 2 * mb, nw = (total + 31) / 32;
  uint32_t block_len = (total + 7) / 8;
  uint32_t last_keep = mbo % 32 ? ~0u << (32 - mbo % 32) : ~0u;
  v8u msg[16], h[5];
  for (int j = 0; j < 16; j++) msg[j] = (v8u){0};
  for (size_t base = lo; base < hi; base += LANES) {
    v8u L, R, f[3][MAX_META_WORDS + 1];
    memcpy(&L, p->ml + base, sizeof L);
    memcpy(&R, p->mr + base, sizeof R);
    POS_SUFFIX(gather)(&f[0][0], p->y, &L);
    f[0][0] <<= 32 - ybits;
    for (unsigned w = 0; w < pw; w++) {
      POS_SUFFIX(gather)(&f[1][w], p->meta[w], &L);
      POS_SUFFIX(gather)(&f[2][w], p->meta[w], &R);
    }
    for (unsigned j = 0; j < nw; j++) {
      v8u wj = {0};
      POS_SUFFIX(field_word)(&wj, f[0], 1, 0, j);
      POS_SUFFIX(field_word)(&wj, f[1], pw, (int)ybits, j);
      POS_SUFFIX(field_word)(&wj, f[2], pw, (int)(ybits + mb), j);
      POS_SUFFIX(vbswap)(&wj);
      msg[j] = wj;
    }
    POS_SUFFIX(blake3_x8)(h, msg, block_len);
    for (int i = 0; i < 5; i++) POS_SUFFIX(vbswap)(&h[i]);
    v8u y = h[0] >> (32 - ybits);
    memcpy(p->ny + base, &y, sizeof y);
    if (t <= 3) {
      for (unsigned w = 0; w < ow; w++) {
        v8u o = {0};
        POS_SUFFIX(field_word)(&o, f[1], pw, 0, w);
        POS_SUFFIX(field_word)(&o, f[2], pw, (int)mb, w);
        memcpy(p->nmeta[w] + base, &o, sizeof o);
      }
    } else if (t < 7) {
      for (unsigned w = 0; w < ow; w++) {
        v8u o = (h[w] << ybits) | (h[w + 1] >> (32 - ybits));
        if (w == ow - 1) o &= last_keep;
        memcpy(p->nmeta[w] + base, &o, sizeof o);
      }
    }
  }
}

static void POS_SUFFIX(fn_part)(void *arg, unsigned part);

/* fn_t of matches [lo, hi): lo a multiple of LANES; the spare lanes past the last match are zeroed. */
static void POS_SUFFIX(fn_all)(pool_t *p, unsigned k, unsigned t, size_t count, unsigned threads) {
  for (size_t i = count; i < count + LANES; i++) p->ml[i] = p->mr[i] = 0; /* the last group's spare lanes */
  if (threads < 2 || count < 4096) {
    POS_SUFFIX(fn_range)(p, k, t, 0, count);
    return;
  }
  size_t h = (count / 2) & ~(size_t)(LANES - 1);
  struct fn_job job = {p, k, t, {0, h, count}};
  run_parts(POS_SUFFIX(fn_part), &job, 2);
}

/* --- matching on two threads ------------------------------------------------------------------ */

/* The matches of bucket pairs [b_lo, b_hi) into a private buffer (the body of find_matches). */
static int POS_SUFFIX(match_range)(const uint32_t *y, const uint32_t *starts, const match_consts *mc, size_t b_lo,
                                   size_t b_hi, mbuf_t *out) {
  uint16_t *cnt = calloc(PBC + 8, 2);
  uint32_t *first = malloc(4 * PBC);
  int rc = -1;
  size_t c = 0;
  if (!cnt || !first) goto done;
  for (size_t b = b_lo; b < b_hi; b++) {
    uint32_t ls = starts[b], le = starts[b + 1], re = starts[b + 2];
    if (ls == le || le == re) continue;
    if (mbuf_reserve(out, c + (size_t)(le - ls) * (re - le))) goto done;
    uint32_t base_r = (uint32_t)(b + 1) * PBC, base_l = (uint32_t)b * PBC, qrow = (b & 1) * PC;
    for (uint32_t i = le; i < re; i++) {
      uint32_t r = y[i] - base_r;
      if (cnt[r] == 0) first[r] = i;
      cnt[r]++;
    }
    uint32_t *ML = out->l, *MR = out->r;
    for (uint32_t l = ls; l < le; l++) {
      uint32_t r = y[l] - base_l, rb = r / PC;
      const uint8_t *q = mc->quad + (qrow + r - rb * PC) * PM;
      const uint16_t *g = mc->group_base + rb;
      uint64_t mask = POS_SUFFIX(hits)(cnt, g, q);
      if (!mask) continue;
      unsigned m0 = rb + PM - 1 >= PB ? PB - rb : 0;
      mask = (mask >> m0) | (mask << ((64 - m0) & 63));
      do {
        unsigned m = (m0 + (unsigned)__builtin_ctzll(mask)) & (PM - 1);
        mask &= mask - 1;
        uint32_t t = (uint32_t)g[m] + q[m], cn = cnt[t], f = first[t];
        for (uint32_t e = 0; e < cn; e++) {
          ML[c] = l;
          MR[c++] = f + e;
        }
      } while (mask);
    }
    for (uint32_t i = le; i < re; i++) cnt[y[i] - base_r] = 0;
  }
  rc = 0;
done:
  out->c = c;
  free(cnt);
  free(first);
  return rc;
}

static void POS_SUFFIX(match_part)(void *arg, unsigned part) {
  struct match_job *j = arg;
  j->rc[part] = POS_SUFFIX(match_range)(j->y, j->starts, j->mc, j->bounds[part], j->bounds[part + 1], &j->out[part]);
}

static void POS_SUFFIX(fn_part)(void *arg, unsigned part) {
  struct fn_job *j = arg;
  POS_SUFFIX(fn_range)(j->p, j->k, j->t, j->bounds[part], j->bounds[part + 1]);
}

/* find_matches with the bucket pairs split in two halves of about equal left entries, one per thread;
 * the halves' matches are concatenated, so the emission order is the same. */
static int POS_SUFFIX(find_matches_mt)(pool_t *p, size_t n, unsigned k, unsigned words, size_t *count) {
  size_t nb = (size_t)((((uint64_t)1 << (k + EXT)) + PBC - 1) / PBC);
  uint32_t *starts = calloc(nb + 2, 4);
  int rc = -1;
  struct match_job job;
  memset(&job, 0, sizeof job);
  *count = 0;
  if (!starts) return -1;
  for (size_t i = 0; i < n; i++) starts[p->y[i] / PBC + 1]++;
  for (size_t b = 1; b <= nb + 1; b++) starts[b] += starts[b - 1];
  size_t mid = 0;
  while (mid + 1 < nb && starts[mid] < n / 2) mid++;
  job.y = p->y;
  job.starts = starts;
  job.mc = p->mc;
  job.bounds[0] = 0;
  job.bounds[1] = mid;
  job.bounds[2] = nb > 0 ? nb - 1 : 0;
  run_parts(POS_SUFFIX(match_part), &job, 2);
  if (job.rc[0] == 0 && job.rc[1] == 0) {
    size_t c0 = job.out[0].c, c1 = job.out[1].c;
    if (pool_reserve(p, c0 + c1, words) == 0) {
      memcpy(p->ml, job.out[0].l, 4 * c0);
      memcpy(p->mr, job.out[0].r, 4 * c0);
      memcpy(p->ml + c0, job.out[1].l, 4 * c1);
      memcpy(p->mr + c0, job.out[1].r, 4 * c1);
      *count = c0 + c1;
      rc = 0;
    }
  }
  for (int i = 0; i < 2; i++) {
    free(job.out[i].l);
    free(job.out[i].r);
  }
  free(starts);
  return rc;
}

/* The sorted order's gather of positions and metadata, on [lo, hi). */
static void POS_SUFFIX(gather_part)(void *arg, unsigned part) {
  struct gather_job *j = arg;
  size_t lo = j->bounds[part], hi = j->bounds[part + 1];
  const uint32_t *perm = j->perm, *ML = j->ml, *MR = j->mr;
  uint32_t *pos = j->pos;
  for (size_t i = lo; i < hi; i++) {
    uint32_t q = perm[i];
    pos[2 * i] = ML[q];
    pos[2 * i + 1] = MR[q];
  }
  for (unsigned w = 0; w < j->ow; w++) {
    const uint32_t *src = j->src[w];
    uint32_t *dst = j->dst[w];
    for (size_t i = lo; i < hi; i++) dst[i] = src[perm[i]];
  }
}

/* --- the seven tables --------------------------------------------------------------------------- */

static int POS_SUFFIX(build)(k_pos_tables *out, pool_t *p, const uint8_t seed[32], unsigned k, unsigned threads) {
  size_t n = (size_t)1 << k;
  unsigned words = meta_words(k, 3);
  uint32_t **sk, **si;
  if (pool_reserve(p, n + n / 8 + 1024, words) || f1_all(seed, k, p->ny)) return -1;
  if ((threads >= 2 ? POS_SUFFIX(radix_sort_mt) : POS_SUFFIX(radix_sort))(p, p->ny, n, k + EXT, &sk, &si)) return -1;
  out->x = big_alloc(4 * n);
  if (!out->x) return -1;
  memcpy(out->x, *si, 4 * n);
  for (size_t i = 0; i < n; i++) p->meta[0][i] = out->x[i] << (32 - k);
  swap_arrays(&p->y, sk);
  size_t ln = n;
  for (unsigned t = 2; t <= 7; t++) {
    size_t c;
    if (threads >= 2 && ln >= 4096 ? POS_SUFFIX(find_matches_mt)(p, ln, k, words, &c)
                                   : POS_SUFFIX(find_matches)(p, ln, k, words, &c))
      return -1;
    POS_SUFFIX(fn_all)(p, k, t, c, threads);
    if ((threads >= 2 && c >= 4096 ? POS_SUFFIX(radix_sort_mt) : POS_SUFFIX(radix_sort))(p, p->ny, c, k + EXT, &sk, &si))
      return -1;
    uint32_t *pos = big_alloc(8 * (c + 1));
    if (!pos) return -1;
    out->pos[t - 2] = pos;
    out->count[t - 2] = c;
    unsigned ow = meta_words(k, t);
    struct gather_job g = {*si, p->ml, p->mr, pos, ow, {0}, {0}, {0, c, c}};
    for (unsigned w = 0; w < ow; w++) {
      g.src[w] = p->nmeta[w];
      g.dst[w] = p->smeta[w];
    }
    if (threads >= 2 && c >= 4096) {
      g.bounds[1] = c / 2;
      run_parts(POS_SUFFIX(gather_part), &g, 2);
    } else {
      POS_SUFFIX(gather_part)(&g, 0);
    }
    for (unsigned w = 0; w < ow; w++) swap_arrays(&p->meta[w], &p->smeta[w]);
    swap_arrays(&p->y, sk);
    ln = c;
  }
  out->y7 = big_alloc(4 * (ln + 1));
  if (!out->y7) return -1;
  memcpy(out->y7, p->y, 4 * ln);
  return 0;
}
