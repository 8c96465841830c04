/* The record polynomial's recovery in two phases (pos-recover.c): a plan from the erasure pattern
 * alone (the zero polynomial and its derivative, the bulk of the work), then its application to the
 * values. Proving computes the plan while the record's table is being built. */
#ifndef AUTONOMYS_POS_RECOVER_H
#define AUTONOMYS_POS_RECOVER_H

#include <stddef.h>
#include <stdint.h>

#include "kernels.h"

/* The plan's size in bytes for 2n = n2 positions of which m are missing, me of them even (m <= n2/2). */
size_t k_fr_recover_plan_size(size_t n2, size_t m, size_t me);

/* The plan of the pattern present[0..n2) (0 = missing) on the domain of root2n, written to plan
 * (plan_len = k_fr_recover_plan_size of the pattern), on 1 or 2 threads. K_BAD_ROOT when n2 is not a
 * power of two >= 2 (<= 2^28) or root2n's order is not n2; K_BAD_ENCODING when more than n2/2 are
 * missing or plan_len is wrong. */
kstatus k_fr_recover_plan(uint8_t *plan, size_t plan_len, const uint8_t *present, size_t n2, const uint8_t root2n[32],
                          unsigned threads);

/* The n = n2/2 coefficients (times scale32) of the polynomial of degree < n with the values in32
 * (n2 of them) at the present positions of `plan` (the others are not read). K_BAD_ENCODING when the
 * plan is malformed (wrong length, header or missing list), K_BAD_SCALAR (index n2: the scale) when a
 * scalar is >= r. */
kstatus k_fr_recover_apply(uint8_t *out32, const uint8_t *in32, size_t n2, const uint8_t *plan, size_t plan_len,
                           const uint8_t scale32[32], unsigned threads);

#endif
