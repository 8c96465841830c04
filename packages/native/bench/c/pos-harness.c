/*
 * A C harness for the proof-of-space table kernel (csrc/pos.c), outside Node: thread CPU and wall time
 * of k_pos_build + k_pos_proof_masks (what proving regenerates per solution), and a digest of the
 * tables to check that a change keeps them byte-identical. Build and run with pos-harness.sh.
 *
 *   pos-harness time K ROUNDS THREADS   min / median thread-CPU and wall of ROUNDS builds (+ masks)
 *   pos-harness hash K [SEEDBYTE [THREADS]]  FNV-1a digest of every table array and of the masks
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../csrc/pos.h"

static double now(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t fnv(uint64_t h, const void *data, size_t len) {
  const uint8_t *p = data;
  for (size_t i = 0; i < len; i++) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static uint32_t sb[65536];
static uint8_t masks[32 * 65536];

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s time K ROUNDS THREADS | hash K [SEEDBYTE [THREADS]]\n", argv[0]);
    return 2;
  }
  unsigned k = (unsigned)atoi(argv[2]);
  uint8_t seed[32];
  for (int i = 0; i < 32; i++) seed[i] = (uint8_t)(i * 7 + 1);
  if (strcmp(argv[1], "hash") == 0) {
    if (argc > 3) seed[0] = (uint8_t)atoi(argv[3]);
    unsigned threads = argc > 4 ? (unsigned)atoi(argv[4]) : 1;
    k_pos_tables t;
    if (k_pos_build(&t, seed, k, threads, K_POS_PAIRS, NULL, NULL)) return 1;
    uint64_t h = 0xcbf29ce484222325ull;
    h = fnv(h, t.x, 4 * ((size_t)1 << k));
    for (int i = 0; i < 6; i++) {
      h = fnv(h, &t.count[i], sizeof t.count[i]);
      h = fnv(h, t.pos[i], 8 * t.count[i]);
    }
    h = fnv(h, t.y7, 4 * t.count[5]);
    uint32_t c, s;
    k_pos_proof_masks(&t, k, 32768, sb, masks, &c, &s, threads);
    h = fnv(h, sb, 4 * c);
    h = fnv(h, masks, 32 * (size_t)c);
    printf("k=%u seed0=%u counts", k, seed[0]);
    for (int i = 0; i < 6; i++) printf(" %zu", t.count[i]);
    printf(" masks=%u digest=%016llx\n", c, (unsigned long long)h);
    k_pos_free(&t);
    return 0;
  }
  unsigned rounds = argc > 3 ? (unsigned)atoi(argv[3]) : 5, threads = argc > 4 ? (unsigned)atoi(argv[4]) : 1;
  double cpu[64], wall[64];
  if (rounds > 64) rounds = 64;
  for (unsigned r = 0; r < rounds; r++) {
    seed[0] = (uint8_t)r;
    k_pos_tables t;
    double c0 = now(CLOCK_PROCESS_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC);
    if (k_pos_build(&t, seed, k, threads, K_POS_PAIRS, NULL, NULL)) return 1;
    uint32_t c, s;
    k_pos_proof_masks(&t, k, 32768, sb, masks, &c, &s, threads);
    cpu[r] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    wall[r] = now(CLOCK_MONOTONIC) - w0;
    k_pos_free(&t);
  }
  qsort(cpu, rounds, sizeof cpu[0], cmp);
  qsort(wall, rounds, sizeof wall[0], cmp);
  printf("k=%u threads=%u rounds=%u  cpu min %.3f s median %.3f s  wall min %.3f s median %.3f s\n", k, threads,
         rounds, cpu[0], cpu[rounds / 2], wall[0], wall[rounds / 2]);
  return 0;
}
