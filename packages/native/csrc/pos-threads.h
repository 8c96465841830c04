/* run_parts: the two-thread fork/join of the PoS kernels (pos.c, pos-recover.c). */
#ifndef AUTONOMYS_POS_THREADS_H
#define AUTONOMYS_POS_THREADS_H

#include <pthread.h>

/* Runs fn(arg, part) for part = 0..parts-1 (at most 2), part 0 on the calling thread; a part whose
 * thread cannot be started runs on the calling thread. */
typedef void (*part_fn)(void *arg, unsigned part);
typedef struct {
  part_fn fn;
  void *arg;
  unsigned part;
} part_job;

static void *part_run(void *a) {
  part_job *j = a;
  j->fn(j->arg, j->part);
  return NULL;
}

static void run_parts(part_fn fn, void *arg, unsigned parts) {
  pthread_t th[2];
  part_job jobs[2];
  int started[2] = {0, 0};
  for (unsigned i = 1; i < parts && i < 2; i++) {
    jobs[i] = (part_job){fn, arg, i};
    started[i] = pthread_create(&th[i], NULL, part_run, &jobs[i]) == 0;
  }
  fn(arg, 0);
  for (unsigned i = 1; i < parts && i < 2; i++) {
    if (started[i]) pthread_join(th[i], NULL);
    else fn(arg, i);
  }
}

#endif
