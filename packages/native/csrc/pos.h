/* Proof-of-space table construction (farming §3.4), the native kernel of @autonomys/plotter. */
#ifndef AUTONOMYS_POS_H
#define AUTONOMYS_POS_H

#include <stddef.h>
#include <stdint.h>

/* The seven tables as proofs need them: table 1 as x values in rank order, tables 2..7 as
 * (leftRank, rightRank) pairs into the previous table, and the sorted y of table 7. */
typedef struct {
  uint32_t *x;         /* 2^k entries */
  uint32_t *pos[6];    /* tables 2..7: 2 * count[t-2] entries */
  size_t count[6];
  uint32_t *y7;        /* count[5] entries */
  uint32_t *x2;        /* internal (proof masks, K_POS_PAIRS): the x pair of every table-2 entry, 2 * count[0] */
  size_t x2_cap;       /* x2's capacity in entries */
  int borrowed;        /* the arrays came from the caller's allocator: k_pos_free leaves them */
} k_pos_tables;

/* Where the output arrays go: alloc(ctx, bytes) returns writable memory the caller owns (the addon
 * hands out JavaScript ArrayBuffers, so the tables are never copied), or NULL when out of memory. It
 * is called on the calling thread only. */
typedef void *(*k_pos_alloc_fn)(void *ctx, size_t bytes);

/* k_pos_build's flags: also keep table 2's x pairs (x2), which k_pos_proof_masks needs */
#define K_POS_PAIRS 1u

/* Builds the tables of a 32-byte seed for 6 <= k <= 25, on `threads` threads (1 or 2: matching, fn and
 * the emission split in halves; the tables are the same); the output arrays from `alloc` (NULL:
 * malloc, freed by k_pos_free). Returns 0, or 6 (K_NO_MEMORY). */
int k_pos_build(k_pos_tables *out, const uint8_t seed[32], unsigned k, unsigned threads, unsigned flags,
                k_pos_alloc_fn alloc, void *alloc_ctx);
void k_pos_free(k_pos_tables *t);

/* The chunk masks of the first proofs (farming §2.3, §3.6): for challenge indexes s = 0, 1, ... below
 * 2^16, each s with a proof gives sbuckets[i] = s and masks[32i..] = BLAKE3(its 8k-byte proof), until
 * `limit` are found, on `threads` threads (1 or 2). *count = how many, *scanned = the first s not
 * examined (2^16 when all were; 0, with no masks, when out of memory or the tables were built without
 * K_POS_PAIRS: the caller then finds those proofs itself). */
void k_pos_proof_masks(const k_pos_tables *t, unsigned k, uint32_t limit, uint32_t *sbuckets, uint8_t *masks,
                       uint32_t *count, uint32_t *scanned, unsigned threads);

#endif
